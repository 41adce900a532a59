"""Run-time API over the bundled geography tables (pure Python, loaded once, lazily).

A place is stored as a short key: ``fr-commune:59350`` (INSEE code), ``fr-postcode:59000``
or ``be-postcode:1000``. ``resolve`` turns a key into a :class:`Place`, ``search`` serves
autocomplete, ``distance_km`` is the great-circle distance.

Search works on an accent-folded copy of each CSV file held as one string: ``str.find`` on
``",lille"`` (name prefix) or ``" ascq"`` (word prefix) runs in C, and since the build
writes rows by decreasing population the first hits are the best ranked ones.
"""

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
EARTH_RADIUS_KM = 6371.0088

# GeoNames has no population for Belgium: stand-ins used only to rank search results
# (the first locality of a postcode is its main one).
BE_MAIN_POPULATION = 10_000
BE_OTHER_POPULATION = 1_000
# French names of Flemish cities, so that "anvers" finds Antwerpen.
BE_ALIASES = {
    "Antwerpen": "Anvers",
    "Brugge": "Bruges",
    "Gent": "Gand",
    "Leuven": "Louvain",
    "Mechelen": "Malines",
    "Kortrijk": "Courtrai",
    "Oostende": "Ostende",
    "Aalst": "Alost",
    "Sint-Niklaas": "Saint-Nicolas",
    "Dendermonde": "Termonde",
    "Oudenaarde": "Audenarde",
    "Ieper": "Ypres",
    "Tienen": "Tirlemont",
    "Tongeren": "Tongres",
    "Ronse": "Renaix",
}
# Communes whose postcodes belong to their arrondissements.
_PLM = frozenset({"75056", "69123", "13055"})
_ABBREV = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_CODE_RE = re.compile(r"\d{1,5}|2[ab]\d{0,3}")
_MAX_QUERY = 100


@dataclass(frozen=True, slots=True)
class Place:
    key: str
    kind: str  # 'fr-commune' | 'fr-postcode' | 'be-postcode'
    code: str
    name: str
    label: str
    department: str | None  # department code, e.g. "59", "2A", "974"
    lat: float
    lon: float
    country: str  # 'FR' | 'BE'


def distance_km(a: Place, b: Place) -> float:
    """Great-circle (haversine) distance in kilometres."""
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@functools.cache
def credits() -> str:
    """Licence and credit notice (French and English, Markdown)."""
    return (DATA_DIR / "NOTICE.md").read_text(encoding="utf-8")


# --- normalisation --------------------------------------------------------------------------


def _byte_table(keep: str) -> bytes:
    """Lower-case ASCII letters and digits, keep `keep`, turn everything else into spaces."""
    table = bytearray(b" " * 256)
    for c in "abcdefghijklmnopqrstuvwxyz0123456789" + keep:
        table[ord(c)] = ord(c)
    for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        table[ord(c)] = ord(c.lower())
    return bytes(table)


_QUERY_TABLE = _byte_table("")
_TEXT_TABLE = _byte_table(",\n.")  # keep the CSV structure intact
_SPACES = re.compile(r" {2,}")
_NAME_ROWS = re.compile(r"\n([^,]*,[^,]*,)")


def _fold(text: str, table: bytes) -> str:
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    text = text.replace("’", " ").replace("ß", "ss")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore")
    return _SPACES.sub(" ", ascii_text.translate(table).decode("ascii"))


def normalize(text: str) -> str:
    """Lower-case, no accents, punctuation as single spaces.

    >>> normalize("Villeneuve-d'Ascq")
    'villeneuve d ascq'
    """
    return _fold(text, _QUERY_TABLE).strip()


def _fold_csv(text: str) -> str:
    text = _fold(text, _TEXT_TABLE)
    for spaced, sep in ((" ,", ","), (", ", ","), (" \n", "\n"), ("\n ", "\n")):
        text = text.replace(spaced, sep)
    return text


# --- data -------------------------------------------------------------------------------------


