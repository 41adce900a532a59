"""In a browser, on a 320 px phone, with axe (WCAG 2.1 A/AA): the mentor logs in to the
portal, opens the pair's meetings, plans one with a typo first (the error on its field, what
was typed kept), downloads its .ics, logs a past meeting; the mentee confirms it; the mentor
gets a calendar address and reports a problem, which the coordinator's dashboard shows."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from icalendar import Calendar

from binome.meetings.enums import MeetingState
from binome.meetings.models import CalendarFeed, Meeting
from binome.notifications.models import OutboxEmail
from binome.pairs.enums import PairState
from binome.portal.models import ProblemReport
from tests.e2e.conftest import assert_fits, check_axe, follow
from tests.factories import MembershipFactory, UserFactory
from tests.meetings.conftest import make_meetings
from tests.portal.conftest import make_pair

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):  # noqa: F811
    context = browser.new_context(locale="fr-FR", viewport={"width": 320, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def coordinator():
    return MembershipFactory()


@pytest.fixture
def pair(coordinator):
    pair = make_pair(
        state=PairState.ACTIVE,
        programme__organisation=coordinator.organisation,
        started_on=timezone.localdate() - datetime.timedelta(days=60),
        first_meeting_on=timezone.localdate() - datetime.timedelta(days=65),
        mentor__first_name="Camille",
        mentee__first_name="Yanis",
    )
    for person in (pair.mentor, pair.mentee):
        person.user = UserFactory(email=person.email)
        person.save(update_fields=["user"])
    return pair


def log_in(page, base, email):
    page.context.clear_cookies()
    page.goto(f"{base}/m/connexion/mot-de-passe/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill("pass-1234")
    follow(page, page.get_by_role("button", name="Se connecter"))


def test_portal_meetings_journey(live_server, phone, pair, coordinator):
    page = phone
    (past,) = make_meetings(pair, 1, state=MeetingState.PLANNED, start_days_ago=2)
    base = live_server.url
    log_in(page, base, pair.mentor.email)
    page.goto(f"{base}/m/binome/{pair.pk}/")
    check_axe(page)
    assert_fits(page)
    follow(page, page.get_by_role("link", name="Mes rencontres"))
    check_axe(page)
    assert_fits(page)
    assert "Rythme" in page.content()

    follow(page, page.get_by_role("link", name="Planifier une rencontre"))
    check_axe(page)
    assert_fits(page)
    when = timezone.localtime() + datetime.timedelta(days=3)
    page.get_by_label("Date et heure").fill(when.strftime("%Y-%m-%dT10:30"))
    page.get_by_label("Durée prévue (minutes)").fill("5")
    page.get_by_label("Lieu").fill("Café de la gare")
    follow(page, page.get_by_role("button", name="Confirmer"))
    assert page.get_by_label("Lieu").input_value() == "Café de la gare"
    check_axe(page)
    page.get_by_label("Durée prévue (minutes)").fill("90")
    follow(page, page.get_by_role("button", name="Confirmer"))
    planned = Meeting.objects.get(state=MeetingState.PLANNED, place="Café de la gare")
    assert (planned.planned_side, planned.planned_on_behalf) == ("mentor", False)

    with page.expect_download() as download:
        page.locator(f"a[href$='/rencontres/{planned.pk}/ics/']").click()
    cal = Calendar.from_ical(Path(download.value.path()).read_bytes())
    (ev,) = cal.walk("VEVENT")
    assert ev.decoded("DTSTART").strftime("%H:%M") == "10:30"

    follow(page, page.locator(f"a[href$='/rencontres/{past.pk}/compte-rendu/']"))
    check_axe(page)
    assert_fits(page)
    page.get_by_label("Oui").first.check()
    page.get_by_label("Sujets abordés").fill("CV et lettre")
    follow(page, page.get_by_role("button", name="Confirmer"))

    follow(page, page.get_by_role("button", name="Obtenir mon adresse d’agenda"))
    assert CalendarFeed.objects.active().filter(mentor=pair.mentor).exists()
    check_axe(page)
    assert_fits(page)

    page.goto(f"{base}/m/binome/{pair.pk}/")
    follow(page, page.get_by_role("link", name="Signaler un problème"))
    check_axe(page)
    assert_fits(page)
    page.get_by_label("Nous n’arrivons pas à nous rencontrer").check()
    page.get_by_label("Dites-nous en plus").fill("Yanis ne répond plus depuis deux semaines.")
    follow(page, page.get_by_role("button", name="Envoyer à l’association"))
    assert ProblemReport.objects.get().category == "meetings"
    assert OutboxEmail.objects.filter(to=coordinator.user.email).exists()

    log_in(page, base, pair.mentee.email)
    page.goto(f"{base}/m/binome/{pair.pk}/rencontres/")
    follow(page, page.locator(f"a[href$='/rencontres/{past.pk}/confirmer/']"))
    check_axe(page)
    assert_fits(page)
    follow(page, page.get_by_role("button", name="Confirmer"))
    past.refresh_from_db()
    assert (past.state, past.logged_side, past.confirmed_side) == ("held", "mentor", "mentee")
    assert "Confirmé par" in page.content()

    page.context.clear_cookies()
    page.goto(f"{base}/connexion/")
    page.get_by_label("Adresse e-mail").fill(coordinator.user.email)
    page.get_by_label("Mot de passe").fill("pass-1234")
    follow(page, page.get_by_role("button", name="Se connecter"))
    page.goto(f"{base}/equipe/")
    assert "Problèmes signalés" in page.content()
    assert "Yanis ne répond plus" in page.content()
    check_axe(page)
