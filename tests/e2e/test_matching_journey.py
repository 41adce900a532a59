"""Log in → start a matching run → review → explain a mentee → publish → the mentor opens the
signed link and accepts. Axe checks every page; the interface is in English (cookie)."""

import re

import pytest
from playwright.sync_api import expect

from binome.matching.models import MatchingRun
from binome.notifications.models import OutboxEmail
from binome.pairs.enums import PairState
from binome.pairs.models import Pair
from tests.e2e.conftest import assert_fits, check_axe, follow, switch_language
from tests.factories import (
    MembershipFactory,
    MenteeFactory,
    MentorFactory,
    ProgrammeFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def english(page, base):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])


def test_matching_journey(live_server, page, browser):
    user = UserFactory(email="coordination@example.org")
    membership = MembershipFactory(user=user)
    programme = ProgrammeFactory(organisation=membership.organisation, name="Cap Emploi")
    MentorFactory(programme=programme, ready=True, first_name="Jeanne", last_name="Martin")
    MentorFactory(programme=programme, ready=True, first_name="Paul", last_name="Durand")
    for first, last in (("Awa", "Diallo"), ("Lina", "Petit"), ("Sami", "Haddad")):
        MenteeFactory(programme=programme, ready=True, first_name=first, last_name=last)
    MenteeFactory(
        programme=programme,
        ready=True,
        first_name="Marc",
        last_name="Loin",
        place="fr-commune:13055",  # Marseille: too far from every mentor
    )
    base = live_server.url
    english(page, base)

    page.goto(f"{base}/connexion/")
    page.get_by_label("E-mail address").fill("coordination@example.org")
    page.get_by_label("Password").fill("pass-1234")
    follow(page, page.get_by_role("button", name="Log in"))
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()

    # Start a run (the immediate task backend computes it when the request commits).
    page.goto(f"{base}/equipe/appariement/")
    check_axe(page)
    follow(page, page.get_by_role("link", name="Criteria of Cap Emploi"))
    check_axe(page)
    page.get_by_label("Maximum distance (km)").fill("20")
    follow(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_role("status")).to_be_visible()
    follow(page, page.get_by_role("button", name="Start a matching run for Cap Emploi"))
    expect(page.get_by_role("heading", name=re.compile("Run no."))).to_be_visible()
    page.reload()  # the page works without JavaScript: a refresh shows the review
    expect(page.get_by_role("heading", name="Proposed pairs")).to_be_visible()
    check_axe(page)
    run = MatchingRun.objects.get()
    assert run.proposals.count() == 2

    # Explain the mentee out of reach: every mentor, and why not.
    follow(page, page.get_by_role("link", name="Marc Loin"))
    expect(page.get_by_role("heading", name="Mentors for Marc Loin")).to_be_visible()
    expect(page.get_by_text("No: Too far").first).to_be_visible()
    check_axe(page)

    # Explain a matched mentee and go back to the review.
    page.get_by_role("link", name=re.compile("Run no.")).click()
    follow(page, page.get_by_role("link", name="Awa Diallo"))
    expect(page.get_by_text("Current choice:")).to_be_visible()
    check_axe(page)
    page.get_by_role("link", name=re.compile("Run no.")).click()

    # Publish.
    follow(page, page.get_by_role("link", name="Publish this run"))
    check_axe(page)
    follow(page, page.get_by_role("button", name="Publish and notify the mentors"))
    expect(page.get_by_role("status")).to_be_visible()
    check_axe(page)
    assert Pair.objects.filter(state=PairState.PROPOSED).count() == 2

    # The mentor opens the link from the e-mail, without an account, and accepts.
    awa_pair = Pair.objects.get(mentee__first_name="Awa")
    body = OutboxEmail.objects.get(category="matching_offer", to=awa_pair.mentor.email).body
    link = re.search(r"https?://\S+/m/proposition/\S+/", body).group(0)
    # The site opens in French; the mentor switches to English and stays on the link's page.
    context = browser.new_context(locale="en-GB")
    mentor_page = context.new_page()
    mentor_page.goto(link)
    expect(
        mentor_page.get_by_role("heading", name="Un ou une mentoré·e vous est proposé·e")
    ).to_be_visible()
    check_axe(mentor_page)
    switch_language(mentor_page, "English")
    assert mentor_page.url == link
    expect(mentor_page.get_by_role("heading", name="A mentee is proposed to you")).to_be_visible()
    mentor_page.set_viewport_size({"width": 320, "height": 640})
    assert_fits(mentor_page)
    mentor_page.set_viewport_size({"width": 1280, "height": 900})
    expect(mentor_page.get_by_text("Awa", exact=True)).to_be_visible()
    assert "Diallo" not in mentor_page.content()
    check_axe(mentor_page)
    follow(mentor_page, mentor_page.get_by_role("button", name="I accept to mentor this person"))
    expect(mentor_page.get_by_text("You accepted")).to_be_visible()
    check_axe(mentor_page)
    awa_pair.refresh_from_db()
    assert awa_pair.state == PairState.MENTOR_ACCEPTED

    # A tampered link gives a clear page, and the data sources are public.
    mentor_page.goto(link[:-4] + "xx/")
    expect(mentor_page.get_by_role("heading", name="This link does not work")).to_be_visible()
    check_axe(mentor_page)
    mentor_page.goto(f"{base}/m/sources/")
    check_axe(mentor_page)
    context.close()
