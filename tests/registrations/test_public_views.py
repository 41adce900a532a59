"""The public site: landing, the four journeys, errors, duplicates, spam, the status link."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from binome.notifications.models import OutboxEmail
from binome.registrations import services
from binome.registrations.enums import RegistrationState
from binome.registrations.models import Registration
from tests.registrations.factories import FederationFactory, member_with_offer, submit

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year

YOUNG_STEPS = [
    {
        "birth_year": str(YEAR - 19),
        "place": "59000",
        "situation": "job_seeker",
        "kinds": ["professional_insertion"],
    },
    {
        "first_name": "Awa",
        "last_name": "Diallo",
        "email": "awa@example.net",
        "phone": "06 12 34 56 78",
        "need": "Trouver un emploi",
        "consent": "on",
    },
]
JOURNEY_STEPS = {
    "jeune": YOUNG_STEPS,
    "mentor": [
        {"place": "59000", "kinds": ["orientation"]},
        {
            "first_name": "Jeanne",
            "last_name": "Martin",
            "email": "jeanne@example.org",
            "employer": "ACME",
            "consent": "on",
        },
    ],
    "orienter": [
        {
            "referrer_role": "prescriber",
            "referrer_name": "Paul Durand",
            "referrer_structure": "Mission locale de Lille",
            "referrer_email": "paul@ml.example.org",
        },
        {
            "first_name": "Yanis",
            "last_name": "Ben",
            "birth_year": str(YEAR - 19),
            "place": "59000",
            "situation": "neet",
            "young_consent": "on",
            "consent": "on",
        },
    ],
    "entreprise": [
        {
            "company_name": "ACME",
            "company_size": "large",
            "place": "59000",
            "first_name": "Claire",
            "last_name": "Roy",
            "email": "claire@acme.example.com",
            "consent": "on",
        }
    ],
}


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def walk(client, slug, steps, **extra_last):
    """Post every step like a browser (each answer carries the signed state)."""
    url = reverse("public:register", args=[slug])
    response = client.get(url)
    assert response.status_code == 200
    state = ""
    for index, data in enumerate(steps):
        payload = {"step": str(index), "state": state, **data}
        if index == len(steps) - 1:
            payload.update(extra_last)
        response = client.post(url, payload)
        assert response.status_code in (200, 429), response.status_code
        state = response.context.get("state", "") if response.context else ""
    return response


def test_landing_explains_mentoring_and_lists_programmes(client):
    fed = FederationFactory()
    _, offer, _ = member_with_offer(fed)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for slug in JOURNEY_STEPS:
        assert reverse("public:register", args=[slug]) in html
    assert offer.programme.name in html
    assert html.count("<script") == 1  # only the optional place suggestions


@pytest.mark.parametrize("slug", list(JOURNEY_STEPS))
def test_each_journey_records_one_request(client, slug):
    FederationFactory()
    response = walk(client, slug, JOURNEY_STEPS[slug])
    assert response.status_code == 200
    assert "/suivi/" not in response.content.decode()  # the link goes by e-mail only
    registration = Registration.objects.get()
    assert registration.state == RegistrationState.RECEIVED
    email = OutboxEmail.objects.get()
    assert email.category == "registration_received"
    expected = {"orienter": "paul@ml.example.org"}.get(slug)
    assert email.to == (expected or registration.email)
    token = re.search(r"/suivi/([^/\s]+)/", email.body).group(1)
    assert services.registration_from_token(token) == registration


def test_referral_keeps_who_registered_and_consents(client):
    walk(client, "orienter", JOURNEY_STEPS["orienter"])
    registration = Registration.objects.get()
    assert registration.kind == "referral"
    assert registration.referrer_structure == "Mission locale de Lille"
    assert registration.first_name == "Yanis"


def test_first_step_errors_keep_what_was_typed(client):
    url = reverse("public:register", args=["jeune"])
    response = client.post(url, {"step": "0", "birth_year": "20", "place": "Nowhereville"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"birth_year", "place", "situation"}
    html = response.content.decode()
    assert 'value="20"' in html
    assert 'value="Nowhereville"' in html
    assert "aria-describedby" in html or "field-error" in html
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", ""),
        ("last_name", ""),
        ("email", "not-an-email"),
        ("phone", "call me"),
        ("consent", ""),
    ],
)
def test_each_invalid_field_of_the_last_step(client, field, value):
    last = {**YOUNG_STEPS[1], field: value}
    if not value:
        last.pop(field)
    response = walk(client, "jeune", [YOUNG_STEPS[0], last])
    assert field in response.context["form"].errors
    assert response.context["step"] == 1
    assert Registration.objects.count() == 0
    # Nothing typed is lost, including the first step (carried in the signed state).
    assert response.context["state"]
    assert "Diallo" in response.content.decode() or field == "last_name"


def test_minor_needs_a_guardian(client):
    first = {**YOUNG_STEPS[0], "birth_year": str(YEAR - 15)}
    response = walk(client, "jeune", [first, YOUNG_STEPS[1]])
    assert "guardian_consent" in response.context["form"].errors
    response = walk(client, "jeune", [first, YOUNG_STEPS[1]], guardian_consent="on")
    assert Registration.objects.get().guardian_consent is True


def test_back_button_returns_to_the_first_step_with_answers(client):
    url = reverse("public:register", args=["jeune"])
    first = client.post(url, {"step": "0", **YOUNG_STEPS[0]})
    response = client.post(
        url,
        {"step": "1", "state": first.context["state"], "back": "1", "first_name": "Awa"},
    )
    assert response.context["step"] == 0
    assert response.context["form"].data["place"] == "59000"
    forward = client.post(url, {"step": "0", "state": response.context["state"], **YOUNG_STEPS[0]})
    assert forward.context["form"].data["first_name"] == "Awa"


def test_tampered_state_is_ignored(client):
    url = reverse("public:register", args=["jeune"])
    response = client.post(url, {"step": "1", "state": "forged", **YOUNG_STEPS[1]})
    assert response.status_code == 200
    assert response.context["step"] == 0  # back to the start: the first step is missing
    assert Registration.objects.count() == 0


def test_repeat_registration_creates_no_second_request(client):
    walk(client, "jeune", YOUNG_STEPS)
    response = walk(client, "jeune", YOUNG_STEPS)
    assert response.status_code == 200
    assert Registration.objects.count() == 1
    assert OutboxEmail.objects.order_by("-id").first().category == "registration_repeated"


def test_honeypot_answers_like_a_person_but_records_nothing(client):
    response = walk(client, "jeune", YOUNG_STEPS, website="http://spam.example")
    assert response.status_code == 200
    assert "public/received.html" in [t.name for t in response.templates]
    assert Registration.objects.count() == 0
    assert OutboxEmail.objects.count() == 0


def test_rate_limit_per_address_answers_429_without_record(client, settings):
    settings.BINOME_REGISTRATION_MAX_PER_IP_PER_HOUR = 1
    walk(client, "jeune", YOUNG_STEPS)
    second = [YOUNG_STEPS[0], {**YOUNG_STEPS[1], "email": "other@example.net"}]
    response = walk(client, "jeune", second)
    assert response.status_code == 429
    assert Registration.objects.count() == 1


def test_garbage_posts_never_fail(client):
    url = reverse("public:register", args=["jeune"])
    for payload in ({}, {"step": "x"}, {"step": "99"}, {"step": "-3", "kinds": ["zzz"]}):
        assert client.post(url, payload).status_code == 200
    assert client.get(reverse("public:register", args=["nope"])).status_code == 404
    assert Registration.objects.count() == 0


def test_status_page_shows_progress_and_the_association_contact(client):
    fed = FederationFactory()
    member, _, membership = member_with_offer(fed)
    registration = submit()
    url = reverse("public:status", args=[services.status_token(registration)])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    services.route_registration(registration)
    html = client.get(url).content.decode()
    assert member.name in html
    assert member.email not in html
    services.accept(registration, organisation=member, acting_user=membership.user)
    html = client.get(url).content.decode()
    assert 'id="association-contact"' in html
    assert member.email in html
    assert member.phone in html


@pytest.mark.parametrize("page", ["public:status", "public:correct", "public:withdraw"])
def test_status_link_forged_or_unknown_gets_the_friendly_page(client, page):
    registration = submit()
    token = services.status_token(registration)
    for bad in (token[:-2] + "xx", "abc"):
        response = client.get(reverse(page, args=[bad]))
        assert response.status_code == 404
        assert "public/link_invalid.html" in [t.name for t in response.templates]
        html = response.content.decode()
        assert "This link does not work" in html
        assert "copy the whole address" in html
        assert reverse("public:landing") in html
        assert response["Referrer-Policy"] == "same-origin"
    if page != "public:status":  # GET only
        assert client.post(reverse(page, args=["abc"]), {"confirm": "on"}).status_code == 404
    registration.refresh_from_db()
    assert registration.state == RegistrationState.RECEIVED


@pytest.mark.parametrize("page", ["public:status", "public:correct", "public:withdraw"])
def test_expired_status_link_gets_the_friendly_page(client, settings, page):
    registration = submit()
    token = services.status_token(registration)
    settings.BINOME_STATUS_LINK_DAYS = 30
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        response = client.get(reverse(page, args=[token]))
    assert response.status_code == 410
    html = response.content.decode()
    assert "This link has expired" in html
    assert "same e-mail address" in html
    assert "Awa" not in html


def test_registrant_corrects_then_withdraws(client):
    registration = submit()
    token = services.status_token(registration)
    url = reverse("public:correct", args=[token])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"first_name": "Awa", "last_name": "Diallo", "phone": "07 00 00 00 01", "place": "59000"},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.phone == "07 00 00 00 01"
    assert registration.place == "fr-postcode:59000"
    url = reverse("public:withdraw", args=[token])
    response = client.post(url, {})
    assert "confirm" in response.context["withdraw_form"].errors
    response = client.post(url, {"confirm": "on", "reason": "Found a job"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.state == RegistrationState.WITHDRAWN
    html = client.get(reverse("public:status", args=[token])).content.decode()
    assert reverse("public:withdraw", args=[token]) not in html


def test_e_mail_journey(client):
    """received → routed → taken in charge: one e-mail at each step, each with the link."""
    fed = FederationFactory()
    member, _, membership = member_with_offer(fed)
    walk(client, "jeune", YOUNG_STEPS)
    registration = Registration.objects.get()
    services.route_registration(registration)
    services.accept(registration, organisation=member, acting_user=membership.user)
    services.record_first_contact(registration, organisation=member, acting_user=membership.user)
    mails = OutboxEmail.objects.filter(to="awa@example.net").order_by("id")
    assert [m.category for m in mails] == [
        "registration_received",
        "registration_routed",
        "registration_accepted",
        "registration_contacted",
    ]
    for mail in mails:
        # Each e-mail carries a valid status link to this registration (the token is signed
        # with a timestamp, so it is checked by resolving it, not by comparing strings).
        token = re.search(r"/suivi/([^/\s]+)/", mail.body).group(1)
        assert services.registration_from_token(token) == registration
    assert re.search(re.escape(member.email), mails[2].body)


def test_nul_bytes_in_answers_are_refused_on_the_field_not_a_server_error(client):
    url = reverse("public:register", args=["jeune"])
    first = client.post(url, {"step": "0", **YOUNG_STEPS[0]})
    last = {**YOUNG_STEPS[1], "first_name": "A\x00wa", "need": "x\x00y"}
    response = client.post(url, {"step": "1", "state": first.context["state"], **last})
    assert response.status_code == 200
    assert {"first_name", "need"} <= set(response.context["form"].errors)
    assert Registration.objects.count() == 0
    registration = submit()
    token = services.status_token(registration)
    response = client.post(
        reverse("public:correct", args=[token]),
        {"first_name": "A\x00", "last_name": "Diallo", "place": "59000"},
    )
    assert response.status_code == 200
    assert "first_name" in response.context["correction_form"].errors
    response = client.post(reverse("public:repeat", args=[token]), {"action": "a\x00b"})
    assert response.status_code == 302
