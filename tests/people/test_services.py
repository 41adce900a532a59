import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from binome.core.models import ActivityLog
from binome.core.statemachine import InvalidTransition
from binome.people import services
from binome.people.enums import (
    MENTEE_TRANSITIONS,
    MENTOR_TRANSITIONS,
    InterviewDecision,
    MenteeState,
    MentorState,
    SessionKind,
)
from binome.people.models import Attendance, Mentee, Mentor
from tests.factories import (
    CriterionFactory,
    MenteeFactory,
    MentorFactory,
    ProgrammeFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in the source language; the views' tests check the French.
    with translation.override("en"):
        yield


def _trained(mentor):
    session = SessionFactory(programme=mentor.programme, kind=SessionKind.TRAINING)
    Attendance.objects.create(session=session, mentor=mentor, attended=True)


@pytest.mark.parametrize(
    ("from_state", "to_state"), list(itertools.product(MentorState.values, repeat=2))
)
def test_mentor_transition_matrix(from_state, to_state):
    user = UserFactory()
    mentor = MentorFactory(state=from_state)
    _trained(mentor)
    if to_state in MENTOR_TRANSITIONS[from_state]:
        services.transition_person(mentor, to_state, acting_user=user, reason="because")
        mentor.refresh_from_db()
        assert mentor.state == to_state
        log = mentor.transitions.get()
        assert (log.from_state, log.to_state, log.by, log.reason) == (
            from_state,
            to_state,
            user,
            "because",
        )
        assert ActivityLog.objects.for_object(mentor).filter(verb="transition").count() == 1
    else:
        with pytest.raises(InvalidTransition):
            services.transition_person(mentor, to_state, acting_user=user, reason="because")
        mentor.refresh_from_db()
        assert mentor.state == from_state
        assert not mentor.transitions.exists()


@pytest.mark.parametrize(
    ("from_state", "to_state"), list(itertools.product(MenteeState.values, repeat=2))
)
def test_mentee_transition_matrix(from_state, to_state):
    user = UserFactory()
    mentee = MenteeFactory(state=from_state)
    if to_state in MENTEE_TRANSITIONS[from_state]:
        services.transition_person(mentee, to_state, acting_user=user, reason="r")
        mentee.refresh_from_db()
        assert mentee.state == to_state
        assert mentee.transitions.get().to_state == to_state
    else:
        with pytest.raises(InvalidTransition):
            services.transition_person(mentee, to_state, acting_user=user, reason="r")
        assert Mentee.objects.get(pk=mentee.pk).state == from_state


def test_mentor_without_training_cannot_be_made_ready():
    user = UserFactory()
    mentor = MentorFactory(state=MentorState.TRAINED)
    with pytest.raises(InvalidTransition, match="training"):
        services.transition_person(mentor, MentorState.READY, acting_user=user)
    # An absence does not count as training.
    session = SessionFactory(programme=mentor.programme, kind=SessionKind.TRAINING)
    Attendance.objects.create(session=session, mentor=mentor, attended=False)
    with pytest.raises(InvalidTransition):
        services.transition_person(mentor, MentorState.READY, acting_user=user)
    Attendance.objects.filter(mentor=mentor).update(attended=True)
    services.transition_person(mentor, MentorState.READY, acting_user=user)
    assert Mentor.objects.get(pk=mentor.pk).state == MentorState.READY


@pytest.mark.parametrize("state", [MentorState.REJECTED, MentorState.WITHDRAWN])
def test_leaving_the_pipeline_needs_a_reason(state):
    mentor = MentorFactory(state=MentorState.APPLIED)
    with pytest.raises(InvalidTransition, match="reason"):
        services.transition_person(mentor, state, acting_user=UserFactory(), reason="  ")


def test_create_person_logs_first_state():
    user = UserFactory()
    programme = ProgrammeFactory()
    mentee = services.create_person(
        Mentee,
        programme,
        acting_user=user,
        first_name="Awa",
        last_name="Diallo",
        place="fr-commune:59350",
    )
    assert mentee.state == MenteeState.APPLIED
    assert mentee.waiting_since is not None
    assert list(mentee.transitions.values_list("from_state", "to_state")) == [("", "applied")]


def test_attendance_moves_people_one_step():
    user = UserFactory()
    programme = ProgrammeFactory()
    applied, later = (
        MentorFactory(programme=programme),
        MentorFactory(programme=programme, state=MentorState.INTERVIEWED),
    )
    info = SessionFactory(programme=programme, kind=SessionKind.INFORMATION)
    services.record_attendance(info, acting_user=user, mentors=[applied, later])
    assert Mentor.objects.get(pk=applied.pk).state == MentorState.INFORMED
    assert Mentor.objects.get(pk=later.pk).state == MentorState.INTERVIEWED  # untouched
    training = SessionFactory(programme=programme, kind=SessionKind.TRAINING)
    services.record_attendance(training, acting_user=user, mentors=[later])
    assert Mentor.objects.get(pk=later.pk).state == MentorState.TRAINED


def test_attendance_refuses_wrong_audience_and_programme():
    user = UserFactory()
    info = SessionFactory(kind=SessionKind.INFORMATION)
    with pytest.raises(ValidationError):
        services.record_attendance(
            info, acting_user=user, mentees=[MenteeFactory(programme=info.programme)]
        )
    with pytest.raises(ValidationError):
        services.record_attendance(info, acting_user=user, mentors=[MentorFactory()])


def _grid(programme, side="mentee"):
    return [
        CriterionFactory(programme=programme, side=side, label="Available", is_required=True),
        CriterionFactory(programme=programme, side=side, label="Has a project", is_required=False),
    ]


def test_interview_keep_moves_to_interviewed_and_stores_answers():
    user = UserFactory()
    mentee = MenteeFactory(state=MenteeState.PRESENTED)
    required, optional = _grid(mentee.programme)
    interview = services.record_interview(
        mentee,
        acting_user=user,
        held_on=datetime.date(2026, 11, 2),
        decision=InterviewDecision.KEEP,
        answers={required: (True, ""), optional: (False, "to build")},
    )
    assert Mentee.objects.get(pk=mentee.pk).state == MenteeState.INTERVIEWED
    assert {(a.criterion.label, a.met) for a in interview.answers.all()} == {
        ("Available", True),
        ("Has a project", False),
    }


def test_interview_cannot_keep_when_required_criterion_unmet():
    mentee = MenteeFactory(state=MenteeState.PRESENTED)
    required, optional = _grid(mentee.programme)
    with pytest.raises(ValidationError, match="Available"):
        services.record_interview(
            mentee,
            acting_user=UserFactory(),
            held_on=datetime.date(2026, 11, 2),
            decision=InterviewDecision.KEEP,
            answers={required: (False, ""), optional: (True, "")},
        )
    assert not mentee.interviews.exists()


def test_interview_reject_and_incomplete_grid():
    mentor = MentorFactory(state=MentorState.INFORMED)
    (crit,) = [CriterionFactory(programme=mentor.programme, side="mentor", label="Motivated")]
    with pytest.raises(ValidationError, match="Motivated"):
        services.record_interview(
            mentor,
            acting_user=UserFactory(),
            held_on=datetime.date(2026, 11, 2),
            decision=InterviewDecision.KEEP,
            answers={},
        )
    services.record_interview(
        mentor,
        acting_user=UserFactory(),
        held_on=datetime.date(2026, 11, 2),
        decision=InterviewDecision.REJECT,
        answers={crit: (False, "")},
    )
    mentor.refresh_from_db()
    assert mentor.state == MentorState.REJECTED
    assert mentor.transitions.get().reason == "Motivated"
