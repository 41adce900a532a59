"""Every staff view starts from what the current membership may see."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from binome.organisations.enums import Role
from binome.people.models import Mentee


def is_partner(membership):
    return membership.role == Role.PARTNER


def visible_people(membership, people):
    """Of ``people`` (mentors or mentees of the organisation), those the member may see. A
    partner (read only) sees only the mentees its organisation referred, never the mentors."""
    if not is_partner(membership):
        return people
    if people.model is not Mentee or not membership.partner_organisation_id:
        return people.none()
    return people.filter(referred_by_id=membership.partner_organisation_id)


def visible_pairs(membership, pairs):
    """A partner sees the pairs of the mentees it referred (the milestones of their journey)."""
    if not is_partner(membership):
        return pairs
    if not membership.partner_organisation_id:
        return pairs.none()
    return pairs.filter(mentee__referred_by_id=membership.partner_organisation_id)


def milestones(membership, transitions):
    """A state history as the member may read it: a partner sees the steps, not the staff's
    reasons and comments."""
    rows = list(transitions)
    if is_partner(membership):
        for row in rows:
            row.reason = ""
    return rows


class StaffMixin:
    """Requires a membership of an organisation; sets ``self.organisation``.

    ``partner_allowed = False`` refuses the read-only partner role even for reading.
    """

    edit_required = False
    partner_allowed = True

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("login")
        if not request.membership:
            return redirect("staff:no_organisation")
        self.membership = request.membership
        self.organisation = request.membership.organisation
        if (self.edit_required or request.method == "POST") and not self.membership.can_edit:
            raise PermissionDenied
        if not self.partner_allowed and is_partner(self.membership):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = self.membership.can_edit
        ctx["is_partner"] = is_partner(self.membership)
        return ctx
