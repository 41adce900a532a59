"""``apply_transitions_bulk``: the same checks and rows as ``apply_transition`` one by one."""

import pytest
from django.db import transaction

from binome.core.models import ActivityLog
from binome.core.statemachine import (
    ConcurrentTransition,
    InvalidTransition,
    Summary,
    apply_transition,
    apply_transitions_bulk,
)
from binome.registrations.enums import (
    ATTEMPT_GUARDS,
    ATTEMPT_TRANSITIONS,
    REGISTRATION_TRANSITIONS,
    AttemptOutcome,
    RegistrationState,
)
from binome.registrations.models import (
    Registration,
    RegistrationTransition,
    RoutingAttempt,
    RoutingAttemptTransition,
)
from tests.factories import OrganisationFactory, UserFactory
from tests.registrations.factories import RegistrationFactory

pytestmark = pytest.mark.django_db

LABELS = dict(RegistrationState.choices)
COMMON = {
    "transitions": REGISTRATION_TRANSITIONS,
    "labels": LABELS,
    "log_model": RegistrationTransition,
}


class Rollback(Exception):
    pass


def written(registrations):
    """The rows a transition writes about these requests, without ids and times."""
    ids = [r.pk for r in registrations]
    rows = Registration.objects.filter(pk__in=ids).order_by("pk")
    state = list(rows.values_list("pk", "state", "queue_owner", "routing_reason"))
    logs = RegistrationTransition.objects.filter(subject__in=ids).order_by("subject", "id")
    transitions = list(logs.values_list("subject", "from_state", "to_state", "reason", "by"))
    journal = ActivityLog.objects.filter(
        object_type="registrations.registration", object_id__in=ids
    ).order_by("object_id", "id")
    activity = list(journal.values_list("object_id", "verb", "organisation", "actor", "data"))
    changed = list(rows.values_list("state_changed_at", "updated_at"))
    return state, transitions, activity, changed


def one_by_one_then_rollback(registrations, owner, user):
    try:
        with transaction.atomic():
            for registration in Registration.objects.filter(pk__in=[r.pk for r in registrations]):
                registration.queue_owner = owner
                registration.routing_reason = f"r{registration.pk}"
                apply_transition(
                    registration,
                    RegistrationState.QUEUED,
                    **COMMON,
                    acting_user=user,
                    reason=f"because {registration.pk}",
                    update_fields=["queue_owner", "routing_reason"],
                    organisation=owner,
                    source="test",
                )
            found = written(registrations)
            raise Rollback
    except Rollback:
        return found


def test_bulk_writes_the_same_rows_as_one_by_one():
    owner = OrganisationFactory()
    user = UserFactory()
    registrations = RegistrationFactory.create_batch(4)
    before = {r.pk: (r.state_changed_at, r.updated_at) for r in registrations}
    expected = one_by_one_then_rollback(registrations, owner, user)
    objs = list(Registration.objects.filter(pk__in=[r.pk for r in registrations]))
    for obj in objs:
        obj.queue_owner_id = owner.pk
        obj.routing_reason = f"r{obj.pk}"
    moved = apply_transitions_bulk(
        Registration,
        objs,
        RegistrationState.QUEUED,
        **COMMON,
        acting_user=user,
        reason=lambda obj: f"because {obj.pk}",
        update_fields=["queue_owner", "routing_reason"],
        organisation=owner.pk,
        source="test",
    )
    assert moved == 4
    found = written(registrations)
    assert found[:3] == expected[:3]
    # The state's time and updated_at move as one by one (one time for the whole batch).
    assert all(
        changed > before[r.pk][0] for r, (changed, _u) in zip(registrations, found[3], strict=False)
    )
    assert len({row for row in found[3]}) == 1
    assert {obj.state for obj in objs} == {RegistrationState.QUEUED}


def test_a_refused_object_stops_everything():
    ok = RegistrationFactory()
    closed = RegistrationFactory(state=RegistrationState.CLOSED)
    with pytest.raises(InvalidTransition):
        apply_transitions_bulk(
            Registration,
            [ok, closed],
            RegistrationState.QUEUED,
            **COMMON,
            acting_user=None,
        )
    assert not RegistrationTransition.objects.exists()
    ok.refresh_from_db()
    assert ok.state == RegistrationState.RECEIVED


def test_the_guards_are_checked_for_each_object():
    registration = RegistrationFactory()
    organisation = OrganisationFactory()
    attempts = [
        RoutingAttempt.objects.create(registration=registration, organisation=organisation),
    ]
    attempts[0].decline_reason = ""
    with pytest.raises(InvalidTransition) as error:
        apply_transitions_bulk(
            RoutingAttempt,
            attempts,
            AttemptOutcome.DECLINED,
            transitions=ATTEMPT_TRANSITIONS,
            labels=dict(AttemptOutcome.choices),
            log_model=RoutingAttemptTransition,
            acting_user=None,
            guards=ATTEMPT_GUARDS,
            field="outcome",
            changed_at_field=None,
            update_fields=["decline_reason"],
        )
    assert error.value.code == "reason_required"
    attempts[0].decline_reason = "full"
    apply_transitions_bulk(
        RoutingAttempt,
        attempts,
        AttemptOutcome.DECLINED,
        transitions=ATTEMPT_TRANSITIONS,
        labels=dict(AttemptOutcome.choices),
        log_model=RoutingAttemptTransition,
        acting_user=None,
        guards=ATTEMPT_GUARDS,
        field="outcome",
        changed_at_field=None,
        update_fields=["decline_reason"],
    )
    row = RoutingAttempt.objects.get()
    assert (row.outcome, row.decline_reason) == ("declined", "full")
    assert RoutingAttemptTransition.objects.get().from_state == "pending"


def test_a_row_moved_meanwhile_rolls_back():
    registration = RegistrationFactory()
    stale = Registration.objects.get(pk=registration.pk)
    Registration.objects.filter(pk=registration.pk).update(state=RegistrationState.QUEUED)
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        apply_transitions_bulk(
            Registration, [stale], RegistrationState.ROUTED, **COMMON, acting_user=None
        )


def test_summary_journal_is_one_row_per_organisation():
    a, b = OrganisationFactory(), OrganisationFactory()
    registrations = RegistrationFactory.create_batch(3)
    owners = {registrations[0].pk: a.pk, registrations[1].pk: a.pk, registrations[2].pk: b.pk}
    apply_transitions_bulk(
        Registration,
        registrations,
        RegistrationState.QUEUED,
        **COMMON,
        acting_user=None,
        summary=Summary("batch_routed", lambda obj: owners[obj.pk]),
    )
    rows = ActivityLog.objects.filter(verb="batch_routed")
    assert sorted(rows.values_list("organisation", "object_id", "data")) == sorted(
        [
            (a.pk, a.pk, {"to_state": "queued", "requests": 2}),
            (b.pk, b.pk, {"to_state": "queued", "requests": 1}),
        ]
    )
    assert not ActivityLog.objects.filter(verb="transition").exists()
    assert RegistrationTransition.objects.count() == 3
