"""A pair's meetings (planned, then logged and confirmed) and the private calendar feeds."""

import datetime
import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.core.models import TimeStampedModel, TransitionLog
from binome.meetings.enums import LOGGED_STATES, MeetingState, Side

MAX_MINUTES = 600


class MeetingQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(pair__programme__organisation=organisation)

    def held(self):
        return self.filter(state=MeetingState.HELD)

    def upcoming(self, now=None):
        return self.filter(state=MeetingState.PLANNED, starts_at__gte=now or timezone.now())

    def for_person(self, person):
        """The meetings of every pair of a mentor or a mentee."""
        side = "mentor" if person._meta.model_name == "mentor" else "mentee"
        return self.filter(**{f"pair__{side}": person})


class Meeting(TimeStampedModel):
    """One meeting of a pair. ``uid`` and ``sequence`` are the calendar identity (ICS UID,
    SEQUENCE bumped by every change a calendar shows)."""

    pair = models.ForeignKey(
        "pairs.Pair", on_delete=models.CASCADE, related_name="meetings", verbose_name=_("pair")
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    state = models.CharField(
        _("state"), max_length=10, choices=MeetingState, default=MeetingState.PLANNED
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    starts_at = models.DateTimeField(_("date and time"), db_index=True)
    planned_minutes = models.PositiveSmallIntegerField(
        _("planned duration (minutes)"),
        validators=[MinValueValidator(15), MaxValueValidator(MAX_MINUTES)],
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    # The log, afterwards.
    held_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    topics = models.TextField(_("topics"), blank=True)
    actions_reviewed = models.TextField(_("actions reviewed"), blank=True)
    next_step = models.TextField(_("next step"), blank=True)
    during_working_time = models.BooleanField(
        _("during the mentor's working time"), null=True, blank=True
    )
    planned_at = models.DateTimeField(default=timezone.now)
    logged_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    corrected = models.BooleanField(_("corrected by the other side"), default=False)
    # Who did each act: the user, the side recorded, and whether staff acted for that side.
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("planned by"),
    )
    planned_side = models.CharField(max_length=8, choices=Side, blank=True)
    planned_on_behalf = models.BooleanField(default=False)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logged by"),
    )
    logged_side = models.CharField(max_length=8, choices=Side, blank=True)
    logged_on_behalf = models.BooleanField(default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_side = models.CharField(max_length=8, choices=Side, blank=True)
    confirmed_on_behalf = models.BooleanField(default=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("meeting")
        indexes = [models.Index(fields=["pair", "state", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=MeetingState.values), name="meeting_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(planned_minutes__gte=1) & Q(planned_minutes__lte=MAX_MINUTES),
                name="meeting_planned_minutes_range",
            ),
            models.CheckConstraint(
                condition=~Q(state=MeetingState.HELD) | Q(held_minutes__gte=1),
                name="meeting_held_has_duration",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(logged_at__isnull=False),
                name="meeting_confirmed_after_logged",
            ),
        ]

    def __str__(self):
        return f"{self.pair_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + datetime.timedelta(minutes=self.planned_minutes)

    @property
    def is_logged(self):
        return self.state in LOGGED_STATES and self.logged_at is not None

    @property
    def awaits_confirmation(self):
        return self.is_logged and self.confirmed_at is None

    @property
    def awaits_log(self):
        return self.state == MeetingState.PLANNED and self.starts_at <= timezone.now()


class MeetingTransition(TransitionLog):
    subject = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="transitions")


def new_token():
    return secrets.token_urlsafe(32)


class CalendarFeedQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class CalendarFeed(models.Model):
    """A private calendar address of one mentor or mentee: the token is the only key (calendar
    apps cannot log in). Revoking it makes the address answer 404; a new one is issued
    instead. The token is never written to a log."""

    mentor = models.ForeignKey(
        "people.Mentor", null=True, blank=True, on_delete=models.CASCADE, related_name="feeds"
    )
    mentee = models.ForeignKey(
        "people.Mentee", null=True, blank=True, on_delete=models.CASCADE, related_name="feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mentor__isnull=True, mentee__isnull=False)
                | Q(mentor__isnull=False, mentee__isnull=True),
                name="feed_one_person",
            ),
            models.UniqueConstraint(
                fields=["mentor"],
                condition=Q(revoked_at__isnull=True, mentor__isnull=False),
                name="feed_one_active_per_mentor",
            ),
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(revoked_at__isnull=True, mentee__isnull=False),
                name="feed_one_active_per_mentee",
            ),
        ]

    def __str__(self):  # never the token
        return f"feed {self.pk}"

    @property
    def person(self):
        return self.mentor or self.mentee