class _Data:
    """The CSV files, raw and folded. Rows are ordered by decreasing population.

    Folded texts hold one "\ncode,name," row per place (ASCII, lower case, punctuation as
    spaces) so that a name prefix is found with ``find(",lil")``, a word prefix with
    ``find(" ascq")`` and the first hits are the largest places.
    """

    def __init__(self) -> None:
        def read(name: str) -> tuple[str, list[str]]:
            text = (DATA_DIR / name).read_text(encoding="utf-8")
            body = text[text.index("\n") :]  # drop the header, keep the leading "\n"
            return body, body[1:].splitlines()

        _, deps = read("departements_fr.csv")
        self.departments = dict(line.split(",", 1) for line in deps)

        text, lines = read("communes_fr.csv")
        self.communes = {line[:5]: line for line in lines}  # insee -> row
        self.commune_names = _fold_csv("\n" + "\n".join(_NAME_ROWS.findall(text)) + "\n")

        text, lines = read("postcodes_fr.csv")
        self.fr_postcodes = {line[:5]: line for line in lines}  # postcode -> row
        self.fr_postcodes_folded = text

        # Belgium: postcode -> [(locality, lat, lon)], main locality first.
        _, lines = read("postcodes_be.csv")
        self.be_postcodes: dict[str, list[tuple[str, str, str]]] = {}
        for line in lines:
            cp, name, lat, lon = line.split(",")
            self.be_postcodes.setdefault(cp, []).append((name, lat, lon))
        # Folded "\npostcode,locality" lines: main localities, aliases, other localities.
        mains = [(cp, rows[0][0]) for cp, rows in self.be_postcodes.items()]
        others = [(cp, r[0]) for cp, rows in self.be_postcodes.items() for r in rows[1:]]
        aliases = [(cp, BE_ALIASES[name]) for cp, name in mains + others if name in BE_ALIASES]
        names = mains + aliases + others
        self.be_folded = _fold_csv("".join(f"\n{cp},{name}," for cp, name in names)) + "\n"
        # folded row -> (postcode, folded name, locality shown)
        # An alias row shows the locality's own name; a real "Saint-Nicolas" (4420) keeps its.
        canonical = {alias: name for name, alias in BE_ALIASES.items()}
        first_alias, end_alias = len(mains), len(mains) + len(aliases)
        self.be_rows = {
            row: (cp, row.split(",")[1], canonical[name] if first_alias <= i < end_alias else name)
            for i, (row, (cp, name)) in enumerate(
                zip(self.be_folded[1:-1].split("\n"), names, strict=True)  # row = "cp,name,"
            )
        }
        self.be_codes = "\n" + "\n".join(self.be_postcodes) + "\n"


@functools.cache
def tables() -> _Data:
    """The bundled tables, read once: ``communes`` (INSEE code → CSV row, most populated
    first), ``departments``, postcodes and the folded search texts. Read-only."""
    return _Data()


def load() -> None:
    """Load the tables and indexes now rather than on first use (e.g. at app start-up)."""
    tables()
    _communes_by_postcode()


# --- places -----------------------------------------------------------------------------------


def _main_postcode(postcodes: list[str]) -> str:
    # La Poste's main distribution codes usually end in 0 (59000 rather than 59777).
    return next((cp for cp in postcodes if cp.endswith("0")), postcodes[0])


@functools.lru_cache(maxsize=4096)
def _commune(code: str) -> Place | None:
    line = tables().communes.get(code)
    if line is None:
        return None
    _, name, dep, postcodes, _, lat, lon = line.split(",")
    dep_name = tables().departments.get(dep, dep)
    if code in _PLM or not postcodes:  # Paris, Lyon, Marseille: one code per arrondissement
        label = name if dep_name == name else f"{name} ({dep_name})"
    else:
        label = f"{name} ({_main_postcode(postcodes.split())}, {dep_name})"
    return Place(
        f"fr-commune:{code}", "fr-commune", code, name, label, dep, float(lat), float(lon), "FR"
    )


@functools.lru_cache(maxsize=4096)
def _fr_postcode(cp: str) -> Place | None:
    line = tables().fr_postcodes.get(cp)
    if line is None:
        return None
    _, insee, name, _, lat, lon = line.split(",")
    dep = tables().communes[insee].split(",", 3)[2]
    return Place(
        f"fr-postcode:{cp}",
        "fr-postcode",
        cp,
        name,
        f"{name} ({cp})",
        dep,
        float(lat),
        float(lon),
        "FR",
    )


@functools.lru_cache(maxsize=4096)
def _be_postcode(cp: str, locality: str | None = None) -> Place | None:
    """A Belgian postcode, named after `locality` (one of its localities) or all of them.

    Coordinates are always those of the postcode's main (first) locality.
    """
    rows = tables().be_postcodes.get(cp)
    if rows is None:
        return None
    main, lat, lon = rows[0]
    if locality:
        name, label = locality, f"{locality} ({cp}, Belgique)"
    else:
        names = [r[0] for r in rows]
        shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
        name, label = main, f"{shown} ({cp}, Belgique)"
    return Place(
        f"be-postcode:{cp}", "be-postcode", cp, name, label, None, float(lat), float(lon), "BE"
    )


