import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from binome.core.statemachine import InvalidTransition
from binome.notifications.models import OutboxEmail
from binome.pairs import services
from binome.pairs.enums import (
    PAIR_GUARDS,
    PAIR_TRANSITIONS,
    ExitReason,
    Outcome,
    PairState,
    Signatory,
)
from binome.pairs.models import Pair, Signature
from binome.people.enums import MenteeState, MentorState
from tests.factories import MenteeFactory, MentorFactory, PairFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in the source language; the views' tests check the French.
    with translation.override("en"):
        yield


def _meet_guard(pair, to_state):
    """Give the pair what the guard of the transition into ``to_state`` needs."""
    today = timezone.localdate()
    if to_state in {PairState.MENTOR_DECLINED, PairState.MENTEE_DECLINED}:
        pair.decline_reason = "distance"
    elif to_state == PairState.FIRST_MEETING:
        pair.first_meeting_on = today
    elif to_state == PairState.CONTRACT_SIGNED:
        for signatory in Signatory.values:
            Signature.objects.create(pair=pair, signatory=signatory, charter_version="1.0")
    elif to_state == PairState.ACTIVE:
        pair.started_on, pair.planned_end_on = today, today + datetime.timedelta(days=180)
    elif to_state == PairState.CLOSED:
        pair.closure_type, pair.exit_reason, pair.outcome = "planned", "term_reached", "unknown"
        pair.ended_on = today
    pair.save()


# Where the people stand once the pair has reached a state (from a live pair).
PEOPLE_AFTER = {
    PairState.MENTOR_DECLINED: (MentorState.READY, MenteeState.READY),
    PairState.MENTEE_DECLINED: (MentorState.READY, MenteeState.READY),
    PairState.CANCELLED: (MentorState.READY, MenteeState.READY),
    PairState.CLOSED: (MentorState.READY, MenteeState.ALUMNI),
}


@pytest.mark.parametrize(
    ("from_state", "to_state"), list(itertools.product(PairState.values, repeat=2))
)
def test_pair_transition_matrix(from_state, to_state):
    user = UserFactory()
    closed = {"exit_reason": "term_reached", "outcome": "unknown"}
    pair = PairFactory(state=from_state, **(closed if from_state == PairState.CLOSED else {}))
    if to_state in PAIR_TRANSITIONS[from_state]:
        if to_state in PAIR_GUARDS:
            # The guard belongs to the transition: without what it needs, no path goes through.
            with pytest.raises(InvalidTransition):
                services.transition_pair(pair, to_state, acting_user=user)
            assert Pair.objects.get(pk=pair.pk).state == from_state
            assert not pair.transitions.exists()
            _meet_guard(pair, to_state)
        services.transition_pair(pair, to_state, acting_user=user, reason="x")
        pair.refresh_from_db()
        assert pair.state == to_state
        log = pair.transitions.get()
        assert (log.from_state, log.to_state, log.by) == (from_state, to_state, user)
        expected = PEOPLE_AFTER.get(to_state, (MentorState.MATCHED, MenteeState.MATCHED))
        assert (pair.mentor.state, pair.mentee.state) == expected
    else:
        with pytest.raises(InvalidTransition):
            services.transition_pair(pair, to_state, acting_user=user)
        assert Pair.objects.get(pk=pair.pk).state == from_state
        assert not pair.transitions.exists()


def test_contract_cannot_be_signed_without_the_signatures():
    pair = PairFactory(state=PairState.FIRST_MEETING, first_meeting_on=timezone.localdate())
    services.record_signature(pair, acting_user=UserFactory(), signatory="mentor")
    with pytest.raises(InvalidTransition, match="three signatures"):
        services.transition_pair(pair, PairState.CONTRACT_SIGNED, acting_user=UserFactory())
    assert Pair.objects.get(pk=pair.pk).state == PairState.FIRST_MEETING


