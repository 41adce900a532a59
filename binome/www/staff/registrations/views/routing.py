"""The queue's owner: a federation (its routing list, routing by hand, closing, support
access to an identity, the SLA dashboard), or an association on an instance without a
federation (its own queue)."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import ListView, TemplateView

from binome.organisations.enums import OrganisationKind
from binome.registrations import metrics, services
from binome.registrations.enums import RegistrationState, SupportPurpose
from binome.registrations.models import Registration
from binome.registrations.services import support as support_services
from binome.www.staff.base import ServiceFormView, error_messages
from binome.www.staff.permissions import StaffMixin
from binome.www.staff.registrations.forms import CloseForm, RouteForm, SupportAccessForm
from binome.www.staff.registrations.presenters import card, card_rows
from binome.www.staff.registrations.views.common import (
    FederationMixin,
    LenientPagesMixin,
    QueueCountMixin,
)


class RoutingListView(LenientPagesMixin, FederationMixin, StaffMixin, ListView):
    """Routing metadata of every request (no identity): where it is, why, for how long."""

    partner_allowed = False  # registrants' requests: never to a partner

    template_name = "staff/registrations/routing.html"
    paginate_by = 25

    def get_queryset(self):
        self.state = self.request.GET.get("state", "")
        qs = Registration.objects.for_federation(self.organisation).select_related("organisation")
        if self.state in RegistrationState.values:
            qs = qs.filter(state=self.state)
        return qs.order_by("created_at", "id") if self.state else qs.order_by("-created_at", "-id")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            state=self.state,
            state_choices=RegistrationState.choices,
            rows=card_rows(ctx["object_list"], timezone.now()),
            querystring=f"state={self.state}" if self.state else "",
        )
        return ctx


class QueueView(QueueCountMixin, LenientPagesMixin, StaffMixin, ListView):
    """An association's own queue: requests nobody could take, on an instance without a
    federation (``services.QueueOwners``). Semi-anonymised cards, oldest first."""

    partner_allowed = False  # registrants' requests: never to a partner

    template_name = "staff/registrations/queue.html"
    paginate_by = 25

    def get_queryset(self):
        return Registration.objects.in_queue_of(self.organisation).order_by("created_at", "id")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = card_rows(ctx["object_list"], timezone.now())
        ctx["querystring"] = ""
        return ctx


class FederationRequestMixin:
    """One request as its queue's owner may see it: a federation sees those routed within
    it or in its queue; an association only those in its own queue (404 otherwise)."""

    partner_allowed = False  # registrants' requests: never to a partner

    def get_registration(self):
        if self.organisation.kind == OrganisationKind.FEDERATION:
            qs = Registration.objects.for_federation(self.organisation)
        else:
            qs = Registration.objects.in_queue_of(self.organisation)
        return get_object_or_404(
            qs.select_related("organisation", "queue_owner"), pk=self.kwargs["pk"]
        )

    @property
    def is_federation(self):
        return self.organisation.kind == OrganisationKind.FEDERATION

    def queue_url(self):
        if self.is_federation:
            return reverse("staff:registrations:routing")
        return reverse("staff:registrations:queue")


class RoutingDetailView(FederationRequestMixin, StaffMixin, TemplateView):
    template_name = "staff/registrations/routing_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        reg = self.get_registration()
        federation = self.is_federation
        ctx.update(
            reg=reg,
            card=card(reg),
            attempts=reg.attempts.select_related("organisation", "offer__programme"),
            transitions=reg.transitions.select_related("by").order_by("at", "id"),
            route_form=RouteForm(federation=self.organisation, registration=reg),
            close_form=CloseForm(),
            queued=reg.state == RegistrationState.QUEUED
            and services.owns_queue_of(self.organisation, reg),
            is_federation=federation,
            back_url=self.queue_url(),
            # Support access to identities is the federation's (REQ-FED-04).
            support_form=SupportAccessForm() if federation else None,
            support_accesses=(
                support_services.support_accesses(reg, federation=self.organisation)
                if federation
                else []
            ),
        )
        return ctx


class FederationActionView(FederationRequestMixin, ServiceFormView):
    template_name = "staff/registrations/routing_action.html"

    def get_success_url(self):
        if self.is_federation:
            return reverse("staff:registrations:routing_detail", args=[self.kwargs["pk"]])
        return self.queue_url()  # the request has left the association's queue

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["reg"] = self.get_registration()
        ctx["action"] = self.action
        return ctx


class RouteView(FederationActionView):
    action = "route"

    def get_form(self, form_class=None):
        return RouteForm(
            **self.get_form_kwargs(),
            federation=self.organisation,
            registration=self.get_registration(),
        )

    def perform(self, form):
        services.route_to(
            self.get_registration(),
            form.cleaned_data["organisation"],
            acting_user=self.request.user,
            federation=self.organisation,
        )
        self.success_message = _("The request is sent to the association.")


class CloseView(FederationActionView):
    action = "close"
    form_class = CloseForm

    def perform(self, form):
        services.close_from_queue(
            self.get_registration(),
            federation=self.organisation,
            acting_user=self.request.user,
            reason=form.cleaned_data["reason"],
        )
        self.success_message = _("The request is closed; the registrant is told.")


@method_decorator(never_cache, name="dispatch")
class SupportIdentityView(FederationMixin, FederationRequestMixin, ServiceFormView):
    """Federation staff open a registrant's identity for a stated support purpose (REQ-FED-04).

    GET shows only the form. Each valid POST writes one log row and answers with the
    identity in that response only: no redirect, no identity in a URL, never cached, so
    seeing it again takes a new, logged POST. Partners get 403, other organisations 404.
    """

    template_name = "staff/registrations/support_identity.html"
    form_class = SupportAccessForm

    @cached_property
    def registration(self):
        return self.get_registration()

    def get_form(self, form_class=None):
        self.registration  # noqa: B018 (404 before any form for a request out of scope)
        return super().get_form(form_class)

    def form_valid(self, form):
        purpose = form.cleaned_data["purpose"]
        note = form.cleaned_data["note"]
        try:
            identity = services.reveal_for_support(
                self.registration,
                federation=self.organisation,
                acting_user=self.request.user,
                purpose=purpose,
                note=note,
            )
        except ValidationError as exc:
            field = exc.code if getattr(exc, "code", None) in form.fields else None
            for message in error_messages(exc):
                form.add_error(field, message)
            return self.form_invalid(form)
        return self.render_to_response(
            self.get_context_data(
                form=form,
                identity=identity,
                purpose=SupportPurpose(purpose).label,
                note=note,
            )
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("identity", None)
        kwargs.setdefault("purpose", "")
        kwargs.setdefault("note", "")
        ctx = super().get_context_data(**kwargs)
        ctx["reg"] = self.registration
        return ctx


class SlaDashboardView(QueueCountMixin, StaffMixin, TemplateView):
    """Federation: per member association and overall. Association: its own figures."""

    template_name = "staff/registrations/dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        org = self.organisation
        is_federation = org.kind == OrganisationKind.FEDERATION
        if is_federation:
            registrations = Registration.objects.for_federation(org)
            members = list(org.members.order_by("name"))
        else:
            registrations = Registration.objects.counted_by(org)
            members = [org]
        overall, per_org = metrics.sla_report(registrations)
        ctx.update(
            is_federation=is_federation,
            overall=overall,
            rows=[(m, per_org.get(m.pk)) for m in members],
            buckets=metrics.BACKLOG_BUCKETS,
            window_days=metrics.WINDOW_DAYS,
        )
        return ctx
