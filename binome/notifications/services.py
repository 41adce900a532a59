"""The outbox: queue e-mails inside the business transaction, deliver them in the background."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from binome.core.statemachine import check_transition
from binome.notifications.enums import OUTBOX_TRANSITIONS
from binome.notifications.models import OutboxEmail, OutboxState

logger = logging.getLogger(__name__)


def queue_email(*, to, template, context, category, organisation=None, language=None):
    """Render ``template`` (``.../subject.txt`` + ``.../body.txt``) and queue it.

    Written in the caller's transaction; the delivery task is enqueued once it commits, so no
    e-mail ever leaves inside a request and none is lost if the transaction rolls back.
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}/subject.txt", context).split())
        body = render_to_string(f"{template}/body.txt", context)
    email = OutboxEmail.objects.create(
        to=to, subject=subject[:255], body=body, category=category, organisation=organisation
    )
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _enqueue(outbox_id):
    from binome.notifications.tasks import deliver_email

    deliver_email.enqueue(outbox_id)


def deliver(outbox_id):
    """Send one queued e-mail through Django's mail API; record success or failure."""
    with transaction.atomic():
        email = (
            OutboxEmail.objects.select_for_update()
            .filter(pk=outbox_id, state__in=[OutboxState.QUEUED, OutboxState.FAILED])
            .first()
        )
        if email is None:
            return None
        email.attempts += 1
        try:
            EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to]).send()
        except Exception as exc:  # noqa: BLE001 - any transport error is recorded and retried
            _move(email, OutboxState.FAILED)
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            logger.warning("outbox e-mail %s failed (attempt %s)", email.pk, email.attempts)
        else:
            _move(email, OutboxState.SENT)
            email.sent_at = timezone.now()
            email.last_error = ""
        email.save(update_fields=["state", "attempts", "last_error", "sent_at"])
    return email


def _move(email, to_state):
    check_transition(email, to_state, OUTBOX_TRANSITIONS, dict(OutboxState.choices))
    email.state = to_state


def deliver_due(limit=500):
    """Retry what is queued or failed (run periodically by ``send_queued_emails``)."""
    ids = list(
        OutboxEmail.objects.due(settings.OUTBOX_MAX_ATTEMPTS)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return [deliver(pk) for pk in ids]
