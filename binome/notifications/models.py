from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.notifications.enums import OutboxState


class OutboxEmailQuerySet(models.QuerySet):
    def due(self, max_attempts):
        return self.filter(
            models.Q(state=OutboxState.QUEUED)
            | models.Q(state=OutboxState.FAILED, attempts__lt=max_attempts)
        )


class OutboxEmail(models.Model):
    """Every e-mail Binôme sends: written in the same transaction as the change it reports,
    delivered by a background task, retried on failure, kept for review and resending."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.CharField(_("category"), max_length=64)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    state = models.CharField(
        _("state"), max_length=8, choices=OutboxState, default=OutboxState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("e-mail")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=OutboxState.values), name="outbox_state_valid"
            ),
        ]

    def __str__(self):
        return f"[{self.state}] {self.category} #{self.pk}"
