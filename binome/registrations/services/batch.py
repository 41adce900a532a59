"""Batch routing: every received request at once (``route_pending_batch``)."""

import gc
import time
from dataclasses import dataclass, field, replace

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from binome.registrations import routing
from binome.registrations.enums import RegistrationState
from binome.registrations.models import RoutingAttempt
from binome.registrations.services.batch_reads import _waiting_for_routing
from binome.registrations.services.batch_writes import _write_batch
from binome.registrations.services.route import (
    QueueOwners,
    _only_association,
    _only_association_reason,
)
from binome.registrations.services.specs import (
    _offer_specs,
    _open_offers,
    _with_places,
    describe_choice,
    place_point,
)


@dataclass
class BatchReport:
    """What ``route_pending_batch`` did, and how long each phase took (seconds)."""

    waiting: int = 0
    routed: int = 0
    queued: int = 0
    groups: int = 0
    arcs: int = 0
    emails: int = 0
    load_seconds: float = 0.0
    solve_seconds: float = 0.0
    write_seconds: float = 0.0
    # Where the write goes: requests (``apply_transitions_bulk``: check, UPDATE, log rows =
    # transitions + journal), attempts (insert), e-mails (insert; built in a thread during
    # the writes before), commit (deferred foreign-key checks on PostgreSQL).
    write_parts: dict = field(default_factory=dict)

    @property
    def total_seconds(self):
        return self.load_seconds + self.solve_seconds + self.write_seconds


def route_pending_batch(*, acting_user=None, now=None):
    """Route every received request at once (same selection as ``route_pending``).

    Same end state as ``route_registration`` for each request — state, association, offer,
    reason, attempt, transition, activity log, e-mails — but read in a constant number of
    queries, solved as one transportation problem (``routing.solve_batch``: maximum number
    routed, then best total score, places never exceeded) and written in bulk in one
    transaction: the requests move through the same transition table as one by one
    (``transitions._transition_bulk``, ``core.statemachine.apply_transitions_bulk``).
    Differences: the reason shows the places left when the batch started; e-mails are left
    queued in the outbox for ``manage.py send_queued_emails`` (no task per e-mail).
    Idempotent: only "received" rows are read (locked) and updated.
    """
    # Hundreds of thousands of small objects and no cycles: the cyclic garbage collector
    # would only walk them again and again (up to a second per phase).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _route_pending_batch(acting_user=acting_user, now=now)
    finally:
        if collecting:
            gc.enable()


def _route_pending_batch(*, acting_user, now):
    now = now or timezone.now()
    report = BatchReport()
    user = acting_user if acting_user and acting_user.is_authenticated else None
    clock = time.perf_counter()
    with transaction.atomic():
        waiting = _waiting_for_routing()
        report.waiting = len(waiting)
        if not waiting:
            report.load_seconds = time.perf_counter() - clock
            return report
        asked = {}
        rows = RoutingAttempt.objects.filter(registration__state=RegistrationState.RECEIVED)
        for registration_id, organisation_id in rows.values_list(
            "registration_id", "organisation_id"
        ):
            asked.setdefault(registration_id, set()).add(organisation_id)
        if connection.features.has_select_for_update:
            # Places are counted under the offers' locks, as ``route_registration`` does.
            list(_open_offers(now).select_for_update(of=("self",)).values_list("pk", flat=True))
        offers = list(
            _with_places(_open_offers(now)).annotate(
                federation_id=F("programme__organisation__federation_id")
            )
        )
        specs = _offer_specs(offers, now)
        offer_federation = {o.pk: o.federation_id for o in offers}
        only = None
        if any(r.federation_id is None for r in waiting):
            only = _only_association()
        place_of, sets = {}, {}

        def spec_for(registration):
            # As ``request_spec``, with the place resolved once per place and the sets shared.
            found = place_of.get(registration.place)
            if found is None:
                found = place_of[registration.place] = place_point(registration.place)
            publics = sets.get(registration.publics)
            if publics is None:
                publics = sets[registration.publics] = frozenset(registration.publics)
            kinds = sets.get(registration.kinds)
            if kinds is None:
                kinds = sets[registration.kinds] = frozenset(registration.kinds)
            return routing.RequestSpec(
                side=registration.side,
                place_key=registration.place,
                department=found[0],
                lat=found[1],
                lon=found[2],
                age=registration.age,
                situation=registration.situation,
                publics=publics,
                kinds=kinds,
                excluded_organisations=frozenset(asked.get(registration.pk, ())),
            )

        by_federation = {}
        for registration in waiting:
            by_federation.setdefault(registration.federation_id, []).append(registration)
        report.load_seconds = time.perf_counter() - clock

        clock = time.perf_counter()
        remaining = {s.id: s.remaining for s in specs}
        routed = []  # (registration, organisation id, offer id or None, reason, score)
        queued = []  # (registration, queue owner id or None)
        owners = QueueOwners()
        # Federations one after the other (usually one); places taken are carried over.
        for federation_id in sorted(by_federation, key=lambda f: (f is None, f or 0)):
            members = by_federation[federation_id]
            candidates = [
                replace(s, remaining=remaining[s.id])
                for s in specs
                if federation_id is None or offer_federation[s.id] == federation_id
            ]
            by_id = {s.id: s for s in candidates}
            rank_count = {}
            for s in candidates:
                rank_count[s.side] = rank_count.get(s.side, 0) + 1
            requests = [spec_for(r) for r in members]
            choice_cache, reasons = {}, {}  # per federation: scores use its places left
            result = routing.solve_batch(requests, candidates)
            report.groups += result.groups
            report.arcs += result.arcs
            for registration, request, offer_id in zip(
                members, requests, result.assignments, strict=True
            ):
                if offer_id is None:
                    excluded = asked.get(registration.pk, ())
                    if federation_id is None and only is not None and only.pk not in excluded:
                        reason = _only_association_reason()
                        routed.append((registration, only.pk, None, reason, 0))
                    else:
                        owner = owners(
                            federation_id, registration.side, registration.place, excluded
                        )
                        queued.append((registration, owner))
                    continue
                remaining[offer_id] -= 1
                # The score depends on the offer, the place, the publics and the kinds only.
                key = (offer_id, request.place_key, request.publics, request.kinds)
                described = choice_cache.get(key)
                if described is None:
                    choice = routing.rank([by_id[offer_id]], request)[0]
                    reason_key = (offer_id, choice.territory, choice.shared_publics)
                    reason_key += (choice.kind_match,)
                    reason = reasons.get(reason_key)
                    if reason is None:
                        reason = describe_choice(choice, rank_count=rank_count[request.side])
                        reasons[reason_key] = reason
                    described = choice_cache[key] = (reason, choice.score)
                offer = by_id[offer_id]
                routed.append((registration, offer.organisation_id, offer_id, *described))
        report.routed, report.queued = len(routed), len(queued)
        report.solve_seconds = time.perf_counter() - clock

        clock = time.perf_counter()
        report.emails = _write_batch(routed, queued, user=user, now=now, parts=report.write_parts)
        commit = time.perf_counter()
    report.write_parts["commit"] = time.perf_counter() - commit
    # The commit (deferred foreign-key checks on PostgreSQL) is part of the write.
    report.write_seconds = time.perf_counter() - clock
    return report
