"""The demo-data command: every state present, the rules of the domain kept, idempotent."""

import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Q
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from binome.core.models import ActivityLog
from binome.demo import domains as demo
from binome.demo.builder import delete_demo
from binome.demo.data import NO_TASKS, PASSWORD, ROOT_EMAIL, STAFF
from binome.demo.data_federation import FEDERATION, FEDERATION_LOGIN
from binome.matching import services
from binome.matching.enums import RunFailure, RunState
from binome.matching.models import MatchExclusion, MatchingRun, MentorOffer
from binome.meetings.enums import MeetingState
from binome.meetings.models import Meeting
from binome.notifications.models import OutboxEmail, OutboxState
from binome.organisations.enums import OrganisationKind
from binome.organisations.models import Organisation
from binome.pairs.enums import LIVE_STATES, PairState
from binome.pairs.models import Pair, PairTransition
from binome.people.enums import MenteeState, MentorState
from binome.people.models import Mentee, MenteeTransition, Mentor, MentorTransition, Session
from binome.plans.models import Action, Intake
from binome.portal.models import ProblemReport
from binome.registrations.enums import (
    OPEN_STATES,
    AttemptOutcome,
    ConsentKind,
    RegistrationKind,
    RegistrationState,
)
from binome.registrations.models import Offer, Registration, RepeatSubmission, RoutingAttempt

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
        Registration.objects.count(),
        RoutingAttempt.objects.count(),
        MatchingRun.objects.count(),
    )


def signature():
    """What the demo's routing and matching came to, for comparing two builds."""
    registrations = [
        (
            r.kind,
            r.first_name,
            r.state,
            [(a.organisation.slug, a.outcome) for a in r.attempts.order_by("routed_at", "id")],
        )
        for r in Registration.objects.order_by("created_at", "first_name")
    ]
    runs = [
        (run.state, run.proposals.count(), run.offers.filter(answered_at__isnull=True).count())
        for run in MatchingRun.objects.order_by("created_at")
    ]
    return registrations, runs


def assert_consistent():
    """The invariants of the domain hold in the demo data."""
    assert set(Mentor.objects.values_list("state", flat=True)) == set(MentorState.values)
    assert set(Mentee.objects.values_list("state", flat=True)) == set(MenteeState.values)
    assert set(Pair.objects.values_list("state", flat=True)) == set(PairState.values)

    live = Q(pairs__state__in=LIVE_STATES)
    for mentor in Mentor.objects.select_related("programme").annotate(n=Count("pairs", live)):
        assert mentor.n <= min(mentor.capacity, mentor.programme.max_mentees_per_mentor)
    assert not Mentee.objects.annotate(n=Count("pairs", live)).filter(n__gt=1).exists()
    # In a pair means matched, and the other way round; after it, alumni or back to ready.
    after = {MentorState.READY, MentorState.MATCHED, MentorState.ALUMNI, MentorState.WITHDRAWN}
    for pair in Pair.objects.select_related("mentor", "mentee"):
        assert pair.mentor.programme_id == pair.programme_id == pair.mentee.programme_id
        assert pair.mentor.state in after
        assert pair.mentee.state in after
        if pair.state in LIVE_STATES:
            assert pair.mentor.state == MentorState.MATCHED
            assert pair.mentee.state == MenteeState.MATCHED
        if pair.state == PairState.CLOSED:
            assert pair.mentee.state in (MenteeState.ALUMNI, MenteeState.WITHDRAWN)
    for model in (Mentor, Mentee):
        matched = model.objects.filter(state="matched")
        assert not matched.exclude(pairs__state__in=LIVE_STATES).exists()
        in_pair = model.objects.filter(pairs__state__in=LIVE_STATES)
        assert set(in_pair.values_list("state", flat=True)) == {"matched"}
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
    # Every meeting state is shown.
    assert set(Meeting.objects.values_list("state", flat=True)) == set(MeetingState.values)
    # The active pairs' in-take and action plans.
    assert Intake.objects.exists()
    assert Action.objects.values("state").distinct().count() >= 3
    # Problems reported from the portal, one still open for the dashboard, one handled.
    assert ProblemReport.objects.open().count() == 1
    assert ProblemReport.objects.filter(handled_at__isnull=False).count() == 1
    assert_consistent()


