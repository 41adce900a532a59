import calendar
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.core.models import TimeStampedModel, TransitionLog, words_query
from binome.pairs.enums import (
    LIVE_STATES,
    POSITIVE_OUTCOMES,
    ClosureType,
    DeclineReason,
    ExitReason,
    Outcome,
    PairState,
    Signatory,
)


class PairQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(programme__organisation=organisation)

    def live(self):
        return self.filter(state__in=LIVE_STATES)

    def active(self):
        return self.filter(state=PairState.ACTIVE)

    def closed(self):
        return self.filter(state=PairState.CLOSED)

    def search(self, text):
        names = ["first_name", "last_name"]
        fields = [f"{side}__{name}" for side in ("mentor", "mentee") for name in names]
        return self.filter(words_query(text, fields))


def with_free_place(mentors):
    """Of ``mentors``, those who may take a mentee now (ready, or in a pair with a place left:
    own capacity and programme limit), annotated with ``free``, the places left (the SQL twin
    of ``Mentor.places_left``)."""
    live = models.Count("pairs", filter=Q(pairs__state__in=LIVE_STATES))
    limit = Least("capacity", "programme__max_mentees_per_mentor")
    return (
        mentors.available()
        .annotate(live=live, limit=limit)
        .annotate(free=models.F("limit") - models.F("live"))
        .filter(live__lt=models.F("limit"))
    )


def add_months(day, months):
    """Calendar months: 31 Jan + 1 = 28 (or 29) Feb, 31 Jan + 6 = 31 Jul."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Pair(TimeStampedModel):
    """The binôme: a mentor and a mentee in a programme, from proposal to closure."""

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        related_name="pairs",
        verbose_name=_("programme"),
    )
    mentor = models.ForeignKey(
        "people.Mentor", on_delete=models.PROTECT, related_name="pairs", verbose_name=_("mentor")
    )
    mentee = models.ForeignKey(
        "people.Mentee", on_delete=models.PROTECT, related_name="pairs", verbose_name=_("mentee")
    )
    state = models.CharField(
        _("state"), max_length=16, choices=PairState, default=PairState.PROPOSED
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    proposal_note = models.TextField(_("why this pair"), blank=True)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=16, choices=DeclineReason, blank=True
    )
    first_meeting_on = models.DateField(_("first meeting on"), null=True, blank=True)
    first_meeting_checklist = models.JSONField(_("points covered"), default=list, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    closure_type = models.CharField(
        _("kind of closure"), max_length=16, choices=ClosureType, blank=True
    )
    exit_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=ExitReason, blank=True
    )
    outcome = models.CharField(
        _("mentee's situation at the end"), max_length=20, choices=Outcome, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PairQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pair")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=PairState.values), name="pair_state_valid"
            ),
            # A mentee is in at most one live pair at a time.
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(state__in=sorted(LIVE_STATES)),
                name="pair_one_live_per_mentee",
            ),
            models.CheckConstraint(
                condition=~Q(state=PairState.CLOSED) | (~Q(exit_reason="") & ~Q(outcome="")),
                name="pair_closed_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.mentor} — {self.mentee}"

    @property
    def is_positive_exit(self):
        return self.outcome in POSITIVE_OUTCOMES

    def signatories(self):
        return {s.signatory for s in self.signatures.all()}

    def missing_signatories(self):
        signed = self.signatories()
        return [s for s in Signatory if s not in signed]

    def planned_end(self):
        if not self.started_on:
            return None
        return add_months(self.started_on, self.programme.duration_months)


class PairTransition(TransitionLog):
    subject = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="transitions")


class Signature(models.Model):
    """One signatory of the tripartite engagement contract."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="signatures")
    signatory = models.CharField(_("signatory"), max_length=16, choices=Signatory)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    charter_version = models.CharField(_("charter version"), max_length=20)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pair", "signatory"], name="signature_once"),
            models.CheckConstraint(
                condition=Q(signatory__in=Signatory.values), name="signatory_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_signatory_display()} {self.signed_at:%Y-%m-%d}"
