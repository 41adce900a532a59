"""Access to a registrant's identity: the association's view, federation support."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from binome.core.models import ActivityLog
from binome.core.services import log_activity
from binome.organisations.enums import EDITOR_ROLES
from binome.organisations.models import Membership
from binome.registrations.anonymise import redact
from binome.registrations.enums import AttemptOutcome, RegistrationState, SupportPurpose
from binome.registrations.services.intake import _names


def log_identity_view(registration, *, acting_user, organisation):
    log_activity(registration, "viewed", acting_user=acting_user, organisation=organisation)


SUPPORT_VERB = "identity_viewed_for_support"


SUPPORT_NOTE_MAX = 300


def reveal_for_support(registration, *, federation, acting_user, purpose, note=""):
    """Federation staff open a registrant's identity for a stated support purpose (REQ-FED-04).

    Checks that the request belongs to ``federation`` and that ``acting_user`` edits for it,
    then writes one append-only ``ActivityLog`` row (``identity_viewed_for_support``: the
    purpose and the note, with any contact detail or name of the registrant masked). Returns
    the registration; the caller shows its identity for this response only.
    """
    if federation.pk not in (registration.federation_id, registration.queue_owner_id):
        raise PermissionDenied("This request is not in this federation.")
    is_editor = (
        acting_user is not None
        and acting_user.is_authenticated
        and Membership.objects.filter(
            user=acting_user, organisation=federation, is_active=True, role__in=EDITOR_ROLES
        ).exists()
    )
    if not is_editor:
        raise PermissionDenied("Only the federation's editors may open an identity.")
    if purpose not in SupportPurpose.values:
        raise ValidationError(_("Choose the purpose of this access."), code="purpose")
    note = " ".join((note or "").split())
    if purpose == SupportPurpose.OTHER and not note:
        raise ValidationError(_("Say in a few words why you need the identity."), code="note")
    if len(note) > SUPPORT_NOTE_MAX:
        raise ValidationError(
            _("Keep the note to %(max)d characters or fewer.") % {"max": SUPPORT_NOTE_MAX},
            code="note",
        )
    names = _names(registration)
    log_activity(
        registration,
        SUPPORT_VERB,
        acting_user=acting_user,
        organisation=federation,
        purpose=str(purpose),
        note=redact(note, names),
    )
    return registration


def support_accesses(registration, *, federation):
    """Who opened ``registration``'s identity for ``federation``'s support, when and why,
    newest first (one query, from the journal): ``at``, ``actor``, ``purpose`` (its label),
    ``note``."""
    purposes = dict(SupportPurpose.choices)
    rows = (
        ActivityLog.objects.for_object(registration)
        .filter(verb=SUPPORT_VERB, organisation=federation)
        .select_related("actor")
        .order_by("-at", "-id")
    )
    return [
        {
            "at": row.at,
            "actor": row.actor,
            "purpose": purposes.get(row.data.get("purpose"), row.data.get("purpose", "")),
            "note": row.data.get("note", ""),
        }
        for row in rows
    ]


def identity_revealed(attempt, organisation):
    """Whether ``organisation`` sees the registrant's identity through ``attempt``: it accepted
    the request, which is now its own, taken in charge or contacted (before that, the card)."""
    registration = attempt.registration
    return (
        attempt.outcome == AttemptOutcome.ACCEPTED
        and registration.organisation_id == organisation.pk
        and registration.state in {RegistrationState.ACCEPTED, RegistrationState.CONTACTED}
    )
