"""A programme's matching settings, saved by the staff."""

from django.db import transaction

from binome.core.services import log_activity


def save_settings(form, *, acting_user):
    """Save a programme's matching settings from their validated form, and journal it.

    ``form`` is a valid ``MatchingSettingsForm`` bound to the programme's settings.
    """
    with transaction.atomic():
        matching_settings = form.save()
        log_activity(
            matching_settings,
            "updated",
            acting_user=acting_user,
            organisation=matching_settings.programme.organisation,
            fields=sorted(form.changed_data),
        )
    return matching_settings
