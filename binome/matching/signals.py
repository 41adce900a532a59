"""What matching reads changed: the programme's stored suggestions are no longer current.

People, pairs, exclusions and settings, saved or deleted by any app, record a change for the
programme in the changing transaction (``services.stored.record_change``); once committed, a
refresh is queued (a task). A bulk ``QuerySet.update`` sends no signal: the suggestions are
recomputed every day anyway, and on the next change.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_delete, post_save

from binome.matching.models import MatchExclusion, MatchingSettings
from binome.pairs.models import Pair
from binome.people.models import Mentee, Mentor

WATCHED = (Mentor, Mentee, Pair, MatchExclusion, MatchingSettings)


def _programme_id(instance):
    if isinstance(instance, MatchExclusion):
        try:
            return instance.mentee.programme_id
        except ObjectDoesNotExist:  # deleted with its mentee: the mentee's deletion counts
            return None
    return instance.programme_id


def inputs_changed(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures
        return
    if sender is MatchingSettings and kwargs.get("created"):
        return  # the defaults, created on first use: what matching reads is unchanged
    programme_id = _programme_id(instance)
    if programme_id is not None:
        from binome.matching.services.stored import record_change

        record_change(programme_id)


for model in WATCHED:
    for signal in (post_save, post_delete):
        signal.connect(
            inputs_changed, sender=model, dispatch_uid=f"matching-inputs-{model.__name__}"
        )
