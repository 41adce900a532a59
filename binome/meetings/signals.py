"""A pair that ends (closed or cancelled, by any path: the staff, a withdrawal, the portal)
cancels its meetings still planned, in the same transaction (``pairs`` does not know
``meetings``: this app listens to the pair's transition log)."""

from django.db.models.signals import post_save
from django.utils.translation import gettext as _

from binome.pairs.enums import PairState
from binome.pairs.models import PairTransition

ENDS = {PairState.CLOSED, PairState.CANCELLED}


def pair_ended(sender, instance, created, raw=False, **kwargs):
    if raw or not created or instance.to_state not in ENDS:
        return
    from binome.meetings.services import cancel_planned_meetings

    reason = (
        _("The pair ended.")
        if instance.to_state == PairState.CLOSED
        else _("The pair was cancelled.")
    )
    cancel_planned_meetings(instance.subject, acting_user=instance.by, reason=reason)


post_save.connect(pair_ended, sender=PairTransition, dispatch_uid="meetings-pair-ended")
