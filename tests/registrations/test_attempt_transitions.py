"""Every change of an attempt's answer goes through ``ATTEMPT_TRANSITIONS`` (field ``outcome``)
with its transition row and journal row."""

import datetime

import pytest
from django.utils import timezone

from binome.core.models import ActivityLog
from binome.core.statemachine import InvalidTransition
from binome.registrations import services
from binome.registrations.enums import AttemptOutcome
from binome.registrations.models import RoutingAttempt, RoutingAttemptTransition
from binome.registrations.services.transitions import _attempt_transition
from tests.registrations.factories import FederationFactory, member_with_offer, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def federation():
    return FederationFactory()


def history(attempt):
    rows = RoutingAttemptTransition.objects.filter(subject=attempt).order_by("id")
    return list(rows.values_list("from_state", "to_state", "by"))


def journal(attempt):
    rows = ActivityLog.objects.for_object(attempt).filter(verb="transition")
    return [(r.organisation_id, r.actor_id, r.data) for r in rows]


def test_accept_is_a_logged_transition(federation):
    member, _, membership = member_with_offer(federation)
    registration = services.route_registration(submit())
    attempt = registration.attempts.get()
    services.accept(registration, organisation=member, acting_user=membership.user)
    attempt.refresh_from_db()
    assert attempt.outcome == AttemptOutcome.ACCEPTED
    assert attempt.answered_by == membership.user
    assert attempt.answered_at
    assert history(attempt) == [("pending", "accepted", membership.user.pk)]
    data = {"from_state": "pending", "to_state": "accepted", "registration": registration.pk}
    assert journal(attempt) == [(member.pk, membership.user.pk, data)]
    assert attempt.transitions.get().to_label == AttemptOutcome.ACCEPTED.label


def test_decline_time_out_and_withdraw_are_logged_transitions(federation):
    a, _, ma = member_with_offer(federation, departments=["59"])
    b, _, _ = member_with_offer(federation, departments=[])
    c, _, _ = member_with_offer(federation, departments=[])
    registration = services.route_registration(submit())
    first = registration.attempts.get(organisation=a)
    registration = services.decline(
        registration, organisation=a, acting_user=ma.user, reason="full"
    )
    first.refresh_from_db()
    assert (first.outcome, first.decline_reason) == (AttemptOutcome.DECLINED, "full")
    assert history(first) == [("pending", "declined", ma.user.pk)]
    assert first.transitions.get().reason  # the reason's label

    second = registration.attempts.get(outcome=AttemptOutcome.PENDING)
    later = second.routed_at + datetime.timedelta(days=30)
    registration = services.time_out(second, now=later)
    second.refresh_from_db()
    assert (second.outcome, second.answered_at) == (AttemptOutcome.TIMED_OUT, later)
    assert history(second) == [("pending", "timed_out", None)]

    third = registration.attempts.get(outcome=AttemptOutcome.PENDING)
    services.withdraw(registration, reason="found one")
    third.refresh_from_db()
    assert third.outcome == AttemptOutcome.CANCELLED
    assert third.answered_at
    assert history(third) == [("pending", "cancelled", None)]
    assert {o for o, _a, _d in journal(third)} == {third.organisation_id}
    assert {first.organisation_id, second.organisation_id, third.organisation_id} == {
        a.pk,
        b.pk,
        c.pk,
    }


def test_an_answered_attempt_cannot_change_again(federation):
    member, _, membership = member_with_offer(federation)
    registration = services.route_registration(submit())
    services.accept(registration, organisation=member, acting_user=membership.user)
    attempt = RoutingAttempt.objects.select_related("organisation").get()
    with pytest.raises(InvalidTransition):
        _attempt_transition(attempt, AttemptOutcome.DECLINED, acting_user=None, at=timezone.now())
    attempt.refresh_from_db()
    assert attempt.outcome == AttemptOutcome.ACCEPTED
    assert len(history(attempt)) == 1


def test_a_decline_needs_a_reason_of_the_list(federation):
    member_with_offer(federation)
    services.route_registration(submit())
    attempt = RoutingAttempt.objects.select_related("organisation").get()
    with pytest.raises(InvalidTransition) as error:
        _attempt_transition(attempt, AttemptOutcome.DECLINED, acting_user=None, at=timezone.now())
    assert error.value.code == "reason_required"
    attempt.refresh_from_db()
    assert attempt.outcome == AttemptOutcome.PENDING
    assert history(attempt) == []