def test_logins_work(client):
    output = seed("--small")
    for email in [s[0] for s in STAFF] + [email for email, _what in demo.LOGINS]:
        assert client.login(email=email, password=PASSWORD), email
        client.logout()
    root = get_user_model().objects.get(email=ROOT_EMAIL)
    assert root.is_superuser
    assert client.login(email=ROOT_EMAIL, password=PASSWORD)
    client.logout()
    # The portal: a mentee who has a pair to answer and a mentor of an active pair.
    portal_logins = output.split("Portal (/m/", 1)[1].split("\n")[1:3]
    assert len(portal_logins) == 2
    for line in portal_logins:
        assert client.login(email=line.strip(), password=PASSWORD), line
        assert client.get("/m/").status_code == 200
        client.logout()


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
    before, same = counts(), signature()
    old_org = Organisation.objects.get(slug="passerelles").pk
    old_federation = Organisation.objects.get(slug=FEDERATION["slug"]).pk
    seed("--small", "--reset")
    assert counts() == before
    assert signature() == same
    assert Organisation.objects.get(slug="passerelles").pk != old_org
    assert Organisation.objects.get(slug=FEDERATION["slug"]).pk != old_federation
    assert_consistent()


def test_delete_removes_the_federation_demo_too():
    seed("--small")
    delete_demo()
    assert not Organisation.objects.exists()
    assert not Registration.objects.exists()
    assert not Offer.objects.exists()
    assert not MatchingRun.objects.exists()
    assert not get_user_model().objects.exists()


def test_places_are_known():
    places = pytest.importorskip("binome.geo.places")
    seed("--small")
    keys = set(Mentor.objects.values_list("place", flat=True))
    keys |= set(Mentee.objects.values_list("place", flat=True))
    assert keys
    assert all(places.resolve(key) is not None for key in keys)


# --- the federation and its routing ----------------------------------------------------------


@pytest.fixture
def small_demo(django_capture_on_commit_callbacks):
    # What the command's commit runs (task ids set, nothing delivered: the dummy backend).
    with override_settings(TASKS=NO_TASKS), django_capture_on_commit_callbacks(execute=True):
        return seed("--small")


def test_federation_has_members_with_offers(small_demo):
    federation = Organisation.objects.get(slug=FEDERATION["slug"])
    assert federation.kind == OrganisationKind.FEDERATION
    members = set(federation.members.values_list("slug", flat=True))
    assert {"passerelles", "duo-avenir", "tandem-littoral"} <= members
    for member in federation.members.all():
        sides = set(
            Offer.objects.filter(programme__organisation=member).values_list("side", flat=True)
        )
        assert sides == {"mentee", "mentor"}, member.slug
    assert FEDERATION_LOGIN in small_demo
    assert "Registrations (" in small_demo
    assert "Matching runs (3)" in small_demo


def test_registrations_in_every_routing_state(small_demo):
    federation = Organisation.objects.get(slug=FEDERATION["slug"])
    registrations = Registration.objects.all()
    assert set(registrations.values_list("federation", flat=True)) == {federation.pk}
    assert set(registrations.values_list("state", flat=True)) == set(RegistrationState.values)
    assert set(registrations.values_list("kind", flat=True)) == set(RegistrationKind.values)
    attempts = RoutingAttempt.objects.all()
    assert set(attempts.values_list("outcome", flat=True)) == set(AttemptOutcome.values)
    S, A = RegistrationState, AttemptOutcome

    def having(outcome, state):
        return registrations.filter(attempts__outcome=outcome, state=state).distinct()

    # Offered and waiting for the association's answer.
    assert having(A.PENDING, S.ROUTED).filter(attempts__outcome=A.PENDING).exists()
    # The reminders job reminded the associations slow to answer (day 3, then day 6).
    assert attempts.filter(outcome=A.PENDING, reminders_sent__gte=1).exists()
    assert attempts.filter(outcome=A.TIMED_OUT, reminders_sent=2).exists()
    assert OutboxEmail.objects.filter(category="registration_reminder", state="sent").exists()
    # Declined (with a reason) or unanswered in time, then sent at once to another member.
    for outcome in (A.DECLINED, A.TIMED_OUT):
        rerouted = having(outcome, S.ROUTED) | having(outcome, S.ACCEPTED)
        rerouted |= having(outcome, S.CONTACTED)
        assert rerouted.exists(), outcome
        for registration in rerouted:
            first, second = registration.attempts.order_by("routed_at", "id")[:2]
            assert first.outcome == outcome
            assert second.organisation_id != first.organisation_id
            assert second.routed_at >= first.answered_at
    assert not attempts.filter(outcome=A.DECLINED, decline_reason="").exists()
    # Queued, sent on by the federation team, closed from the queue.
    assert registrations.filter(state=S.QUEUED, organisation__isnull=True).exists()
    fed_user = get_user_model().objects.get(email=FEDERATION_LOGIN)
    assert attempts.filter(routed_by=fed_user, outcome=A.ACCEPTED).exists()
    closed = registrations.get(state=S.CLOSED)
    assert closed.transitions.filter(from_state=S.QUEUED, by=fed_user).exists()
    # Taken in charge: a candidate in the association's pipeline, then first contact.
    for registration in registrations.filter(state__in=[S.ACCEPTED, S.CONTACTED]):
        person = registration.mentee or registration.mentor
        if registration.kind == RegistrationKind.COMPANY:
            assert person is None
        else:
            assert person.programme.organisation_id == registration.organisation_id
    assert registrations.filter(state=S.CONTACTED, contacted_at__isnull=False).exists()
    # Withdrawn by the registrant (no staff user), once after being taken in charge.
    withdrawn = registrations.filter(state=S.WITHDRAWN)
    assert not withdrawn.filter(transitions__to_state=S.WITHDRAWN, transitions__by__isnull=False)
    assert withdrawn.filter(mentor__state=MentorState.WITHDRAWN).exists()
    assert attempts.filter(outcome=A.CANCELLED, registration__state=S.WITHDRAWN).exists()


