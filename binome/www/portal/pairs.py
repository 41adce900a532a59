"""A mentor's or mentee's own pairs: the list, one pair, their yes or no."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from binome.matching.adapter import settings_for
from binome.meetings.rhythm import with_rhythm
from binome.pairs.enums import FirstMeetingItem, PairState
from binome.portal import services as portal
from binome.www.portal.forms import FirstMeetingForm
from binome.www.portal.views import DeclineForm, mentee_profile


def card(pair, user):
    """What the person sees of one pair: their side, the other person, what to do now."""
    side = portal.side_of(pair, user)
    other = pair.mentee if side == "mentor" else pair.mentor
    waiting = (side, pair.state) in {
        ("mentor", PairState.PROPOSED),
        ("mentee", PairState.MENTOR_ACCEPTED),
    }
    return {
        "pair": pair,
        "side": side,
        "other": other,
        "to_answer": waiting,
        "contacts": portal.shows_contacts(pair),
    }


class PortalMixin:
    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response


class HomeView(PortalMixin, TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        cards = []
        for pair in with_rhythm(portal.pairs_of(user)):  # the next meeting, in the same query
            info = card(pair, user)
            info["next_meeting"] = pair.rhythm_next_planned if info["contacts"] else None
            cards.append(info)
        return super().get_context_data(cards=cards, **kwargs)


class PairView(PortalMixin, TemplateView):
    template_name = "portal/pair.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.pair = get_object_or_404(portal.pairs_of(request.user), pk=kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        info = card(self.pair, self.request.user)
        profile = None
        if info["side"] == "mentor" and info["to_answer"]:
            profile = mentee_profile(
                self.pair.mentee, settings_for(self.pair.programme).mentee_fields
            )
        ctx.update(
            info,
            organisation=self.pair.programme.organisation,
            programme=self.pair.programme,
            profile=profile,
            checklist=FirstMeetingItem.choices,
            form=kwargs.get("form") or DeclineForm(),
            errors=kwargs.get("errors", []),
            first_meeting_form=(
                kwargs.get("first_meeting_form") or FirstMeetingForm()
                if self.pair.state == PairState.MENTEE_ACCEPTED
                else None
            ),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        form = DeclineForm(request.POST if action == "decline" else None)
        errors = []
        try:
            if action == "accept":
                portal.answer_pair(
                    self.pair,
                    acting_user=request.user,
                    accept=True,
                    site_url=request.build_absolute_uri("/"),
                )
                messages.success(request, _("Thank you: your yes is recorded."))
            elif action == "decline":
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(form=form))
                portal.answer_pair(
                    self.pair,
                    acting_user=request.user,
                    accept=False,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("Thank you for telling us: your answer is recorded."))
            elif action == "first_meeting":
                meeting = FirstMeetingForm(request.POST)
                if not meeting.is_valid():
                    return self.render_to_response(
                        self.get_context_data(first_meeting_form=meeting)
                    )
                try:
                    portal.record_first_meeting(
                        self.pair, acting_user=request.user, **meeting.cleaned_data
                    )
                except ValidationError as exc:
                    meeting.add_error("held_on", exc)
                    self.pair.refresh_from_db()
                    return self.render_to_response(
                        self.get_context_data(first_meeting_form=meeting)
                    )
                messages.success(request, _("Thank you: your first meeting is recorded."))
            else:
                errors.append(_("Choose to accept or to decline."))
        except ValidationError as exc:
            errors.extend(exc.messages)
        if errors:
            self.pair.refresh_from_db()
            return self.render_to_response(self.get_context_data(form=form, errors=errors))
        return redirect("portal:pair", pk=self.pair.pk)
