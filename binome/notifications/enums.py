from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


# The moves of an e-mail's delivery state (checked by ``services.deliver``). A failed e-mail is
# tried again (failed → failed or sent); a sent one never changes. The row itself is the log:
# attempts, last_error and sent_at (docs/adr/0001-state-machines.md).
OUTBOX_TRANSITIONS = {
    OutboxState.QUEUED: {OutboxState.SENT, OutboxState.FAILED},
    OutboxState.FAILED: {OutboxState.SENT, OutboxState.FAILED},
    OutboxState.SENT: set(),
}