def resolve(key: str) -> Place | None:
    """Place for a stored key, or None when the key is malformed or unknown."""
    if not isinstance(key, str) or len(key) > 30:
        return None
    kind, _, code = key.strip().partition(":")
    code = code.strip().upper()
    if kind == "fr-commune" and len(code) == 5:
        return _commune(code)
    if kind == "fr-postcode" and len(code) == 5:
        return _fr_postcode(code)
    if kind == "be-postcode" and len(code) == 4:
        return _be_postcode(code)
    return None


# --- search -----------------------------------------------------------------------------------
# A hit is (population, kind order, code, Place); hits are sorted with the largest first.


def _scan(text: str, needle: str, want: int, accept) -> list:
    """Up to `want` accepted hits for `needle` in `text`, in text (= rank) order."""
    skip = 1 if needle.startswith("\n") else 0  # the match starts at the previous row's end
    hits, pos = [], text.find(needle)
    while pos >= 0 and len(hits) < want:
        pos += skip
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        hit = accept(text[start:end], pos - start)
        if hit is not None:
            hits.append(hit)
        pos = text.find(needle, end)  # one hit per row
    return hits


def _commune_hit(code: str):
    place = _commune(code)
    pop = int(tables().communes[code].rsplit(",", 3)[1])
    return (pop, 0, code, place)


def _name_hits(needle: str, want: int, check) -> list:
    """Communes and Belgian localities whose folded name contains `needle`, at the start
    of the name if `needle` starts with a comma, and for which `check(name)` holds."""
    d = tables()
    at_start = needle.startswith(",")

    def matches(code: str, name: str, offset: int) -> bool:
        # rows are "code,name,": the needle must sit at the name's start or inside it
        in_place = offset == len(code) if at_start else 0 < offset - len(code) <= len(name)
        return in_place and check(name)

    def commune(row: str, offset: int):
        code, name, _ = row.split(",")
        return _commune_hit(code.upper()) if matches(code, name, offset) else None

    def belgian(row: str, offset: int):
        cp, name, locality = d.be_rows[row]
        if matches(cp, name, offset):
            main = d.be_postcodes[cp][0][0] == locality
            pop = BE_MAIN_POPULATION if main else BE_OTHER_POPULATION
            return (pop, 2, cp, _be_postcode(cp, locality))
        return None

    return _scan(d.commune_names, needle, want, commune) + _scan(d.be_folded, needle, want, belgian)


def _name_tiers(q: str, want: int):
    variants = {q, " ".join(_ABBREV.get(t, t) for t in q.split())}  # "st" -> "saint"
    yield [h for v in variants for h in _name_hits(f",{v},", want, lambda name: True)]
    yield [h for v in variants for h in _name_hits(f",{v}", want, lambda name: True)]
    yield [h for v in variants for h in _name_hits(f" {v}", want, lambda name: True)]
    words = q.split()
    if len(words) > 1:  # every word starts a word of the name, in any order

        def all_words(name: str) -> bool:
            tokens = name.split()
            return all(
                any(t.startswith(_ABBREV.get(w, w)) or t.startswith(w) for t in tokens)
                for w in words
            )

        longest = max(words, key=len)
        yield _name_hits(f",{longest}", want * 20, all_words) + _name_hits(
            f" {longest}", want * 20, all_words
        )


@functools.cache
def _communes_by_postcode() -> dict[str, list[str]]:
    """Postcode -> INSEE codes of the communes it serves (built on first use)."""
    index: dict[str, list[str]] = {}
    for code, line in tables().communes.items():
        if code not in _PLM:
            for cp in line.split(",", 4)[3].split():
                index.setdefault(cp, []).append(code)
    return index


def _code_tiers(q: str, want: int):
    d = tables()

    def fr_postcode(row: str, offset: int):
        return (int(row.split(",")[3]), 1, row[:5], _fr_postcode(row[:5]))

    def be_postcode(row: str, offset: int):
        return (BE_MAIN_POPULATION, 2, row, _be_postcode(row))

    def insee(row: str, offset: int):
        return _commune_hit(row[:5].upper())

    yield _scan(d.fr_postcodes_folded, f"\n{q},", 1, fr_postcode)
    yield _scan(d.be_codes, f"\n{q}\n", 1, be_postcode)
    if len(q) == 5:
        communes = [_commune_hit(code) for code in _communes_by_postcode().get(q, ())]
        if len(communes) > 1:  # a one-commune postcode already stands for its commune
            yield communes
        yield _scan(d.commune_names, f"\n{q},", 1, insee)
    yield _scan(d.fr_postcodes_folded, f"\n{q}", want, fr_postcode)
    yield _scan(d.be_codes, f"\n{q}", want, be_postcode)
    yield _scan(d.commune_names, f"\n{q}", want, insee)