def test_registrations_keep_consents_repeats_and_earlier_requests(small_demo):
    for registration in Registration.objects.prefetch_related("consents"):
        kinds = {c.kind for c in registration.consents.all()}
        assert ConsentKind.PROCESSING in kinds
        if registration.kind == RegistrationKind.REFERRAL:
            assert ConsentKind.YOUNG_PERSON in kinds
        if registration.guardian_consent:
            assert ConsentKind.GUARDIAN in kinds
        assert {c.at for c in registration.consents.all()} == {registration.created_at}
    # The form sent again: new answers wait for the owner, or were applied by them.
    waiting = RepeatSubmission.objects.exclude(answers={}).select_related("registration")
    assert waiting.filter(registration__state__in=sorted(OPEN_STATES)).exists()
    for repeat in waiting:
        assert repeat.submitted_at > repeat.registration.created_at
    applied = ActivityLog.objects.filter(verb="corrected", object_type="registrations.registration")
    assert applied.exists()
    # Back after withdrawing: a new request, linked to the old one.
    again = Registration.objects.get(previous__isnull=False)
    assert again.previous.state == RegistrationState.WITHDRAWN
    assert again.previous.dedup_key == again.dedup_key
    assert again.created_at > again.previous.state_changed_at


def test_registration_histories_are_backdated_and_ordered(small_demo):
    now = timezone.now()
    for registration in Registration.objects.prefetch_related("transitions", "attempts"):
        steps = list(registration.transitions.all())
        moments = [t.at for t in steps]
        assert moments == sorted(moments)
        assert steps[0].from_state == ""
        assert steps[-1].to_state == registration.state
        assert registration.created_at == moments[0]
        assert registration.state_changed_at == moments[-1] <= now
        for attempt in registration.attempts.all():
            assert registration.created_at <= attempt.routed_at <= now
            if attempt.answered_at:
                assert attempt.routed_at <= attempt.answered_at <= now
    oldest = Registration.objects.order_by("created_at").first()
    assert oldest.created_at < now - datetime.timedelta(days=30)
    waiting = Registration.objects.get(state=RegistrationState.RECEIVED)
    assert now - waiting.created_at < datetime.timedelta(hours=2)


def test_federation_login_sees_routing_and_queue(client, small_demo):
    assert client.login(email=FEDERATION_LOGIN, password=PASSWORD)
    federation = Organisation.objects.get(slug=FEDERATION["slug"])
    everything = client.get(reverse("staff:registrations:routing"))
    assert everything.status_code == 200
    newest = Registration.objects.for_federation(federation).order_by("-created_at").first()
    assert f"#{newest.pk}<" in everything.content.decode()
    queue = client.get(reverse("staff:registrations:routing"), {"state": "queued"})
    assert queue.status_code == 200
    page = queue.content.decode()
    queued = Registration.objects.filter(state=RegistrationState.QUEUED)
    assert queued.exists()
    for registration in queued:
        assert f"#{registration.pk}<" in page
    closed = Registration.objects.get(state=RegistrationState.CLOSED)
    assert f"#{closed.pk}<" not in page
    detail = client.get(reverse("staff:registrations:routing_detail", args=[closed.pk]))
    assert detail.status_code == 200
    for name in ("dashboard", "offers"):
        assert client.get(reverse(f"staff:registrations:{name}")).status_code == 200


