"""Register as a young person → the federation routes → the association accepts → the
registrant's status page shows the association's contact. axe checks every page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from binome.people.models import Mentee
from binome.registrations.enums import RegistrationState
from binome.registrations.models import Registration
from tests.e2e.conftest import check_axe, follow
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.registrations.factories import FederationFactory, MemberFactory, OfferFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def en_page(browser, live_server):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": "django_language", "value": "en", "domain": host, "path": "/"}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_registration_journey(live_server, en_page):
    page = en_page
    federation = FederationFactory(name="Fédération Mentorat")
    member = MemberFactory(
        federation=federation, name="Nord Mentorat", email="contact@nord.example.org"
    )
    programme = ProgrammeFactory(organisation=member, name="Cap Emploi", public="Jeunes 16-25")
    OfferFactory(programme=programme, departments=["59"], capacity=5)
    staff = UserFactory(email="coordination@nord.example.org")
    MembershipFactory(user=staff, organisation=member)
    base = live_server.url

    # The landing page, then the young person's form on a 320 px phone.
    page.goto(f"{base}/")
    check_axe(page)
    page.set_viewport_size({"width": 320, "height": 640})
    follow(page, page.get_by_role("link", name="I'm looking for a mentor"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    check_axe(page)
    follow(page, page.get_by_role("button", name="Next"))  # nothing filled: errors, nothing lost
    expect(page.get_by_role("alert")).to_be_visible()
    check_axe(page)
    page.get_by_label("Year of birth").fill(str(timezone.localdate().year - 20))
    page.get_by_label("Where do you live?").fill("59000")
    page.get_by_label("Job seeker").check()
    page.get_by_label("Finding a job").check()
    follow(page, page.get_by_role("button", name="Next"))
    check_axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_label("First name").fill("Awa")
    page.get_by_label("Last name").fill("Diallo")
    page.get_by_label("E-mail address").fill("awa@example.net")
    page.get_by_label("In a few words").fill("Un emploi dans la logistique, appelez le 0612345678")
    page.get_by_label("I agree that my answers").check()
    follow(page, page.get_by_role("button", name="Send my request"))
    expect(page.get_by_role("heading", name="Thank you, your request is received")).to_be_visible()
    check_axe(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    status_url = page.get_by_role("link", name="Follow my request").get_attribute("href")

    # The routing task ran once the request was committed.
    registration = Registration.objects.get()
    assert registration.state == RegistrationState.ROUTED
    assert registration.organisation == member
    page.goto(base + status_url)
    expect(page.get_by_text("Nord Mentorat")).to_be_visible()
    check_axe(page)

    # The association: a semi-anonymised card, then accept.
    page.goto(f"{base}/connexion/")
    page.get_by_label("E-mail address").fill("coordination@nord.example.org")
    page.get_by_label("Password").fill("pass-1234")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{base}/equipe/demandes/")
    check_axe(page)
    assert "Diallo" not in page.content()
    assert "0612345678" not in page.content()
    follow(page, page.get_by_role("link", name=f"Request #{registration.pk}"))
    check_axe(page)
    assert "Diallo" not in page.content()
    page.get_by_label("Programme that takes the request").select_option(label="Cap Emploi")
    follow(page, page.get_by_role("button", name="Accept the request"))
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.get_by_role("heading", name="Awa Diallo")).to_be_visible()
    check_axe(page)
    assert Mentee.objects.get().last_name == "Diallo"

    # The registrant's status page now shows the association's contact.
    page.goto(base + status_url)
    contact = page.locator("#association-contact")
    expect(contact).to_contain_text("Nord Mentorat")
    expect(contact).to_contain_text("contact@nord.example.org")
    check_axe(page)
