"""The demo-data command: every state present, the rules of the domain kept, idempotent."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from binome.notifications.models import OutboxEmail, OutboxState
from binome.organisations.models import Organisation
from binome.pairs.enums import LIVE_STATES, PairState
from binome.pairs.models import Pair, PairTransition
from binome.people.enums import MenteeState, MentorState
from binome.people.management.commands.seed_demo import PASSWORD, ROOT_EMAIL, STAFF
from binome.people.models import Mentee, MenteeTransition, Mentor, MentorTransition, Session

pytestmark = pytest.mark.django_db


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return (
        Organisation.objects.count(),
        get_user_model().objects.count(),
        Mentor.objects.count(),
        Mentee.objects.count(),
        Pair.objects.count(),
        Session.objects.count(),
        MentorTransition.objects.count(),
        PairTransition.objects.count(),
    )


def assert_consistent():
    """The invariants of the domain hold in the demo data."""
    assert set(Mentor.objects.values_list("state", flat=True)) == set(MentorState.values)
    assert set(Mentee.objects.values_list("state", flat=True)) == set(MenteeState.values)
    assert set(Pair.objects.values_list("state", flat=True)) == set(PairState.values)

    live = Q(pairs__state__in=LIVE_STATES)
    for mentor in Mentor.objects.select_related("programme").annotate(n=Count("pairs", live)):
        assert mentor.n <= min(mentor.capacity, mentor.programme.max_mentees_per_mentor)
    assert not Mentee.objects.annotate(n=Count("pairs", live)).filter(n__gt=1).exists()
    for pair in Pair.objects.select_related("mentor", "mentee"):
        assert pair.mentor.programme_id == pair.programme_id == pair.mentee.programme_id
        assert pair.mentor.state in (MentorState.READY, MentorState.WITHDRAWN)
        assert pair.mentee.state in (MenteeState.READY, MenteeState.WITHDRAWN)
        if pair.state in LIVE_STATES:
            assert pair.mentor.state == MentorState.READY
            assert pair.mentee.state == MenteeState.READY
        if pair.state in (PairState.ACTIVE, PairState.CLOSED):
            assert pair.started_on
            assert pair.planned_end_on
            assert not pair.missing_signatories()
        if pair.state == PairState.CLOSED:
            assert pair.exit_reason
            assert pair.outcome
            assert pair.closure_type
            assert pair.started_on <= pair.ended_on < timezone.localdate()

    # Real, backdated histories: one log row per state reached, in order, never in the future.
    now = timezone.now()
    for model in (Mentor, Mentee, Pair):
        for obj in model.objects.prefetch_related("transitions"):
            steps = list(obj.transitions.all())
            moments = [t.at for t in steps]
            assert moments == sorted(moments)
            assert steps[-1].to_state == obj.state
            assert obj.state_changed_at == moments[-1] <= now
            assert obj.created_at <= obj.state_changed_at
    assert MenteeTransition.objects.filter(at__lt=now - datetime.timedelta(days=150)).exists()
    assert Pair.objects.filter(
        state=PairState.ACTIVE, started_on__lte=timezone.localdate() - datetime.timedelta(days=150)
    ).exists()
    assert Session.objects.filter(starts_at__gt=now).exists()
    # Nothing left to send.
    assert OutboxEmail.objects.exists()
    assert not OutboxEmail.objects.exclude(state=OutboxState.SENT).exists()


def test_small_demo_has_every_state_and_keeps_the_rules():
    output = seed("--small")
    assert_consistent()
    for email, *_rest in STAFF:
        assert email in output
    assert "Demo data built" in output


def test_full_demo_is_the_default():
    seed()
    assert Mentor.objects.count() >= 180
    assert Mentee.objects.count() >= 230
    assert Pair.objects.count() >= 75
    assert_consistent()


def test_logins_work(client):
    seed("--small")
    for email, *_rest in STAFF:
        assert client.login(email=email, password=PASSWORD), email
        client.logout()
    root = get_user_model().objects.get(email=ROOT_EMAIL)
    assert root.is_superuser
    assert client.login(email=ROOT_EMAIL, password=PASSWORD)


def test_associations_are_isolated():
    seed("--small")
    user_model = get_user_model()
    duo = user_model.objects.get(email="equipe@duo-avenir.demo")
    assert list(Organisation.objects.for_user(duo).values_list("slug", flat=True)) == ["duo-avenir"]
    admin = user_model.objects.get(email="admin@passerelles.demo")
    assert list(Organisation.objects.for_user(admin).values_list("slug", flat=True)) == [
        "passerelles"
    ]
    assert Mentor.objects.for_organisation(Organisation.objects.get(slug="duo-avenir")).exists()


def test_second_run_does_not_duplicate():
    seed("--small")
    before = counts()
    assert "already present" in seed("--small")
    assert counts() == before


def test_reset_rebuilds_the_same_demo():
    seed("--small")
    before = counts()
    old_org = Organisation.objects.get(slug="passerelles").pk
    seed("--small", "--reset")
    assert counts() == before
    assert Organisation.objects.get(slug="passerelles").pk != old_org
    assert_consistent()


def test_places_are_known():
    places = pytest.importorskip("binome.geo.places")
    seed("--small")
    keys = set(Mentor.objects.values_list("place", flat=True))
    keys |= set(Mentee.objects.values_list("place", flat=True))
    assert keys
    assert all(places.resolve(key) is not None for key in keys)
