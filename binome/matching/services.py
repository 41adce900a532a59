"""Use cases of matching in the app: run, review by hand, publish, the mentor's answer,
reminders. The engine (``binome.matching.engine``) computes; this module stores and acts."""

import datetime
import logging
import threading
import uuid
from collections import Counter, OrderedDict

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django_tasks.base import TaskResultStatus
from django_tasks.exceptions import TaskException
from django_tasks_db.backend import DatabaseBackend

from binome.core.services import log_activity
from binome.core.statemachine import apply_transition
from binome.matching import engine
from binome.matching.enums import (
    RUN_TRANSITIONS,
    ExclusionSource,
    ProposalSource,
    RunFailure,
    RunState,
)
from binome.matching.models import (
    MatchExclusion,
    MatchingRun,
    MatchingRunTransition,
    MentorOffer,
    RunProposal,
)
from binome.matching.problem import (
    build_problem,
    mentee_key,
    mentor_key,
    parse_key,
    settings_for,
)
from binome.notifications.services import queue_email
from binome.pairs import services as pair_services
from binome.pairs.enums import PairState

logger = logging.getLogger(__name__)

OFFER_SALT = "binome.matching.offer"
NEXT_BEST_COUNT = 3


# --- runs ---------------------------------------------------------------------------------


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


# --- reading a run --------------------------------------------------------------------------

_PREPARED = OrderedDict()
_PREPARED_LOCK = threading.Lock()


def prepared_problem(run):
    """The run's problem parsed once per process (a run's problem never changes)."""
    key = (run.pk, run.finished_at)
    with _PREPARED_LOCK:
        if key in _PREPARED:
            _PREPARED.move_to_end(key)
            return _PREPARED[key]
    prepared = engine.prepare(run.problem)
    with _PREPARED_LOCK:
        _PREPARED[key] = prepared
        while len(_PREPARED) > 4:
            _PREPARED.popitem(last=False)
    return prepared


def run_capacity(run):
    """Mentor key → capacity in the run's problem."""
    return {m["id"]: m.get("capacity", 1) for m in run.problem.get("mentors", [])}


def taken_places(run, *, exclude_mentee=None):
    """Mentor key → number of chosen proposals in the run."""
    qs = run.proposals.chosen()
    if exclude_mentee is not None:
        qs = qs.exclude(mentee=exclude_mentee)
    counts = qs.values("mentor_id").annotate(n=Count("id")).values_list("mentor_id", "n")
    return {mentor_key(pk): n for pk, n in counts}


def run_totals(run):
    """The staff's current selection against the engine's optimum and the greedy baseline."""
    agg = run.proposals.chosen().aggregate(n=Count("id"), total=Sum("score"))
    optimum = run.result.get("objective", {})
    greedy = run.greedy.get("objective", {})
    current = {"matched": agg["n"], "total_score": round(agg["total"] or 0, 2)}
    return {
        "current": current,
        "optimum": optimum,
        "greedy": greedy,
        "mentees": len(run.problem.get("mentees", [])),
        "mentors": len(run.problem.get("mentors", [])),
        "cost": round(optimum.get("total_score", 0) - current["total_score"], 2),
        "matched_cost": optimum.get("matched", 0) - current["matched"],
        "gain_over_greedy": round(optimum.get("total_score", 0) - greedy.get("total_score", 0), 2),
        "matched_over_greedy": optimum.get("matched", 0) - greedy.get("matched", 0),
    }


def explain_in_run(run, mentee_pk):
    """Every mentor of the run for one mentee, with score, breakdown and failed conditions."""
    key = mentee_key(mentee_pk)
    return prepared_problem(run).explain(key)


def suggestions_in_run(run, mentee_pk, *, k=5):
    """The k best feasible mentors with a place left in the run (the mentee's own pair aside)."""
    taken = taken_places(run, exclude_mentee=mentee_pk)
    return prepared_problem(run).top_suggestions(mentee_key(mentee_pk), k, taken)


