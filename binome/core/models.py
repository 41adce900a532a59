from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def words_query(text, fields, max_words=5):
    """Every word of ``text`` must appear (case-insensitive) in one of ``fields``."""
    q = models.Q()
    for word in text.split()[:max_words]:
        any_field = models.Q()
        for field in fields:
            any_field |= models.Q(**{f"{field}__icontains": word})
        q &= any_field
    return q


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class ActivityLogQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=obj.pk)

    def update(self, **kwargs):
        raise PermissionDenied("ActivityLog is append-only")

    def delete(self):
        raise PermissionDenied("ActivityLog is append-only")


class ActivityLog(models.Model):
    """Append-only journal: every state change and every view of a person's data.

    Holds ids and verbs only, never personal data (names, e-mails), so it can be kept
    longer than the records it points to.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.BigIntegerField()
    data = models.JSONField(default=dict, blank=True)

    objects = ActivityLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]
        verbose_name = _("activity log entry")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("ActivityLog is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("ActivityLog is append-only")


class TransitionLog(models.Model):
    """One row per state change of a state machine (from, to, at, by, reason)."""

    from_state = models.CharField(_("from"), max_length=32, blank=True)
    to_state = models.CharField(_("to"), max_length=32)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    @property
    def to_label(self):
        subject_model = type(self)._meta.get_field("subject").related_model
        return dict(subject_model._meta.get_field("state").choices).get(
            self.to_state, self.to_state
        )
