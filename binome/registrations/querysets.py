"""The QuerySets of the registrations' models (what the views and services read)."""

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from binome.pairs.models import Pair
from binome.people.enums import MenteeState, MentorState
from binome.registrations.enums import OPEN_STATES, AttemptOutcome, RegistrationState

# A person who left the pipeline without mentoring gives their routing place back.
MENTEE_EXITS = [MenteeState.NOT_RETAINED, MenteeState.REDIRECTED, MenteeState.WITHDRAWN]
MENTOR_EXITS = [MentorState.REJECTED, MentorState.WITHDRAWN]


class OfferQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        """What a staff member may see: their association's offers, or, for a federation,
        the offers of its member associations."""
        if organisation.kind == "federation":
            return self.filter(
                Q(programme__organisation=organisation)
                | Q(programme__organisation__federation=organisation)
            )
        return self.filter(programme__organisation=organisation)

    def open_on(self, day):
        return self.filter(
            Q(is_active=True),
            Q(starts_on__isnull=True) | Q(starts_on__lte=day),
            Q(ends_on__isnull=True) | Q(ends_on__gte=day),
        )


class RegistrationQuerySet(models.QuerySet):
    def for_federation(self, organisation):
        """What a federation's staff see: requests routed within it, and those in its queue
        (with several federations, a request may have no routing federation)."""
        return self.filter(Q(federation=organisation) | Q(queue_owner=organisation))

    def counted_by(self, organisation):
        """What an association's response-time dashboard counts: the requests it holds, those
        ever routed to it and those in its queue."""
        return self.filter(
            Q(organisation=organisation)
            | Q(attempts__organisation=organisation)
            | Q(queue_owner=organisation)
        ).distinct()

    def in_queue_of(self, organisation):
        return self.filter(state=RegistrationState.QUEUED, queue_owner=organisation)

    def open(self):
        return self.filter(state__in=OPEN_STATES)


class RoutingAttemptQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def pending(self):
        return self.filter(outcome=AttemptOutcome.PENDING)

    def visible(self):
        """What the association may still open: pending or accepted (a declining association
        loses access to the card)."""
        return self.filter(outcome__in=[AttemptOutcome.PENDING, AttemptOutcome.ACCEPTED])

    def holding(self):
        """Attempts that hold a place of their offer: pending ones, and accepted ones unless
        the request was withdrawn or its person left (not retained, redirected, rejected,
        withdrew) before any of their pairs started. A query, not a counter: people and
        pairs never tell registrations anything (they must not import it)."""
        started = Pair.objects.filter(started_on__isnull=False)
        pair_started = Exists(
            started.filter(mentee_id=OuterRef("registration__mentee_id"))
        ) | Exists(started.filter(mentor_id=OuterRef("registration__mentor_id")))
        left = (
            Q(registration__state=RegistrationState.WITHDRAWN)
            | Q(registration__mentee__state__in=MENTEE_EXITS)
            | Q(registration__mentor__state__in=MENTOR_EXITS)
        )
        return self.filter(
            Q(outcome=AttemptOutcome.PENDING)
            | (Q(outcome=AttemptOutcome.ACCEPTED) & (~left | pair_started))
        )

    def held_by_offer(self):
        """``offer id → places held`` as a subquery for ``Offer`` querysets (0 when none)."""
        held = (
            self.holding()
            .filter(offer=OuterRef("pk"))
            .order_by()
            .values("offer")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(held, output_field=models.IntegerField()), 0)
