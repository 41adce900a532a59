"""Pairs (binômes): list, detail with timeline, creation by hand, one view per transition."""

from dataclasses import dataclass

from django import forms
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from binome.meetings.rhythm import rhythm_of, with_rhythm
from binome.pairs import services
from binome.pairs.enums import OPEN_STATES, FirstMeetingItem, PairState
from binome.pairs.models import with_free_place
from binome.people.models import Mentee, Mentor
from binome.www.staff.base import FilteredListView, ServiceFormView, parse_id
from binome.www.staff.pairs.forms import (
    ActivateForm,
    CancelForm,
    CloseForm,
    DeclineForm,
    FirstMeetingForm,
    PairCreateForm,
    SignatureForm,
)
from binome.www.staff.pairs.meetings import meetings_context
from binome.www.staff.pairs.plan import plan_context
from binome.www.staff.pairs.problems import problems_context
from binome.www.staff.pairs.scope import PairScopeMixin
from binome.www.staff.permissions import StaffMixin, is_partner, milestones


class ConfirmForm(forms.Form):
    """An action with nothing to fill in: the button is the confirmation."""


@dataclass(frozen=True)
class PairAction:
    label: str
    help: str
    states: frozenset
    form_class: type
    run: callable
    danger: bool = False


def _date_initial(field):
    return lambda pair: {field: timezone.localdate()}


ACTIONS = {
    "accept-mentor": PairAction(
        gettext_lazy("The mentor accepts"),
        gettext_lazy("The mentor has seen the profile and agrees to meet the mentee."),
        frozenset({PairState.PROPOSED}),
        ConfirmForm,
        lambda pair, user, data: services.accept_by_mentor(pair, acting_user=user),
    ),
    "decline-mentor": PairAction(
        gettext_lazy("The mentor declines"),
        gettext_lazy("The mentee goes back to the people waiting for a mentor."),
        frozenset({PairState.PROPOSED}),
        DeclineForm,
        lambda pair, user, data: services.decline_by_mentor(pair, acting_user=user, **data),
        danger=True,
    ),
    "accept-mentee": PairAction(
        gettext_lazy("The mentee accepts"),
        gettext_lazy("Both said yes: they now organise their first meeting."),
        frozenset({PairState.MENTOR_ACCEPTED}),
        ConfirmForm,
        lambda pair, user, data: services.accept_by_mentee(pair, acting_user=user),
    ),
    "decline-mentee": PairAction(
        gettext_lazy("The mentee declines"),
        gettext_lazy("The mentor becomes available again."),
        frozenset({PairState.MENTOR_ACCEPTED}),
        DeclineForm,
        lambda pair, user, data: services.decline_by_mentee(pair, acting_user=user, **data),
        danger=True,
    ),
    "first-meeting": PairAction(
        gettext_lazy("Record the first meeting"),
        gettext_lazy("About 1 h 30, organised by the pair, guided by the checklist."),
        frozenset({PairState.MENTEE_ACCEPTED}),
        FirstMeetingForm,
        lambda pair, user, data: services.record_first_meeting(pair, acting_user=user, **data),
    ),
    "sign": PairAction(
        gettext_lazy("Record a signature"),
        gettext_lazy("The contract binds the mentor, the mentee and the association."),
        frozenset({PairState.FIRST_MEETING}),
        SignatureForm,
        lambda pair, user, data: services.record_signature(pair, acting_user=user, **data),
    ),
    "activate": PairAction(
        gettext_lazy("Start the mentoring"),
        gettext_lazy("The pair becomes active; the planned end follows the programme length."),
        frozenset({PairState.CONTRACT_SIGNED}),
        ActivateForm,
        lambda pair, user, data: services.activate_pair(pair, acting_user=user, **data),
    ),
    "close": PairAction(
        gettext_lazy("Close the pair"),
        gettext_lazy(
            "At the end of the term, at a positive exit, or when the pair stops. The mentee's "
            "journey ends here; the mentor stays available for another mentee unless they stop."
        ),
        frozenset({PairState.ACTIVE}),
        CloseForm,
        lambda pair, user, data: services.close_pair(pair, acting_user=user, **data),
    ),
    "cancel": PairAction(
        gettext_lazy("Cancel the proposal"),
        gettext_lazy("The mentor and the mentee become available again."),
        OPEN_STATES,
        CancelForm,
        lambda pair, user, data: services.cancel_pair(pair, acting_user=user, **data),
        danger=True,
    ),
}
INITIALS = {
    "first-meeting": _date_initial("held_on"),
    "activate": _date_initial("started_on"),
    "close": _date_initial("ended_on"),
}