def unmatched_reasons(run):
    """Mentee key → reason, for the mentees of the run without a chosen proposal."""
    reasons = {u["id"]: u["reason"] for u in run.result.get("unmatched_mentees", [])}
    chosen = {mentee_key(pk) for pk in run.proposals.chosen().values_list("mentee_id", flat=True)}
    out = {}
    for e in run.problem.get("mentees", []):
        if e["id"] not in chosen:
            out[e["id"]] = reasons.get(e["id"], "removed")
    return out


def unused_mentors(run):
    """Mentor key → places left in the run's current selection."""
    taken = taken_places(run)
    return {
        key: cap - taken.get(key, 0)
        for key, cap in run_capacity(run).items()
        if cap - taken.get(key, 0) > 0 and taken.get(key, 0) == 0
    }


# --- editing a run by hand ------------------------------------------------------------------


def _lock_run(run):
    locked = (
        MatchingRun.objects.select_for_update(of=("self",))
        .select_related("programme__organisation")
        .get(pk=run.pk)
    )
    if locked.state != RunState.DONE:
        raise ValidationError(_("This run can no longer be changed."))
    return locked


def _entry(run, mentee_pk, mentor_pk):
    """The engine's verdict on one pair of the run."""
    if mentee_key(mentee_pk) not in {e["id"] for e in run.problem.get("mentees", [])}:
        raise ValidationError(_("This mentee is not part of this run."))
    for entry in explain_in_run(run, mentee_pk):
        if entry["mentor"] == mentor_key(mentor_pk):
            return entry
    raise ValidationError(_("This mentor is not part of this run."))


def _check_feasible(entry):
    if not entry["feasible"]:
        from binome.matching.enums import failed_label

        reasons = ", ".join(str(failed_label(c)) for c in entry["failed"])
        raise ValidationError(
            _("The engine rules this pair out: %(reasons)s.") % {"reasons": reasons}
        )


def _check_place(run, mentor_pk, *, exclude_mentee=None):
    key = mentor_key(mentor_pk)
    taken = taken_places(run, exclude_mentee=exclude_mentee).get(key, 0)
    if taken >= run_capacity(run).get(key, 0):
        raise ValidationError(
            _("This mentor has no place left in this run: remove or change their pair first.")
        )


def _cost(run, mentee_pk, score):
    """What a manual choice costs against the engine's choice for this mentee."""
    engine_pair = (
        run.proposals.filter(mentee_id=mentee_pk, source=ProposalSource.ENGINE)
        .order_by("id")
        .first()
    )
    optimal = engine_pair.score if engine_pair else None
    return {
        "score": score,
        "optimal_score": optimal,
        "difference": round(score - optimal, 2) if optimal is not None else None,
    }


def remove_proposal(proposal, *, acting_user):
    """Take a pair out of the run's selection (kept, marked removed)."""
    with transaction.atomic():
        run = _lock_run(proposal.run)
        proposal = RunProposal.objects.select_for_update().get(pk=proposal.pk, run=run)
        if proposal.removed:
            raise ValidationError(_("This pair is already removed."))
        proposal.removed = True
        proposal.save(update_fields=["removed"])
        log_activity(
            run,
            "matching_pair_removed",
            acting_user=acting_user,
            organisation=run.programme.organisation,
            proposal=proposal.pk,
        )
    return proposal


