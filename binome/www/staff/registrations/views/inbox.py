"""The association inbox: semi-anonymised cards, the answer (accept or decline), and the
first contact once the request is taken in charge."""

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from binome.registrations import services
from binome.registrations.enums import AttemptOutcome, RegistrationState
from binome.registrations.models import RoutingAttempt
from binome.registrations.services import support as support_services
from binome.www.staff.base import ServiceFormView
from binome.www.staff.permissions import StaffMixin
from binome.www.staff.registrations.forms import AcceptForm, DeclineForm
from binome.www.staff.registrations.presenters import card
from binome.www.staff.registrations.views.common import LenientPagesMixin, QueueCountMixin


class InboxView(QueueCountMixin, LenientPagesMixin, StaffMixin, ListView):
    partner_allowed = False  # registrants' requests: never to a partner
    template_name = "staff/registrations/inbox.html"
    paginate_by = 25

    def get_queryset(self):
        self.show = self.request.GET.get("show", "pending")
        outcomes = (
            [AttemptOutcome.ACCEPTED] if self.show == "accepted" else [AttemptOutcome.PENDING]
        )
        order = "-answered_at" if self.show == "accepted" else "routed_at"
        return (
            RoutingAttempt.objects.for_organisation(self.organisation)
            .filter(outcome__in=outcomes)
            .select_related("registration", "offer__programme")
            .order_by(order, "id")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        now = timezone.now()
        days = services.answer_days()
        ctx.update(
            show=self.show,
            items=[
                {
                    "attempt": a,
                    "card": card(a.registration, now),
                    "due_on": a.due_at(days),
                    "registration": a.registration,
                }
                for a in ctx["object_list"]
            ],
            answer_days=days,
            querystring=f"show={self.show}",
        )
        return ctx


class RequestMixin:
    """One request, as the current association may see it (404 otherwise)."""

    partner_allowed = False  # registrants' requests: never to a partner

    def get_attempt(self):
        return get_object_or_404(
            RoutingAttempt.objects.for_organisation(self.organisation)
            .visible()
            .select_related("registration__offer__programme", "registration__organisation"),
            registration_id=self.kwargs["pk"],
        )

    @cached_property
    def attempt(self):
        return self.get_attempt()

    @property
    def registration(self):
        return self.attempt.registration

    def revealed(self):
        return support_services.identity_revealed(self.attempt, self.organisation)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        reg = self.registration
        revealed = self.revealed()
        if revealed:
            services.log_identity_view(
                reg, acting_user=self.request.user, organisation=self.organisation
            )
        ctx.update(
            attempt=self.attempt,
            card=card(reg),
            revealed=revealed,
            registration=reg if revealed else None,
            pending=self.attempt.outcome == AttemptOutcome.PENDING,
            due_on=self.attempt.due_at(services.answer_days()),
            can_mark_contacted=revealed and reg.state == RegistrationState.ACCEPTED,
            person_url=self.person_url(reg) if revealed else "",
            consents=list(reg.consents.all()) if revealed else [],
        )
        return ctx

    def person_url(self, reg):
        if reg.mentee_id:
            return reverse("staff:mentees:detail", args=[reg.mentee_id])
        if reg.mentor_id:
            return reverse("staff:mentors:detail", args=[reg.mentor_id])
        return ""


class RequestDetailView(RequestMixin, StaffMixin, TemplateView):
    template_name = "staff/registrations/detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["accept_form"] = AcceptForm(organisation=self.organisation, attempt=self.attempt)
        ctx["decline_form"] = DeclineForm()
        return ctx


class AnswerView(RequestMixin, ServiceFormView):
    template_name = "staff/registrations/answer.html"

    def get_success_url(self):
        return reverse("staff:registrations:inbox")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["action"] = self.action
        return ctx


class AcceptView(AnswerView):
    action = "accept"

    def get_form(self, form_class=None):
        return AcceptForm(
            **self.get_form_kwargs(), organisation=self.organisation, attempt=self.attempt
        )

    def perform(self, form):
        services.accept(
            self.registration,
            organisation=self.organisation,
            acting_user=self.request.user,
            programme=form.cleaned_data["programme"],
        )
        self.success_message = _("You have taken this request in charge: contact details below.")

    def get_success_url(self):
        return reverse("staff:registrations:detail", args=[self.kwargs["pk"]])


class DeclineView(AnswerView):
    action = "decline"
    form_class = DeclineForm

    def perform(self, form):
        services.decline(
            self.registration,
            organisation=self.organisation,
            acting_user=self.request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
        self.success_message = _("Declined: the request goes to another association.")


class ContactedView(AnswerView):
    action = "contacted"
    form_class = forms.Form

    def perform(self, form):
        services.record_first_contact(
            self.registration, organisation=self.organisation, acting_user=self.request.user
        )
        self.success_message = _("First contact recorded.")

    def get_success_url(self):
        return reverse("staff:registrations:detail", args=[self.kwargs["pk"]])
