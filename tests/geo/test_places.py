"""binome.geo.places: plain pytest, no Django, no database."""

import time

import pytest

from binome.geo import places
from binome.geo.places import Place, distance_km, resolve, search


def keys(results: list[Place]) -> list[str]:
    return [p.key for p in results]


# --- resolve ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "name", "department", "label"),
    [
        ("fr-commune:59350", "Lille", "59", "Lille (59000, Nord)"),
        ("fr-commune:59512", "Roubaix", "59", "Roubaix (59100, Nord)"),
        ("fr-commune:75113", "Paris 13e Arrondissement", "75", None),
        ("fr-commune:13055", "Marseille", "13", "Marseille (Bouches-du-Rhône)"),
        ("fr-commune:75056", "Paris", "75", "Paris"),
        ("fr-commune:97411", "Saint-Denis", "974", "Saint-Denis (97400, La Réunion)"),
        ("fr-commune:2A004", "Ajaccio", "2A", "Ajaccio (20000, Corse-du-Sud)"),
    ],
)
def test_resolve_communes(key, name, department, label):
    place = resolve(key)
    assert place is not None
    assert (place.key, place.kind, place.country) == (key, "fr-commune", "FR")
    assert place.code == key.split(":")[1]
    assert place.name == name
    assert place.department == department
    if label:
        assert place.label == label


def test_resolve_commune_coordinates():
    lille = resolve("fr-commune:59350")
    assert lille.lat == pytest.approx(50.63, abs=0.03)
    assert lille.lon == pytest.approx(3.06, abs=0.03)
    reunion = resolve("fr-commune:97411")
    assert reunion.lat == pytest.approx(-20.9, abs=0.1)
    assert reunion.lon == pytest.approx(55.45, abs=0.1)


@pytest.mark.parametrize(
    ("key", "name", "department"),
    [
        ("fr-postcode:59000", "Lille", "59"),
        ("fr-postcode:75013", "Paris 13e Arrondissement", "75"),
        ("fr-postcode:69006", "Lyon 6e Arrondissement", "69"),
        ("fr-postcode:97400", "Saint-Denis", "974"),
    ],
)
def test_resolve_french_postcodes(key, name, department):
    place = resolve(key)
    assert place is not None
    assert (place.kind, place.code, place.name, place.department) == (
        "fr-postcode",
        key.split(":")[1],
        name,
        department,
    )
    assert place.label == f"{name} ({place.code})"


@pytest.mark.parametrize(
    ("key", "name", "lat", "lon"),
    [
        ("be-postcode:1000", "Bruxelles", 50.85, 4.35),
        ("be-postcode:7500", "Tournai", 50.61, 3.39),
        ("be-postcode:4000", "Liège", 50.63, 5.57),
    ],
)
def test_resolve_belgian_postcodes(key, name, lat, lon):
    place = resolve(key)
    assert place is not None
    assert (place.kind, place.country, place.department) == ("be-postcode", "BE", None)
    assert place.name == name
    assert place.label.startswith(name)
    assert place.label.endswith(f"({place.code}, Belgique)")
    assert (place.lat, place.lon) == pytest.approx((lat, lon), abs=0.05)


def test_resolve_bruxelles_label():
    assert resolve("be-postcode:1000").label == "Bruxelles (1000, Belgique)"


@pytest.mark.parametrize(
    "key",
    [
        "",
        "59350",
        "fr-commune:",
        "fr-commune:99999",
        "fr-commune:5935",
        "fr-postcode:00000",
        "fr-postcode:1000",
        "be-postcode:59000",
        "be-postcode:0000",
        "xx-commune:59350",
        "fr-commune:59350:extra",
        ":",
        "\x00",
        "é" * 1000,
        None,
        59350,
        b"fr-commune:59350",
    ],
)
def test_resolve_garbage_returns_none(key):
    assert resolve(key) is None


def test_resolve_is_tolerant_of_case_and_spaces():
    assert resolve("fr-commune:2a004").code == "2A004"
    assert resolve(" fr-commune:59350 ").key == "fr-commune:59350"


def test_place_is_frozen_and_hashable():
    place = resolve("fr-commune:59350")
    assert place == resolve("fr-commune:59350")
    assert len({place, resolve("fr-commune:59350")}) == 1
    with pytest.raises(AttributeError):
        place.name = "Lyon"


# --- search -------------------------------------------------------------------------------------


def test_search_exact_name_first():
    assert search("lille")[0].key == "fr-commune:59350"
    assert search("LILLE")[0].key == "fr-commune:59350"
    assert search("Roubaix")[0].key == "fr-commune:59512"
    assert search("marseille")[0].key == "fr-commune:13055"


@pytest.mark.parametrize(
    "query",
    ["villeneuve d'ascq", "Villeneuve-d'Ascq", "VILLENEUVE D ASCQ", "ascq", "villeneuve ascq"],
)
def test_search_villeneuve_d_ascq(query):
    assert "fr-commune:59009" in keys(search(query))


def test_search_accents_and_saint():
    assert search("saint-etienne")[0].name == "Saint-Étienne"
    assert search("st etienne")[0].name == "Saint-Étienne"
    assert search("St-Étienne")[0].name == "Saint-Étienne"
    assert search("ste maxime")[0].name == "Sainte-Maxime"
    assert search("epinay sur seine")[0].name == "Épinay-sur-Seine"
    assert search("oe")  # "Œ" folds to "oe"


