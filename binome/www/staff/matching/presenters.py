"""Display helpers of the staff matching pages: scores as percentages and numbers in the
current language, explain entries decorated with the mentor and labels, cost messages."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from binome.matching.adapter import parse_key
from binome.matching.enums import CRITERION_LABELS, failed_label


def percent(value):
    return round(100 * value) if value is not None else None


def score_parts(breakdown, names):
    return [(CRITERION_LABELS.get(n, n), percent(breakdown.get(n))) for n in names]


def criteria_names(problem):
    return [c["name"] for c in problem.get("criteria", [])]


def criteria_labels(names):
    return [CRITERION_LABELS.get(n, n) for n in names]


def entry_mentor_pks(entries):
    return [parse_key(e["mentor"])[1] for e in entries]


def mentor_entries(entries, mentors, names):
    """Explain entries decorated with the mentor object and display labels."""
    out = []
    for entry in entries:
        _key, pk = parse_key(entry["mentor"])
        mentor = mentors.get(pk)
        if mentor is None:
            continue
        out.append(
            {
                **entry,
                "mentor_obj": mentor,
                "failed_labels": [failed_label(c) for c in entry["failed"]],
                "parts": score_parts(entry["breakdown"], names),
            }
        )
    return out


def number(value):
    """A score in the current language (decimal comma in French), rounded (number_format
    alone truncates)."""
    return number_format(round(value, 2), 2)


def signed(value):
    return ("+" if value > 0 else "") + number(value)


def cost_message(cost):
    if cost["optimal_score"] is None:
        return _(
            "Pair added, score %(score)s. The engine had left this mentee without a mentor."
        ) % {"score": number(cost["score"])}
    return _(
        "Pair chosen, score %(score)s; the engine's choice scored %(optimal)s "
        "(difference %(difference)s)."
    ) % {
        "score": number(cost["score"]),
        "optimal": number(cost["optimal_score"]),
        "difference": signed(cost["difference"]),
    }
