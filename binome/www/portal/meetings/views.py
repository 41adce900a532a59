"""A pair's meetings in the portal: the list with the rhythm and the person's calendar
address, one page per form (plan, change, cancel, log, confirm or correct), the .ics of one
meeting, and "report a problem". Every lookup starts from ``pairs_of(user)``: another
person's pair or meeting answers 404. The mentor or the mentee acts for themselves."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from binome.meetings import feeds, ics, services
from binome.meetings.enums import MEETING_PAIR_STATES, MeetingState
from binome.meetings.rhythm import monthly, rhythm_of
from binome.meetings.rules import confirming_sides
from binome.pairs.enums import PairState
from binome.portal import services as portal
from binome.www.portal.meetings.forms import (
    CancelForm,
    ConfirmForm,
    LogForm,
    PlanForm,
    ProblemForm,
)
from binome.www.staff.pairs.meeting_forms import initial_log

# The pair states whose meetings the portal shows: from the yes of both, history after.
SHOWN_STATES = {*MEETING_PAIR_STATES, PairState.MENTEE_ACCEPTED, PairState.CLOSED}


class PairMixin:
    """The person's own pair (404 else), their side and the other person."""

    states = SHOWN_STATES

    def dispatch(self, request, *args, **kwargs):
        self.pair = get_object_or_404(portal.pairs_of(request.user), pk=kwargs["pk"])
        if self.states is not None and self.pair.state not in self.states:
            raise Http404
        self.side = portal.side_of(self.pair, request.user)
        self.other = self.pair.mentee if self.side == "mentor" else self.pair.mentor
        self.person = getattr(self.pair, self.side)
        try:
            response = super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            raise Http404 from None
        response["Cache-Control"] = "no-store"
        return response

    def pair_context(self):
        return {
            "pair": self.pair,
            "side": self.side,
            "other": self.other,
            "organisation": self.pair.programme.organisation,
            "programme": self.pair.programme,
            "meetings_url": reverse("portal:meetings", args=[self.pair.pk]),
        }


def _actions(meeting, side, pk):
    args = [pk, meeting.pk]
    actions = []
    if meeting.state == MeetingState.PLANNED:
        if meeting.awaits_log:
            actions.append((_("Log"), reverse("portal:meeting_log", args=args), False))
        actions.append((_("Change"), reverse("portal:meeting_change", args=args), False))
        actions.append((_("Cancel"), reverse("portal:meeting_cancel", args=args), True))
    elif meeting.awaits_confirmation and side in confirming_sides(meeting):
        url = reverse("portal:meeting_confirm", args=args)
        actions.append((_("Confirm or correct"), url, False))
    actions.append((_("Calendar (.ics)"), reverse("portal:meeting_ics", args=args), False))
    return actions


class MeetingsView(PairMixin, TemplateView):
    """The pair's meetings, in four groups: to confirm, to log, coming, past."""

    template_name = "portal/meetings/list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        meetings = list(self.pair.meetings.order_by("-starts_at", "-id"))
        groups = {"to_confirm": [], "to_log": [], "coming": [], "past": []}
        for m in meetings:
            m.pair = self.pair
            if m.awaits_confirmation and self.side in confirming_sides(m):
                key = "to_confirm"
            elif m.awaits_log:
                key = "to_log"
            elif m.state == MeetingState.PLANNED:
                key = "coming"
            else:
                key = "past"
            groups[key].append((m, _actions(m, self.side, self.pair.pk)))
        groups["coming"].reverse()  # the next one first
        rhythm = rhythm_of(self.pair)
        feed = feeds.active_feed(self.person)
        feed_url = ""
        if feed is not None:
            feed_url = self.request.build_absolute_uri(reverse("calendar:feed", args=[feed.token]))
        ctx.update(
            self.pair_context(),
            groups=groups,
            has_meetings=bool(meetings),
            rhythm=rhythm,
            months=monthly(meetings, rhythm)[:12],
            can_plan=self.pair.state in MEETING_PAIR_STATES,
            feed_url=feed_url,
            webcal_url=feed_url.replace("https://", "webcal://").replace("http://", "webcal://"),
        )
        return ctx


class PortalFormView(PairMixin, FormView):
    """A form handed to one service: its error shows on its field, what was typed kept."""

    template_name = "portal/meetings/form.html"
    title = ""
    help = ""
    danger = False
    meeting_states = None  # None: a form about the pair, not one meeting
    success_message = gettext_lazy("Saved.")

    def dispatch(self, request, *args, **kwargs):
        self.meeting = None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        if "meeting" in self.kwargs and self.meeting is None:
            self.meeting = get_object_or_404(self.pair.meetings, pk=self.kwargs["meeting"])
            self.meeting.pair = self.pair
            if not self.meeting_allowed(self.meeting):
                raise Http404
        kwargs = super().get_form_kwargs()
        kwargs["pair"] = self.pair
        return kwargs

    def meeting_allowed(self, meeting):
        return meeting.state in self.meeting_states

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                for message in exc.messages:
                    form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def get_success_url(self):
        return reverse("portal:meetings", args=[self.pair.pk])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            self.pair_context(),
            meeting=self.meeting,
            title=self.title,
            help=self.help,
            danger=self.danger,
            submit=self.submit_label(),
        )
        return ctx

    def submit_label(self):
        return _("Confirm")


