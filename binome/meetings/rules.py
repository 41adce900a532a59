"""Who may act on a pair's meetings, and as whom.

The mentor and the mentee act for themselves (their user account is ``Person.user``). The
association's staff (an editing member of the pair's organisation) act as the association or,
with ``on_behalf_of``, for the mentor or the mentee who cannot use the portal: the act is then
recorded as that person's, with ``on_behalf`` set. Anybody else is refused.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from binome.meetings.enums import PEOPLE_SIDES, Side
from binome.organisations.enums import EDITOR_ROLES
from binome.organisations.models import Membership


def is_staff_of(user, organisation_id):
    """An editing member (admin, coordinator) of the organisation; partners only read."""
    return Membership.objects.filter(
        user_id=user.pk, organisation_id=organisation_id, role__in=EDITOR_ROLES
    ).exists()


def may_manage_feed(person, user):
    """A person's calendar address: the person, or the association's staff."""
    if user is None or not user.is_authenticated:
        return False
    if person.user_id and person.user_id == user.pk:
        return True
    return is_staff_of(user, person.programme.organisation_id)


def acting_side(pair, acting_user, on_behalf_of=None):
    """``(side, on_behalf)`` of ``acting_user`` on ``pair``; PermissionDenied for strangers."""
    if acting_user is None or not acting_user.is_authenticated:
        raise PermissionDenied
    if on_behalf_of:
        if on_behalf_of not in PEOPLE_SIDES:
            raise ValidationError({"on_behalf_of": _("Choose the mentor or the mentee.")})
        if not is_staff_of(acting_user, pair.programme.organisation_id):
            raise PermissionDenied
        return Side(on_behalf_of), True
    if pair.mentor.user_id == acting_user.pk:
        return Side.MENTOR, False
    if pair.mentee.user_id == acting_user.pk:
        return Side.MENTEE, False
    if is_staff_of(acting_user, pair.programme.organisation_id):
        return Side.STAFF, False
    raise PermissionDenied


def confirming_sides(meeting):
    """Who may confirm (or correct) a log: the side of the pair that did not write it (either
    side when the association wrote it)."""
    if meeting.logged_side in PEOPLE_SIDES:
        return [s for s in PEOPLE_SIDES if s != meeting.logged_side]
    return list(PEOPLE_SIDES)
