"""A repeated registration never reveals or changes the existing request from an anonymous
browser: the page is the same whether the e-mail is known or not, the status link goes by
e-mail only, and the new answers wait for the owner on the status page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from binome.notifications.models import OutboxEmail
from binome.people.models import Mentee
from binome.registrations import services
from binome.registrations.enums import RegistrationState
from binome.registrations.models import Registration, RepeatSubmission
from tests.registrations.factories import FederationFactory, member_with_offer
from tests.registrations.test_public_views import YEAR, YOUNG_STEPS, walk

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r"/suivi/([^/\s]+)/")

VICTIM = [
    YOUNG_STEPS[0],
    {**YOUNG_STEPS[1], "email": "victim@example.net", "phone": "06 11 11 11 11"},
]
ATTACKER = [
    {**YOUNG_STEPS[0], "birth_year": str(YEAR - 40), "place": "75001"},
    {
        **YOUNG_STEPS[1],
        "first_name": "Mallory",
        "last_name": "Intrus",
        "email": "victim@example.net",
        "phone": "07 99 99 99 99",
        "need": "Rappelez-moi",
    },
]


def browser():
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def fields(registration):
    registration = Registration.objects.get(pk=registration.pk)
    return {f.attname: getattr(registration, f.attname) for f in Registration._meta.concrete_fields}


def last_link(to):
    body = OutboxEmail.objects.filter(to=to).latest("id").body
    return TOKEN.search(body).group(0)


def neutral(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_an_attacker_knowing_the_e_mail_learns_and_changes_nothing():
    fed = FederationFactory()
    member, _, membership = member_with_offer(fed)
    walk(browser(), "jeune", VICTIM)
    victim = services.route_registration(Registration.objects.get())
    services.accept(victim, organisation=member, acting_user=membership.user)
    victim.refresh_from_db()
    victim_link = last_link("victim@example.net")
    before = fields(victim)

    response = walk(browser(), "jeune", ATTACKER)  # a fresh browser, no cookie
    html = response.content.decode()
    assert response.status_code == 200
    assert "/suivi/" not in html
    assert "Follow my request" not in html
    assert "06 11 11 11 11" not in html
    assert Registration.objects.count() == 1
    assert fields(victim) == before  # nothing overwritten, not even the counters
    assert Mentee.objects.get().first_name == "Awa"
    # The link went to the owner's mailbox, to the same request.
    mail = OutboxEmail.objects.filter(to="victim@example.net").latest("id")
    assert mail.category == "registration_repeated"
    assert services.registration_from_token(TOKEN.search(mail.body).group(1)) == victim
    assert "Mallory" not in mail.body
    # Accepted: the new answers are not even kept (changes go through the association).
    assert not RepeatSubmission.objects.filter(registration=victim).exclude(answers={}).exists()
    owner = browser().get(victim_link)
    assert "Mallory" not in owner.content.decode()


def test_the_page_is_the_same_whether_the_e_mail_is_known_or_not():
    FederationFactory()
    walk(browser(), "jeune", VICTIM)
    known = walk(browser(), "jeune", ATTACKER)
    unknown = walk(browser(), "jeune", [ATTACKER[0], {**ATTACKER[1], "email": "new@example.net"}])
    assert neutral(known.content.decode()) == neutral(unknown.content.decode())
    assert set(known.context.keys()) >= {"journey"}
    assert "created" not in known.context
    assert Registration.objects.count() == 2


def test_the_owner_applies_or_ignores_new_answers_from_the_e_mailed_link():
    FederationFactory()
    walk(browser(), "jeune", VICTIM)
    victim = Registration.objects.get()
    walk(browser(), "jeune", ATTACKER)
    assert fields(victim)["first_name"] == "Awa"
    owner = browser()
    link = last_link("victim@example.net")
    page = owner.get(link)
    html = page.content.decode()
    assert 'id="new-answers"' in html
    assert "Mallory" in html  # shown to the owner only, to decide
    assert "07 99 99 99 99" in html
    token = TOKEN.search(link).group(1)
    response = owner.post(reverse("public:repeat", args=[token]), {"action": "apply"})
    assert response.status_code == 302
    victim.refresh_from_db()
    assert (victim.first_name, victim.phone, victim.birth_year) == (
        "Mallory",
        "07 99 99 99 99",
        YEAR - 40,
    )
    assert victim.place == "fr-postcode:75001"
    assert "Rappelez-moi" in victim.need
    assert 'id="new-answers"' not in owner.get(link).content.decode()

    # Another repeat, ignored this time: nothing changes.
    walk(browser(), "jeune", [VICTIM[0], {**VICTIM[1], "first_name": "Eve"}])
    response = owner.post(reverse("public:repeat", args=[token]), {"action": "ignore"})
    assert response.status_code == 302
    victim.refresh_from_db()
    assert victim.first_name == "Mallory"
    assert RepeatSubmission.objects.get(registration=victim).answers == {}


def test_a_repeat_with_the_same_answers_only_sends_the_link_again():
    FederationFactory()
    walk(browser(), "jeune", VICTIM)
    walk(browser(), "jeune", VICTIM)
    assert RepeatSubmission.objects.get().answers == {}
    assert list(OutboxEmail.objects.order_by("id").values_list("category", flat=True)) == [
        "registration_received",
        "registration_repeated",
    ]
    body = OutboxEmail.objects.latest("id").body
    assert "new answers" not in body


def test_too_many_repeats_send_no_more_e_mails_and_answer_the_same_page(settings):
    settings.BINOME_REGISTRATION_MAX_PER_EMAIL_PER_DAY = 2
    FederationFactory()
    walk(browser(), "jeune", VICTIM)
    first = walk(browser(), "jeune", ATTACKER)
    walk(browser(), "jeune", ATTACKER)
    third = walk(browser(), "jeune", ATTACKER)
    assert third.status_code == 200
    assert neutral(third.content.decode()) == neutral(first.content.decode())
    assert OutboxEmail.objects.filter(category="registration_repeated").count() == 2


def test_a_repeat_of_a_closed_request_creates_a_new_linked_one():
    FederationFactory()
    walk(browser(), "jeune", VICTIM)
    first = Registration.objects.get()
    services.withdraw(first)
    walk(browser(), "jeune", VICTIM)
    second = Registration.objects.exclude(pk=first.pk).get()
    assert second.previous_id == first.pk
    assert second.state == RegistrationState.RECEIVED