def test_members_see_the_requests_sent_to_them(client, small_demo):
    assert client.login(email="equipe@tandem-littoral.demo", password=PASSWORD)
    tandem = Organisation.objects.get(slug="tandem-littoral")
    inbox = client.get(reverse("staff:registrations:inbox"))
    assert inbox.status_code == 200
    pending = RoutingAttempt.objects.filter(organisation=tandem, outcome=AttemptOutcome.PENDING)
    assert pending.exists()
    for attempt in pending:
        assert f"#{attempt.registration_id}" in inbox.content.decode()


# --- matching runs --------------------------------------------------------------------------


def test_published_run_with_answered_and_unanswered_proposals(small_demo):
    published = MatchingRun.objects.get(state=RunState.PUBLISHED)
    assert published.published_at
    assert published.published_by
    offers = MentorOffer.objects.filter(run=published).select_related("pair")
    states = {o.pair.state for o in offers}
    assert {PairState.PROPOSED, PairState.MENTOR_ACCEPTED, PairState.MENTOR_DECLINED} <= states
    for offer in offers:
        assert published.published_at <= offer.sent_at
        assert offer.pair.created_at == offer.sent_at
        if offer.pair.state == PairState.PROPOSED:
            assert offer.answered_at is None
            assert offer.reminded_at is not None  # past the reply delay: reminded
        else:
            assert offer.sent_at < offer.answered_at <= timezone.now()
        if offer.pair.state == PairState.MENTOR_DECLINED:
            assert MatchExclusion.objects.filter(
                mentor=offer.pair.mentor, mentee=offer.pair.mentee
            ).exists()
    assert published.proposals.filter(pair__isnull=False).count() == offers.count()
    review = MatchingRun.objects.get(state=RunState.DONE)
    assert review.created_at > published.published_at
    assert not review.offers.exists()
    stuck = MatchingRun.objects.get(state=RunState.QUEUED)
    assert services.stale_runs([stuck]) == {stuck.pk: RunFailure.NOT_STARTED}
    for run in MatchingRun.objects.prefetch_related("transitions"):
        steps = list(run.transitions.all())
        assert steps[-1].to_state == run.state
        assert run.state_changed_at == steps[-1].at


def test_summary_links_open_the_registrant_and_mentor_pages(client, small_demo):
    links = re.findall(r"https?://[^/\s]+(/\S+)", small_demo)
    status = [path for path in links if path.startswith("/suivi/")]
    offer = [path for path in links if path.startswith("/m/proposition/")]
    assert len(status) == 2
    assert len(offer) == 1
    for path in status + offer:
        assert client.get(path).status_code == 200


def test_staff_see_the_runs(client, small_demo, settings):
    # As with ``make run``: the worker's database backend reads the runs' task ids.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for email in ("coordination@passerelles.demo", "bruxelles@passerelles.demo"):
        assert client.login(email=email, password=PASSWORD)
        for run in MatchingRun.objects.all():
            response = client.get(reverse("staff:matching:run", args=[run.pk]))
            assert response.status_code == 200
        assert client.get(reverse("staff:matching:home")).status_code == 200
        client.logout()


def test_partner_login_sees_only_the_mentees_it_referred(client, small_demo):
    assert client.login(email="partenaire@passerelles.demo", password=PASSWORD)
    referrer = Organisation.objects.get(slug="mission-locale-lille")
    referred = Mentee.objects.filter(referred_by=referrer)
    others = Mentee.objects.filter(programme__organisation__slug="passerelles").exclude(
        referred_by=referrer
    )
    assert referred.exists()
    assert others.exists()
    page = client.get(reverse("staff:mentees:list"), {"page": 1}).content.decode()
    listed = {
        m.pk for m in Mentee.objects.all() if reverse("staff:mentees:detail", args=[m.pk]) in page
    }
    assert listed
    assert listed <= set(referred.values_list("pk", flat=True))
    assert client.get(reverse("staff:matching:home")).status_code == 403
