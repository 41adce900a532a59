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
