"""A tiny state-machine helper shared by the workflows (candidates, pairs, runs, registrations).

Each workflow declares a ``TextChoices`` enum, a table ``{state: {allowed next states}}`` and,
beside it, a guards table: ``{(from, to): guards}`` for one transition or ``{to: guards}`` for
every transition into ``to``. A guard is ``guard(obj, reason)`` returning ``None`` when the
transition may happen, else the message that says why not. ``apply_transition`` checks the
table and the guards, saves, writes the transition log and the activity log: no path can skip a
guard. ``apply_transitions_bulk`` does the same for many objects at once, with set-based writes.

The state column is ``state`` unless told (``field=``), and the time it last changed
``state_changed_at`` (``changed_at_field=``, None when the model keeps none).
"""

import time
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.core.models import ActivityLog
from binome.core.services import log_activity


class InvalidTransition(ValidationError):
    """Raised when a state change is not allowed; the message says why, for the staff."""


class ConcurrentTransition(RuntimeError):
    """A bulk transition found a row no longer in the state it was read in (nothing written:
    the caller's transaction rolls back)."""


def guard(test, message, code):
    """A guard from a predicate: ``test(obj, reason)`` is true when the transition may happen."""

    def check(obj, reason):
        return None if test(obj, reason) else message

    check.code = code
    return check


def guards_for(guards, from_state, to_state):
    """The guards of one transition: those of ``(from, to)``, then those of ``to``."""
    if not guards:
        return ()
    return (*guards.get((from_state, to_state), ()), *guards.get(to_state, ()))


def check_transition(obj, to_state, transitions, labels, *, guards=None, reason="", field="state"):
    current = getattr(obj, field)
    if to_state not in transitions.get(current, set()):
        raise InvalidTransition(
            _("Cannot go from “%(from)s” to “%(to)s”.")
            % {"from": labels[current], "to": labels[to_state]},
            code="invalid_transition",
        )
    for guard in guards_for(guards, current, to_state):
        message = guard(obj, reason)
        if message:
            raise InvalidTransition(message, code=getattr(guard, "code", "guard"))


def _state_columns(model, field, changed_at_field):
    """What every transition writes: the state, the time it changed, ``updated_at`` if any."""
    names = [field]
    if changed_at_field:
        names.append(changed_at_field)
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        names.append("updated_at")
    return names


def apply_transition(
    obj,
    to_state,
    *,
    transitions,
    labels,
    log_model,
    acting_user,
    reason="",
    update_fields=(),
    organisation=None,
    guards=None,
    field="state",
    changed_at_field="state_changed_at",
    **log_data,
):
    """Move ``obj`` (already locked by the caller) to ``to_state``; returns the log row.

    ``guards`` is the workflow's guards table (see the module docstring); the fields the guards
    look at are set on ``obj`` by the caller before.
    """
    check_transition(obj, to_state, transitions, labels, guards=guards, reason=reason, field=field)
    from_state = getattr(obj, field)
    setattr(obj, field, to_state)
    if changed_at_field:
        setattr(obj, changed_at_field, timezone.now())
    obj.save(update_fields=[*_state_columns(type(obj), field, changed_at_field), *update_fields])
    entry = log_model.objects.create(
        subject=obj,
        from_state=from_state,
        to_state=to_state,
        by=acting_user if acting_user and acting_user.is_authenticated else None,
        reason=reason,
    )
    log_activity(
        obj,
        "transition",
        acting_user=acting_user,
        organisation=organisation,
        from_state=from_state,
        to_state=to_state,
        **log_data,
    )
    return entry


@dataclass(frozen=True)
class Summary:
    """A bulk transition journalled as one row per organisation (``organisation(obj)``: its
    id) with the count, ``{to_state, requests}``, instead of one row per object: the
    objects' own history is their transition log, written per object."""

    verb: str
    organisation: object


