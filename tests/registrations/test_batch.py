"""Batch routing in the database (``services.route_pending_batch``) against the per-request
path: same end state, capacity, idempotence, federation queue, outbox, query count.

On purpose the batch journals one row per organisation (not per request) and sends each
association one e-mail with the count (not one per request)."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from binome.core.models import ActivityLog
from binome.notifications.models import OutboxEmail, OutboxState
from binome.organisations.enums import OrganisationKind
from binome.registrations import services
from binome.registrations.enums import AttemptOutcome, RegistrationState
from binome.registrations.models import Registration, RoutingAttempt
from tests.factories import OrganisationFactory
from tests.registrations.factories import (
    FederationFactory,
    RegistrationFactory,
    member_with_offer,
    submit,
)

pytestmark = pytest.mark.django_db

LILLE = "fr-commune:59350"
PARIS = "fr-commune:75056"
MARSEILLE = "fr-commune:13055"
TOKEN = re.compile(r"/suivi/[^/\s]+/")


@pytest.fixture
def federation():
    return FederationFactory()


class Rollback(Exception):
    pass


def snapshot(registrations):
    """Everything routing writes about these requests, comparable across the two paths."""
    result = {}
    for registration in registrations:
        r = Registration.objects.get(pk=registration.pk)
        attempts = list(
            r.attempts.order_by("id").values_list(
                "organisation_id", "offer_id", "reason", "outcome", "routed_by"
            )
        )
        scores = list(r.attempts.order_by("id").values_list("score", flat=True))
        transitions = list(
            r.transitions.order_by("id").values_list("from_state", "to_state", "reason", "by")
        )
        result[r.pk] = {
            "state": r.state,
            "organisation": r.organisation_id,
            "queue_owner": r.queue_owner_id,
            "offer": r.offer_id,
            "reason": r.routing_reason,
            "routed_at": r.routed_at is not None,
            "attempts": attempts,
            "scores": [round(s, 6) for s in scores],
            "transitions": transitions,
        }
    # The association e-mails differ on purpose (one per request, one per batch: below).
    emails = sorted(
        (e.category, e.to, e.organisation_id, e.subject, TOKEN.sub("/suivi/…/", e.body), e.state)
        for e in OutboxEmail.objects.exclude(
            category__in=[
                "registration_received",
                "registration_new_request",
                "registration_new_requests",
            ]
        )
    )
    return result, emails


def per_request_then_rollback(registrations, now):
    try:
        with transaction.atomic():
            assert services.route_pending(now=now)[0] == len(registrations)
            found = snapshot(registrations)
            raise Rollback
    except Rollback:
        return found


def test_batch_routes_like_the_per_request_path(federation):
    near, near_offer, _ = member_with_offer(federation, departments=["59"])
    paris, _, _ = member_with_offer(federation, departments=["75"])
    mentors, _, _ = member_with_offer(federation, departments=[], side="mentor")
    member_with_offer(federation, departments=["59"], situations=["student"])  # public
    # An association without its own address: its editors get the e-mail.
    editors, _, membership = member_with_offer(federation, departments=["62"])
    editors.email = ""
    editors.save()
    now = timezone.now()
    lille = submit(email="lille@example.net", place=LILLE)
    in_paris = submit(email="paris@example.net", place=PARIS, publics=["qpv"])
    mentor = submit("mentor", email="mentor@example.net", place=MARSEILLE)
    nowhere = submit(email="nowhere@example.net", place=MARSEILLE)
    arras = submit(email="arras@example.net", place="fr-commune:62041")
    registrations = [lille, in_paris, mentor, nowhere, arras]

    expected = per_request_then_rollback(registrations, now)
    report = services.route_pending_batch(now=now)
    assert (report.waiting, report.routed, report.queued) == (5, 4, 1)
    assert snapshot(registrations) == expected

    routed, emails = expected
    assert routed[lille.pk]["organisation"] == near.pk
    assert routed[lille.pk]["offer"] == near_offer.pk
    assert routed[in_paris.pk]["organisation"] == paris.pk
    assert routed[mentor.pk]["organisation"] == mentors.pk
    assert routed[arras.pk]["organisation"] == editors.pk
    assert routed[nowhere.pk]["state"] == RegistrationState.QUEUED
    assert routed[nowhere.pk]["transitions"][-1][2]  # the reason is recorded
    # One e-mail per association with the count; to the editors when it has no address.
    digests = OutboxEmail.objects.filter(category="registration_new_requests")
    assert sorted(digests.values_list("to", "organisation_id")) == sorted(
        [
            (near.email, near.pk),
            (paris.email, paris.pk),
            (mentors.email, mentors.pk),
            (membership.user.email, editors.pk),
        ]
    )
    assert all("1 nouvelle demande a été envoyée" in d.body for d in digests)
    # The journal: one row per association reached, one for the federation's queue.
    logs = ActivityLog.objects.filter(verb="batch_routed")
    found = {(o, d["to_state"], d["requests"]) for o, d in logs.values_list("organisation", "data")}
    assert found == {
        (near.pk, "routed", 1),
        (paris.pk, "routed", 1),
        (mentors.pk, "routed", 1),
        (editors.pk, "routed", 1),
        (federation.pk, "queued", 1),
    }
    # The status links are real ones.
    body = OutboxEmail.objects.get(category="registration_routed", to="lille@example.net").body
    token = TOKEN.search(body).group(0).split("/")[2]
    assert services.registration_from_token(token) == lille


def test_rerouted_request_skips_associations_already_asked(federation):
    first, _, _ = member_with_offer(federation, departments=["59"])
    second, _, _ = member_with_offer(federation, departments=[])
    now = timezone.now()
    registration = submit()
    RoutingAttempt.objects.create(
        registration=registration,
        organisation=first,
        routed_at=now - datetime.timedelta(days=8),
        answered_at=now - datetime.timedelta(days=1),
        outcome=AttemptOutcome.DECLINED,
        decline_reason="full",
    )
    Registration.objects.filter(pk=registration.pk).update(
        routed_at=now - datetime.timedelta(days=8)
    )
    expected = per_request_then_rollback([registration], now)
    services.route_pending_batch(now=now)
    assert snapshot([registration]) == expected
    registration.refresh_from_db()
    assert registration.organisation == second
    assert registration.routed_at == now - datetime.timedelta(days=8)


def test_capacity_is_never_exceeded(federation):
    small, offer, _ = member_with_offer(federation, departments=["59"], capacity=3)
    held = submit(email="held@example.net")
    RoutingAttempt.objects.create(registration=held, organisation=small, offer=offer)
    Registration.objects.filter(pk=held.pk).update(
        state=RegistrationState.ROUTED, organisation=small, offer=offer
    )
    for i in range(5):
        submit(email=f"p{i}@example.net")
    report = services.route_pending_batch()
    assert (report.waiting, report.routed, report.queued) == (5, 2, 3)
    holding = RoutingAttempt.objects.filter(offer=offer).holding()
    assert holding.count() == 3 == offer.capacity
    assert Registration.objects.filter(state=RegistrationState.QUEUED).count() == 3


def test_capacity_is_shared_optimally_between_overlapping_offers(federation):
    # Greedy would send the Lille requests to the better local offer and leave Paris empty
    # handed; the batch routes everybody.
    member_with_offer(federation, departments=["59", "75"], capacity=2)
    member_with_offer(federation, departments=["59"], capacity=2)
    for i in range(2):
        submit(email=f"lille{i}@example.net", place=LILLE)
        submit(email=f"paris{i}@example.net", place=PARIS)
    report = services.route_pending_batch()
    assert (report.routed, report.queued) == (4, 0)


def test_batch_is_idempotent(federation):
    member_with_offer(federation, capacity=5)
    for i in range(3):
        submit(email=f"p{i}@example.net")
    first = services.route_pending_batch()
    assert (first.waiting, first.routed) == (3, 3)
    counts = (RoutingAttempt.objects.count(), OutboxEmail.objects.count())
    again = services.route_pending_batch()
    assert (again.waiting, again.routed, again.queued) == (0, 0, 0)
    assert (RoutingAttempt.objects.count(), OutboxEmail.objects.count()) == counts
    assert services.route_pending() == (0, 0)


def test_without_eligible_association_goes_to_the_federation_queue(federation):
    member_with_offer(federation, departments=["75"])
    registration = submit(place=LILLE)
    report = services.route_pending_batch()
    assert (report.routed, report.queued) == (0, 1)
    registration.refresh_from_db()
    assert registration.state == RegistrationState.QUEUED
    assert registration.organisation is None
    email = OutboxEmail.objects.get(category="registration_queued")
    assert email.organisation == federation
    assert email.to == registration.email


def test_single_association_instance_gets_everything():
    only = OrganisationFactory(kind=OrganisationKind.ASSOCIATION, email="only@example.org")
    registration = submit()
    assert registration.federation is None
    expected = per_request_then_rollback([registration], timezone.now())
    services.route_pending_batch()
    assert snapshot([registration])[0] == expected[0]
    registration.refresh_from_db()
    assert registration.organisation == only
    assert registration.offer is None


def test_emails_are_left_queued_in_the_outbox(federation, django_capture_on_commit_callbacks):
    member, _, _ = member_with_offer(federation, departments=["59"])
    member_with_offer(federation, departments=["75"])
    submit(email="a@example.net", place=LILLE)
    submit(email="b@example.net", place=MARSEILLE)
    OutboxEmail.objects.all().delete()
    with django_capture_on_commit_callbacks() as callbacks:
        services.route_pending_batch()
    assert callbacks == []  # no delivery task per e-mail: send_queued_emails delivers them
    rows = set(OutboxEmail.objects.values_list("category", "to", "state"))
    assert rows == {
        ("registration_routed", "a@example.net", OutboxState.QUEUED),
        ("registration_new_requests", member.email, OutboxState.QUEUED),
        ("registration_queued", "b@example.net", OutboxState.QUEUED),
    }
    body = OutboxEmail.objects.get(category="registration_new_requests").body
    assert "a@example.net" not in body
    assert "1 nouvelle demande a été envoyée" in body


def test_each_association_gets_one_email_with_the_count(federation):
    member, _, _ = member_with_offer(federation, departments=["59"], capacity=10)
    for i in range(4):
        submit(email=f"p{i}@example.net", place=LILLE)
    services.route_pending_batch()
    digest = OutboxEmail.objects.get(category="registration_new_requests")
    assert digest.to == member.email
    assert "4 nouvelles demandes ont été envoyées" in digest.body
    assert "4 nouvelles demandes de mentorat" in digest.subject


def _queries_for(federation, n, start):
    for i in range(n):
        submit(email=f"q{start + i}@example.net")
    with CaptureQueriesContext(connection) as queries:
        report = services.route_pending_batch()
    assert report.routed == n
    return len(queries)


def test_query_count_does_not_grow_with_the_requests(federation):
    # Load 6 queries (+1 for the editors' addresses), write 5: one UPDATE per (association,
    # offer, reason) and 2,000 ids, one INSERT per table (PostgreSQL: per 1,000 rows).
    member, _, _ = member_with_offer(federation, capacity=1000)
    member.email = ""  # the e-mail goes to its editors: one more query, whatever the count
    member.save()
    small = _queries_for(federation, 10, 0)
    large = _queries_for(federation, 50, 100)
    assert small == large <= 14


def test_command_prints_counts_and_phases(federation):
    member_with_offer(federation, departments=["59"])
    submit(email="a@example.net", place=LILLE)
    submit(email="b@example.net", place=MARSEILLE)
    out = io.StringIO()
    call_command("route_registrations", "--batch", stdout=out)
    text = out.getvalue()
    assert "2 waiting for routing, 1 sent to an association, 1 to the federation's queue" in text
    for phase in ("load", "group+solve", "write", "total"):
        assert phase in text


def test_places_are_shared_between_a_federation_and_federation_less_requests(federation):
    _, offer, _ = member_with_offer(federation, departments=[], capacity=1)
    OrganisationFactory(kind=OrganisationKind.ASSOCIATION)  # two associations: no fallback
    submit(email="in-federation@example.net")
    loose = RegistrationFactory(federation=None, email="loose@example.net")
    report = services.route_pending_batch()
    assert (report.waiting, report.routed, report.queued) == (2, 1, 1)
    assert RoutingAttempt.objects.filter(offer=offer).count() == 1
    loose.refresh_from_db()
    assert loose.state in {RegistrationState.ROUTED, RegistrationState.QUEUED}


def test_batch_status_tokens_are_django_signer_tokens(monkeypatch):
    monkeypatch.setattr("django.core.signing.time.time", lambda: 1_800_000_000.5)
    registration = RegistrationFactory()
    token = services._status_token_maker()(registration.public_id)
    assert token == services.status_token(registration)
    assert services.registration_from_token(token) == registration
