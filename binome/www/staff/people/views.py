"""Mentor and mentee candidates: one set of views serves both sides."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from binome.pairs.services import withdraw_person
from binome.people import services
from binome.people.enums import MenteeState, MentorState
from binome.people.models import InterviewAnswer, Mentee, Mentor
from binome.www.staff.base import FilteredListView, ServiceFormView, parse_id
from binome.www.staff.people.forms import InterviewForm, MenteeForm, MentorForm, TransitionForm
from binome.www.staff.permissions import StaffMixin, milestones, visible_people


@dataclass(frozen=True)
class Side:
    key: str
    model: type
    form_class: type
    states: type
    title: str
    singular: str
    interview_from: str  # state from which the interview can be recorded

    @property
    def namespace(self):
        return f"staff:{self.key}s"


SIDES = {
    "mentor": Side(
        "mentor",
        Mentor,
        MentorForm,
        MentorState,
        gettext_lazy("Mentors"),
        gettext_lazy("mentor"),
        MentorState.INFORMED,
    ),
    "mentee": Side(
        "mentee",
        Mentee,
        MenteeForm,
        MenteeState,
        gettext_lazy("Mentees"),
        gettext_lazy("mentee"),
        MenteeState.PRESENTED,
    ),
}


class SideMixin:
    side_key = None

    @cached_property
    def side(self):
        return SIDES[self.side_key]

    def people(self):
        people = self.side.model.objects.for_organisation(self.organisation)
        return visible_people(self.membership, people)

    def get_person(self):
        return get_object_or_404(self.people().select_related("programme"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["side"] = self.side
        return ctx


class PersonStepMixin(SideMixin):
    """A form about one person (``self.person``), back to their page once saved."""

    person = None

    def get_success_url(self):
        return reverse(f"{self.side.namespace}:detail", args=[self.person.pk])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["person"] = self.person
        return ctx


class PersonListView(SideMixin, FilteredListView):
    template_name = "staff/people/list.html"

    @property
    def state_choices(self):
        return self.side.states.choices

    def base_queryset(self):
        return self.people().select_related("programme").order_by("-state_changed_at", "-id")


class PersonDetailView(SideMixin, StaffMixin, DetailView):
    template_name = "staff/people/detail.html"
    context_object_name = "person"

    def get_object(self):
        person = self.get_person()
        services.log_person_view(person, acting_user=self.request.user)
        return person

    def can_propose(self, person):
        if isinstance(person, Mentor):
            available = {MentorState.READY, MentorState.MATCHED}
            return person.state in available and person.places_left() > 0
        return person.state == MenteeState.READY

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        person = self.object
        ctx.update(
            transitions=milestones(
                self.membership, person.transitions.select_related("by").order_by("at", "id")
            ),
            next_steps=services.manual_steps(person),
            can_interview=person.state == self.side.interview_from,
            interviews=person.interviews.select_related("interviewer").prefetch_related(
                Prefetch("answers", InterviewAnswer.objects.select_related("criterion"))
            ),
            attendances=person.attendances.select_related("session").order_by(
                "-session__starts_at"
            ),
            pairs=person.pairs.select_related("mentor", "mentee", "programme"),
            can_propose=self.can_propose(person),
        )
        if isinstance(person, Mentor):
            ctx["training_done"] = person.has_completed_training()
        else:  # what the registrant (and guardian, for a minor) agreed to on the public form
            ctx["consents"] = person.registration_consents.order_by("at", "id")
        return ctx


class PersonFormView(PersonStepMixin, ServiceFormView):
    template_name = "staff/people/form.html"

    def get_form_class(self):
        return self.side.form_class

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organisation"] = self.organisation
        if "pk" in self.kwargs:
            self.person = self.get_person()
            kwargs["instance"] = self.person
        else:
            self.person = None
            kwargs["instance"] = self.side.model()
            programme = self.request.GET.get("programme", "")
            if parse_id(programme) is not None:
                kwargs.setdefault("initial", {})["programme"] = parse_id(programme)
        return kwargs

    def perform(self, form):
        if self.person is None:
            data = {k: v for k, v in form.cleaned_data.items() if k != "programme"}
            self.person = services.create_person(
                self.side.model,
                form.cleaned_data["programme"],
                acting_user=self.request.user,
                **data,
            )
            self.success_message = _("The profile is saved.")
        else:
            self.person = services.update_person(
                form.save(commit=False), changed=form.changed_data, acting_user=self.request.user
            )
            self.success_message = _("The changes are saved.")


class PersonTransitionView(PersonStepMixin, ServiceFormView):
    template_name = "staff/people/transition.html"
    form_class = TransitionForm

    def get_form_kwargs(self):
        self.person = self.get_person()
        choices = services.manual_steps(self.person)
        if not choices:
            raise Http404
        kwargs = super().get_form_kwargs()
        kwargs["choices"] = choices
        kwargs["rematch"] = self.person.state == self.side.states.ALUMNI
        wanted = self.request.GET.get("to")
        if wanted in {c.value for c in choices}:
            kwargs.setdefault("initial", {})["to_state"] = wanted
        return kwargs

    def perform(self, form):
        to_state, reason = form.cleaned_data["to_state"], form.cleaned_data["reason"]
        states = self.side.states
        if to_state == states.WITHDRAWN:
            # Withdrawing also ends the person's pairs, in the same transaction.
            self.person = withdraw_person(self.person, acting_user=self.request.user, reason=reason)
        elif self.person.state == states.ALUMNI and to_state == states.READY:
            services.rematch_person(self.person, acting_user=self.request.user, reason=reason)
        else:
            services.transition_person(
                self.person, to_state, acting_user=self.request.user, reason=reason
            )
        self.success_message = _("Step saved: %(state)s.") % {
            "state": self.person.get_state_display()
        }


class InterviewView(PersonStepMixin, ServiceFormView):
    template_name = "staff/people/interview.html"
    form_class = InterviewForm

    def get_form_kwargs(self):
        self.person = self.get_person()
        if self.person.state != self.side.interview_from:
            raise Http404
        kwargs = super().get_form_kwargs()
        kwargs["criteria"] = self.person.programme.criteria.filter(side=self.side.key)
        return kwargs

    def perform(self, form):
        services.record_interview(
            self.person,
            acting_user=self.request.user,
            held_on=form.cleaned_data["held_on"],
            decision=form.cleaned_data["decision"],
            answers=form.answers(),
            notes=form.cleaned_data["notes"],
        )
        self.success_message = _("The interview is saved.")
