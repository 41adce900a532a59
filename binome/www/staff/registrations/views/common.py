"""Mixins shared by the staff registration pages."""

from django.http import Http404

from binome.organisations.enums import OrganisationKind
from binome.registrations.models import Registration


class LenientPagesMixin:
    """A page number that is not one (``?page=²``, ``?page=999``) shows the nearest page
    instead of a 404."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        raw = self.request.GET.get(self.page_kwarg, "")
        number = int(raw) if raw.isascii() and raw.isdigit() else 1
        page = paginator.get_page(number)
        return paginator, page, page.object_list, page.has_other_pages()


class QueueCountMixin:
    """``queue_count``: requests in the association's own queue (an instance without a
    federation: see ``services.QueueOwners``), for the navigation. One query; none for a
    federation, whose queue is in "Routing"."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["queue_count"] = (
            0
            if self.organisation.kind == OrganisationKind.FEDERATION
            else Registration.objects.in_queue_of(self.organisation).count()
        )
        return ctx


class FederationMixin:
    """Pages only a federation's staff open."""

    def dispatch(self, request, *args, **kwargs):
        membership = getattr(request, "membership", None)
        if membership and membership.organisation.kind != OrganisationKind.FEDERATION:
            raise Http404
        return super().dispatch(request, *args, **kwargs)
