"""Suggestions outside a run, computed by tasks and stored (``MenteeSuggestions``).

Two refreshes, each a task (``binome.matching.tasks``): the next best mentors of a
programme's declined mentees (the matching home), queued when the programme's inputs change;
one mentee against every mentor (the mentee's page), queued when that page finds its row
missing or stale. Pages read the rows with a constant number of queries; a page that finds
them stale queues the refresh and shows them as being updated: it never computes them.

Freshness: a change to what matching reads adds a ``SuggestionChange`` row in the changing
transaction (``binome.matching.signals``, no lock taken). A refresh consumes the pending
changes, bumping the programme's generation, before it reads the data; a row is current when
it has the programme's generation, no change is pending and it was computed today.
"""

import datetime

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from binome.matching import engine
from binome.matching.adapter import build_problem, mentee_key, parse_key
from binome.matching.models import (
    MenteeSuggestions,
    MentorOffer,
    SuggestionChange,
    SuggestionInputs,
)
from binome.matching.services.suggestions import SUGGESTION_COUNT, explain_mentee
from binome.pairs.enums import LIVE_STATES, PairState
from binome.people.models import Mentee
from binome.programmes.models import Programme

# A refresh queued and not taken by a task after this long (a lost task) is queued again.
REQUEST_RETRY = datetime.timedelta(minutes=2)


def record_change(programme_id):
    """A change to the programme's matching inputs, in the changing transaction.

    Recorded only for a programme whose suggestions were ever stored (one INSERT … SELECT,
    no lock); once committed, a refresh of its next-best suggestions is queued.
    """
    changes = connection.ops.quote_name(SuggestionChange._meta.db_table)
    inputs = connection.ops.quote_name(SuggestionInputs._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {changes} (programme_id, created_at) "  # noqa: S608 - table names
            f"SELECT programme_id, %s FROM {inputs} WHERE programme_id = %s",
            [timezone.now(), programme_id],
        )
        recorded = cursor.rowcount
    if recorded:
        transaction.on_commit(lambda: request_refresh([programme_id]))


def request_refresh(programme_ids):
    """Queue a refresh of the programmes' next-best suggestions, once: a refresh already
    queued and not yet taken by a task covers the changes made meanwhile."""
    from binome.matching.tasks import refresh_next_best_task

    now = timezone.now()
    for programme_id in programme_ids:
        SuggestionInputs.objects.get_or_create(programme_id=programme_id)
        queued = (
            SuggestionInputs.objects.filter(programme_id=programme_id)
            .filter(Q(requested_at__isnull=True) | Q(requested_at__lt=now - REQUEST_RETRY))
            .update(requested_at=now)
        )
        if queued:
            refresh_next_best_task.enqueue(programme_id)


def _consume(programme_id):
    """Take the pending changes into a new generation (before reading the data); returns it."""
    with transaction.atomic():
        SuggestionInputs.objects.get_or_create(programme_id=programme_id)
        inputs = SuggestionInputs.objects.select_for_update().get(programme_id=programme_id)
        pending = list(
            SuggestionChange.objects.filter(programme_id=programme_id).values_list("pk", flat=True)
        )
        inputs.requested_at = None
        if pending:
            SuggestionChange.objects.filter(pk__in=pending).delete()
            inputs.generation += 1
        inputs.save(update_fields=["generation", "requested_at"])
    return inputs.generation


def _declined_mentees(programme_id):
    """Mentees of the programme whose mentor declined, waiting for another (the home's list)."""
    return set(
        MentorOffer.objects.filter(
            pair__programme_id=programme_id,
            pair__state=PairState.MENTOR_DECLINED,
            pair__mentee__state="ready",
        )
        .exclude(pair__mentee__pairs__state__in=LIVE_STATES)
        .values_list("pair__mentee_id", flat=True)
    )


def _best(suggestions):
    if not suggestions:
        return None, None
    return parse_key(suggestions[0]["mentor"])[1], suggestions[0]["score"]


