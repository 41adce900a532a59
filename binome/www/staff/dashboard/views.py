import datetime

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from binome.organisations.middleware import SESSION_KEY
from binome.pairs.enums import PairState
from binome.pairs.models import Pair, with_free_place
from binome.people.enums import MenteeState, MentorState
from binome.people.models import Mentee, Mentor, Session
from binome.portal import services as portal_services
from binome.portal.models import ProblemReport
from binome.programmes.models import Programme
from binome.www.staff.base import parse_id
from binome.www.staff.permissions import StaffMixin, is_partner, visible_pairs, visible_people

# How long a step may wait before it shows in "to do today".
WAIT_LIMITS = {
    PairState.PROPOSED: 3,
    PairState.MENTOR_ACCEPTED: 7,
    PairState.MENTEE_ACCEPTED: 14,
    PairState.FIRST_MEETING: 14,
    PairState.CONTRACT_SIGNED: 7,
}

PROBLEMS_SHOWN = 10


def count_by_state(qs, states):
    counts = dict(qs.values_list("state").annotate(n=Count("id")).order_by())
    return [(value, label, counts.get(value, 0)) for value, label in states.choices]


class DashboardView(StaffMixin, TemplateView):
    template_name = "staff/dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        org = self.organisation
        programmes = Programme.objects.for_organisation(org)
        programme_id = self.request.GET.get("programme", "")
        member = self.membership
        mentors = visible_people(member, Mentor.objects.for_organisation(org))
        mentees = visible_people(member, Mentee.objects.for_organisation(org))
        pairs = visible_pairs(member, Pair.objects.for_organisation(org))
        problems = ProblemReport.objects.for_organisation(org).open().recent().for_dashboard()
        sessions = Session.objects.for_organisation(org)
        if is_partner(member):
            sessions = sessions.none()
            problems = problems.none()  # what a mentor or mentee says is for the staff only
        pid = parse_id(programme_id)
        if pid is not None:
            mentors, mentees = mentors.filter(programme_id=pid), mentees.filter(programme_id=pid)
            pairs, sessions = pairs.filter(programme_id=pid), sessions.filter(programme_id=pid)
            problems = problems.filter(pair__programme_id=pid)
        now = timezone.now()
        today = timezone.localdate()
        waiting = []
        for state, days in WAIT_LIMITS.items():
            stale = pairs.filter(state=state, state_changed_at__lt=now - datetime.timedelta(days))
            waiting.append((PairState(state).label, days, stale.count(), state))
        ctx.update(
            programmes=programmes,
            current_programme=programme_id,
            mentor_counts=count_by_state(mentors, MentorState),
            mentee_counts=count_by_state(mentees, MenteeState),
            pair_counts=count_by_state(pairs, PairState),
            waiting=[w for w in waiting if w[2]],
            ending_soon=pairs.filter(
                state=PairState.ACTIVE, planned_end_on__lte=today + datetime.timedelta(14)
            )
            .select_related("mentor", "mentee")
            .order_by("planned_end_on")[:10],
            mentees_waiting=mentees.waiting_for_mentor().count(),
            mentors_available=with_free_place(mentors).count(),
            trained_not_ready=mentors.filter(state=MentorState.TRAINED).count(),
            selected_not_ready=mentees.filter(state=MenteeState.SELECTED).count(),
            upcoming_sessions=sessions.filter(
                starts_at__gte=now, starts_at__lte=now + datetime.timedelta(14)
            )
            .select_related("programme")
            .order_by("starts_at")[:5],
            problems=problems[:PROBLEMS_SHOWN],
        )
        return ctx


class SwitchOrganisationView(View):
    def post(self, request):
        wanted = request.POST.get("organisation", "")
        membership = (
            request.user.memberships.filter(is_active=True, organisation_id=parse_id(wanted) or 0)
            .select_related("organisation")
            .first()
        )
        if membership:
            request.session[SESSION_KEY] = membership.organisation_id
            messages.success(
                request,
                _("You are now working for %(org)s.") % {"org": membership.organisation.name},
            )
        return redirect("staff:home")


class NoOrganisationView(TemplateView):
    """An account without a team: a mentor's or mentee's goes to their portal."""

    template_name = "staff/no_organisation.html"

    def get(self, request, *args, **kwargs):
        if portal_services.is_portal_person(request.user):
            return redirect("portal:home")
        return super().get(request, *args, **kwargs)
