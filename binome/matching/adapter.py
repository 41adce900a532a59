"""Build the engine's problem (shared/specs/matching.md) for one programme from the database.

Ids are ``m<pk>`` for mentors and ``e<pk>`` for mentees. A constant number of queries,
whatever the number of people: settings, mentors, mentees, declined pairs, exclusions.
"""

from django.utils import timezone

from binome.geo import places
from binome.matching.models import MatchExclusion, MatchingSettings
from binome.pairs.enums import PairState
from binome.pairs.models import Pair, with_free_place
from binome.people.models import Mentee, Mentor

# Pairs that ended in a refusal: the same pair is never proposed again.
DECLINED_STATES = (PairState.MENTOR_DECLINED, PairState.MENTEE_DECLINED)
PERSON_FIELDS = (
    "id",
    "place",
    "remote_ok",
    "max_km",
    "sectors",
    "functions",
    "birth_year",
    "languages",
    "mother_tongue",
    "hobbies",
    "expectations",
    "support",
)


def mentor_key(pk):
    return f"m{pk}"


def mentee_key(pk):
    return f"e{pk}"


def parse_key(key):
    """``"m12"`` → ``("m", 12)``; anything else → ``(None, None)``."""
    if isinstance(key, str) and len(key) > 1 and key[0] in "me" and key[1:].isdigit():
        return key[0], int(key[1:])
    return None, None


def settings_for(programme):
    """The programme's matching settings, created with the defaults on first use."""
    obj, _created = MatchingSettings.objects.get_or_create(programme=programme)
    return obj


def _coords(place_key, cache):
    if not place_key:
        return None
    if place_key not in cache:
        place = places.resolve(place_key)
        cache[place_key] = (place.lat, place.lon) if place else None
    return cache[place_key]


def _person(row, key, cache):
    out = {
        "id": key,
        "remote_ok": bool(row["remote_ok"]),
        "sectors": list(row["sectors"] or []),
        "functions": list(row["functions"] or []),
        "birth_year": row["birth_year"],
        "languages": list(row["languages"] or []),
        "mother_tongue": row["mother_tongue"] or None,
        "hobbies": list(row["hobbies"] or []),
        "expectations": list(row["expectations"] or []),
        "support": list(row["support"] or []),
    }
    coords = _coords(row["place"], cache)
    if coords:
        out["lat"], out["lon"] = coords
    return out


def ready_mentors(programme):
    """Mentors with a free place (ready, or in a pair within capacity; never former or
    withdrawn mentors), annotated with ``free`` (places left)."""
    return with_free_place(Mentor.objects.filter(programme=programme))


def ready_mentees(programme):
    """Mentees waiting for a mentor: ready (never in a pair, nor done after one)."""
    return Mentee.objects.filter(programme=programme).waiting_for_mentor()


def exclusion_pairs(programme):
    """(mentor pk, mentee pk) pairs never to propose: declined pairs and exclusions."""
    declined = Pair.objects.filter(programme=programme, state__in=DECLINED_STATES).values_list(
        "mentor_id", "mentee_id"
    )
    excluded = MatchExclusion.objects.filter(mentee__programme=programme).values_list(
        "mentor_id", "mentee_id"
    )
    return set(declined) | set(excluded)


def mentee_exclusions(mentee):
    """Mentor keys never to propose to this mentee: its declined pairs and exclusions (for a
    mentee outside the problem, whose exclusions the problem does not carry)."""
    declined = Pair.objects.filter(mentee=mentee, state__in=DECLINED_STATES).values_list(
        "mentor_id", flat=True
    )
    excluded = MatchExclusion.objects.filter(mentee=mentee).values_list("mentor_id", flat=True)
    return {mentor_key(pk) for pk in [*declined, *excluded]}


def build_problem(programme, *, matching_settings=None, today=None):
    """The engine's problem dict for the programme's ready-to-match people, now."""
    ms = matching_settings or settings_for(programme)
    today = today or timezone.localdate()
    cache = {}
    mentors = []
    for row in ready_mentors(programme).order_by("pk").values(*PERSON_FIELDS, "free"):
        person = _person(row, mentor_key(row["id"]), cache)
        person["capacity"] = max(0, row["free"])
        mentors.append(person)
    mentees = []
    for row in ready_mentees(programme).order_by("pk").values(*PERSON_FIELDS, "waiting_since"):
        person = _person(row, mentee_key(row["id"]), cache)
        if row["max_km"]:
            person["max_km"] = row["max_km"]
        if row["waiting_since"]:
            person["waiting_since"] = row["waiting_since"].isoformat()
        mentees.append(person)
    mentor_ids = {m["id"] for m in mentors}
    mentee_ids = {e["id"] for e in mentees}
    exclusions = sorted(
        [mentor_key(m), mentee_key(e)]
        for m, e in exclusion_pairs(programme)
        if mentor_key(m) in mentor_ids and mentee_key(e) in mentee_ids
    )
    problem = {
        "criteria": ms.criteria(),
        "min_score": ms.min_score,
        "waiting_bonus_per_month": ms.waiting_bonus_per_month,
        "today": today.isoformat(),
        "mentors": mentors,
        "mentees": mentees,
        "exclusions": exclusions,
    }
    if ms.candidates_per_mentee:
        problem["candidates_per_mentee"] = ms.candidates_per_mentee
    return problem


def mentee_as_newcomer(mentee):
    """A mentee outside the problem (not ready, or already paired) as an engine dict."""
    row = {f: getattr(mentee, f) for f in PERSON_FIELDS}
    person = _person(row, mentee_key(mentee.pk), {})
    if mentee.max_km:
        person["max_km"] = mentee.max_km
    if mentee.waiting_since:
        person["waiting_since"] = mentee.waiting_since.isoformat()
    return person
