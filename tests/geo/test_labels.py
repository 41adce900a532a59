"""pick / candidates / from_label: every label the suggestion list shows names its place."""

import pytest

from binome.geo import places
from binome.geo.places import candidates, from_label, pick, resolve, search


def all_labels(step):
    """(label, key) of every `step`-th commune and French postcode, and every Belgian
    locality (as a name search shows it) and postcode (as a code search shows it)."""
    data = places.tables()
    for code in list(data.communes)[::step]:
        place = places._commune(code)
        yield place.label, place.key
    for cp in list(data.fr_postcodes)[::step]:
        place = places._fr_postcode(cp)
        yield place.label, place.key
    for cp, rows in data.be_postcodes.items():
        yield resolve(f"be-postcode:{cp}").label, f"be-postcode:{cp}"
        for locality, _lat, _lon in rows:
            yield places._be_postcode(cp, locality).label, f"be-postcode:{cp}"


def test_every_label_picks_its_place():
    wrong = [
        (label, key) for label, key in all_labels(step=20) if getattr(pick(label), "key", 0) != key
    ]
    assert wrong == []


@pytest.mark.parametrize(
    "query",
    ["lille", "roubaix", "saint denis", "st etienne", "anvers", "saint-nicolas", "59", "1000"],
)
def test_every_search_result_picks_its_place(query):
    for place in search(query, limit=10):
        assert pick(place.label).key == place.key, place.label


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Roubaix (59100, Nord)", "fr-commune:59512"),
        ("  roubaix (59100, nord) ", "fr-commune:59512"),
        ("Lille (59000)", "fr-postcode:59000"),
        ("Paris", "fr-commune:75056"),
        ("Marseille (Bouches-du-Rhône)", "fr-commune:13055"),
        ("Saint-Nicolas (4420, Belgique)", "be-postcode:4420"),
        ("Sint-Niklaas (9100, Belgique)", "be-postcode:9100"),
        ("Château-Chinon (Ville) (58120, Nièvre)", "fr-commune:58062"),
        ("59000", "fr-postcode:59000"),
        ("1050", "be-postcode:1050"),
        ("fr-commune:59350", "fr-commune:59350"),
        ("Roubaix", "fr-commune:59512"),
    ],
)
def test_pick(text, key):
    assert pick(text).key == key


def test_a_belgian_locality_keeps_its_own_name():
    # "Saint-Nicolas" is also the French name of Sint-Niklaas; the Liège locality stays itself.
    labels = [p.label for p in search("Saint-Nicolas")]
    assert "Saint-Nicolas (4420, Belgique)" in labels
    assert "Sint-Niklaas (4420, Belgique)" not in labels


@pytest.mark.parametrize("text", ["Lille", "Saint-Denis", "Roubai", "", "   ", "Xyzzyville", None])
def test_no_single_place(text):
    assert pick(text) is None


def test_candidates():
    assert [p.key for p in candidates("Lille")] == ["fr-commune:59350", "be-postcode:2275"]
    assert len(candidates("Saint-Denis")) == 5
    assert [p.key for p in candidates("Roubai")] == ["fr-commune:59512"]
    assert candidates("Xyzzyville") == []
    assert from_label("Lille (99999, Nord)") is None
    assert from_label("x" * 500) is None