def test_full_journey_through_services(mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory()
    mentor = MentorFactory(ready=True, email="mentor@example.org")
    mentee = MenteeFactory(ready=True, programme=mentor.programme, email="mentee@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        pair = services.propose_pair(mentor, mentee, acting_user=user, note="Same sector")
    assert [m.to for m in mailoutbox] == [["mentor@example.org"]]
    assert OutboxEmail.objects.get().state == "sent"
    services.accept_by_mentor(pair, acting_user=user)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_by_mentee(pair, acting_user=user)
    assert len(mailoutbox) == 3
    services.record_first_meeting(
        pair,
        acting_user=user,
        held_on=timezone.localdate(),
        checklist=["introductions", "commitments"],
    )
    for signatory in ("mentor", "mentee"):
        pair = services.record_signature(pair, acting_user=user, signatory=signatory)
        assert pair.state == PairState.FIRST_MEETING
    pair = services.record_signature(pair, acting_user=user, signatory="organisation")
    assert pair.state == PairState.CONTRACT_SIGNED
    assert {s.charter_version for s in pair.signatures.all()} == {"1.0"}
    pair = services.activate_pair(pair, acting_user=user, started_on=datetime.date(2026, 1, 31))
    assert pair.planned_end_on == datetime.date(2026, 7, 31)
    pair = services.close_pair(
        pair,
        acting_user=user,
        exit_reason=ExitReason.GOAL_ACHIEVED,
        outcome=Outcome.PERMANENT_JOB,
        closure_type="planned",
        ended_on=datetime.date(2026, 7, 1),
    )
    assert pair.state == PairState.CLOSED
    assert pair.is_positive_exit
    assert [t.to_state for t in pair.transitions.all()] == [
        "proposed",
        "mentor_accepted",
        "mentee_accepted",
        "first_meeting",
        "contract_signed",
        "active",
        "closed",
    ]


def test_propose_requires_ready_people_and_free_capacity():
    user = UserFactory()
    mentor = MentorFactory(ready=True, capacity=1)
    mentee = MenteeFactory(programme=mentor.programme, state=MenteeState.SELECTED)
    with pytest.raises(ValidationError, match="not ready"):
        services.propose_pair(mentor, mentee, acting_user=user)
    mentee.state = MenteeState.READY
    mentee.save()
    services.propose_pair(mentor, mentee, acting_user=user)
    other = MenteeFactory(ready=True, programme=mentor.programme)
    with pytest.raises(ValidationError, match="no free place"):
        services.propose_pair(mentor, other, acting_user=user)
    with pytest.raises(ValidationError, match="already has a pair"):
        services.propose_pair(
            MentorFactory(ready=True, programme=mentor.programme), mentee, acting_user=user
        )


def test_capacity_is_the_smaller_of_mentor_and_programme():
    user = UserFactory()
    mentor = MentorFactory(ready=True, capacity=3)
    mentor.programme.max_mentees_per_mentor = 2
    mentor.programme.save()
    for _ in range(2):
        services.propose_pair(
            mentor, MenteeFactory(ready=True, programme=mentor.programme), acting_user=user
        )
    with pytest.raises(ValidationError):
        services.propose_pair(
            mentor, MenteeFactory(ready=True, programme=mentor.programme), acting_user=user
        )


def test_declined_pair_frees_the_mentee():
    user = UserFactory()
    pair = PairFactory()
    with pytest.raises(ValidationError):
        services.decline_by_mentor(pair, acting_user=user, reason="other", note="")
    services.decline_by_mentor(pair, acting_user=user, reason="distance")
    pair.refresh_from_db()
    assert pair.decline_reason == "distance"
    again = services.propose_pair(
        MentorFactory(ready=True, programme=pair.programme), pair.mentee, acting_user=user
    )
    assert again.state == PairState.PROPOSED


def test_first_meeting_checks_and_signature_rules():
    user = UserFactory()
    pair = PairFactory(state=PairState.MENTEE_ACCEPTED)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="future"):
        services.record_first_meeting(pair, acting_user=user, held_on=tomorrow, checklist=[])
    with pytest.raises(InvalidTransition):
        services.record_signature(pair, acting_user=user, signatory="mentor")
    services.record_first_meeting(
        pair, acting_user=user, held_on=timezone.localdate(), checklist=[]
    )
    services.record_signature(pair, acting_user=user, signatory="mentor")
    with pytest.raises(ValidationError, match="already"):
        services.record_signature(pair, acting_user=user, signatory="mentor")


def test_close_requires_reason_and_outcome():
    user = UserFactory()
    pair = PairFactory(state=PairState.ACTIVE, started_on=datetime.date(2026, 5, 1))
    with pytest.raises(ValidationError):
        services.close_pair(
            pair, acting_user=user, exit_reason="nope", outcome="unknown", closure_type="planned"
        )
    with pytest.raises(ValidationError, match="before the start"):
        services.close_pair(
            pair,
            acting_user=user,
            exit_reason="term_reached",
            outcome="unknown",
            closure_type="planned",
            ended_on=datetime.date(2026, 4, 1),
        )
    with pytest.raises(ValidationError, match="say why"):
        services.close_pair(
            pair, acting_user=user, exit_reason="other", outcome="unknown", closure_type="unplanned"
        )


def test_cancel_needs_reason_and_only_open_pairs():
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.cancel_pair(PairFactory(), acting_user=user, reason=" ")
    with pytest.raises(InvalidTransition):
        services.cancel_pair(PairFactory(state=PairState.ACTIVE), acting_user=user, reason="no")
