"""The public site: landing page, registration journeys, the private status page.

No login, no JavaScript needed. A multi-step journey carries the earlier steps' answers in a
signed hidden field (no server state), so nothing typed is lost when going back and forth.
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from binome.geo import places
from binome.organisations.enums import OrganisationKind
from binome.people.vocab import Situation
from binome.programmes.enums import MentoringKind
from binome.programmes.models import Programme
from binome.registrations import services
from binome.registrations.enums import (
    CompanySize,
    PriorityPublic,
    ReferrerRole,
    RegistrationKind,
    RegistrationState,
)
from binome.registrations.models import Registration
from binome.www.public import forms

STATE_SALT = "binome.public.journey"


@dataclass(frozen=True)
class Journey:
    slug: str
    kind: str
    title: str
    intro: str
    side: str
    steps: tuple

    def form_kwargs(self, index, cleaned):
        """Earlier answers some steps need (the age for the guardian's agreement…)."""
        if self.kind == RegistrationKind.YOUNG and index == 1:
            return {"birth_year": cleaned.get("birth_year")}
        if self.kind == RegistrationKind.REFERRAL and index == 1:
            return {"referrer_role": cleaned.get("referrer_role")}
        return {}


JOURNEYS = {
    j.slug: j
    for j in (
        Journey(
            "jeune",
            RegistrationKind.YOUNG,
            _("I'm looking for a mentor"),
            _("For young people and job seekers. Two short steps, about two minutes."),
            "mentee",
            (forms.YoungSituationForm, forms.YoungContactForm),
        ),
        Journey(
            "mentor",
            RegistrationKind.MENTOR,
            _("I want to become a mentor"),
            _("For anyone who wants to give a few hours a month. Two short steps."),
            "mentor",
            (forms.MentorProfileForm, forms.MentorContactForm),
        ),
        Journey(
            "orienter",
            RegistrationKind.REFERRAL,
            _("I'm registering a young person"),
            _("For parents and professionals. The young person must agree."),
            "mentee",
            (forms.ReferrerForm, forms.ReferredYoungForm),
        ),
        Journey(
            "entreprise",
            RegistrationKind.COMPANY,
            _("My company wants to engage its employees"),
            _("Skills sponsorship: your employees mentor during working time."),
            "mentor",
            (forms.CompanyForm,),
        ),
    )
}


def public_programmes(side=None, limit=30):
    """Open programmes with their public description (of the federation's members, or of
    the instance's associations)."""
    qs = Programme.objects.active().filter(organisation__kind=OrganisationKind.ASSOCIATION)
    root = services.routing_root()
    if root is not None:
        qs = qs.filter(organisation__federation=root)
    if side:
        with_offers = qs.filter(offers__side=side, offers__is_active=True).distinct()
        if with_offers.exists():
            qs = with_offers
    return list(qs.select_related("organisation").order_by("organisation__name", "name")[:limit])


@login_not_required
@require_http_methods(["GET"])
def landing(request):
    return render(
        request,
        "public/landing.html",
        {"journeys": list(JOURNEYS.values()), "programmes": public_programmes()},
    )


def _load_state(token):
    if not token:
        return {}
    try:
        state = signing.loads(token, salt=STATE_SALT, max_age=60 * 60 * 24)
    except signing.BadSignature:
        return {}
    return state if isinstance(state, dict) else {}


def _as_querydict(raw):
    data = QueryDict(mutable=True)
    for name, values in (raw or {}).items():
        data.setlist(name, values)
    return data


def _client_ip(request):
    return request.META.get("REMOTE_ADDR", "")


@login_not_required
@require_http_methods(["GET", "POST"])
def register(request, slug):
    journey = JOURNEYS.get(slug)
    if journey is None:
        raise Http404
    count = len(journey.steps)
    if request.method == "GET":
        return _render_step(request, journey, 0, journey.steps[0](), {})

    try:
        index = min(max(int(request.POST.get("step", "0")), 0), count - 1)
    except ValueError:
        index = 0
    state = _load_state(request.POST.get("state", ""))
    form_class = journey.steps[index]
    state[str(index)] = {name: request.POST.getlist(name) for name in form_class.base_fields}

    # Answers of the earlier steps, validated again (the signature keeps them honest).
    cleaned = {}
    for earlier in range(index):
        form = journey.steps[earlier](
            _as_querydict(state.get(str(earlier))), **journey.form_kwargs(earlier, cleaned)
        )
        if not form.is_valid():
            return _render_step(request, journey, earlier, form, state)
        cleaned.update(form.cleaned_data)

    form = form_class(request.POST, **journey.form_kwargs(index, cleaned))
    language = request.POST.get("switch_language", "")
    if language in dict(settings.LANGUAGES):
        return _switch_language(request, language, journey, index, form, state)
    if request.POST.get("back") and index > 0:
        previous = journey.steps[index - 1](
            _as_querydict(state.get(str(index - 1))),
            **journey.form_kwargs(index - 1, cleaned),
        )
        return _render_step(request, journey, index - 1, previous, state)
    if not form.is_valid():
        return _render_step(request, journey, index, form, state)
    cleaned.update(form.cleaned_data)
    if index + 1 < count:
        following = journey.steps[index + 1]
        kwargs = journey.form_kwargs(index + 1, cleaned)
        saved = state.get(str(index + 1))
        # Coming back to a step already filled: what was typed is shown again.
        next_form = following(_as_querydict(saved), **kwargs) if saved else following(**kwargs)
        return _render_step(request, journey, index + 1, next_form, state)

    received = render(request, "public/received.html", _received_context(journey))
    if request.POST.get("website", "").strip():
        # The honeypot is filled: a bot. Same answer as a person, nothing recorded.
        return received
    if services.is_rate_limited(source_ip=_client_ip(request)):
        return render(request, "public/rate_limited.html", {"journey": journey}, status=429)
    services.submit_registration(
        kind=journey.kind,
        data=dict(cleaned),  # the agreements ticked are recorded as consents
        language=request.LANGUAGE_CODE,
        source_ip=_client_ip(request),
    )
    # The same page whether the request is new or repeats an open one (whose link goes to
    # the address on file only): it tells nothing about who has registered.
    return received


def _switch_language(request, language, journey, index, form, state):
    """The language switch pressed in the middle of a step: the same step again, in that
    language, with what was typed kept and not judged yet (nothing was sent)."""
    translation.activate(language)
    request.LANGUAGE_CODE = language
    form._errors = ErrorDict()  # shown as typed; checked when the person goes on
    response = _render_step(request, journey, index, form, state)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    response.headers["Content-Language"] = language
    return response


def _received_context(journey):
    return {"journey": journey, "answer_days": services.answer_days()}


def _render_step(request, journey, index, form, state):
    token = signing.dumps(state, salt=STATE_SALT, compress=True) if state else ""
    return render(
        request,
        "public/register.html",
        {
            "journey": journey,
            "form": form,
            "step": index,
            "step_number": index + 1,
            "step_count": len(journey.steps),
            "is_last": index + 1 == len(journey.steps),
            "state": token,
            "programmes": public_programmes(journey.side, limit=12) if index == 0 else [],
        },
    )


# --- the private status page -------------------------------------------------------------------

PUBLIC_STEPS = [
    RegistrationState.RECEIVED,
    RegistrationState.ROUTED,
    RegistrationState.ACCEPTED,
    RegistrationState.CONTACTED,
]


def status_link(view):
    """Resolve the status token before the view; a forged, incomplete or old link gets the
    friendly "this link does not work / has expired" page (404 / 410), never an error page."""

    @functools.wraps(view)
    def wrapper(request, token):
        try:
            registration = services.registration_for_link(token)
        except services.StatusLinkError as exc:
            response = render(
                request,
                "public/link_invalid.html",
                {"expired": exc.expired},
                status=410 if exc.expired else 404,
            )
        else:
            response = view(request, token, registration)
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapper


def _timeline(registration):
    """The public history: each step with its date, the association when it has one."""
    entries = []
    for t in registration.transitions.order_by("at", "id"):
        if t.to_state == RegistrationState.RECEIVED and t.from_state:
            continue  # back to routing after a decline: the next "routed" line says it
        entries.append({"state": t.to_state, "label": t.to_label, "at": t.at})
    return entries


@login_not_required
@never_cache
@require_http_methods(["GET"])
@status_link
def status(request, token, registration):
    saved = request.GET.get("saved") == "1"
    return render(request, "public/status.html", _status_context(registration, token, saved=saved))


CHOICES = {
    "situation": Situation.choices,
    "kinds": MentoringKind.choices,
    "publics": PriorityPublic.choices,
    "referrer_role": ReferrerRole.choices,
    "company_size": CompanySize.choices,
}


def _shown(name, value):
    """An answer as the registrant reads it (labels, not codes; the town, not its key)."""
    if value in ("", None, []):
        return "—"
    if name == "place":
        place = places.resolve(value)
        return place.label if place else value
    names = dict(CHOICES.get(name, ()))
    if isinstance(value, list):
        return ", ".join(str(names.get(v, v)) for v in value)
    return str(names.get(value, value))


def new_answer_rows(registration):
    """The answers of a repeat waiting for the owner: (label, now, new) per field."""
    answers = services.pending_answers(registration)
    return [
        (
            capfirst(Registration._meta.get_field(name).verbose_name),
            _shown(name, getattr(registration, name)),
            _shown(name, value),
        )
        for name, value in answers.items()
    ]


def _status_context(registration, token, **extra):
    state = registration.state
    reached = {t["state"] for t in _timeline(registration)}
    return {
        "new_answers": new_answer_rows(registration),
        "registration": registration,
        "token": token,
        "timeline": _timeline(registration),
        "steps": [(s, s.label, s in reached or s == state) for s in PUBLIC_STEPS],
        "show_contact": state in {RegistrationState.ACCEPTED, RegistrationState.CONTACTED},
        "organisation": registration.organisation,
        "can_correct": state in {"received", "routed", "queued"},
        "can_withdraw": state not in {"withdrawn", "closed"},
        "answer_days": services.answer_days(),
        "correction_form": extra.get("correction_form"),
        "withdraw_form": extra.get("withdraw_form"),
        "saved": extra.get("saved", False),
    }


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
@status_link
def correct(request, token, registration):
    initial = {f: getattr(registration, f) for f in forms.CorrectionForm.base_fields}
    form = forms.CorrectionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.correct(registration, data=form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            return redirect(reverse("public:status", args=[token]) + "?saved=1")
    return render(
        request,
        "public/correct.html",
        _status_context(registration, token, correction_form=form),
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
@status_link
def withdraw(request, token, registration):
    form = forms.WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(registration, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            return redirect("public:status", token)
    return render(
        request,
        "public/withdraw.html",
        _status_context(registration, token, withdraw_form=form),
    )


@login_not_required
@never_cache
@require_http_methods(["POST"])
@status_link
def repeat(request, token, registration):
    """The owner applies or ignores the answers of a repeated registration."""
    action = request.POST.get("action")
    if action == "apply":
        # Taken in charge meanwhile: nothing to apply any more (the status page says so).
        services.apply_repeat(registration)
        return redirect(reverse("public:status", args=[token]) + "?saved=1")
    if action == "ignore":
        services.ignore_repeat(registration)
    return redirect("public:status", token)
