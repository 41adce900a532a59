"""In a browser, on a 320 px phone, with axe (WCAG 2.1 A/AA): the staff plan a meeting with a
typo first (the error on its field, what was typed kept), download its .ics, log a past
meeting on behalf of the mentor, confirm it on behalf of the mentee; the pair page shows the
rhythm."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from icalendar import Calendar

from binome.meetings.enums import MeetingState
from binome.meetings.models import Meeting
from tests.e2e.conftest import assert_fits, check_axe, follow
from tests.meetings.conftest import make_meetings

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):  # noqa: F811
    context = browser.new_context(locale="fr-FR", viewport={"width": 320, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_meetings_journey(live_server, phone, staff, pair):
    page = phone
    (past,) = make_meetings(pair, 1, state=MeetingState.PLANNED, start_days_ago=2)
    base = live_server.url
    page.goto(f"{base}/connexion/")
    page.get_by_label("Adresse e-mail").fill(staff.user.email)
    page.get_by_label("Mot de passe").fill("pass-1234")
    follow(page, page.get_by_role("button", name="Se connecter"))
    page.goto(f"{base}/equipe/binomes/{pair.pk}/")
    check_axe(page)
    assert_fits(page)

    follow(page, page.get_by_role("link", name="Planifier une rencontre"))
    check_axe(page)
    when = timezone.localtime() + datetime.timedelta(days=3)
    page.get_by_label("Date et heure").fill(when.strftime("%Y-%m-%dT10:30"))
    page.get_by_label("Durée prévue (minutes)").fill("5")
    page.get_by_label("Lieu").fill("Café de la gare")
    follow(page, page.get_by_role("button", name="Confirmer"))
    assert page.get_by_label("Lieu").input_value() == "Café de la gare"
    check_axe(page)
    page.get_by_label("Durée prévue (minutes)").fill("90")
    page.get_by_label("Pour le ou la mentor, Camille").check()
    follow(page, page.get_by_role("button", name="Confirmer"))
    planned = Meeting.objects.get(state=MeetingState.PLANNED, place="Café de la gare")
    assert planned.planned_on_behalf

    with page.expect_download() as download:
        page.locator(f"a[href$='/rencontres/{planned.pk}/ics/']").click()
    cal = Calendar.from_ical(Path(download.value.path()).read_bytes())
    (ev,) = cal.walk("VEVENT")
    assert ev.decoded("DTSTART").strftime("%H:%M") == "10:30"

    follow(page, page.locator(f"a[href$='/rencontres/{past.pk}/compte-rendu/']"))
    check_axe(page)
    page.get_by_label("Oui").first.check()
    page.get_by_label("Sujets abordés").fill("CV et lettre")
    page.get_by_label("Pour le ou la mentor, Camille").check()
    follow(page, page.get_by_role("button", name="Confirmer"))
    follow(page, page.locator(f"a[href$='/rencontres/{past.pk}/confirmer/']"))
    check_axe(page)
    assert_fits(page)
    follow(page, page.get_by_role("button", name="Confirmer"))
    past.refresh_from_db()
    assert (past.state, past.logged_side, past.confirmed_side) == ("held", "mentor", "mentee")
    assert "Rythme" in page.content()
    assert "Confirmé par" in page.content()
    check_axe(page)
    assert_fits(page)
