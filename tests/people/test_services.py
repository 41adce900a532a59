import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from binome.core.models import ActivityLog
from binome.core.statemachine import InvalidTransition, guards_for
from binome.pairs.models import Pair
from binome.people import services
from binome.people.enums import (
    MENTEE_GUARDS,
    MENTEE_TRANSITIONS,
    MENTOR_GUARDS,
    MENTOR_TRANSITIONS,
    InterviewDecision,
    MenteeState,
    MentorState,
    SessionKind,
)
from binome.people.models import Attendance, Interview, Mentee, Mentor
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


def _pair(person, state):
    """A pair written directly (no service, no factory hook): only the guards look at it."""
    programme = person.programme
    is_mentor = isinstance(person, Mentor)
    closed = {"exit_reason": "term_reached", "outcome": "unknown"} if state == "closed" else {}
    return Pair.objects.create(
        programme=programme,
        mentor=person if is_mentor else MentorFactory(programme=programme, ready=True),
        mentee=person if not is_mentor else MenteeFactory(programme=programme, ready=True),
        state=state,
        **closed,
    )


def _attended(person, kind):
    session = SessionFactory(programme=person.programme, kind=kind)
    key = "mentor" if isinstance(person, Mentor) else "mentee"
    Attendance.objects.create(session=session, attended=True, **{key: person})


def _kept(person):
    key = "mentor" if isinstance(person, Mentor) else "mentee"
    Interview.objects.create(held_on=datetime.date(2026, 1, 5), decision="keep", **{key: person})


def _block(person, code):
    """Make the guard with ``code`` refuse (most guards refuse by default)."""
    if code == "live_pair":
        _pair(person, "proposed")


def _unblock(person, code):
    """Give the person what the guard with ``code`` needs."""
    if code == "training_incomplete":
        _attended(person, SessionKind.TRAINING)
    elif code == "session_missing":
        kind = SessionKind.INFORMATION if isinstance(person, Mentor) else SessionKind.PRESENTATION
        _attended(person, kind)
    elif code == "interview_missing":
        _kept(person)
    elif code == "no_live_pair":
        _pair(person, "proposed")
    elif code == "live_pair":
        person.pairs.filter(state="proposed").update(state="cancelled")
    elif code == "never_mentored":
        _pair(person, "closed")


def _walk(person, from_state, to_state, transitions, guards):
    """One cell of the matrix: allowed transitions pass once their guards are satisfied (and
    are refused before), forbidden ones are refused; the refusal changes nothing."""
    user = UserFactory()
    if to_state not in transitions[from_state]:
        with pytest.raises(InvalidTransition):
            services.transition_person(person, to_state, acting_user=user, reason="because")
        assert type(person).objects.get(pk=person.pk).state == from_state
        assert not person.transitions.exists()
        return
    codes = {g.code for g in guards_for(guards, from_state, to_state)}
    if codes:
        for code in codes:
            _block(person, code)
        reason = " " if "reason_required" in codes else "because"
        with pytest.raises(InvalidTransition) as refused:
            services.transition_person(person, to_state, acting_user=user, reason=reason)
        assert refused.value.code in codes
        assert type(person).objects.get(pk=person.pk).state == from_state
        assert not person.transitions.exists()
        for code in codes:
            _unblock(person, code)
    services.transition_person(person, to_state, acting_user=user, reason="because")
    person.refresh_from_db()
    assert person.state == to_state
    log = person.transitions.get()
    assert (log.from_state, log.to_state, log.by, log.reason) == (
        from_state,
        to_state,
        user,
        "because",
    )
    assert ActivityLog.objects.for_object(person).filter(verb="transition").count() == 1


@pytest.mark.parametrize(
    ("from_state", "to_state"), list(itertools.product(MentorState.values, repeat=2))
)
def test_mentor_transition_matrix(from_state, to_state):
    mentor = MentorFactory(state=from_state)
    _walk(mentor, from_state, to_state, MENTOR_TRANSITIONS, MENTOR_GUARDS)


@pytest.mark.parametrize(
    ("from_state", "to_state"), list(itertools.product(MenteeState.values, repeat=2))
)
def test_mentee_transition_matrix(from_state, to_state):
    mentee = MenteeFactory(state=from_state)
    _walk(mentee, from_state, to_state, MENTEE_TRANSITIONS, MENTEE_GUARDS)


def test_information_session_gate_cannot_be_skipped():
    """The gate belongs to the transition: the generic step (transition_person) refuses too."""
    mentor = MentorFactory(state=MentorState.APPLIED)
    with pytest.raises(InvalidTransition, match="information session"):
        services.transition_person(mentor, MentorState.INFORMED, acting_user=UserFactory())
    assert Mentor.objects.get(pk=mentor.pk).state == MentorState.APPLIED


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
