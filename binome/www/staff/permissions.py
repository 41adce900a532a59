"""Every staff view starts from what the current membership may see."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect


class StaffMixin:
    """Requires a membership of an organisation; sets ``self.organisation``."""

    edit_required = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("login")
        if not request.membership:
            return redirect("staff:no_organisation")
        self.membership = request.membership
        self.organisation = request.membership.organisation
        if (self.edit_required or request.method == "POST") and not self.membership.can_edit:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = self.membership.can_edit
        return ctx
