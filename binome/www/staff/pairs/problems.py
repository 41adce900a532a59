"""The problems a pair's mentor or mentee reported from the portal, on the staff pair page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from binome.portal import services as portal_services
from binome.portal.models import ProblemReport
from binome.www.staff.pairs.scope import PairScopeMixin
from binome.www.staff.permissions import StaffMixin, is_partner


def problems_context(pair, membership):
    """The pair's reports, newest first (none for a partner: they are for the staff only)."""
    if is_partner(membership):
        return {"problems": None}
    reports = pair.problem_reports.select_related("handled_by").order_by("-created_at", "-id")
    return {"problems": list(reports)}


class HandledView(PairScopeMixin, StaffMixin, View):
    """POST: mark one of the pair's reported problems as handled."""

    partner_allowed = False
    edit_required = True

    def post(self, request, pk, report):
        pair = self.get_pair()
        found = get_object_or_404(ProblemReport, pk=report, pair=pair)
        try:
            portal_services.mark_problem_handled(
                found, acting_user=request.user, organisation=self.organisation
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The problem is marked as handled."))
        return redirect(reverse("staff:pairs:detail", args=[pair.pk]) + "#problems-h")
