"""How long an association has to answer, and when it is reminded."""

from django.conf import settings


def answer_days():
    """Days an association has to answer before the request moves on (default 7)."""
    return getattr(settings, "BINOME_ROUTING_ANSWER_DAYS", 7)


def reminder_days():
    return tuple(getattr(settings, "BINOME_ROUTING_REMINDER_DAYS", (3, 6)))