def search(query: str, limit: int = 10) -> list[Place]:
    """Places for autocomplete.

    Names (communes, Belgian localities) match accent- and case-insensitively: exact name,
    then name prefix, then word prefix ("ascq" -> Villeneuve-d'Ascq), then all words in any
    order. Numbers match French postcodes, Belgian postcodes and INSEE codes: exact, then
    prefix. Within each group, larger places come first.
    """
    if not isinstance(query, str) or limit <= 0:
        return []
    q = normalize(query[:_MAX_QUERY])
    if not q:
        return []
    compact = q.replace(" ", "")
    is_code = bool(_CODE_RE.fullmatch(compact))
    tiers = _code_tiers(compact, limit) if is_code else _name_tiers(q, limit)
    results: list[Place] = []
    seen: set[tuple[str, str]] = set()
    for hits in tiers:
        hits.sort(key=lambda h: (-h[0], h[1], h[2]))
        for hit in hits:
            place = hit[3]
            if place is not None and (place.key, place.name) not in seen:
                seen.add((place.key, place.name))
                results.append(place)
                if len(results) == limit:
                    return results
    return results


# --- what a person typed or picked ---------------------------------------------------------------

_LABEL_RE = re.compile(r"(.+?)\s*\(([^()]*)\)")


def _same(a: str, b: str) -> bool:
    return normalize(a) == normalize(b)


def _named(name: str, limit: int = 50) -> list[Place]:
    """Every commune and Belgian locality called exactly `name` (folded), largest first."""
    q = normalize(name)
    if not q:
        return []
    hits = _name_hits(f",{q},", limit, lambda _name: True)
    hits.sort(key=lambda h: (-h[0], h[1], h[2]))
    found: dict[str, Place] = {}
    for hit in hits:  # a Belgian postcode may list one locality twice (alias rows)
        if hit[3] is not None:
            found.setdefault(hit[3].key, hit[3])
    return list(found.values())


def from_label(text: str) -> Place | None:
    """The place whose label (as ``search`` and ``resolve`` show it) is `text`, compared
    without case, accents or punctuation: ``"Roubaix (59100, Nord)"`` -> fr-commune:59512,
    ``"Lille (59000)"`` -> fr-postcode:59000, ``"Ixelles (1050, Belgique)"`` -> be-postcode:1050.
    """
    if not isinstance(text, str) or len(text) > _MAX_QUERY:
        return None
    text = text.strip()
    match = _LABEL_RE.fullmatch(text)
    name, inside = match.groups() if match else (text, "")
    code = inside.split(",")[0].strip()
    if code.isdigit() and len(code) == 5:
        place = _fr_postcode(code)
        if place is not None and _same(place.label, text):
            return place
    if code.isdigit() and len(code) == 4:
        place = _be_postcode(code)
        if place is not None and _same(place.label, text):
            return place
    return next((p for p in _named(name) if _same(p.label, text)), None)


def pick(text: str) -> Place | None:
    """The one place `text` stands for: a key, a postcode, a label, or a name that only one
    place has; None when it is unknown or ambiguous (see ``candidates``)."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text:
        return None
    if place := resolve(text):
        return place
    if text.isdigit() and len(text) == 5:
        return _fr_postcode(text)
    if text.isdigit() and len(text) == 4:
        return _be_postcode(text)
    if place := from_label(text):
        return place
    named = _named(text, limit=2)
    return named[0] if len(named) == 1 else None


def candidates(text: str, limit: int = 10) -> list[Place]:
    """The places a person may mean by `text` when ``pick`` finds no single one: those of
    that exact name, else the search results (empty when nothing matches)."""
    if not isinstance(text, str) or not text.strip():
        return []
    found = _named(text, limit=limit) or search(text, limit=limit)
    unique: dict[str, Place] = {}
    for place in found:  # a Belgian postcode's localities share one key
        unique.setdefault(place.key, place)
    return list(unique.values())[:limit]
