"""Matching runs: start, compute (called by the task), fail, stale, retry."""

import datetime
import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.base import TaskResultStatus
from django_tasks.exceptions import TaskException
from django_tasks_db.backend import DatabaseBackend

from binome.core.services import log_activity
from binome.core.statemachine import apply_transition
from binome.matching import engine
from binome.matching.adapter import build_problem, parse_key, settings_for
from binome.matching.enums import RUN_TRANSITIONS, RunFailure, RunState
from binome.matching.models import MatchingRun, MatchingRunTransition, RunProposal

logger = logging.getLogger(__name__)


def stale_after():
    """How long a run may wait for the worker, or compute, before it counts as stuck."""
    return datetime.timedelta(minutes=getattr(settings, "BINOME_MATCHING_STALE_MINUTES", 30))


def _transition(run, to_state, *, acting_user, reason="", update_fields=(), **log_data):
    """Move a run (locked by the caller) through RUN_TRANSITIONS, with its log rows."""
    apply_transition(
        run,
        to_state,
        transitions=RUN_TRANSITIONS,
        labels=dict(RunState.choices),
        log_model=MatchingRunTransition,
        acting_user=acting_user,
        reason=reason,
        update_fields=update_fields,
        organisation=run.programme.organisation,
        **log_data,
    )


def start_run(programme, *, acting_user):
    """Queue a matching run for the programme; the background task computes it."""
    settings_for(programme)  # created with the defaults on first use
    with transaction.atomic():
        run = MatchingRun.objects.create(programme=programme, created_by=acting_user)
        MatchingRunTransition.objects.create(
            subject=run, from_state="", to_state=run.state, by=acting_user
        )
        log_activity(
            run, "matching_queued", acting_user=acting_user, organisation=programme.organisation
        )
        transaction.on_commit(lambda: _enqueue_run(run.pk))
    return run


def _enqueue_run(run_id):
    from binome.matching.tasks import run_matching_task

    result = run_matching_task.enqueue(run_id)
    # The immediate backend has already run the task; the worker may be computing it now.
    MatchingRun.objects.filter(pk=run_id).update(task_id=str(result.id)[:64])


def _attempt(run):
    """The rows of this computation of the run: a run retried meanwhile is left alone."""
    return MatchingRun.objects.filter(pk=run.pk, state=RunState.RUNNING, started_at=run.started_at)


def _progress(run, value):
    _attempt(run).update(progress=value, updated_at=timezone.now())


def run_matching(run_id):
    """Compute a queued run (called by the task): problem, optimum, greedy baseline, rows.

    Progress is saved between the phases, each in its own short transaction, so the run page
    can show it while the run goes on. Any failure, storing the result included, marks the
    run failed with the reason, in a fresh transaction.
    """
    with transaction.atomic():
        run = (
            MatchingRun.objects.select_for_update(of=("self",))
            .select_related("programme__organisation")
            .filter(pk=run_id, state=RunState.QUEUED)
            .first()
        )
        if run is None:  # already taken by another worker, or gone
            return None
        run.started_at = timezone.now()
        run.progress = 5
        _transition(
            run, RunState.RUNNING, acting_user=None, update_fields=["started_at", "progress"]
        )
    phase = RunFailure.COMPUTATION
    try:
        problem = build_problem(run.programme)
        _progress(run, 20)
        result = engine.solve(problem)
        _progress(run, 70)
        baseline = engine.greedy(problem)
        _progress(run, 90)
        phase = RunFailure.STORAGE
        return _store_result(run, problem, result, baseline)
    except Exception as exc:  # noqa: BLE001 - any failure is recorded and shown on the run page
        if isinstance(exc, engine.InvalidProblem):
            phase, detail = RunFailure.INVALID_PROBLEM, str(exc)  # names ids only
        else:
            detail = type(exc).__name__
        logger.warning("matching run %s failed (%s): %s", run.pk, phase, type(exc).__name__)
        _fail_attempt(run, phase, detail)
        return None


def _fail_attempt(run, failure, detail):
    """Mark this computation of the run failed, in a fresh transaction."""
    if not transaction.get_connection().in_atomic_block:
        # After a database error the connection may be broken: start from a usable one.
        transaction.get_connection().close_if_unusable_or_obsolete()
    with transaction.atomic():
        locked = (
            _attempt(run)
            .select_for_update(of=("self",))
            .select_related("programme__organisation")
            .first()
        )
        if locked is not None:
            _mark_failed(locked, failure, detail=detail, acting_user=None)


