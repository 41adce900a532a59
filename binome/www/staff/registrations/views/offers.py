"""Declarations (offers): the list (an association's own, a federation's members'), and an
association declaring or changing one."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView

from binome.organisations.enums import OrganisationKind
from binome.registrations.models import Offer, RoutingAttempt
from binome.registrations.services import offers as offer_services
from binome.www.staff.base import ServiceFormView
from binome.www.staff.permissions import StaffMixin
from binome.www.staff.registrations.forms import OfferForm
from binome.www.staff.registrations.presenters import offer_row
from binome.www.staff.registrations.views.common import LenientPagesMixin, QueueCountMixin


class OfferListView(QueueCountMixin, LenientPagesMixin, StaffMixin, ListView):
    template_name = "staff/registrations/offers.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            Offer.objects.for_organisation(self.organisation)
            .select_related("programme__organisation")
            .annotate(held=RoutingAttempt.objects.held_by_offer())
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["is_federation"] = self.organisation.kind == OrganisationKind.FEDERATION
        ctx["querystring"] = ""
        ctx["rows"] = [offer_row(o) for o in ctx["object_list"]]
        return ctx


class OfferFormView(ServiceFormView):
    template_name = "staff/registrations/offer_form.html"

    def dispatch(self, request, *args, **kwargs):
        membership = getattr(request, "membership", None)
        if membership and membership.organisation.kind != OrganisationKind.ASSOCIATION:
            raise PermissionDenied  # federations read their members' declarations
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        self.offer = None
        if "pk" in self.kwargs:
            self.offer = get_object_or_404(
                Offer.objects.filter(programme__organisation=self.organisation),
                pk=self.kwargs["pk"],
            )
        return OfferForm(
            **self.get_form_kwargs(),
            organisation=self.organisation,
            instance=self.offer or Offer(),
        )

    def perform(self, form):
        who = {"acting_user": self.request.user, "organisation": self.organisation}
        if self.offer:
            offer_services.update_offer(self.offer, **who, **form.cleaned_data)
        else:
            offer_services.create_offer(**who, **form.cleaned_data)
        self.success_message = _("The declaration is saved.")

    def get_success_url(self):
        return reverse("staff:registrations:offers")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["offer"] = self.offer
        return ctx
