"""Use cases of a programme's settings."""

from django.db import transaction

from binome.core.services import log_activity


def save_programme(form, criteria, *, acting_user):
    """Save a programme from its validated form and interview-criteria formset, and journal it.

    ``form`` is a valid ``ProgrammeForm`` (it knows the organisation) and ``criteria`` the valid
    inline formset of its criteria; both are saved in one transaction with the journal row.
    """
    with transaction.atomic():
        programme = form.save()
        criteria.instance = programme
        criteria.save()
        log_activity(
            programme,
            "saved",
            acting_user=acting_user,
            organisation=programme.organisation,
            fields=sorted(form.changed_data),
        )
    return programme