def actions_for(pair):
    return [(name, a) for name, a in ACTIONS.items() if pair.state in a.states]


class PairListView(PairScopeMixin, FilteredListView):
    template_name = "staff/pairs/list.html"
    state_choices = PairState.choices

    def base_queryset(self):
        pairs = self.pairs().order_by("-state_changed_at", "-id")
        return pairs if is_partner(self.membership) else with_rhythm(pairs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if not ctx["is_partner"]:
            ctx["rows"] = [(pair, rhythm_of(pair)) for pair in ctx["object_list"]]
        else:
            ctx["rows"] = [(pair, None) for pair in ctx["object_list"]]
        return ctx


class PairDetailView(PairScopeMixin, StaffMixin, DetailView):
    template_name = "staff/pairs/detail.html"
    context_object_name = "pair"

    def get_object(self):
        return self.get_pair()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        pair = self.object
        ctx.update(
            actions=actions_for(pair),
            transitions=milestones(
                self.membership, pair.transitions.select_related("by").order_by("at", "id")
            ),
            signatures=pair.signatures.all(),
            checklist=[
                label
                for value, label in FirstMeetingItem.choices
                if value in pair.first_meeting_checklist
            ],
            **meetings_context(pair, self.membership),
            **plan_context(pair, self.membership),
            **problems_context(pair, self.membership),
        )
        return ctx


class PairCreateView(PairScopeMixin, ServiceFormView):
    template_name = "staff/pairs/create.html"
    form_class = PairCreateForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        ready_mentees = (
            Mentee.objects.for_organisation(self.organisation)
            .waiting_for_mentor()
            .select_related("programme")
        )
        kwargs["mentees"] = ready_mentees
        kwargs["mentors"] = with_free_place(
            Mentor.objects.for_organisation(self.organisation)
        ).select_related("programme")
        initial = kwargs.setdefault("initial", {})
        for key in ("mentor", "mentee"):
            if parse_id(self.request.GET.get(key, "")) is not None:
                initial[key] = parse_id(self.request.GET[key])
        return kwargs

    def perform(self, form):
        self.pair = services.propose_pair(
            form.cleaned_data["mentor"],
            form.cleaned_data["mentee"],
            acting_user=self.request.user,
            note=form.cleaned_data["note"],
        )
        self.success_message = _("The pair is proposed to the mentor.")

    def get_success_url(self):
        return reverse("staff:pairs:detail", args=[self.pair.pk])


class PairActionView(PairScopeMixin, ServiceFormView):
    template_name = "staff/pairs/action.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.action = ACTIONS.get(kwargs["action"])
        if self.action is None:
            raise Http404

    def get_form_class(self):
        return self.action.form_class

    def get_form_kwargs(self):
        self.pair = self.get_pair()
        if self.pair.state not in self.action.states:
            raise Http404
        kwargs = super().get_form_kwargs()
        if self.action.form_class is SignatureForm:
            kwargs["missing"] = self.pair.missing_signatories()
        initial = INITIALS.get(self.kwargs["action"])
        if initial:
            kwargs["initial"] = initial(self.pair)
        return kwargs

    def perform(self, form):
        self.action.run(self.pair, self.request.user, form.cleaned_data)
        self.success_message = _("Saved.")

    def get_success_url(self):
        return reverse("staff:pairs:detail", args=[self.pair.pk])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(pair=self.pair, action=self.action)
        return ctx
