from binome.core.models import ActivityLog


def log_activity(obj, verb, *, acting_user, organisation=None, **data):
    """Write one append-only journal row about ``obj`` (ids only, no personal data)."""
    return ActivityLog.objects.create(
        actor=acting_user if acting_user and acting_user.is_authenticated else None,
        organisation=organisation,
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        data=data,
    )