def test_search_prefix_ranked_by_population():
    results = search("tourn")
    names = [p.name for p in results]
    assert "Tournai" in names
    assert "Tournus" in names
    assert names[0] == "Tournefeuille"  # the largest "Tourn…" commune
    assert len(results) == 10


def test_search_exact_before_prefix():
    names = [p.name for p in search("aix")]
    assert names[0] == "Aix"
    assert names[1] == "Aix-en-Provence"


def test_search_commune_labels_carry_a_postcode():
    (lille,) = [p for p in search("lille") if p.key == "fr-commune:59350"]
    assert lille.label == "Lille (59000, Nord)"


def test_search_french_postcodes_by_prefix():
    results = search("590")
    assert results[0].key == "fr-postcode:59000"
    assert all(p.code.startswith("590") for p in results)
    results = search("7501")
    assert results[0].key == "be-postcode:7501"  # exact Belgian code before French prefixes
    assert "fr-postcode:75013" in keys(results)
    assert all(p.code.startswith("7501") for p in results)


def test_search_exact_postcode_then_its_communes():
    results = search("59160")
    assert results[0].key == "fr-postcode:59160"
    assert {"fr-commune:59350", "fr-commune:59128"} <= set(keys(results))  # Lille, Capinghem


def test_search_insee_code():
    assert "fr-commune:59350" in keys(search("59350"))
    assert search("59350")[0].key == "fr-postcode:59350"  # the postcode comes first
    assert search("2a004")[0].key == "fr-commune:2A004"


def test_search_belgium():
    assert search("1000")[0].key == "be-postcode:1000"
    assert search("7500")[0].key == "be-postcode:7500"
    assert search("bruxelles")[0].key == "be-postcode:1000"
    assert search("liège")[0].key == "be-postcode:4000"
    assert search("Tournai")[0].key == "be-postcode:7500"
    assert search("anvers")[0].key == "be-postcode:2000"
    wavre = search("wavre")[0]
    assert (wavre.key, wavre.name, wavre.label) == (
        "be-postcode:1300",
        "Wavre",
        "Wavre (1300, Belgique)",
    )


def test_search_results_resolve_to_the_same_place():
    for query in ("lille", "590", "tourn", "1000", "paris 13"):
        for place in search(query):
            resolved = resolve(place.key)
            assert resolved is not None
            assert (resolved.lat, resolved.lon) == (place.lat, place.lon)


@pytest.mark.parametrize(
    "query", ["", "   ", "'-'", "\x00", "zzzzqx", "9" * 500, "é" * 500, "%", "*"]
)
def test_search_garbage(query):
    assert search(query) == [] or all(isinstance(p, Place) for p in search(query))


def test_search_limit():
    assert len(search("a", limit=3)) == 3
    assert search("a", limit=0) == []
    assert search(None) == []


def test_search_no_duplicates():
    for query in ("st", "saint", "lille", "59", "antwerpen", "villeneuve"):
        results = search(query)
        assert len({(p.key, p.name) for p in results}) == len(results)


# --- distance, coverage, sanity -----------------------------------------------------------------


def test_distance_paris_13_to_lyon_6():
    km = distance_km(resolve("fr-postcode:75013"), resolve("fr-postcode:69006"))
    assert km == pytest.approx(388, abs=3)


def test_distance_properties():
    lille, roubaix = resolve("fr-commune:59350"), resolve("fr-commune:59512")
    assert distance_km(lille, lille) == 0
    assert distance_km(lille, roubaix) == pytest.approx(distance_km(roubaix, lille))
    assert 8 < distance_km(lille, roubaix) < 15
    assert 90 < distance_km(lille, resolve("be-postcode:1000")) < 100


def test_coverage():
    data = places.tables()
    assert len(data.communes) >= 34_900
    assert len(data.fr_postcodes) >= 6_300
    assert len(data.be_postcodes) >= 1_100


def test_mainland_centroids_within_bounds():
    for code in places.tables().communes:
        if code.startswith(("97", "98")):
            continue
        place = resolve(f"fr-commune:{code}")
        assert 41 <= place.lat <= 51.2, code
        assert -5.2 <= place.lon <= 9.6, code


def test_every_postcode_resolves_with_plausible_coordinates():
    data = places.tables()
    for cp in data.fr_postcodes:
        place = resolve(f"fr-postcode:{cp}")
        assert -90 <= place.lat <= 90, cp
        assert -180 <= place.lon <= 180, cp
    for cp in data.be_postcodes:
        place = resolve(f"be-postcode:{cp}")
        assert 49.4 <= place.lat <= 51.6, cp
        assert 2.5 <= place.lon <= 6.5, cp


def test_credits_mention_every_source():
    text = places.credits()
    for needle in ("IGN", "Licence Ouverte", "GeoNames", "CC BY 4.0", "decoupage-administratif"):
        assert needle in text


def test_search_is_fast():
    places.load()
    queries = ["lille", "tourn", "a", "st", "villeneuve ascq", "zzzz", "590", "59160", "1000"]
    for q in queries:
        search(q)  # warm the per-place caches
    start = time.perf_counter()
    for q in queries * 5:
        search(q)
    per_query_ms = (time.perf_counter() - start) * 1000 / (len(queries) * 5)
    assert per_query_ms < 20  # about 1-3 ms on a developer machine; loose for busy CI
