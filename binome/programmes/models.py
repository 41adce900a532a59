from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from binome.core.models import TimeStampedModel
from binome.programmes.enums import MentoringKind, Side


class ProgrammeQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def active(self):
        return self.filter(is_active=True)


class Programme(TimeStampedModel):
    """A mentoring programme run by an association, with its rhythm and criteria."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    public = models.CharField(_("public"), max_length=300, help_text=_("Who the programme is for."))
    goals = models.TextField(_("goals"), blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), default=6, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    meetings_per_month = models.PositiveSmallIntegerField(
        _("meetings per month"), default=2, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    meeting_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"),
        default=90,
        validators=[MinValueValidator(15), MaxValueValidator(480)],
    )
    checkin_interval_days = models.PositiveSmallIntegerField(
        _("staff check-in every (days)"),
        default=42,
        validators=[MinValueValidator(7), MaxValueValidator(180)],
    )
    max_mentees_per_mentor = models.PositiveSmallIntegerField(
        _("mentees per mentor at most"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    eligibility_criteria = models.TextField(
        _("eligibility criteria"),
        blank=True,
        help_text=_("For example: available for a full-time job search, wants to be mentored."),
    )
    mentoring_kinds = models.JSONField(_("kinds of mentoring"), default=list, blank=True)
    charter_version = models.CharField(_("charter version"), max_length=20, default="1.0")
    is_active = models.BooleanField(_("open"), default=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="programme_name_unique"),
            models.CheckConstraint(
                condition=models.Q(duration_months__gte=1), name="programme_duration_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(max_mentees_per_mentor__gte=1),
                name="programme_capacity_positive",
            ),
        ]

    def __str__(self):
        return self.name

    def get_mentoring_kinds_display(self):
        labels = dict(MentoringKind.choices)
        return [labels.get(k, k) for k in self.mentoring_kinds]


class InterviewCriterion(models.Model):
    """One line of a programme's interview grid, for mentors or for mentees."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="criteria")
    side = models.CharField(_("for"), max_length=8, choices=Side)
    label = models.CharField(_("criterion"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_required = models.BooleanField(
        _("required"), default=True, help_text=_("A candidate who does not meet it is not kept.")
    )

    class Meta:
        ordering = ["side", "order", "id"]
        verbose_name = _("interview criterion")
        verbose_name_plural = _("interview criteria")
        constraints = [
            models.CheckConstraint(condition=models.Q(side__in=Side.values), name="criterion_side"),
        ]

    def __str__(self):
        return self.label
