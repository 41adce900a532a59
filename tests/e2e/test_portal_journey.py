"""On a 320 px phone, the mentee asks for a login link → follows the e-mailed link → sees the
proposed pair → says yes → sees her mentor's contact details. Axe checks every page."""

import re

import pytest
from playwright.sync_api import expect

from binome.notifications.models import OutboxEmail
from binome.pairs.enums import PairState
from binome.pairs.models import Pair
from binome.portal import services as portal
from tests.e2e.conftest import assert_fits, check_axe, follow, switch_language
from tests.factories import PairFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def looks_right(page):
    check_axe(page)
    assert_fits(page)


def test_mentee_portal_journey(live_server, phone):
    pair = PairFactory(
        state=PairState.MENTOR_ACCEPTED,
        programme__name="Cap Emploi",
        mentor__first_name="Jeanne",
        mentor__last_name="Martin",
        mentor__email="jeanne.martin@example.org",
        mentor__phone="06 12 34 56 78",
        mentee__first_name="Awa",
        mentee__email="awa@example.net",
    )
    page, base = phone, live_server.url

    page.goto(f"{base}/m/")  # her space: a visitor is asked for her address
    expect(page.get_by_role("heading", name="Votre espace de mentorat")).to_be_visible()
    looks_right(page)
    switch_language(page, "English")
    page.get_by_label("Your e-mail address").fill("awa@example.net")
    follow(page, page.get_by_role("button", name="Send me a link"))
    expect(page.get_by_role("heading", name="Check your e-mails")).to_be_visible()
    looks_right(page)

    email = OutboxEmail.objects.get(to="awa@example.net", category=portal.LINK_CATEGORY)
    link = re.search(r"https?://\S+", email.body).group(0)
    assert link.startswith(f"{base}/m/connexion/lien/?sesame=")
    page.goto(link)
    expect(page.get_by_role("heading", name="Log in to your space")).to_be_visible()
    looks_right(page)
    follow(page, page.get_by_role("button", name="Log in"))

    expect(page.get_by_role("heading", name="My pairs")).to_be_visible()
    looks_right(page)
    follow(page, page.get_by_role("link", name="Answer about Jeanne"))
    expect(page.get_by_role("heading", name="Your pair with Jeanne")).to_be_visible()
    expect(page.get_by_text("jeanne.martin@example.org")).to_have_count(0)
    looks_right(page)

    follow(page, page.get_by_role("button", name="Yes, I want Jeanne as my mentor"))
    expect(page.get_by_role("status")).to_contain_text("your yes is recorded")
    expect(page.get_by_role("link", name="jeanne.martin@example.org")).to_be_visible()
    expect(page.get_by_role("link", name="06 12 34 56 78")).to_be_visible()
    expect(page.get_by_text(re.compile(r"\bMartin\b"))).to_have_count(0)  # first name only
    looks_right(page)

    pair = Pair.objects.get(pk=pair.pk)
    assert pair.state == PairState.MENTEE_ACCEPTED
    assert OutboxEmail.objects.filter(category="pair_accepted").count() == 2

    # The link is spent: opened again, it asks for a new one.
    page.goto(link)
    expect(page.get_by_role("heading", name="This link does not work any more")).to_be_visible()
    looks_right(page)
