"""Intake, routing, answers, timeout, reminders, the registrant's own actions."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from binome.core.models import ActivityLog
from binome.notifications.models import OutboxEmail
from binome.people.enums import MenteeState
from binome.people.models import Mentee, Mentor
from binome.registrations import services
from binome.registrations.enums import (
    REGISTRATION_TRANSITIONS,
    AttemptOutcome,
    RegistrationState,
)
from binome.registrations.models import Registration, RoutingAttempt
from tests.factories import OrganisationFactory, ProgrammeFactory, UserFactory
from tests.registrations.factories import (
    FederationFactory,
    OfferFactory,
    member_with_offer,
    submit,
    young_data,
)

pytestmark = pytest.mark.django_db


def categories(to=None):
    qs = OutboxEmail.objects.order_by("id")
    if to:
        qs = qs.filter(to=to)
    return list(qs.values_list("category", flat=True))


@pytest.fixture
def federation():
    return FederationFactory()


def test_every_transition_pair_is_declared():
    for state in RegistrationState.values:
        assert state in REGISTRATION_TRANSITIONS


def test_intake_records_the_request_and_sends_the_status_link(federation):
    registration = submit()
    assert registration.state == RegistrationState.RECEIVED
    assert registration.federation == federation
    assert registration.side == "mentee"
    assert registration.consent_at is not None
    assert "06 12" not in registration.need_redacted
    assert "Awa" not in registration.need_redacted
    email = OutboxEmail.objects.get()
    assert email.category == "registration_received"
    assert email.to == "awa.diallo@example.net"
    # The token is signed with a timestamp: resolve it rather than compare strings.
    token = re.search(r"/suivi/([^/\s]+)/", email.body).group(1)
    assert services.registration_from_token(token) == registration
    log = ActivityLog.objects.for_object(registration).get()
    assert log.verb == "created"
    assert "awa" not in str(log.data).lower()


def test_same_email_same_role_keeps_the_request_and_offers_the_new_answers(federation):
    first = submit()
    again = submit(phone="07 00 00 00 00", need="Autre chose")
    assert again.pk == first.pk
    assert Registration.objects.count() == 1
    again.refresh_from_db()
    assert again.phone == "06 12 34 56 78"  # unchanged until the owner applies the answers
    assert services.pending_answers(again) == {"phone": "07 00 00 00 00", "need": "Autre chose"}
    assert categories() == ["registration_received", "registration_repeated"]
    services.apply_repeat(again)
    again.refresh_from_db()
    assert again.phone == "07 00 00 00 00"
    assert services.pending_answers(again) == {}
    # Same e-mail, other role: a second request.
    services.submit_registration(kind="mentor", data=young_data())
    assert Registration.objects.count() == 2


def test_a_closed_request_is_linked_not_merged(federation):
    first = submit()
    services.withdraw(first)
    second = submit()
    assert second.pk != first.pk
    assert second.previous_id == first.pk


def test_status_token_round_trip_and_forgery():
    registration = submit()
    token = services.status_token(registration)
    assert token.split(":")[0] == registration.public_id.hex
    assert "example" not in token
    assert services.registration_from_token(token) == registration
    assert services.registration_from_token(token + "x") is None
    assert services.registration_from_token("nonsense") is None


def test_routes_to_the_best_eligible_member_and_records_why(federation):
    near, near_offer, _ = member_with_offer(federation, departments=["59"])
    national, _, _ = member_with_offer(federation, departments=[])
    member_with_offer(federation, departments=["75"])  # not eligible: territory
    member_with_offer(federation, departments=["59"], situations=["student"])  # public
    member_with_offer(federation, departments=["59"], side="mentor")  # side
    registration = services.route_registration(submit())
    assert registration.state == RegistrationState.ROUTED
    assert registration.organisation == near
    assert registration.offer == near_offer
    assert "département" in registration.routing_reason
    attempt = RoutingAttempt.objects.get()
    assert attempt.outcome == AttemptOutcome.PENDING
    assert attempt.reason
    assert "registration_routed" in categories("awa.diallo@example.net")
    assert categories(near.email) == ["registration_new_request"]
    # The association's e-mail carries no identity.
    assert "Awa" not in OutboxEmail.objects.get(to=near.email).body


def test_routing_is_idempotent(federation):
    member_with_offer(federation)
    registration = submit()
    services.route_registration(registration)
    services.route_registration(registration)
    assert services.route_pending() == (0, 0)
    assert RoutingAttempt.objects.count() == 1
    assert registration.transitions.count() == 2


def test_capacity_and_period_are_respected(federation):
    full, _, _ = member_with_offer(federation, capacity=1)
    closed, _, _ = member_with_offer(
        federation, ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    first = services.route_registration(submit(email="a@example.net"))
    assert first.organisation == full
    second = services.route_registration(submit(email="b@example.net"))
    assert second.state == RegistrationState.QUEUED
    assert second.organisation is None
    assert "registration_queued" in categories("b@example.net")


def test_response_time_breaks_ties(federation):
    slow, _, _ = member_with_offer(federation)
    fast, _, _ = member_with_offer(federation)
    now = timezone.now()
    for org, days in ((slow, 6), (fast, 1)):
        old = submit(email=f"old-{org.pk}@example.net")
        RoutingAttempt.objects.create(
            registration=old,
            organisation=org,
            routed_at=now - datetime.timedelta(days=10),
            answered_at=now - datetime.timedelta(days=10 - days),
            outcome=AttemptOutcome.DECLINED,
            decline_reason="full",
        )
    assert services.route_registration(submit()).organisation == fast


def test_decline_reroutes_to_the_next_then_to_the_federation_queue(federation):
    a, _, ma = member_with_offer(federation, departments=["59"])
    b, _, mb = member_with_offer(federation, departments=[])
    registration = services.route_registration(submit())
    assert registration.organisation == a
    registration = services.decline(
        registration, organisation=a, acting_user=ma.user, reason="full"
    )
    assert registration.state == RegistrationState.ROUTED
    assert registration.organisation == b
    registration = services.decline(
        registration, organisation=b, acting_user=mb.user, reason="out_of_area"
    )
    assert registration.state == RegistrationState.QUEUED
    outcomes = list(registration.attempts.values_list("outcome", flat=True))
    assert outcomes == ["declined", "declined"]
    with pytest.raises(ValidationError):
        services.decline(registration, organisation=a, acting_user=ma.user, reason="full")
    assert categories("awa.diallo@example.net") == [
        "registration_received",
        "registration_routed",
        "registration_routed",
        "registration_queued",
    ]


def test_decline_needs_a_reason_from_the_list(federation):
    a, _, ma = member_with_offer(federation)
    registration = services.route_registration(submit())
    with pytest.raises(ValidationError):
        services.decline(registration, organisation=a, acting_user=ma.user, reason="bored")


def test_federation_routes_a_queued_request_by_hand(federation):
    registration = services.route_registration(submit())
    assert registration.state == RegistrationState.QUEUED
    member, _, _ = member_with_offer(federation, capacity=0)
    outsider = OrganisationFactory()
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.route_to(registration, outsider, acting_user=user, federation=federation)
    registration = services.route_to(registration, member, acting_user=user, federation=federation)
    assert registration.state == RegistrationState.ROUTED
    assert registration.organisation == member


def test_accept_creates_the_candidate_and_reveals_identity(federation):
    member, offer, membership = member_with_offer(federation)
    registration = services.route_registration(submit())
    registration = services.accept(registration, organisation=member, acting_user=membership.user)
    assert registration.state == RegistrationState.ACCEPTED
    assert registration.accepted_at
    mentee = Mentee.objects.get()
    assert registration.mentee == mentee
    assert (mentee.first_name, mentee.email, mentee.programme) == (
        "Awa",
        "awa.diallo@example.net",
        offer.programme,
    )
    assert mentee.state == MenteeState.APPLIED
    assert mentee.situation == "job_seeker"
    assert mentee.recruitment_channel == "platform"
    verbs = set(ActivityLog.objects.for_object(registration).values_list("verb", flat=True))
    assert "identity_revealed" in verbs
    email = OutboxEmail.objects.filter(category="registration_accepted").get()
    assert member.name in email.subject
    assert member.email in email.body
    with pytest.raises(ValidationError):
        services.accept(registration, organisation=member, acting_user=membership.user)


def test_accept_a_mentor_registration(federation):
    member, _, membership = member_with_offer(federation, side="mentor")
    registration = services.route_registration(submit(kind="mentor", employer="ACME"))
    services.accept(registration, organisation=member, acting_user=membership.user)
    assert Mentor.objects.get().employer == "ACME"


def test_another_association_cannot_accept(federation):
    member_with_offer(federation)
    other, _, om = member_with_offer(federation, departments=["75"])
    registration = services.route_registration(submit())
    with pytest.raises(ValidationError):
        services.accept(registration, organisation=other, acting_user=om.user)


def test_first_contact_is_recorded(federation):
    member, _, membership = member_with_offer(federation)
    registration = services.route_registration(submit())
    services.accept(registration, organisation=member, acting_user=membership.user)
    registration = services.record_first_contact(
        registration, organisation=member, acting_user=membership.user
    )
    assert registration.state == RegistrationState.CONTACTED
    assert registration.contacted_at


def test_reminders_at_day_3_and_6_then_timeout_reroutes(federation):
    a, _, _ = member_with_offer(federation, departments=["59"])
    b, _, _ = member_with_offer(federation, departments=[])
    registration = services.route_registration(submit())
    start = RoutingAttempt.objects.get().routed_at
    assert services.send_reminders(now=start + datetime.timedelta(days=2)) == {
        "reminded": 0,
        "timed_out": 0,
    }
    day3 = start + datetime.timedelta(days=3, hours=1)
    assert services.send_reminders(now=day3)["reminded"] == 1
    assert services.send_reminders(now=day3)["reminded"] == 0  # idempotent
    day6 = start + datetime.timedelta(days=6, hours=1)
    assert services.send_reminders(now=day6)["reminded"] == 1
    assert categories(a.email).count("registration_reminder") == 2
    day7 = start + datetime.timedelta(days=7, hours=1)
    assert services.send_reminders(now=day7)["timed_out"] == 1
    registration.refresh_from_db()
    assert registration.state == RegistrationState.ROUTED
    assert registration.organisation == b
    assert registration.attempts.get(organisation=a).outcome == AttemptOutcome.TIMED_OUT


def test_withdraw_cancels_the_card_and_the_candidate(federation):
    member, _, membership = member_with_offer(federation)
    registration = services.route_registration(submit())
    services.accept(registration, organisation=member, acting_user=membership.user)
    registration = services.withdraw(registration, reason="Found a job")
    assert registration.state == RegistrationState.WITHDRAWN
    assert Mentee.objects.get().state == MenteeState.WITHDRAWN
    assert "registration_withdrawn" in categories()


def test_withdraw_while_routed_cancels_the_pending_attempt(federation):
    member_with_offer(federation)
    registration = services.withdraw(services.route_registration(submit()))
    assert registration.attempts.get().outcome == AttemptOutcome.CANCELLED


def test_correct_before_acceptance_only(federation):
    member, _, membership = member_with_offer(federation)
    registration = services.route_registration(submit())
    services.correct(registration, data={"phone": "07 11 22 33 44", "need": "Call 0711223344"})
    registration.refresh_from_db()
    assert registration.phone == "07 11 22 33 44"
    assert "0711223344" not in registration.need_redacted
    services.accept(registration, organisation=member, acting_user=membership.user)
    with pytest.raises(ValidationError):
        services.correct(registration, data={"phone": "1"})


def test_single_organisation_instance_routes_straight_to_it():
    association = OrganisationFactory()
    ProgrammeFactory(organisation=association)
    registration = services.route_registration(submit())
    assert registration.federation is None
    assert registration.state == RegistrationState.ROUTED
    assert registration.organisation == association


def test_rate_limit_per_email_and_per_address(federation, settings):
    settings.BINOME_REGISTRATION_MAX_PER_EMAIL_PER_DAY = 2
    settings.BINOME_REGISTRATION_MAX_PER_IP_PER_HOUR = 2
    data = young_data()
    assert not services.is_rate_limited(source_ip="10.0.0.1")
    for _ in range(4):  # one request, then repeats: two e-mail the link, the others nothing
        services.submit_registration(kind="young", data=data, source_ip="10.0.0.1")
    assert categories() == ["registration_received", *["registration_repeated"] * 2]
    assert Registration.objects.count() == 1
    assert not services.is_rate_limited(source_ip="10.0.0.1")  # one request created so far
    other = young_data(email="other@example.net")
    services.submit_registration(kind="young", data=other, source_ip="10.0.0.1")
    assert services.is_rate_limited(source_ip="10.0.0.1")
    assert not services.is_rate_limited(source_ip="10.0.0.2")
    settings.BINOME_REGISTRATION_MAX_PER_IP_PER_HOUR = 0
    assert not services.is_rate_limited(source_ip="10.0.0.1")
    assert "10.0.0.1" not in str(list(Registration.objects.values_list("source_hash")))


def test_offer_declared_for_another_side_is_unique_per_programme(federation):
    _, offer, _ = member_with_offer(federation)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        OfferFactory(programme=offer.programme, side="mentee")