def apply_transitions_bulk(
    model,
    objs,
    to_state,
    *,
    transitions,
    labels,
    log_model,
    acting_user,
    reason="",
    update_fields=(),
    organisation=None,
    guards=None,
    field="state",
    changed_at_field="state_changed_at",
    summary=None,
    timings=None,
    **log_data,
):
    """Move many objects of ``model`` (locked by the caller) to ``to_state``, as
    ``apply_transition`` moves one; returns how many moved.

    ``objs``: model instances, or light mutable objects with ``pk``, the state ``field`` and
    the attnames of ``update_fields`` (``organisation_id``), set by the caller as for
    ``apply_transition``. ``reason`` and ``organisation`` (an id, for the journal): one value,
    or a function of the object.

    1. Every object is checked against the same table and guards (``check_transition``); the
       first refused raises ``InvalidTransition`` before anything is written.
    2. Set-based writes: one ``UPDATE … WHERE pk IN (…) AND <field> = <from>`` per group of
       objects with the same from-state and values (and chunk of ids); a count short of the
       ids raises ``ConcurrentTransition`` (a row moved meanwhile: roll back); the
       transition-log rows and the activity-log rows (``transition``, as ``log_activity``
       writes them; or one row per organisation with ``summary``) in multi-row inserts that
       build no model instances (``insert_rows``).

    ``timings``: a dict that gets the seconds spent checking, updating and logging added.
    """
    objs = list(objs)
    if not objs:
        return 0
    clock = time.perf_counter()
    timings = {} if timings is None else timings

    def lap(name):
        nonlocal clock
        now = time.perf_counter()
        timings[name] = timings.get(name, 0.0) + now - clock
        clock = now

    reason_of = reason if callable(reason) else None
    organisation_of = organisation if callable(organisation) else None
    checked = set()
    for obj in objs:
        current = getattr(obj, field)
        if guards or current not in checked:
            check_transition(
                obj,
                to_state,
                transitions,
                labels,
                guards=guards,
                reason=reason_of(obj) if reason_of else reason,
                field=field,
            )
            checked.add(current)
    lap("check")
    stamp = timezone.now()
    attnames = [model._meta.get_field(name).attname for name in update_fields]
    groups = {}
    for obj in objs:
        key = (getattr(obj, field), *(getattr(obj, name) for name in attnames))
        groups.setdefault(key, []).append(obj.pk)
    state_values = dict.fromkeys(_state_columns(model, field, changed_at_field)[1:], stamp)
    size = update_chunk_size()
    for (from_state, *values), ids in groups.items():
        changes = {field: to_state, **state_values, **dict(zip(attnames, values, strict=True))}
        for start in range(0, len(ids), size):
            part = ids[start : start + size]
            count = _update(model, part, field, from_state, changes)
            if count != len(part):
                raise ConcurrentTransition(
                    f"{model._meta.label}: {len(part) - count} row(s) left “{from_state}” "
                    "during a bulk transition"
                )
    lap("update")
    by_id = acting_user.pk if acting_user and acting_user.is_authenticated else None
    insert_rows(
        log_model,
        ("subject_id", "from_state", "to_state", "reason"),
        [
            (obj.pk, getattr(obj, field), to_state, reason_of(obj) if reason_of else reason)
            for obj in objs
        ],
        at=stamp,
        by_id=by_id,
    )
    if summary is None:
        json = ActivityLog._meta.get_field("data")
        insert_rows(
            ActivityLog,
            ("organisation_id", "object_id", "data"),
            [
                (
                    organisation_of(obj) if organisation_of else organisation,
                    obj.pk,
                    json.get_db_prep_save(
                        {"from_state": getattr(obj, field), "to_state": to_state, **log_data},
                        connection,
                    ),
                )
                for obj in objs
            ],
            at=stamp,
            actor_id=by_id,
            verb="transition",
            object_type=model._meta.label_lower,
        )
    else:
        counts = Counter(summary.organisation(obj) for obj in objs)
        ActivityLog.objects.bulk_create(
            ActivityLog(
                at=stamp,
                actor_id=by_id,
                organisation_id=organisation_id,
                verb=summary.verb,
                object_type="organisations.organisation",
                object_id=organisation_id or 0,
                data={"to_state": to_state, "requests": count, **log_data},
            )
            for organisation_id, count in sorted(counts.items(), key=lambda i: i[0] or 0)
        )
    for obj in objs:
        setattr(obj, field, to_state)
        if changed_at_field:
            setattr(obj, changed_at_field, stamp)
    lap("log rows")
    return len(objs)


def update_chunk_size():
    """Ids per ``UPDATE``: one array on PostgreSQL, else within the parameter limit."""
    if connection.vendor == "postgresql":
        return 50_000
    limit = connection.features.max_query_params
    return 10_000 if limit is None else max(100, min(10_000, limit - 50))


def _update(model, ids, field, from_state, changes):
    """``UPDATE … SET changes WHERE pk IN ids AND field = from_state``; returns the count.

    On PostgreSQL the ids go as one array (``= ANY(%s)``): a placeholder per id costs more
    to bind on the client than the update itself."""
    if connection.vendor != "postgresql":
        rows = model._base_manager.filter(pk__in=ids, **{field: from_state}).order_by()
        return rows.update(**changes)
    opts, quote = model._meta, connection.ops.quote_name
    columns, params = [], []
    for name, value in changes.items():
        f = opts.get_field(name)
        columns.append(f"{quote(f.column)} = %s")
        params.append(f.get_db_prep_save(value, connection))
    state = opts.get_field(field)
    sql = (
        f"UPDATE {quote(opts.db_table)} SET {', '.join(columns)} "
        f"WHERE {quote(opts.pk.column)} = ANY(%s) AND {quote(state.column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, list(ids), state.get_db_prep_save(from_state, connection)])
        return cursor.rowcount


def insert_rows(model, columns, rows, **constants):
    """INSERT many rows of ``model`` without building model instances (bulk transitions write
    hundreds of thousands). ``columns``: attnames given per row, values ready for the database
    (ints, strings, floats, None, or values already prepared by the field); ``constants``:
    attname → value, prepared once; every other column gets its field default. One statement
    per table: ``COPY`` on PostgreSQL (psycopg 3), ``executemany`` on SQLite (elsewhere: one
    INSERT per 1,000 rows). Returns the number of rows."""
    fields = [f for f in model._meta.local_concrete_fields if not f.primary_key]
    by_attname = {f.attname: f for f in fields}
    fixed = {}
    for f in fields:
        if f.attname in columns:
            continue
        value = constants[f.attname] if f.attname in constants else f.get_default()
        fixed[f.attname] = f.get_db_prep_save(value, connection)
    names = [*columns, *fixed]
    tail = tuple(fixed.values())
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(by_attname[n].column) for n in names)
    head = f"INSERT INTO {quote(model._meta.db_table)} ({column_list}) VALUES "
    one = "(" + ", ".join(["%s"] * len(names)) + ")"
    rows = [(*row, *tail) for row in rows]
    if not rows:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy"):
            # psycopg 3: COPY, far faster than parsing huge INSERTs with client-side binding.
            copy_sql = f"COPY {quote(model._meta.db_table)} ({column_list}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        elif connection.vendor == "sqlite":
            cursor.executemany(head + one, rows)
        else:
            for start in range(0, len(rows), 1000):
                part = rows[start : start + 1000]
                params = [value for row in part for value in row]
                cursor.execute(head + ", ".join([one] * len(part)), params)
    return len(rows)
