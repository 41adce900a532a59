"""PlaceField: whatever the suggestion list shows is accepted as is; an ambiguous name offers
its places as choices on the same page, with everything typed kept (no JavaScript needed)."""

import pytest
from django import forms
from django.http import QueryDict

from binome.geo import places
from binome.www.fields import PlaceField


class TownForm(forms.Form):
    place = PlaceField(label="Town")
    name = forms.CharField(label="Name")


def form_for(query):
    return TownForm(QueryDict(query))


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("roubaix", "Roubaix (59100, Nord)"),
        ("59000", "Lille (59000)"),
        ("Ixelles", "Ixelles (1050, Belgique)"),
        ("1000", "Bruxelles (1000, Belgique)"),
        ("Marseille", "Marseille (Bouches-du-Rhône)"),
        ("Saint-Nicolas", "Saint-Nicolas (4420, Belgique)"),
        ("Chateau-Chinon", "Château-Chinon (Ville) (58120, Nièvre)"),
    ],
)
def test_every_suggestion_is_accepted_as_shown(client, query, text):
    shown = client.get("/lieux/", {"q": query}).json()["results"]
    label_to_key = {r["label"]: r["key"] for r in shown}
    assert text in label_to_key, f"{text!r} is not suggested for {query!r}"
    for label, key in label_to_key.items():
        form = TownForm({"place": label, "name": "Awa"})
        assert form.is_valid(), (label, form.errors)
        assert form.cleaned_data["place"] == key


def test_a_stored_place_shows_as_a_label_that_is_accepted_again():
    for key in ("fr-commune:59512", "fr-postcode:59000", "be-postcode:1000", "fr-commune:75056"):
        html = str(TownForm(initial={"place": key})["place"])
        label = places.resolve(key).label
        assert f'value="{label}"' in html
        form = TownForm({"place": label, "name": "Awa"})
        assert form.is_valid()
        assert form.cleaned_data["place"] == key


def test_an_ambiguous_name_shows_its_places_as_choices_keeping_the_answers():
    form = form_for("place=Lille&name=Awa")
    assert not form.is_valid()
    assert form.errors["place"][0].startswith("Plusieurs communes correspondent à «\xa0Lille\xa0»")
    html = str(form["place"])
    assert 'value="Lille"' in html  # what was typed stays
    assert 'type="radio" name="place" value="fr-commune:59350"' in html
    assert 'type="radio" name="place" value="be-postcode:2275"' in html
    assert 'for="id_place_choice_0">Lille (59000, Nord)</label>' in html
    assert str(form["name"]).count('value="Awa"') == 1

    chosen = form_for("place=Lille&place=be-postcode:2275&name=Awa")
    assert chosen.is_valid(), chosen.errors
    assert chosen.cleaned_data["place"] == "be-postcode:2275"


def test_a_choice_that_does_not_belong_to_the_text_is_ignored():
    # The person typed another town after seeing the choices: the text wins.
    form = form_for("place=Roubaix&place=fr-commune:59350&name=Awa")
    assert form.is_valid()
    assert form.cleaned_data["place"] == "fr-commune:59512"
    # A forged key that is no candidate of the text changes nothing.
    form = form_for("place=Lille&place=fr-commune:13055&name=Awa")
    assert not form.is_valid()
    assert "place" in form.errors


def test_an_unknown_town_says_so_without_choices():
    form = form_for("place=Xyzzyville&name=Awa")
    assert not form.is_valid()
    assert form.errors["place"][0].startswith("Nous ne connaissons pas cette commune")
    assert 'type="radio"' not in str(form["place"])


def test_a_near_miss_offers_the_close_places():
    form = form_for("place=Roubai&name=Awa")
    assert not form.is_valid()
    assert 'value="fr-commune:59512"' in str(form["place"])
