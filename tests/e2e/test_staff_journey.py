"""Log in → correct a mentee's profile (error summary, town from the suggestions) → take the
mentee from applied to ready → create a pair → walk it to active → close; then the main pages
on a 320 px phone, with the menu behind its button."""

import re

import pytest
from playwright.sync_api import expect

from binome.pairs.enums import PairState
from binome.pairs.models import Pair
from binome.people.enums import MenteeState, SessionKind
from binome.people.models import Mentee
from tests.e2e.conftest import assert_fits, check_axe, follow, pick_place
from tests.factories import (
    CriterionFactory,
    MembershipFactory,
    MenteeFactory,
    MentorFactory,
    ProgrammeFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_journey(live_server, page):
    user = UserFactory(email="coordination@example.org")
    membership = MembershipFactory(user=user)
    programme = ProgrammeFactory(organisation=membership.organisation, name="Cap Emploi")
    CriterionFactory(programme=programme, side="mentee", label="Disponible à temps plein")
    SessionFactory(programme=programme, kind=SessionKind.PRESENTATION, location="Lille")
    mentee = MenteeFactory(programme=programme, first_name="Awa", last_name="Diallo")
    MentorFactory(programme=programme, ready=True, first_name="Jeanne", last_name="Martin")
    base = live_server.url

    page.goto(f"{base}/connexion/")
    check_axe(page)
    page.get_by_label("Adresse e-mail").fill("coordination@example.org")
    page.get_by_label("Mot de passe").fill("wrong")
    follow(page, page.get_by_role("button", name="Se connecter"))
    expect(page.get_by_role("alert")).to_be_visible()
    page.get_by_label("Mot de passe").fill("pass-1234")
    follow(page, page.get_by_role("button", name="Se connecter"))
    expect(page.get_by_role("heading", name="Tableau de bord")).to_be_visible()
    check_axe(page)

    # Correct the profile: the error summary leads to the field; the town comes from the list.
    page.goto(f"{base}/equipe/mentores/{mentee.pk}/")
    follow(page, page.get_by_role("link", name="Modifier le profil"))
    page.get_by_label("Prénom").fill("")
    pick_place(page, "Commune ou code postal", "Roub", "Roubaix (59100, Nord)")
    follow(page, page.get_by_role("button", name="Enregistrer"))
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    check_axe(page)
    summary.get_by_role("link", name=re.compile("^Prénom")).click()
    expect(page.get_by_label("Prénom")).to_be_focused()
    expect(page.get_by_role("combobox", name="Commune ou code postal")).to_have_value(
        "Roubaix (59100, Nord)"
    )
    page.get_by_label("Prénom").fill("Awa")
    follow(page, page.get_by_role("button", name="Enregistrer"))
    expect(page.get_by_role("heading", name="Awa Diallo")).to_be_visible()
    assert Mentee.objects.get(pk=mentee.pk).place == "fr-commune:59512"

    # Group presentation: tick the mentee on the attendance sheet.
    follow(page, page.get_by_role("link", name="Séances").first)
    check_axe(page)
    page.get_by_role("link", name=re.compile("Présentation collective")).click()
    page.get_by_label("Awa Diallo").check()
    follow(page, page.get_by_role("button", name="Enregistrer les présences"))
    expect(page.get_by_role("status")).to_be_visible()
    check_axe(page)

    # Selection interview on the programme's grid.
    page.goto(f"{base}/equipe/mentores/{mentee.pk}/")
    check_axe(page)
    page.get_by_role("link", name="Saisir l’entretien").click()
    page.get_by_label("Rempli", exact=True).check()
    page.get_by_label("Retenir", exact=True).check()
    follow(page, page.get_by_role("button", name="Enregistrer l’entretien"))
    check_axe(page)
    for step in ("Sélectionné·e", "Prêt·e pour un binôme"):
        page.get_by_role("link", name=step).click()
        follow(page, page.get_by_role("button", name="Enregistrer", exact=True))
        expect(page.get_by_role("status")).to_be_visible()
    assert Mentee.objects.get(pk=mentee.pk).state == MenteeState.READY

    # Create the pair from the mentee's page.
    follow(page, page.get_by_role("link", name="Proposer un mentor"))
    check_axe(page)
    page.get_by_label("Mentor (obligatoire)").select_option(label="Jeanne Martin — Cap Emploi")
    follow(page, page.get_by_role("button", name="Proposer au mentor"))
    expect(page.get_by_role("heading", name="Jeanne Martin et Awa Diallo")).to_be_visible()
    check_axe(page)

    def act(link, fill=None):
        page.get_by_role("link", name=link).click()
        if fill:
            fill()
        follow(page, page.get_by_role("button", name="Confirmer"))
        expect(page.get_by_role("status")).to_be_visible()

    act("Le mentor accepte")
    act("Le ou la mentoré·e accepte")
    act(
        "Enregistrer la première rencontre",
        lambda: page.get_by_label("Présentation de chacun et de son parcours").check(),
    )
    for who in ("Mentor", "Mentoré·e", "Association"):
        act("Enregistrer une signature", lambda who=who: page.get_by_label(who, exact=True).check())
    act("Démarrer le mentorat")
    assert Pair.objects.get().state == PairState.ACTIVE

    follow(page, page.get_by_role("link", name="Clôturer le binôme"))
    check_axe(page)
    follow(page, page.get_by_role("button", name="Confirmer"))  # nothing chosen: errors, no 500
    expect(page.locator(".field-error").first).to_be_visible()
    check_axe(page)
    page.get_by_label("Prévue (terme atteint ou objectif atteint)").check()
    page.get_by_label("Motif").select_option("goal_achieved")
    page.get_by_label("Situation du ou de la mentoré·e à la fin").select_option("permanent_job")
    page.get_by_label("Reste disponible pour un·e autre mentoré·e").check()
    follow(page, page.get_by_role("button", name="Confirmer"))
    expect(page.get_by_text("sortie positive")).to_be_visible()
    check_axe(page)
    assert Pair.objects.get().state == PairState.CLOSED

    # Usable on a 320 px phone: the menu folds behind its button, nothing scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{base}/equipe/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Binômes")).to_be_hidden()
    assert_fits(page)
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    follow(page, page.get_by_role("link", name="Binômes"))
    assert_fits(page)
    check_axe(page)
    for path in (
        "/equipe/mentores/",
        f"/equipe/mentores/{mentee.pk}/",
        f"/equipe/binomes/{Pair.objects.get().pk}/",
        "/equipe/appariement/",
        f"/equipe/appariement/programme/{programme.pk}/reglages/",  # the criteria table
        f"/equipe/programmes/{programme.pk}/",
        "/equipe/sessions/",
        "/equipe/demandes/",
    ):
        page.goto(base + path)
        assert_fits(page)
    check_axe(page)
