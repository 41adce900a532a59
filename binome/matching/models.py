"""Matching in the app: per-programme settings, runs, their proposals, exclusions, offers."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from binome.core.models import TimeStampedModel, TransitionLog
from binome.matching.enums import (
    CRITERIA,
    CRITERION_LABELS,
    DEFAULT_MANDATORY,
    DEFAULT_MENTEE_FIELDS,
    DEFAULT_WEIGHTS,
    ExclusionSource,
    ProposalSource,
    RunFailure,
    RunState,
)


def default_reply_days():
    return getattr(settings, "BINOME_MATCHING_REPLY_DAYS", 3)


def default_mentee_fields():
    return [str(f) for f in DEFAULT_MENTEE_FIELDS]


def _weight(name):
    return models.PositiveSmallIntegerField(
        format_lazy("{}: {}", _("weight"), CRITERION_LABELS[name]),
        default=DEFAULT_WEIGHTS[name],
        validators=[MaxValueValidator(10)],
    )


def _mandatory(name):
    return models.BooleanField(
        format_lazy("{}: {}", _("mandatory"), CRITERION_LABELS[name]),
        default=name in DEFAULT_MANDATORY,
    )


class MatchingSettingsQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(programme__organisation=organisation)


class MatchingSettings(TimeStampedModel):
    """How a programme matches: criteria weights, mandatory ones, limits; created on first use."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="matching_settings"
    )
    geography_weight = _weight("geography")
    geography_mandatory = _mandatory("geography")
    sector_weight = _weight("sector")
    sector_mandatory = _mandatory("sector")
    function_weight = _weight("function")
    function_mandatory = _mandatory("function")
    age_weight = _weight("age")
    age_mandatory = _mandatory("age")
    language_weight = _weight("language")
    language_mandatory = _mandatory("language")
    hobbies_weight = _weight("hobbies")
    hobbies_mandatory = _mandatory("hobbies")
    expectations_weight = _weight("expectations")
    expectations_mandatory = _mandatory("expectations")
    support_weight = _weight("support")
    support_mandatory = _mandatory("support")
    max_km = models.PositiveSmallIntegerField(
        _("maximum distance (km)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("Lowered to the mentee's own limit when they set one."),
    )
    min_age_gap = models.SmallIntegerField(
        _("minimum age gap (years)"),
        default=5,
        validators=[MinValueValidator(-50), MaxValueValidator(80)],
        help_text=_("The mentor's age minus the mentee's."),
    )
    max_age_gap = models.SmallIntegerField(
        _("maximum age gap (years)"),
        default=40,
        validators=[MinValueValidator(-50), MaxValueValidator(100)],
    )
    min_score = models.PositiveSmallIntegerField(
        _("minimum score"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("Pairs scoring less (out of 100) are never proposed."),
    )
    waiting_bonus_per_month = models.PositiveSmallIntegerField(
        _("waiting bonus per month"),
        default=0,
        validators=[MaxValueValidator(20)],
        help_text=_(
            "Points added per month waited (up to 12 months), to serve the longest waiting first."
        ),
    )
    candidates_per_mentee = models.PositiveSmallIntegerField(
        _("candidates per mentee"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("Leave empty to consider every possible pair (advised below 20,000 people)."),
    )
    mentee_fields = models.JSONField(
        _("what the mentor sees of the mentee"), default=default_mentee_fields, blank=True
    )
    reply_days = models.PositiveSmallIntegerField(
        _("days for the mentor to answer"),
        default=default_reply_days,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_(
            "After this delay a reminder is sent; after twice this delay the staff take over."
        ),
    )
    link_valid_days = models.PositiveSmallIntegerField(
        _("link valid for (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )

    objects = MatchingSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("matching settings")
        verbose_name_plural = _("matching settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_age_gap__gte=models.F("min_age_gap")),
                name="matching_age_gap_order",
            ),
            models.CheckConstraint(condition=Q(max_km__gte=1), name="matching_max_km_positive"),
            models.CheckConstraint(condition=Q(min_score__lte=100), name="matching_min_score_max"),
            models.CheckConstraint(condition=Q(reply_days__gte=1), name="matching_reply_days_min"),
            models.CheckConstraint(
                condition=Q(link_valid_days__gte=1), name="matching_link_days_min"
            ),
            models.CheckConstraint(
                condition=Q(candidates_per_mentee__isnull=True) | Q(candidates_per_mentee__gte=1),
                name="matching_candidates_positive",
            ),
        ]

    def __str__(self):
        return str(self.programme)

    def criteria(self):
        """The engine's criteria list (criteria with weight 0 and not mandatory are left out)."""
        out = []
        for name in CRITERIA:
            weight = getattr(self, f"{name}_weight")
            mandatory = getattr(self, f"{name}_mandatory")
            if not weight and not mandatory:
                continue
            item = {"name": name, "weight": weight, "mandatory": mandatory}
            if name == "geography":
                item["max_km"] = self.max_km
            elif name == "age":
                item.update(min_gap=self.min_age_gap, max_gap=self.max_age_gap)
            out.append(item)
        return out

    def criteria_rows(self):
        """(name, label, weight, mandatory) for display."""
        return [
            (
                name,
                CRITERION_LABELS[name],
                getattr(self, f"{name}_weight"),
                getattr(self, f"{name}_mandatory"),
            )
            for name in CRITERIA
        ]


class MatchingRunQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(programme__organisation=organisation)


class MatchingRun(TimeStampedModel):
    """One matching computation for a programme, reviewed by the staff, then published."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="matching_runs"
    )
    # Changed only through binome.matching.services (RUN_TRANSITIONS, logged in transitions).
    state = models.CharField(_("state"), max_length=16, choices=RunState, default=RunState.QUEUED)
    state_changed_at = models.DateTimeField(default=timezone.now)
    # The background task computing the run (to tell a stuck run from a slow one).
    task_id = models.CharField(max_length=64, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    failure = models.CharField(_("failure"), max_length=16, choices=RunFailure, blank=True)
    error = models.TextField(blank=True)  # technical detail (ids and exception names only)
    # The engine's input (ids are "m<pk>" / "e<pk>") and output (without its pair list, which
    # lives in RunProposal rows); kept so that explain and manual choices use the same data.
    problem = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    greedy = models.JSONField(_("greedy baseline"), default=dict, blank=True)
    stats = models.JSONField(default=dict, blank=True)

    objects = MatchingRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("matching run")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=RunState.values), name="matching_run_state_valid"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="matching_run_progress"),
            models.CheckConstraint(
                condition=Q(failure="") | Q(failure__in=RunFailure.values),
                name="matching_run_failure_valid",
            ),
        ]

    def __str__(self):
        return f"{self.programme} #{self.pk}"

    @property
    def is_finished(self):
        return self.state in {RunState.DONE, RunState.FAILED, RunState.PUBLISHED}

    @property
    def is_reviewable(self):
        return self.state in {RunState.DONE, RunState.PUBLISHED}


class MatchingRunTransition(TransitionLog):
    subject = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="transitions")


class RunProposalQuerySet(models.QuerySet):
    def chosen(self):
        return self.filter(removed=False)


class RunProposal(models.Model):
    """One pair of a run: the engine's choice or a manual one; removed ones are kept."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="proposals")
    mentor = models.ForeignKey("people.Mentor", on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey("people.Mentee", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))
    breakdown = models.JSONField(default=dict, blank=True)
    source = models.CharField(
        _("source"), max_length=8, choices=ProposalSource, default=ProposalSource.ENGINE
    )
    removed = models.BooleanField(_("removed"), default=False)
    # The score of the engine's choice for this mentee (None when it left the mentee out).
    optimal_score = models.FloatField(null=True, blank=True)
    pair = models.OneToOneField(
        "pairs.Pair", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RunProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "mentee"],
                condition=Q(removed=False),
                name="run_proposal_one_per_mentee",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="run_proposal_score_range"
            ),
            models.CheckConstraint(
                condition=Q(source__in=ProposalSource.values), name="run_proposal_source_valid"
            ),
        ]

    def __str__(self):
        return f"{self.run_id}: {self.mentor_id} — {self.mentee_id}"


class RunExplanation(models.Model):
    """One mentee against every mentor of a finished run, computed by a task for the explain
    page (a reviewable run's problem never changes: the rows never go stale)."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="explanations")
    mentee = models.ForeignKey("people.Mentee", on_delete=models.CASCADE, related_name="+")
    entries = models.JSONField(default=list, blank=True)  # engine explain entries, best first
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="run_explanation_once"),
        ]

    def __str__(self):
        return f"{self.run_id}: {self.mentee_id}"


class MatchExclusionQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(mentee__programme__organisation=organisation)


class MatchExclusion(models.Model):
    """A mentor and a mentee that must never be proposed together."""

    mentor = models.ForeignKey("people.Mentor", on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey("people.Mentee", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("source"), max_length=16, choices=ExclusionSource)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MatchExclusionQuerySet.as_manager()

    class Meta:
        verbose_name = _("exclusion")
        constraints = [
            models.UniqueConstraint(fields=["mentor", "mentee"], name="match_exclusion_once"),
            models.CheckConstraint(
                condition=Q(source__in=ExclusionSource.values), name="match_exclusion_source"
            ),
        ]

    def __str__(self):
        return f"{self.mentor_id} × {self.mentee_id}"


def new_token():
    return secrets.token_urlsafe(18)


class MentorOfferQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(pair__programme__organisation=organisation)

    def waiting(self):
        from binome.pairs.enums import PairState

        return self.filter(answered_at__isnull=True, pair__state=PairState.PROPOSED)


class MentorOffer(models.Model):
    """A proposed pair sent to the mentor with a signed link; tracks reminders."""

    pair = models.OneToOneField("pairs.Pair", on_delete=models.CASCADE, related_name="offer")
    run = models.ForeignKey(
        MatchingRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="offers"
    )
    # Random, opaque, signed with a timestamp in the link; never an id or personal data.
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    site_url = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = MentorOfferQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reminded_at__isnull=True) | Q(reminded_at__gte=models.F("sent_at")),
                name="mentor_offer_reminder_after_sending",
            ),
        ]

    def __str__(self):
        return f"offer #{self.pk} (pair {self.pair_id})"


class SuggestionInputs(models.Model):
    """Per programme, the generation of the stored suggestions (``MenteeSuggestions``).

    A change to what matching reads (people, pairs, exclusions, settings) adds a
    ``SuggestionChange`` row in its own transaction (``binome.matching.signals``): no lock is
    taken there. A refresh task consumes the pending changes and bumps ``generation`` before it
    reads the data; stored rows of an older generation, or with changes pending, are stale.
    Only the refresh services write this row."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    generation = models.PositiveBigIntegerField(default=0)
    # The next-best suggestions of the programme's declined mentees: generation and day.
    next_best_generation = models.PositiveBigIntegerField(null=True, blank=True)
    next_best_on = models.DateField(null=True, blank=True)
    # When a programme refresh was queued; cleared when a task takes it (queued once).
    requested_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.programme_id} g{self.generation}"


class SuggestionChange(models.Model):
    """A change to a programme's matching inputs not yet taken into its stored suggestions."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.programme_id} #{self.pk}"


class MenteeSuggestions(models.Model):
    """The engine's suggestions for one mentee outside a run, computed by a task for one
    generation of the programme's inputs; a page shows them, it never computes them."""

    mentee = models.OneToOneField("people.Mentee", on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    generation = models.PositiveBigIntegerField()
    computed_on = models.DateField()  # the waiting bonus counts in days
    computed_at = models.DateTimeField(default=timezone.now)
    # Waiting for a mentor when computed (part of the problem): a suggestion can be proposed.
    in_problem = models.BooleanField(default=False)
    criteria = models.JSONField(default=list, blank=True)  # the problem's criterion names
    best_mentor = models.ForeignKey(
        "people.Mentor", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    best_score = models.FloatField(null=True, blank=True)
    suggestions = models.JSONField(default=list, blank=True)  # the best feasible (engine entries)
    # Every mentor with a free place (the mentee's page); None when only the next best was asked.
    entries = models.JSONField(null=True, blank=True)

    def __str__(self):
        return f"{self.mentee_id} g{self.generation}"
