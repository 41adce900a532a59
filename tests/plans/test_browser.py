"""In a browser, on a 320 px phone, with axe (WCAG 2.1 A/AA): the mentor opens the plan from
the pair page, writes the in-take, adds a goal (with a typo first: the error on its field,
what was typed kept) and an action, marks it done; the staff reopen it on behalf of the
mentee from the staff pair page."""

import pytest

from binome.plans.models import Action, PlanChange
from tests.e2e.conftest import assert_fits, check_axe, follow
from tests.factories import UserFactory
from tests.plans.conftest import make_pair

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):  # noqa: F811
    context = browser.new_context(locale="fr-FR", viewport={"width": 320, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page, url, email):
    page.context.clear_cookies()
    page.goto(url)
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill("pass-1234")
    follow(page, page.get_by_role("button", name="Se connecter"))


def test_plan_journey(live_server, phone, staff):
    pair = make_pair(staff)
    for person in (pair.mentor, pair.mentee):
        person.user = UserFactory(email=person.email)
        person.save(update_fields=["user"])
    page, base = phone, live_server.url
    log_in(page, f"{base}/m/connexion/mot-de-passe/", pair.mentor.email)
    page.goto(f"{base}/m/binome/{pair.pk}/")
    follow(page, page.get_by_role("link", name="Ouvrir le plan"))
    check_axe(page)
    assert_fits(page)
    page.get_by_label("Points forts de la recherche d'emploi").fill("Motivé, bilingue")
    page.get_by_label("Points faibles de la recherche d'emploi").fill("Pas de réseau")
    follow(page, page.get_by_role("button", name="Enregistrer l'entretien d'accueil"))

    follow(page, page.get_by_role("link", name="Ajouter un objectif"))
    check_axe(page)
    assert_fits(page)
    page.locator("#id_title").fill("Un CV ciblé")
    follow(page, page.get_by_role("button", name="Enregistrer"))  # no kind of support chosen
    assert "Ce champ est obligatoire" in page.content()
    assert page.locator("#id_title").input_value() == "Un CV ciblé"
    check_axe(page)
    assert_fits(page)
    page.get_by_label("Technique", exact=False).check()
    follow(page, page.get_by_role("button", name="Enregistrer"))

    follow(page, page.get_by_role("link", name="Ajouter une action"))
    check_axe(page)
    page.locator("#id_what").fill("Refaire le CV")
    page.locator("#id_owner_1").check()
    follow(page, page.get_by_role("button", name="Enregistrer"))
    check_axe(page)
    assert_fits(page)
    follow(page, page.get_by_role("button", name="Fait : Refaire le CV"))
    assert Action.objects.get().state == "done"

    log_in(page, f"{base}/connexion/", staff.user.email)
    page.goto(f"{base}/equipe/binomes/{pair.pk}/")
    check_axe(page)
    assert_fits(page)
    follow(page, page.get_by_role("link", name="Modifier : Refaire le CV"))
    check_axe(page)
    page.locator("#id_state").select_option("in_progress")
    page.locator("#id_on_behalf_of_2").check()
    follow(page, page.get_by_role("button", name="Enregistrer"))
    assert Action.objects.get().state == "in_progress"
    last = PlanChange.objects.order_by("-id").first()
    assert (last.side, last.on_behalf) == ("mentee", True)
