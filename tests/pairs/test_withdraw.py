import pytest
from django.utils import translation

from binome.notifications.models import OutboxEmail
from binome.pairs import services
from binome.pairs.enums import ClosureType, ExitReason, Outcome, PairState
from binome.people.enums import MenteeState, MentorState
from tests.factories import MembershipFactory, PairFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_withdrawing_a_mentee_cancels_her_proposal_and_tells_the_mentor():
    pair = PairFactory(state=PairState.MENTOR_ACCEPTED)
    staff = MembershipFactory(organisation=pair.programme.organisation).user
    services.withdraw_person(pair.mentee, acting_user=staff, reason="Found a job alone")
    pair.refresh_from_db()
    pair.mentee.refresh_from_db()
    assert pair.state == PairState.CANCELLED
    assert pair.transitions.get().reason == "Found a job alone"
    assert pair.mentee.state == MenteeState.WITHDRAWN
    assert [e.to for e in OutboxEmail.objects.all()] == [pair.mentor.email]


def test_withdrawing_a_mentor_closes_the_active_pair_and_tells_mentee_and_staff():
    pair = PairFactory(state=PairState.ACTIVE)
    services.withdraw_person(pair.mentor, acting_user=None, reason="Moving abroad")
    pair.refresh_from_db()
    pair.mentor.refresh_from_db()
    assert pair.state == PairState.CLOSED
    assert (pair.exit_reason, pair.outcome, pair.closure_type) == (
        ExitReason.MENTOR_WITHDREW,
        Outcome.UNKNOWN,
        ClosureType.UNPLANNED,
    )
    assert pair.ended_on is not None
    assert pair.mentor.state == MentorState.WITHDRAWN
    to = sorted(e.to for e in OutboxEmail.objects.all())
    assert to == sorted([pair.mentee.email, pair.programme.organisation.email])


def test_withdraw_needs_a_reason_and_changes_nothing_without():
    pair = PairFactory(state=PairState.ACTIVE)
    with pytest.raises(Exception, match="reason"):
        services.withdraw_person(pair.mentee, acting_user=UserFactory(), reason=" ")
    pair.refresh_from_db()
    assert pair.state == PairState.ACTIVE


def test_the_other_side_moves_on_and_a_mentee_not_yet_asked_is_not_told():
    proposed = PairFactory(state=PairState.PROPOSED)
    services.withdraw_person(proposed.mentor, acting_user=UserFactory(), reason="No time")
    proposed.mentee.refresh_from_db()
    assert proposed.mentee.state == MenteeState.READY  # back among those waiting
    assert not OutboxEmail.objects.filter(to=proposed.mentee.email).exists()

    active = PairFactory(state=PairState.ACTIVE)
    services.withdraw_person(active.mentee, acting_user=None, reason="Moved")
    active.mentor.refresh_from_db()
    assert active.mentor.state == MentorState.READY  # available for the next mentee
    body = OutboxEmail.objects.get(to=active.mentor.email).body
    assert "l’autre personne a quitté le programme" in body
    staff = OutboxEmail.objects.filter(category="pair_person_withdrew").order_by("id").last()
    assert staff.to == active.programme.organisation.email
    assert str(active) in staff.body


def test_withdrawing_twice_is_refused_and_changes_nothing():
    pair = PairFactory(state=PairState.ACTIVE)
    services.withdraw_person(pair.mentee, acting_user=UserFactory(), reason="Moved")
    with pytest.raises(Exception, match="Cannot go"):
        services.withdraw_person(pair.mentee, acting_user=UserFactory(), reason="Again")
    assert pair.transitions.count() == 1