def _schedule(form):
    data = form.cleaned_data
    return {name: data[name] for name in ("starts_at", "planned_minutes", "place", "video_url")}


class PlanView(PortalFormView):
    form_class = PlanForm
    states = MEETING_PAIR_STATES
    title = gettext_lazy("Plan a meeting")
    help = gettext_lazy("You can then add it to your calendar.")

    def get_initial(self):
        return {"planned_minutes": self.pair.programme.meeting_minutes}

    def perform(self, form):
        services.plan_meeting(self.pair, acting_user=self.request.user, **_schedule(form))


class ChangeView(PortalFormView):
    form_class = PlanForm
    meeting_states = {MeetingState.PLANNED}
    title = gettext_lazy("Change the meeting")
    help = gettext_lazy("Calendars that have it show the new date and place.")

    def get_initial(self):
        m = self.meeting
        return {
            "starts_at": m.starts_at,
            "planned_minutes": m.planned_minutes,
            "place": m.place,
            "video_url": m.video_url,
        }

    def perform(self, form):
        services.update_meeting(self.meeting, acting_user=self.request.user, **_schedule(form))


class CancelView(PortalFormView):
    form_class = CancelForm
    meeting_states = {MeetingState.PLANNED}
    title = gettext_lazy("Cancel the meeting")
    help = gettext_lazy("It stays in the list; calendars show it cancelled.")
    danger = True

    def perform(self, form):
        services.cancel_meeting(
            self.meeting, acting_user=self.request.user, reason=form.cleaned_data["reason"]
        )


class LogView(PortalFormView):
    form_class = LogForm
    title = gettext_lazy("Log the meeting")
    help = gettext_lazy("The other side then confirms or corrects it.")

    def meeting_allowed(self, meeting):
        return meeting.awaits_log

    def get_initial(self):
        return {"held_minutes": self.meeting.planned_minutes}

    def perform(self, form):
        services.log_meeting(self.meeting, acting_user=self.request.user, **form.log_values())


class ConfirmView(PortalFormView):
    form_class = ConfirmForm
    title = gettext_lazy("Confirm or correct the log")
    help = gettext_lazy("Change what you remember differently, then confirm.")

    def meeting_allowed(self, meeting):
        return meeting.awaits_confirmation and self.side in confirming_sides(meeting)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["sides"] = confirming_sides(self.meeting)
        return kwargs

    def get_initial(self):
        return initial_log(self.meeting)

    def perform(self, form):
        services.confirm_meeting(self.meeting, acting_user=self.request.user, **form.log_values())


class ProblemView(PortalFormView):
    """ "Report a problem": what is wrong reaches the association's coordinators."""

    form_class = ProblemForm
    template_name = "portal/meetings/problem.html"
    states = None
    title = gettext_lazy("Report a problem")
    success_message = gettext_lazy(
        "Thank you: your message has been sent to the association's team. They will get in "
        "touch with you."
    )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("pair")
        return kwargs

    def perform(self, form):
        portal.report_problem(
            self.pair,
            acting_user=self.request.user,
            category=form.cleaned_data["category"],
            text=form.cleaned_data["text"],
            site_url=self.request.build_absolute_uri("/"),
        )

    def get_success_url(self):
        return reverse("portal:pair", args=[self.pair.pk])

    def submit_label(self):
        return _("Send to the association")


class IcsView(PairMixin, View):
    """One meeting as an .ics file, to open in a calendar."""

    def get(self, request, pk, meeting):
        found = get_object_or_404(self.pair.meetings, pk=meeting)
        found.pair = self.pair
        response = HttpResponse(ics.meeting_ics(found, self.side), content_type=ics.CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{ics.filename(found)}"'
        return response


class FeedView(PairMixin, View):
    """POST: a new private calendar address (the old one stops working), or none."""

    http_method_names = ["post"]

    def post(self, request, pk):
        if request.POST.get("do") == "revoke":
            feeds.revoke_feed(self.person, acting_user=request.user)
            messages.success(request, _("The calendar address no longer works."))
        else:
            feeds.issue_feed(self.person, acting_user=request.user)
            messages.success(request, _("A new calendar address is ready."))
        return redirect(reverse("portal:meetings", args=[self.pair.pk]) + "#calendar-h")
