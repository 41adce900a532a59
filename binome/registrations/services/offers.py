"""Declarations (offers): a member association says what one programme takes, and the journal
keeps who declared or changed it."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from binome.core.services import log_activity
from binome.organisations.enums import OrganisationKind
from binome.registrations.models import Offer


def _check(organisation, programme):
    # Federations read their members' declarations; only an association declares, and only
    # for its own programmes.
    if organisation.kind != OrganisationKind.ASSOCIATION:
        raise PermissionDenied("Only an association declares offers.")
    if programme.organisation_id != organisation.pk:
        raise PermissionDenied("This programme is not the association's.")


def create_offer(*, acting_user, organisation, programme, **fields):
    """Declare an offer of ``organisation`` for its ``programme`` (``fields``: the other
    fields of ``Offer``), checked, saved and journaled (``created``) in one transaction."""
    _check(organisation, programme)
    with transaction.atomic():
        offer = Offer(programme=programme, **fields)
        offer.full_clean()
        offer.save()
        log_activity(offer, "created", acting_user=acting_user, organisation=organisation)
    return offer


def update_offer(offer, *, acting_user, organisation, **fields):
    """Change a declaration of ``organisation`` (``fields``: the new values, the programme
    included or not), under a row lock, checked, saved and journaled (``updated``)."""
    with transaction.atomic():
        locked = Offer.objects.select_for_update(of=("self",)).get(pk=offer.pk)
        _check(organisation, locked.programme)
        for name, value in fields.items():
            setattr(locked, name, value)
        _check(organisation, locked.programme)
        locked.full_clean()
        locked.save()
        log_activity(locked, "updated", acting_user=acting_user, organisation=organisation)
    return locked