def choose_mentor(run, *, mentee, mentor, acting_user):
    """Add a pair for a mentee, or change the mentee's mentor, after the engine's check.

    Returns (the new proposal, the cost against the engine's choice for this mentee).
    """
    with transaction.atomic():
        run = _lock_run(run)
        entry = _entry(run, mentee.pk, mentor.pk)
        _check_feasible(entry)
        _check_place(run, mentor.pk, exclude_mentee=mentee.pk)
        current = run.proposals.chosen().filter(mentee=mentee).select_for_update().first()
        if current is not None:
            if current.mentor_id == mentor.pk:
                raise ValidationError(_("This mentor is already chosen for this mentee."))
            current.removed = True
            current.save(update_fields=["removed"])
        proposal = RunProposal.objects.create(
            run=run,
            mentor=mentor,
            mentee=mentee,
            score=entry["score"],
            breakdown=entry["breakdown"],
            source=ProposalSource.MANUAL,
        )
        log_activity(
            run,
            "matching_pair_chosen",
            acting_user=acting_user,
            organisation=run.programme.organisation,
            proposal=proposal.pk,
            replaced=current.pk if current else None,
        )
    return proposal, _cost(run, mentee.pk, entry["score"])


def swap_mentors(first, second, *, acting_user):
    """Exchange the mentors of two chosen pairs of the same run, both checked by the engine.

    Returns the two new proposals and the change in total score.
    """
    with transaction.atomic():
        run = _lock_run(first.run)
        rows = list(
            RunProposal.objects.select_for_update()
            .filter(run=run, removed=False, pk__in=[first.pk, second.pk])
            .order_by("pk")
        )
        if len(rows) != 2:
            raise ValidationError(_("Pick two pairs of this run."))
        a, b = rows
        if a.mentor_id == b.mentor_id:
            raise ValidationError(_("These two pairs have the same mentor."))
        entry_a = _entry(run, a.mentee_id, b.mentor_id)
        entry_b = _entry(run, b.mentee_id, a.mentor_id)
        _check_feasible(entry_a)
        _check_feasible(entry_b)
        RunProposal.objects.filter(pk__in=[a.pk, b.pk]).update(removed=True)
        new = [
            RunProposal.objects.create(
                run=run,
                mentor_id=mentor_pk,
                mentee_id=old.mentee_id,
                score=entry["score"],
                breakdown=entry["breakdown"],
                source=ProposalSource.MANUAL,
            )
            for old, mentor_pk, entry in ((a, b.mentor_id, entry_a), (b, a.mentor_id, entry_b))
        ]
        log_activity(
            run,
            "matching_pairs_swapped",
            acting_user=acting_user,
            organisation=run.programme.organisation,
            proposals=[a.pk, b.pk],
        )
    delta = round(entry_a["score"] + entry_b["score"] - a.score - b.score, 2)
    return new, delta


# --- publishing and the mentor's answer ---------------------------------------------------


def _propose(mentor, mentee, *, acting_user, note):
    """propose_pair without its generic e-mail: the matching offer carries the mentor's link."""
    return pair_services.propose_pair(
        mentor, mentee, acting_user=acting_user, note=note, notify=False
    )


def _site_url(site_url):
    """The address the staff published from (validated host), else the configured one."""
    return (site_url or settings.BINOME_SITE_URL or "").rstrip("/")


def offer_link(offer):
    signed = signing.TimestampSigner(salt=OFFER_SALT).sign(offer.token)
    return _site_url(offer.site_url) + reverse("portal:offer", args=[signed])


def _email_offer(offer, template):
    pair = offer.pair
    mentor = pair.mentor
    if not mentor.email:
        return None
    organisation = pair.programme.organisation
    ms = settings_for(pair.programme)
    return queue_email(
        to=mentor.email,
        template=template,
        context={
            "person": mentor,
            "organisation": organisation,
            "programme": pair.programme,
            "link": offer_link(offer),
            "reply_days": ms.reply_days,
            "valid_days": ms.link_valid_days,
        },
        category=template.rsplit("/", 1)[-1],
        organisation=organisation,
    )


def send_offer(pair, *, run=None, site_url="", acting_user=None):
    """Record the offer of a proposed pair and e-mail the mentor the signed link."""
    offer = MentorOffer.objects.create(
        pair=pair, run=run, site_url=site_url[:200], sent_at=timezone.now()
    )
    _email_offer(offer, "emails/matching_offer")
    log_activity(
        offer, "offer_sent", acting_user=acting_user, organisation=pair.programme.organisation
    )
    return offer


