"""The mentor's signed-link pages (no login) and the public data-sources page."""

import datetime

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from binome.geo import places
from binome.matching import services as matching
from binome.matching.adapter import settings_for
from binome.matching.enums import MenteeField
from binome.pairs.enums import DeclineReason, PairState
from binome.people import vocab
from binome.portal import services as portal

VOCABS = {
    "sectors": vocab.Sector,
    "functions": vocab.Function,
    "languages": vocab.Language,
    "hobbies": vocab.Hobby,
    "expectations": vocab.Expectation,
    "support": vocab.Support,
}


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you decline?"), choices=DeclineReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("A word for the team (optional; needed for “Other”)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def mentee_profile(mentee, fields):
    """(label, value) of what the programme shows the mentor; never contact details."""
    shown = []
    labels = dict(MenteeField.choices)
    for field in MenteeField.values:
        if field not in fields:
            continue
        if field == MenteeField.FIRST_NAME:
            value = mentee.first_name
        elif field == MenteeField.AGE:
            year = mentee.birth_year
            value = str(timezone.localdate().year - year) if year else ""
        elif field == MenteeField.TOWN:
            place = places.resolve(mentee.place) if mentee.place else None
            value = place.name if place else ""
        elif field == MenteeField.SITUATION:
            value = mentee.get_situation_display()
        elif field == MenteeField.MOTIVATION:
            value = mentee.motivation
        else:
            codes = getattr(mentee, field) or []
            names = dict(VOCABS[field].choices)
            value = ", ".join(str(names.get(c, c)) for c in codes)
        if value:
            shown.append((labels[field], value))
    return shown


@method_decorator(login_not_required, name="dispatch")
class OfferView(TemplateView):
    """The mentee's profile as the programme shows it, with accept and decline."""

    template_name = "portal/offer.html"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.offer = matching.offer_from_link(kwargs["token"])
        except matching.OfferLinkError as exc:
            response = self.response_class(
                request=request,
                template=["portal/link_invalid.html"],
                context={"expired": exc.expired},
                status=410 if exc.expired else 404,
            )
            response["Referrer-Policy"] = "same-origin"
            return response
        response = super().dispatch(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        response["Cache-Control"] = "no-store"
        return response

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        pair = self.offer.pair
        ms = settings_for(pair.programme)
        ctx.update(
            pair=pair,
            organisation=pair.programme.organisation,
            programme=pair.programme,
            profile=mentee_profile(pair.mentee, ms.mentee_fields),
            is_open=pair.state == PairState.PROPOSED and not self.offer.answered_at,
            accepted=pair.state not in {PairState.PROPOSED, PairState.MENTOR_DECLINED},
            declined=pair.state == PairState.MENTOR_DECLINED,
            form=kwargs.get("form") or DeclineForm(),
            answer_by=(
                answer_by := timezone.localdate(self.offer.sent_at)
                + datetime.timedelta(days=ms.reply_days)
            ),
            answer_late=answer_by < timezone.localdate(),
            errors=kwargs.get("errors", []),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        form = DeclineForm(request.POST if action == "decline" else None)
        errors = []
        try:
            site_url = request.build_absolute_uri("/")
            if action == "accept":
                portal.answer_offer(self.offer, accept=True, site_url=site_url)
            elif action == "decline":
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(form=form))
                portal.answer_offer(
                    self.offer,
                    accept=False,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            else:
                errors.append(_("Choose to accept or to decline."))
        except ValidationError as exc:
            errors.extend(exc.messages)
        if errors:
            return self.render_to_response(self.get_context_data(form=form, errors=errors))
        return redirect(request.path)


@method_decorator(login_not_required, name="dispatch")
class SourcesView(TemplateView):
    """Where the geographic data come from, with their licences."""

    template_name = "portal/sources.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["blocks"] = notice_blocks(places.credits())
        return ctx


def notice_blocks(text):
    """A tiny reading of the notice's Markdown: headings, paragraphs and lists, as text."""
    blocks = []
    for chunk in text.replace("**", "").replace("`", "").split("\n\n"):
        lines = [line.rstrip() for line in chunk.strip().splitlines()]
        if not lines:
            continue
        if lines[0].startswith("#"):
            level = len(lines[0]) - len(lines[0].lstrip("#"))
            blocks.append({"kind": "h1" if level == 1 else "h2", "text": lines[0].lstrip("# ")})
            lines = lines[1:]
            if not lines:
                continue
        if lines[0].startswith("- "):
            items = []
            for line in lines:
                if line.startswith("- "):
                    items.append(line[2:].strip())
                elif items:
                    items[-1] += " " + line.strip()
            blocks.append({"kind": "ul", "items": items})
        else:
            blocks.append({"kind": "p", "text": " ".join(line.strip() for line in lines)})
    return blocks
