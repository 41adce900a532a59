"""What the portal keeps of its own: the problems a mentor or a mentee reports about their
pair, for the association's coordinators (e-mailed to them and shown on the dashboard)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_PROBLEM_TEXT = 2000
DASHBOARD_DAYS = 30


class ProblemCategory(models.TextChoices):
    MEETINGS = "meetings", _("We cannot manage to meet")
    RELATIONSHIP = "relationship", _("The relationship is not going well")
    BEHAVIOUR = "behaviour", _("A behaviour that worries me")
    WEBSITE = "website", _("A problem with this website")
    OTHER = "other", _("Something else")


class ReporterSide(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


class ProblemReportQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(pair__programme__organisation=organisation)

    def recent(self, days=DASHBOARD_DAYS, now=None):
        return self.filter(created_at__gte=(now or timezone.now()) - datetime.timedelta(days))

    def open(self):
        """Not yet marked as handled by the association."""
        return self.filter(handled_at__isnull=True)

    def for_dashboard(self):
        """Newest first, with what a row shows (the pair's two first names): one query."""
        return self.select_related("pair__mentor", "pair__mentee").order_by("-created_at", "-id")


class ProblemReport(models.Model):
    """A problem reported from the portal. The text is for the coordinators only: it is
    e-mailed to them and shown on their dashboard, never written to the journal."""

    pair = models.ForeignKey(
        "pairs.Pair",
        on_delete=models.CASCADE,
        related_name="problem_reports",
        verbose_name=_("pair"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    side = models.CharField(_("reported by"), max_length=8, choices=ReporterSide)
    category = models.CharField(_("what is wrong"), max_length=16, choices=ProblemCategory)
    text = models.TextField(_("details"), max_length=MAX_PROBLEM_TEXT)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ProblemReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("problem report")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=ProblemCategory.values), name="problem_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(side__in=ReporterSide.values), name="problem_side_valid"
            ),
        ]

    def __str__(self):  # never the text
        return f"problem {self.pk} on pair {self.pair_id}"