def publish_run(run, *, acting_user, site_url=""):
    """Turn the run's chosen pairs into proposed pairs and send each mentor their link.

    Under a row lock on the run: publishing twice, or two staff at once, publishes once.
    A pair that is no longer possible (the mentee was paired meanwhile…) is skipped and
    listed with its reason.
    """
    with transaction.atomic():
        locked = MatchingRun.objects.select_for_update().filter(pk=run.pk).first()
        if locked is not None and locked.state == RunState.PUBLISHED:
            raise ValidationError(_("This run is already published."))
        run = _lock_run(run)
        proposals = list(
            run.proposals.chosen().select_related("mentor", "mentee").order_by("-score", "id")
        )
        skipped = {}
        published = 0
        for proposal in proposals:
            try:
                with transaction.atomic():
                    pair = _propose(
                        proposal.mentor,
                        proposal.mentee,
                        acting_user=acting_user,
                        note=_("Matching run, score %(score)s")
                        % {"score": number_format(round(proposal.score, 1), 1)},
                    )
                    proposal.pair = pair
                    proposal.save(update_fields=["pair"])
                    send_offer(pair, run=run, site_url=site_url, acting_user=acting_user)
            except ValidationError as exc:
                skipped[str(proposal.pk)] = " ".join(exc.messages)
            else:
                published += 1
        run.published_at = timezone.now()
        run.published_by = acting_user
        run.stats = {**run.stats, "published": published, "skipped": skipped}
        _transition(
            run,
            RunState.PUBLISHED,
            acting_user=acting_user,
            update_fields=["published_at", "published_by", "stats"],
            published=published,
            skipped=len(skipped),
        )
    return run


def propose_suggestion(mentee, *, mentor, acting_user, site_url=""):
    """Propose a suggested mentor to a mentee outside a run (e.g. after a decline)."""
    if mentor.programme_id != mentee.programme_id:
        raise ValidationError(_("The mentor and the mentee are not in the same programme."))
    problem = build_problem(mentee.programme)
    key = mentee_key(mentee.pk)
    possible = {m["id"] for m in problem["mentors"]}
    entries = engine.explain(problem, key) if key in {e["id"] for e in problem["mentees"]} else []
    if not any(
        e["mentor"] == mentor_key(mentor.pk) and e["feasible"] and e["mentor"] in possible
        for e in entries
    ):
        raise ValidationError(_("This mentor is not a possible choice for this mentee now."))
    with transaction.atomic():
        pair = _propose(mentor, mentee, acting_user=acting_user, note=_("Suggested by the engine"))
        send_offer(pair, site_url=site_url, acting_user=acting_user)
    return pair


