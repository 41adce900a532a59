"""French conventions in the routing reasons and the registrants' pages and e-mails: decimal
commas, plurals, French dates."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from binome.registrations import routing, services
from tests.registrations.factories import FederationFactory, member_with_offer, submit


def _choice(n_offers=1, response_days=1.25, publics=frozenset()):
    offer = routing.OfferSpec(
        id=1,
        organisation_id=1,
        side="mentee",
        capacity=10,
        remaining=7,
        response_days=response_days,
        publics=publics,
    )
    request = routing.RequestSpec(side="mentee", department="59", publics=publics)
    return routing.rank([offer], request)[0]


def test_reason_has_decimal_commas_and_plurals_in_french():
    choice = _choice(publics=frozenset({"qpv"}))
    with translation.override("fr"):
        one = services.describe_choice(choice, rank_count=1)
        three = services.describe_choice(choice, rank_count=3)
    assert "," + f"{choice.score:.2f}".split(".")[1] in one
    assert f"{choice.score:.2f}" not in one
    assert "1,2 jour" in one or "1,3 jour" in one
    assert "1 associations" not in one
    assert "la seule déclaration ouverte" in one
    assert "la meilleure des 3 déclarations ouvertes" in three
    assert "Quartier prioritaire" in one  # the public's name, not its code
    with translation.override("en"):
        english = services.describe_choice(choice, rank_count=3)
    assert f"{choice.score:.2f}" in english
    assert "the best of 3 open declarations" in english


@pytest.mark.django_db
def test_one_answer_day_is_singular(settings, rf):
    settings.BINOME_ROUTING_ANSWER_DAYS = 1
    fed = FederationFactory()
    member_with_offer(fed)
    registration = services.route_registration(submit())
    attempt = registration.attempts.get()
    context = services._registrant_context(registration, "http://x/suivi/t/")
    with translation.override("fr"):
        routed = render_to_string("emails/registration_routed/body.txt", context)
        received = render_to_string("emails/registration_received/body.txt", context)
        page = render_to_string(
            "public/received.html", {**context, "journey": None}, request=rf.get("/")
        )
        services.time_out(attempt)
    for text in (routed, received, page):
        assert "1 jour pour répondre" in text, text
        assert "1 jours" not in text
    assert registration.transitions.filter(reason="pas de réponse sous 1 jour").exists()


@pytest.mark.django_db
def test_association_e_mails_write_dates_in_french():
    fed = FederationFactory()
    member, _, _ = member_with_offer(fed)
    registration = services.route_registration(submit())
    attempt = registration.attempts.get()
    attempt.routed_at = datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)
    context = services._association_context(attempt, registration, days_waiting=1)
    with translation.override("fr"):
        body = render_to_string("emails/registration_reminder/body.txt", context)
        subject = render_to_string("emails/registration_reminder/subject.txt", context)
    assert "avant le 9 mars 2026" in body
    assert "depuis 1 jour." in body
    assert "depuis 1 jour" in subject
    assert "1 jours" not in body + subject
