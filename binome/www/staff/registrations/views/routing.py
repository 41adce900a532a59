"""Staff side of registrations: the association inbox (semi-anonymised cards, accept or
decline), the federation's routing view and queue, the SLA dashboard, the declarations."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import ListView, TemplateView

from binome.core.models import ActivityLog
from binome.geo import places
from binome.organisations.enums import OrganisationKind
from binome.organisations.models import Organisation
from binome.people.vocab import Situation
from binome.programmes.enums import MentoringKind
from binome.programmes.models import Programme
from binome.registrations import metrics, services
from binome.registrations.enums import (
    AttemptOutcome,
    DeclineReason,
    PriorityPublic,
    RegistrationState,
    SupportPurpose,
)
from binome.registrations.models import Offer, Registration, RoutingAttempt
from binome.www.fields import checkboxes, resolve_place_text
from binome.www.staff.base import ServiceFormView, error_messages
from binome.www.staff.permissions import StaffMixin

SITUATIONS = dict(Situation.choices)
KINDS = dict(MentoringKind.choices)
PUBLICS = dict(PriorityPublic.choices)


def place_label(key, *, coarse=True):
    """The town (and its département) of a place key; never more precise than a town."""
    place = places.resolve(key) if key else None
    if place is None:
        return ""
    return place.label if coarse else place.name


def card(registration, now=None):
    """What an association may see before accepting: no identity, no contact details."""
    now = now or timezone.now()
    return {
        "pk": registration.pk,
        "kind": registration.get_kind_display(),
        "age_band": registration.age_band,
        "situation": SITUATIONS.get(registration.situation, ""),
        "place": place_label(registration.place),
        "kinds": [KINDS.get(k, k) for k in registration.kinds],
        "publics": [PUBLICS.get(p, p) for p in registration.publics],
        "need": registration.need_redacted,
        "waiting_days": (now - registration.created_at).days,
    }


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


# --- the association inbox ---------------------------------------------------------------------


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
        reg = self.registration
        return (
            self.attempt.outcome == AttemptOutcome.ACCEPTED
            and reg.organisation_id == self.organisation.pk
            and reg.state in {RegistrationState.ACCEPTED, RegistrationState.CONTACTED}
        )

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


class AcceptForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=gettext_lazy("Programme that takes the request"),
        queryset=Programme.objects.none(),
        required=False,
    )

    def __init__(self, *args, organisation, attempt, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["programme"]
        field.queryset = Programme.objects.for_organisation(organisation).active()
        if attempt.offer_id:
            field.initial = attempt.offer.programme_id
        if attempt.registration.kind != "company":
            field.required = True
            field.error_messages["required"] = _("Choose the programme that takes this request.")


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"), choices=DeclineReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=gettext_lazy("Details (optional, no personal data)"), required=False, max_length=300
    )


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


# --- the federation ------------------------------------------------------------------------------


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
        now = timezone.now()
        ctx.update(
            state=self.state,
            state_choices=RegistrationState.choices,
            rows=[{"registration": r, "card": card(r, now)} for r in ctx["object_list"]],
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
        now = timezone.now()
        ctx["rows"] = [{"registration": r, "card": card(r, now)} for r in ctx["object_list"]]
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
            support_accesses=self.support_accesses(reg) if federation else [],
        )
        return ctx

    def support_accesses(self, reg):
        """Who opened the identity for support, when and why (one query, from the log)."""
        purposes = dict(SupportPurpose.choices)
        rows = (
            ActivityLog.objects.for_object(reg)
            .filter(verb=services.SUPPORT_VERB, organisation=self.organisation)
            .select_related("actor")
            .order_by("-at", "-id")
        )
        return [
            {
                "at": row.at,
                "actor": row.actor,
                "purpose": purposes.get(row.data.get("purpose"), row.data.get("purpose", "")),
                "note": row.data.get("note", ""),
            }
            for row in rows
        ]


class RouteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Member association"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, federation, registration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = services.queue_targets(federation, registration)
        if federation.kind != OrganisationKind.FEDERATION:
            self.fields["organisation"].label = gettext_lazy("Association")


class CloseForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason (no personal data)"), max_length=300)


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


class SupportAccessForm(forms.Form):
    purpose = forms.ChoiceField(
        label=gettext_lazy("Why do you need the identity?"),
        choices=SupportPurpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the purpose of this access.")},
    )
    note = forms.CharField(
        label=gettext_lazy('Details, required for "Other" (a few words, no personal data)'),
        required=False,
        max_length=services.SUPPORT_NOTE_MAX,
    )

    # The rules (a note for "Other") live in ``services.reveal_for_support``; its errors come
    # back on the field they name.


@method_decorator(never_cache, name="dispatch")
class SupportIdentityView(FederationRequestMixin, ServiceFormView):
    """Federation staff open a registrant's identity for a stated support purpose (REQ-FED-04).

    GET shows only the form. Each valid POST writes one log row and answers with the
    identity in that response only: no redirect, no identity in a URL, never cached, so
    seeing it again takes a new, logged POST. Partners get 403, other organisations 404.
    """

    template_name = "staff/registrations/support_identity.html"
    form_class = SupportAccessForm

    def dispatch(self, request, *args, **kwargs):
        membership = getattr(request, "membership", None)
        if membership and membership.organisation.kind != OrganisationKind.FEDERATION:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

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
            registrations = Registration.objects.filter(
                Q(organisation=org) | Q(attempts__organisation=org) | Q(queue_owner=org)
            ).distinct()
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


# --- declarations (offers) -----------------------------------------------------------------------


def _codes(text):
    return [c.strip().upper() for c in text.replace(";", ",").split(",") if c.strip()]


class OfferForm(forms.ModelForm):
    departments = forms.CharField(
        label=gettext_lazy("Départements"),
        required=False,
        help_text=gettext_lazy("Codes separated by commas, for example 59, 62. Empty: none."),
    )
    communes = forms.CharField(
        label=gettext_lazy("Towns"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Postcodes or names separated by semicolons."),
    )
    radius_places = forms.CharField(
        label=gettext_lazy("Centres of a radius"),
        required=False,
        help_text=gettext_lazy(
            "Postcodes or names separated by semicolons, with the radius below."
        ),
    )
    situations = checkboxes(Situation.choices, gettext_lazy("Situations (none ticked: all)"))
    publics = checkboxes(PriorityPublic.choices, gettext_lazy("Priority publics"))
    kinds = checkboxes(MentoringKind.choices, gettext_lazy("Kinds of mentoring (none ticked: all)"))

    class Meta:
        model = Offer
        fields = [
            "programme",
            "side",
            "departments",
            "communes",
            "radius_places",
            "radius_km",
            "age_min",
            "age_max",
            "situations",
            "publics",
            "publics_only",
            "kinds",
            "capacity",
            "starts_on",
            "ends_on",
            "is_active",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.for_organisation(organisation)
        # The lists are typed as text: a new declaration starts empty (not "[]").
        offer = self.instance
        self.initial["departments"] = ", ".join(offer.departments or [])
        self.initial["communes"] = "; ".join(place_label(k) or k for k in offer.communes or [])
        self.initial["radius_places"] = "; ".join(
            place_label(k) or k for k in offer.radius_places or []
        )

    def _places(self, name):
        keys = []
        for text in self.cleaned_data[name].split(";"):
            if text.strip():
                try:
                    keys.append(resolve_place_text(text))
                except forms.ValidationError as exc:
                    raise forms.ValidationError(exc.messages) from exc
        return keys

    def clean_departments(self):
        return _codes(self.cleaned_data["departments"])

    def clean_communes(self):
        return self._places("communes")

    def clean_radius_places(self):
        return self._places("radius_places")


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
        ctx["rows"] = [
            {
                "offer": o,
                "territory": ", ".join(
                    [*o.departments, *(place_label(k) for k in o.communes)]
                    + (
                        [f"{o.radius_km} km: " + ", ".join(place_label(k) for k in o.radius_places)]
                        if o.radius_places
                        else []
                    )
                ),
                "kinds": [KINDS.get(k, k) for k in o.kinds],
                "left": max(o.capacity - o.held, 0),
            }
            for o in ctx["object_list"]
        ]
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
        from binome.core.services import log_activity

        offer = form.save()
        log_activity(
            offer,
            "updated" if self.offer else "created",
            acting_user=self.request.user,
            organisation=self.organisation,
        )
        self.success_message = _("The declaration is saved.")

    def get_success_url(self):
        return reverse("staff:registrations:offers")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["offer"] = self.offer
        return ctx