class OfferLinkError(Exception):
    """The link is unknown, tampered with or expired; ``expired`` says which."""

    def __init__(self, expired=False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def offer_from_link(signed):
    """The offer behind a signed link; OfferLinkError when tampered with, unknown or expired."""
    signer = signing.TimestampSigner(salt=OFFER_SALT)
    try:
        token = signer.unsign(signed)
    except signing.BadSignature as exc:
        raise OfferLinkError() from exc
    offer = (
        MentorOffer.objects.select_related(
            "pair__programme__organisation", "pair__mentor", "pair__mentee"
        )
        .filter(token=token)
        .first()
    )
    if offer is None:
        raise OfferLinkError()
    max_age = datetime.timedelta(days=settings_for(offer.pair.programme).link_valid_days)
    try:
        signer.unsign(signed, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise OfferLinkError(expired=True) from exc
    except signing.BadSignature as exc:  # pragma: no cover - checked above
        raise OfferLinkError() from exc
    return offer


def mentor_reply(offer, *, accept, reason="", note=""):
    """The mentor's answer through the link. A decline excludes the pair from future runs."""
    with transaction.atomic():
        offer = (
            MentorOffer.objects.select_for_update(of=("self", "pair"))
            .select_related("pair__programme__organisation", "pair__mentor")
            .get(pk=offer.pk)
        )
        pair = offer.pair
        if offer.answered_at or pair.state != PairState.PROPOSED:
            raise ValidationError(_("This proposal has already been answered."))
        user = pair.mentor.user
        if accept:
            pair = pair_services.accept_by_mentor(pair, acting_user=user)
        else:
            pair = pair_services.decline_by_mentor(pair, acting_user=user, reason=reason, note=note)
            MatchExclusion.objects.get_or_create(
                mentor_id=pair.mentor_id,
                mentee_id=pair.mentee_id,
                defaults={"source": ExclusionSource.DECLINED, "reason": reason},
            )
        offer.answered_at = timezone.now()
        offer.save(update_fields=["answered_at"])
        log_activity(
            offer,
            "offer_answered",
            acting_user=user,
            organisation=pair.programme.organisation,
            accepted=bool(accept),
        )
    return pair


def next_best(mentee, *, k=NEXT_BEST_COUNT):
    """The best feasible mentors with a free place for a mentee, now (declines excluded)."""
    problem = build_problem(mentee.programme)
    key = mentee_key(mentee.pk)
    if key not in {e["id"] for e in problem["mentees"]}:
        return []
    return engine.top_suggestions(problem, key, k)


def add_exclusion(mentor, mentee, *, acting_user, source=ExclusionSource.MANUAL, reason=""):
    if mentor.programme_id != mentee.programme_id:
        raise ValidationError(_("The mentor and the mentee are not in the same programme."))
    exclusion, created = MatchExclusion.objects.get_or_create(
        mentor=mentor,
        mentee=mentee,
        defaults={"source": source, "reason": reason[:200], "created_by": acting_user},
    )
    if created:
        log_activity(
            exclusion,
            "created",
            acting_user=acting_user,
            organisation=mentee.programme.organisation,
        )
    return exclusion


# --- reminders ------------------------------------------------------------------------------


def remind_unanswered(*, now=None):
    """Offers unanswered after the programme's delay get a reminder; after a second delay
    they go back to the staff (flagged on the matching page, e-mail to the association)."""
    now = now or timezone.now()
    counts = Counter()
    offers = MentorOffer.objects.waiting().filter(escalated_at__isnull=True)
    for offer_id in offers.values_list("pk", flat=True):
        with transaction.atomic():
            offer = (
                MentorOffer.objects.waiting()
                .select_for_update(of=("self", "pair"))
                .select_related("pair__programme__organisation", "pair__mentor")
                .filter(pk=offer_id, escalated_at__isnull=True)
                .first()
            )
            if offer is None:
                continue
            delay = datetime.timedelta(days=settings_for(offer.pair.programme).reply_days)
            organisation = offer.pair.programme.organisation
            if offer.reminded_at is None and now - offer.sent_at >= delay:
                offer.reminded_at = now
                offer.save(update_fields=["reminded_at"])
                _email_offer(offer, "emails/matching_reminder")
                log_activity(offer, "offer_reminded", acting_user=None, organisation=organisation)
                counts["reminded"] += 1
            elif offer.reminded_at is not None and now - offer.reminded_at >= delay:
                offer.escalated_at = now
                offer.save(update_fields=["escalated_at"])
                if organisation.email:
                    queue_email(
                        to=organisation.email,
                        template="emails/matching_unanswered",
                        context={
                            "organisation": organisation,
                            "offer": offer,
                            "matching_url": _site_url(offer.site_url)
                            + reverse("staff:matching:home"),
                        },
                        category="matching_unanswered",
                        organisation=organisation,
                    )
                log_activity(offer, "offer_escalated", acting_user=None, organisation=organisation)
                counts["escalated"] += 1
    return dict(counts)
