"""A pair's meetings on the staff pair page: the list with the rhythm, and one page per form
(plan, change, log, confirm or correct, cancel), the .ics of one meeting, the calendar
addresses of the mentor and the mentee. The staff act as the association or on behalf of a
person (recorded as such by the services)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from binome.meetings import feeds, ics, services
from binome.meetings.enums import MEETING_PAIR_STATES, MeetingState
from binome.meetings.rhythm import monthly, rhythm_of
from binome.meetings.rules import confirming_sides
from binome.www.staff.base import ServiceFormView, error_messages
from binome.www.staff.pairs.meeting_forms import (
    CancelForm,
    ConfirmForm,
    LogForm,
    PlanForm,
    initial_log,
)
from binome.www.staff.pairs.scope import PairScopeMixin
from binome.www.staff.permissions import StaffMixin, is_partner


def meetings_context(pair, membership):
    """What the pair page shows of the meetings (nothing to a read-only partner): a constant
    number of queries whatever the number of meetings."""
    if is_partner(membership):
        return {"meetings": None}
    meetings = list(
        pair.meetings.select_related("logged_by", "confirmed_by").order_by("-starts_at", "-id")
    )
    rhythm = rhythm_of(pair)
    base = reverse("staff:pairs:meetings", args=[pair.pk])
    rows = [(m, _row_actions(m, base)) for m in meetings]
    return {
        "meetings": rows,
        "rhythm": rhythm,
        "months": monthly(meetings, rhythm)[:12],
        "can_plan": pair.state in MEETING_PAIR_STATES,
        "meetings_url": base,
        "feeds": feeds.active_feeds(pair),
    }


def _row_actions(meeting, base):
    url = f"{base}{meeting.pk}/"
    actions = []
    if meeting.state == MeetingState.PLANNED:
        if meeting.awaits_log:
            actions.append((_("Log"), url + "compte-rendu/", False))
        actions.append((_("Change"), url + "modifier/", False))
        actions.append((_("Cancel"), url + "annuler/", True))
    elif meeting.awaits_confirmation:
        actions.append((_("Confirm or correct"), url + "confirmer/", False))
    actions.append((_("Calendar (.ics)"), url + "ics/", False))
    return actions


class MeetingFormView(PairScopeMixin, ServiceFormView):
    """A meeting form: the pair (and the meeting) looked up in the organisation (404 else);
    a service's error shows on its field, with what was typed kept."""

    template_name = "staff/pairs/meeting_form.html"
    partner_allowed = False
    title = ""
    help = ""
    danger = False
    states = None  # the meeting states the form is for (None: a new meeting)

    def get_objects(self):
        if not hasattr(self, "pair"):
            self.pair = self.get_pair()
            self.meeting = None
            if "meeting" in self.kwargs:
                self.meeting = get_object_or_404(self.pair.meetings, pk=self.kwargs["meeting"])
                if not self.meeting_allowed(self.meeting):
                    raise Http404
            elif self.pair.state not in MEETING_PAIR_STATES:
                raise Http404

    def meeting_allowed(self, meeting):
        return meeting.state in self.states

    def get_form_kwargs(self):
        self.get_objects()
        kwargs = super().get_form_kwargs()
        kwargs["pair"] = self.pair
        return kwargs

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                for message in error_messages(exc):
                    form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.get_success_url())

    def acting(self, form):
        return {
            "acting_user": self.request.user,
            "on_behalf_of": form.cleaned_data.get("on_behalf_of") or None,
        }

    def get_success_url(self):
        return reverse("staff:pairs:detail", args=[self.pair.pk]) + "#meetings-h"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            pair=self.pair,
            meeting=self.meeting,
            title=self.title,
            help=self.help,
            danger=self.danger,
        )
        return ctx


def _schedule(form):
    data = form.cleaned_data
    return {
        "starts_at": data["starts_at"],
        "planned_minutes": data["planned_minutes"],
        "place": data["place"],
        "video_url": data["video_url"],
    }


class PlanMeetingView(MeetingFormView):
    form_class = PlanForm
    title = gettext_lazy("Plan a meeting")
    help = gettext_lazy("The mentor and the mentee can add it to their calendar.")

    def get_initial(self):
        return {"planned_minutes": self.pair.programme.meeting_minutes}

    def perform(self, form):
        services.plan_meeting(self.pair, **_schedule(form), **self.acting(form))


class ChangeMeetingView(MeetingFormView):
    form_class = PlanForm
    title = gettext_lazy("Change the meeting")
    help = gettext_lazy("Calendars that have it show the new date and place.")
    states = {MeetingState.PLANNED}

    def get_initial(self):
        m = self.meeting
        return {
            "starts_at": m.starts_at,
            "planned_minutes": m.planned_minutes,
            "place": m.place,
            "video_url": m.video_url,
        }

    def perform(self, form):
        services.update_meeting(self.meeting, **_schedule(form), **self.acting(form))


class LogMeetingView(MeetingFormView):
    form_class = LogForm
    title = gettext_lazy("Log the meeting")
    help = gettext_lazy("The other side then confirms or corrects it.")
    states = {MeetingState.PLANNED}

    def meeting_allowed(self, meeting):
        return meeting.awaits_log

    def get_initial(self):
        return {"held_minutes": self.meeting.planned_minutes}

    def perform(self, form):
        services.log_meeting(self.meeting, **form.log_values(), **self.acting(form))


class ConfirmMeetingView(MeetingFormView):
    form_class = ConfirmForm
    title = gettext_lazy("Confirm or correct the log")
    help = gettext_lazy("Change what the other side remembers differently, then confirm.")

    def meeting_allowed(self, meeting):
        return meeting.awaits_confirmation

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["sides"] = confirming_sides(self.meeting)
        return kwargs

    def get_initial(self):
        return initial_log(self.meeting)

    def perform(self, form):
        services.confirm_meeting(self.meeting, **form.log_values(), **self.acting(form))


class CancelMeetingView(MeetingFormView):
    form_class = CancelForm
    title = gettext_lazy("Cancel the meeting")
    help = gettext_lazy("It stays in the list; calendars show it cancelled.")
    danger = True
    states = {MeetingState.PLANNED}

    def perform(self, form):
        services.cancel_meeting(
            self.meeting, reason=form.cleaned_data["reason"], **self.acting(form)
        )


class MeetingIcsView(PairScopeMixin, StaffMixin, View):
    """One meeting as an .ics file, for the staff (to send to a person, or for themselves)."""

    partner_allowed = False

    def get(self, request, pk, meeting):
        pair = self.get_pair()
        found = get_object_or_404(pair.meetings, pk=meeting)
        found.pair = pair
        response = HttpResponse(ics.meeting_ics(found, "staff"), content_type=ics.CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{ics.filename(found)}"'
        return response


class FeedView(PairScopeMixin, StaffMixin, View):
    """POST: issue a new calendar address for the mentor or the mentee (the old one stops
    working), or revoke it."""

    partner_allowed = False
    edit_required = True

    def post(self, request, pk, side):
        pair = self.get_pair()
        if side not in ("mentor", "mentee"):
            raise Http404
        person = getattr(pair, side)
        if request.POST.get("do") == "revoke":
            feeds.revoke_feed(person, acting_user=request.user)
            messages.success(request, _("The calendar address no longer works."))
        else:
            feeds.issue_feed(person, acting_user=request.user)
            messages.success(request, _("A new calendar address is ready."))
        return redirect(reverse("staff:pairs:detail", args=[pair.pk]) + "#feeds-h")