def _mark_failed(run, failure, *, detail="", acting_user):
    run.failure = failure
    run.error = detail[:2000]
    run.progress = 100
    run.finished_at = timezone.now()
    _transition(
        run,
        RunState.FAILED,
        acting_user=acting_user,
        reason=str(RunFailure(failure).label),
        update_fields=["failure", "error", "progress", "finished_at"],
        failure=str(failure),
    )


def _store_result(run, problem, result, baseline):
    pairs = result.pop("pairs")
    rows = []
    for p in pairs:
        _, mentor_pk = parse_key(p["mentor"])
        _, mentee_pk = parse_key(p["mentee"])
        rows.append(
            RunProposal(
                run=run,
                mentor_id=mentor_pk,
                mentee_id=mentee_pk,
                score=p["score"],
                optimal_score=p["score"],
                breakdown=p["breakdown"],
            )
        )
    with transaction.atomic():
        locked = _attempt(run).select_for_update().first()
        if locked is None:  # marked stuck and retried meanwhile: this result is stale
            logger.warning("matching run %s: result of an abandoned computation dropped", run.pk)
            return None
        RunProposal.objects.bulk_create(rows, batch_size=1000)
        run.problem = problem
        run.result = result
        run.greedy = {"objective": baseline["objective"]}
        run.stats = result.get("stats", {})
        run.progress = 100
        run.finished_at = timezone.now()
        _transition(
            run,
            RunState.DONE,
            acting_user=None,
            update_fields=["problem", "result", "greedy", "stats", "progress", "finished_at"],
            matched=result["objective"]["matched"],
        )
    return run


def _is_uuid(text):
    try:
        uuid.UUID(str(text))
    except ValueError:
        return False
    return True


def _ended_tasks(runs):
    """Pks of the unfinished runs whose background task has ended, or is gone."""
    from binome.matching.tasks import run_matching_task

    pending = {r.task_id: r.pk for r in runs if not r.is_finished and r.task_id}
    if not pending:
        return set()
    backend = run_matching_task.get_backend()
    if isinstance(backend, DatabaseBackend):  # one query for a whole list of runs
        from django_tasks_db.models import DBTaskResult

        # An id the database backend cannot read (not a UUID) names no task of it: gone.
        readable = [task_id for task_id in pending if _is_uuid(task_id)]
        alive = {
            str(pk)
            for pk in DBTaskResult.objects.filter(id__in=readable)
            .exclude(status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED])
            .values_list("id", flat=True)
        }
        return {pk for task_id, pk in pending.items() if task_id not in alive}
    if not backend.supports_get_result:
        return set()
    ended = set()
    for task_id, pk in pending.items():
        try:
            if run_matching_task.get_result(task_id).is_finished:
                ended.add(pk)
        except TaskException:
            ended.add(pk)
    return ended


def stale_runs(runs, *, now=None):
    """Run pk → RunFailure for the runs that are stuck: waiting or computing for longer than
    ``BINOME_MATCHING_STALE_MINUTES``, or whose background task ended without finishing them."""
    now = now or timezone.now()
    limit = now - stale_after()
    ended = _ended_tasks(runs)
    out = {}
    for run in runs:
        if run.state == RunState.QUEUED:
            since, failure = run.state_changed_at, RunFailure.NOT_STARTED
        elif run.state == RunState.RUNNING:
            since, failure = run.started_at or run.state_changed_at, RunFailure.STALLED
        else:
            continue
        if run.pk in ended or since < limit:
            out[run.pk] = failure
    return out


def retry_run(run, *, acting_user):
    """Queue a failed run again, or a stuck one (first marked failed, with the reason)."""
    with transaction.atomic():
        run = (
            MatchingRun.objects.select_for_update(of=("self",))
            .select_related("programme__organisation")
            .get(pk=run.pk)
        )
        if run.state in {RunState.QUEUED, RunState.RUNNING}:
            failure = stale_runs([run]).get(run.pk)
            if failure is None:
                raise ValidationError(_("This run is still going: wait for it to finish."))
            _mark_failed(run, failure, acting_user=acting_user)
        elif run.state != RunState.FAILED:
            raise ValidationError(_("Only a failed or stuck run can be started again."))
        run.proposals.all().delete()
        run.explanations.all().delete()  # a failed run has none; a new problem voids them
        run.progress = 0
        run.failure = ""
        run.error = ""
        run.task_id = ""
        run.started_at = None
        run.finished_at = None
        _transition(
            run,
            RunState.QUEUED,
            acting_user=acting_user,
            update_fields=["progress", "failure", "error", "task_id", "started_at", "finished_at"],
        )
        transaction.on_commit(lambda: _enqueue_run(run.pk))
    return run
