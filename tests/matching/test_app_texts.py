"""What the matching pages and the mentor's link say: plain words for the staff, French
decimal commas, no elision slips before a name, and only promises the app keeps."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from binome.matching import services
from binome.matching.models import MentorOffer
from binome.www.staff.matching.presenters import cost_message
from tests.factories import MembershipFactory, ProgrammeFactory
from tests.matching.app_helpers import done_run, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_fr(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    client.cookies["django_language"] = "fr"
    programme = ProgrammeFactory(organisation=membership.organisation, name="Avenir")
    return client, programme


def _main(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_run_page_in_french_plain_words_and_decimal_commas(
    staff_fr, django_capture_on_commit_callbacks
):
    client, programme = staff_fr
    people(programme, 2, 3)
    run = done_run(programme, django_capture_on_commit_callbacks)
    services.remove_proposal(run.proposals.first(), acting_user=None)
    main = _main(client.get(reverse("staff:matching:run", args=[run.pk])))
    for jargon in ("glouton", "optimum", "Optimum"):
        assert jargon not in main
    assert "Proposition du moteur (la meilleure possible dans l’ensemble)" in main
    assert "Un par un, le meilleur binôme d’abord (pour comparer)" in main
    assert "Vos modifications laissent 1 mentoré·e de plus sans mentor et coûtent" in main
    assert re.search(r"\d,\d\d points", main)  # decimal comma in the sentences
    assert not re.search(r"\d\.\d", main)  # no decimal point anywhere in the page
    assert "Retirer le binôme proposé à " in main
    assert "binôme de " not in main


def test_home_in_french_no_de_before_a_name(staff_fr):
    client, programme = staff_fr
    main = _main(client.get(reverse("staff:matching:home")))
    assert "Critères du programme Avenir" in main
    assert "Critères de " not in main


def test_cost_messages_use_the_language_decimal_separator():
    cost = {"score": 73.457, "optimal_score": 80.0, "difference": -6.544}
    with translation.override("fr"):
        message = cost_message(cost)
        assert "73,46" in message
        assert "80,00" in message
        assert "-6,54" in message
        added = cost_message({"score": 61.5, "optimal_score": None, "difference": None})
        assert "61,50" in added
        assert "optimum" not in added
    with translation.override("en"):
        assert "73.46" in cost_message(cost)


def test_the_mentor_is_told_how_contact_details_arrive(
    client, staff_fr, django_capture_on_commit_callbacks
):
    _, programme = staff_fr
    people(programme, 1, 1)
    run = done_run(programme, django_capture_on_commit_callbacks)
    services.publish_run(run, acting_user=None, site_url="http://testserver")
    offer = MentorOffer.objects.get()
    link = services.offer_link(offer).replace("http://testserver", "")
    client.logout()
    client.cookies["django_language"] = "en"
    html = client.get(link).content.decode()
    assert "receive the mentee's contact details by e-mail once both of you" in html
    assert "receive each other's contact details by e-mail" in html
    client.post(link, {"action": "accept"})
    html = client.get(link).content.decode()
    assert "you will receive their contact details by e-mail" in html
    assert "put you in touch" not in html
    for word in ("action plan", "review"):
        assert word not in html.lower()


def test_a_late_mentor_is_not_asked_to_answer_by_a_past_date(
    client, staff_fr, django_capture_on_commit_callbacks
):
    _, programme = staff_fr
    people(programme, 1, 1)
    run = done_run(programme, django_capture_on_commit_callbacks)
    services.publish_run(run, acting_user=None, site_url="http://testserver")
    offer = MentorOffer.objects.get()
    link = services.offer_link(offer).replace("http://testserver", "")
    client.logout()
    client.cookies["django_language"] = "fr"
    assert "Merci de répondre d’ici le" in client.get(link).content.decode()
    sent = timezone.now() - datetime.timedelta(days=10)
    MentorOffer.objects.filter(pk=offer.pk).update(sent_at=sent)
    html = client.get(link).content.decode()
    assert "Merci de répondre d’ici le" not in html
    assert "La réponse était attendue pour le" in html
    assert "merci de répondre dès que possible" in html
