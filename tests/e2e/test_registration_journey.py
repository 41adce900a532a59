"""Register as a young person (switching the site to English, choosing the town from the
suggestions) → the federation routes → the association accepts → the registrant's status page
shows the association's contact. axe checks every page; the public pages fit a 320 px phone."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from binome.notifications.models import OutboxEmail
from binome.people.models import Mentee
from binome.registrations.enums import RegistrationState
from binome.registrations.models import Registration
from tests.e2e.conftest import assert_fits, check_axe, follow, pick_place, switch_language
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.registrations.factories import FederationFactory, MemberFactory, OfferFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_registration_journey(live_server, page):
    federation = FederationFactory(name="Fédération Mentorat")
    member = MemberFactory(
        federation=federation, name="Nord Mentorat", email="contact@nord.example.org"
    )
    programme = ProgrammeFactory(organisation=member, name="Cap Emploi", public="Jeunes 16-25")
    OfferFactory(programme=programme, departments=["59"], capacity=5)
    staff = UserFactory(email="coordination@nord.example.org")
    MembershipFactory(user=staff, organisation=member)
    base = live_server.url

    # The landing page in French; the visitor switches to English and stays on it.
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("."))
    assert page.locator("html").get_attribute("lang") == "fr"
    check_axe(page)
    switch_language(page, "English")
    assert page.locator("html").get_attribute("lang") == "en"
    check_axe(page)

    # The young person's form on a 320 px phone.
    page.set_viewport_size({"width": 320, "height": 640})
    assert_fits(page)
    follow(page, page.get_by_role("link", name="I'm looking for a mentor"))
    assert_fits(page)
    check_axe(page)
    follow(page, page.get_by_role("button", name="Next"))  # nothing filled: errors, nothing lost
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    check_axe(page)
    summary.get_by_role("link", name=re.compile("^Year of birth")).click()
    expect(page.get_by_label("Year of birth")).to_be_focused()
    page.get_by_label("Year of birth").fill(str(timezone.localdate().year - 20))
    # An ambiguous town: its places are offered on the same page, every answer kept.
    town = page.get_by_role("combobox", name="Where do you live?")
    town.fill("Lille")
    expect(page.get_by_role("option", name="Lille (59000, Nord)")).to_be_visible()
    town.press("Escape")  # none of the suggestions: the list closes
    expect(page.get_by_role("listbox")).to_be_hidden()
    page.get_by_label("Job seeker").check()
    page.get_by_label("Finding a job").check()
    follow(page, page.get_by_role("button", name="Next"))
    expect(page.locator("#id_place_error")).to_contain_text("Several places match “Lille”")
    expect(page.get_by_label("Job seeker")).to_be_checked()
    assert_fits(page)
    check_axe(page)
    page.get_by_label("Lille (59000, Nord)").check()
    expect(page.get_by_role("combobox", name="Where do you live?")).to_have_value(
        "Lille (59000, Nord)"
    )
    # Changing one's mind: pick another town from the suggestions.
    pick_place(page, "Where do you live?", "Roub", "Roubaix (59100, Nord)")
    check_axe(page)
    follow(page, page.get_by_role("button", name="Next"))
    check_axe(page)
    assert_fits(page)
    page.get_by_label("First name").fill("Awa")
    page.get_by_label("Last name").fill("Diallo")
    # Back to French in the middle of the step, and to English again: nothing typed is lost.
    switch_language(page, "Français")
    assert page.locator("html").get_attribute("lang") == "fr"
    expect(page.get_by_label("Prénom")).to_have_value("Awa")
    check_axe(page)
    switch_language(page, "English")
    expect(page.get_by_label("Last name")).to_have_value("Diallo")
    page.get_by_label("E-mail address").fill("awa@example.net")
    page.get_by_label("In a few words").fill("Un emploi dans la logistique, appelez le 0612345678")
    page.get_by_label("I agree that my answers").check()
    follow(page, page.get_by_role("button", name="Send my request"))
    expect(page.get_by_role("heading", name="Thank you, your request is received")).to_be_visible()
    check_axe(page)
    assert_fits(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    # The registrant follows the private link of the e-mail received.
    body = OutboxEmail.objects.get(category="registration_received", to="awa@example.net").body
    status_url = re.search(r"https?://[^/\s]+(/suivi/\S+/)", body).group(1)

    # The routing task ran once the request was committed.
    registration = Registration.objects.get()
    assert registration.place == "fr-commune:59512"  # Roubaix, as chosen in the list
    assert registration.state == RegistrationState.ROUTED
    assert registration.organisation == member
    page.goto(base + status_url)
    expect(page.get_by_text("Nord Mentorat")).to_be_visible()
    check_axe(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert_fits(page)
    page.set_viewport_size({"width": 1280, "height": 900})

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