def refresh_next_best(programme_id):
    """Compute and store the next best mentors of the programme's declined mentees (the task)."""
    generation = _consume(programme_id)
    today = timezone.localdate()
    mentee_ids = _declined_mentees(programme_id)
    # A mentee's page computed for this generation today already holds its suggestions.
    current = set(
        MenteeSuggestions.objects.filter(
            mentee_id__in=mentee_ids,
            generation=generation,
            computed_on=today,
            entries__isnull=False,
        ).values_list("mentee_id", flat=True)
    )
    todo = sorted(mentee_ids - current)
    rows = []
    if todo:
        problem = build_problem(Programme.objects.get(pk=programme_id), today=today)
        keys = {e["id"] for e in problem["mentees"]}
        names = [c["name"] for c in problem.get("criteria", [])]
        prepared = engine.prepare(problem) if problem["mentors"] else None
        for pk in todo:
            key = mentee_key(pk)
            in_problem = key in keys
            suggestions = (
                prepared.top_suggestions(key, SUGGESTION_COUNT)
                if prepared is not None and in_problem
                else []
            )
            best_mentor, best_score = _best(suggestions)
            rows.append(
                MenteeSuggestions(
                    mentee_id=pk,
                    programme_id=programme_id,
                    generation=generation,
                    computed_on=today,
                    in_problem=in_problem,
                    criteria=names,
                    best_mentor_id=best_mentor,
                    best_score=best_score,
                    suggestions=suggestions,
                    entries=None,
                )
            )
    with transaction.atomic():
        MenteeSuggestions.objects.filter(mentee_id__in=todo).delete()
        MenteeSuggestions.objects.bulk_create(rows, batch_size=500)
        SuggestionInputs.objects.filter(programme_id=programme_id).update(
            next_best_generation=generation, next_best_on=today
        )


def _states(programme_ids):
    """Programme id → (its SuggestionInputs or None, whether changes are pending)."""
    inputs = {
        s.programme_id: s for s in SuggestionInputs.objects.filter(programme_id__in=programme_ids)
    }
    pending = set(
        SuggestionChange.objects.filter(programme_id__in=programme_ids)
        .values_list("programme_id", flat=True)
        .distinct()
    )
    return {pk: (inputs.get(pk), pk in pending) for pk in programme_ids}


def _next_best_current(state, today):
    inputs, pending = state
    return (
        inputs is not None
        and not pending
        and inputs.next_best_generation == inputs.generation
        and inputs.next_best_on == today
    )


def declined_with_next_best(offers):
    """Each declined offer with its mentee's stored next best mentor, or ``stale`` when the
    programme's suggestions are being updated (a refresh is then queued).

    ``[{"offer", "best" ({"mentor", "score"} or None), "best_mentor", "stale"}]``.
    """
    offers = list(offers)
    if not offers:
        return []
    today = timezone.localdate()
    programme_ids = sorted({o.pair.programme_id for o in offers})
    states = _states(programme_ids)
    stale = [pk for pk in programme_ids if not _next_best_current(states[pk], today)]
    if stale:
        request_refresh(stale)
        states = _states(programme_ids)  # an immediate task backend has refreshed them
    rows = {
        row.mentee_id: row
        for row in MenteeSuggestions.objects.filter(
            mentee_id__in={o.pair.mentee_id for o in offers}
        ).select_related("best_mentor")
    }
    out = []
    for offer in offers:
        state = states[offer.pair.programme_id]
        item = {"offer": offer, "best": None, "best_mentor": None, "stale": False}
        row = rows.get(offer.pair.mentee_id)
        if not _next_best_current(state, today):
            item["stale"] = True
        elif row is not None and row.generation == state[0].generation and row.best_mentor:
            item["best"] = {"mentor": row.suggestions[0]["mentor"], "score": row.best_score}
            item["best_mentor"] = row.best_mentor
        out.append(item)
    return out


def refresh_mentee(mentee_id):
    """Compute and store one mentee against every mentor with a free place (the task)."""
    mentee = Mentee.objects.select_related("programme").filter(pk=mentee_id).first()
    if mentee is None:
        return None
    row, current = _mentee_row(mentee)
    if current:  # queued twice: already done
        return row
    generation = _consume(mentee.programme_id)
    today = timezone.localdate()
    result = explain_mentee(mentee, today=today)
    best_mentor, best_score = _best(result["suggestions"])
    row, _created = MenteeSuggestions.objects.update_or_create(
        mentee=mentee,
        defaults={
            "programme_id": mentee.programme_id,
            "generation": generation,
            "computed_on": today,
            "computed_at": timezone.now(),
            "in_problem": result["in_problem"],
            "criteria": result["criteria"],
            "best_mentor_id": best_mentor,
            "best_score": best_score,
            "suggestions": result["suggestions"],
            "entries": result["entries"],
        },
    )
    return row


def _mentee_row(mentee):
    row = MenteeSuggestions.objects.filter(mentee=mentee).first()
    inputs, pending = _states([mentee.programme_id])[mentee.programme_id]
    current = (
        row is not None
        and inputs is not None
        and not pending
        and row.entries is not None
        and row.generation == inputs.generation
        and row.computed_on == timezone.localdate()
    )
    return row, current


def mentee_suggestions(mentee):
    """The stored suggestions of a mentee's page and whether they are current: when they are
    missing or stale, their computation is queued (a task) and the row is read again.

    Returns ``(MenteeSuggestions or None, current)``.
    """
    from binome.matching.tasks import refresh_mentee_task

    row, current = _mentee_row(mentee)
    if not current:
        refresh_mentee_task.enqueue(mentee.pk)
        row, current = _mentee_row(mentee)  # an immediate task backend has computed it
    return row, current
