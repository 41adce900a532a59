"""People through their pairs: in a pair (matched), after it (alumni or back in the pool), and
what the matching pool, the counts and the e-mails make of it."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from binome.core.statemachine import InvalidTransition
from binome.matching.adapter import build_problem, mentee_key, mentor_key
from binome.notifications.models import OutboxEmail
from binome.pairs import services
from binome.pairs.enums import PairState
from binome.pairs.models import Pair, add_months, with_free_place
from binome.people import services as people_services
from binome.people.enums import MenteeState, MentorState
from binome.people.models import Mentee, Mentor
from tests.factories import MenteeFactory, MentorFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _active_pair(mentor, mentee, user):
    return _active_pair_from(services.propose_pair(mentor, mentee, acting_user=user), user)


def _close(pair, user, **extra):
    return services.close_pair(
        pair,
        acting_user=user,
        exit_reason="term_reached",
        outcome="permanent_job",
        closure_type="planned",
        **extra,
    )


def _problem_ids(programme):
    problem = build_problem(programme)
    return {m["id"] for m in problem["mentors"]}, {e["id"] for e in problem["mentees"]}


def test_a_closed_pair_mentee_is_done_and_never_proposed_again():
    user = UserFactory()
    programme = ProgrammeFactory()
    mentor = MentorFactory(programme=programme, ready=True)
    mentee = MenteeFactory(programme=programme, ready=True)
    pair = services.propose_pair(mentor, mentee, acting_user=user)
    mentor.refresh_from_db()
    mentee.refresh_from_db()
    assert (mentor.state, mentee.state) == (MentorState.MATCHED, MenteeState.MATCHED)
    assert mentee_key(mentee.pk) not in _problem_ids(programme)[1]
    pair = _close(_active_pair_from(pair, user), user)
    mentor.refresh_from_db()
    mentee.refresh_from_db()
    assert mentee.state == MenteeState.ALUMNI
    # A mentor finishing a pair stays available for the next one.
    assert mentor.state == MentorState.READY
    mentors, mentees = _problem_ids(programme)
    assert mentee_key(mentee.pk) not in mentees
    assert mentor_key(mentor.pk) in mentors
    assert not Mentee.objects.filter(pk=mentee.pk).waiting_for_mentor().exists()
    with pytest.raises(ValidationError):
        services.propose_pair(
            MentorFactory(programme=programme, ready=True), mentee, acting_user=user
        )
    assert [t.to_state for t in mentee.transitions.order_by("id")][-2:] == ["matched", "alumni"]


def _active_pair_from(pair, user):
    services.accept_by_mentor(pair, acting_user=user)
    services.accept_by_mentee(pair, acting_user=user)
    services.record_first_meeting(
        pair, acting_user=user, held_on=timezone.localdate(), checklist=[]
    )
    for signatory in ("mentor", "mentee", "organisation"):
        pair = services.record_signature(pair, acting_user=user, signatory=signatory)
    return services.activate_pair(pair, acting_user=user, started_on=timezone.localdate())


def test_a_mentor_who_stops_is_alumni_and_out_of_the_pool():
    user = UserFactory()
    programme = ProgrammeFactory()
    mentor = MentorFactory(programme=programme, ready=True)
    pair = _active_pair(mentor, MenteeFactory(programme=programme, ready=True), user)
    _close(pair, user, mentor_continues=False)
    mentor.refresh_from_db()
    assert mentor.state == MentorState.ALUMNI
    assert mentor_key(mentor.pk) not in _problem_ids(programme)[0]
    assert not with_free_place(Mentor.objects.filter(pk=mentor.pk)).exists()


def test_a_mentor_with_another_pair_cannot_stop_yet():
    user = UserFactory()
    programme = ProgrammeFactory(max_mentees_per_mentor=2)
    mentor = MentorFactory(programme=programme, ready=True, capacity=2)
    first = _active_pair(mentor, MenteeFactory(programme=programme, ready=True), user)
    services.propose_pair(mentor, MenteeFactory(programme=programme, ready=True), acting_user=user)
    with pytest.raises(ValidationError, match="another pair"):
        _close(first, user, mentor_continues=False)
    assert Pair.objects.get(pk=first.pk).state == PairState.ACTIVE
    _close(first, user)
    mentor.refresh_from_db()
    assert mentor.state == MentorState.MATCHED  # still in the second pair


def test_mentor_capacity_counts_live_pairs_in_every_pool():
    user = UserFactory()
    programme = ProgrammeFactory(max_mentees_per_mentor=2)
    mentor = MentorFactory(programme=programme, ready=True, capacity=2)
    services.propose_pair(mentor, MenteeFactory(programme=programme, ready=True), acting_user=user)
    mentor.refresh_from_db()
    assert mentor.state == MentorState.MATCHED
    # In a pair with a place left: still proposed.
    assert with_free_place(Mentor.objects.filter(pk=mentor.pk)).get().free == 1
    assert mentor_key(mentor.pk) in _problem_ids(programme)[0]
    services.propose_pair(mentor, MenteeFactory(programme=programme, ready=True), acting_user=user)
    assert mentor_key(mentor.pk) not in _problem_ids(programme)[0]


@pytest.mark.parametrize("how", ["mentor_declines", "mentee_declines", "cancel"])
def test_a_proposal_that_ends_gives_both_back_to_the_pool(how):
    user = UserFactory()
    programme = ProgrammeFactory()
    mentor = MentorFactory(programme=programme, ready=True)
    mentee = MenteeFactory(programme=programme, ready=True)
    pair = services.propose_pair(mentor, mentee, acting_user=user)
    if how == "mentor_declines":
        services.decline_by_mentor(pair, acting_user=user, reason="distance")
    elif how == "mentee_declines":
        services.accept_by_mentor(pair, acting_user=user)
        services.decline_by_mentee(pair, acting_user=user, reason="personal")
    else:
        services.cancel_pair(pair, acting_user=user, reason="Mentor on sick leave")
    mentor.refresh_from_db()
    mentee.refresh_from_db()
    assert (mentor.state, mentee.state) == (MentorState.READY, MenteeState.READY)
    mentors, mentees = _problem_ids(programme)
    assert mentee_key(mentee.pk) in mentees
    assert mentor_key(mentor.pk) in mentors


def test_rematching_an_alumni_needs_a_reason_and_restarts_the_wait():
    user = UserFactory()
    programme = ProgrammeFactory()
    mentee = MenteeFactory(programme=programme, ready=True, waiting_since=datetime.date(2025, 1, 6))
    pair = _active_pair(MentorFactory(programme=programme, ready=True), mentee, user)
    _close(pair, user)
    mentee.refresh_from_db()
    with pytest.raises(InvalidTransition, match="matched again"):
        people_services.rematch_person(mentee, acting_user=user, reason=" ")
    assert Mentee.objects.get(pk=mentee.pk).state == MenteeState.ALUMNI
    people_services.rematch_person(mentee, acting_user=user, reason="New project: retraining")
    mentee.refresh_from_db()
    assert mentee.state == MenteeState.READY
    assert mentee.waiting_since == timezone.localdate()
    assert mentee.transitions.order_by("id").last().reason == "New project: retraining"
    assert mentee_key(mentee.pk) in _problem_ids(programme)[1]
    # Only an alumni is re-matched.
    with pytest.raises(InvalidTransition):
        people_services.rematch_person(mentee, acting_user=user, reason="again")


def test_pair_driven_steps_are_not_offered_by_hand():
    user = UserFactory()
    programme = ProgrammeFactory()
    mentee = MenteeFactory(programme=programme, ready=True)
    assert MenteeState.MATCHED not in people_services.manual_steps(mentee)
    services.propose_pair(MentorFactory(programme=programme, ready=True), mentee, acting_user=user)
    mentee.refresh_from_db()
    assert people_services.manual_steps(mentee) == [MenteeState.WITHDRAWN]
    # And the guard refuses them anyway while the pair is live.
    with pytest.raises(InvalidTransition, match="pair in progress"):
        people_services.transition_person(mentee, MenteeState.READY, acting_user=user, reason="x")
    with pytest.raises(InvalidTransition, match="pair in progress"):
        people_services.transition_person(
            mentee, MenteeState.WITHDRAWN, acting_user=user, reason="x"
        )


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 1, 31), 6, datetime.date(2026, 7, 31)),
        (datetime.date(2026, 8, 31), 6, datetime.date(2027, 2, 28)),
        (datetime.date(2026, 3, 30), 12, datetime.date(2027, 3, 30)),
        (datetime.date(2026, 5, 15), 36, datetime.date(2029, 5, 15)),
    ],
)
def test_planned_end_is_calendar_correct(start, months, end):
    assert add_months(start, months) == end


def test_confirmed_pair_e_mails_carry_each_other_contact_details():
    user = UserFactory()
    programme = ProgrammeFactory()
    mentor = MentorFactory(
        programme=programme, ready=True, email="jean@example.org", phone="06 11 22 33 44"
    )
    mentee = MenteeFactory(
        programme=programme, ready=True, email="awa@example.org", phone="07 55 66 77 88"
    )
    pair = services.propose_pair(mentor, mentee, acting_user=user)
    services.accept_by_mentor(pair, acting_user=user)
    services.accept_by_mentee(pair, acting_user=user)
    mails = {m.to: m.body for m in OutboxEmail.objects.filter(category="pair_accepted")}
    assert mentee.full_name in mails["jean@example.org"]
    assert "awa@example.org" in mails["jean@example.org"]
    assert "07 55 66 77 88" in mails["jean@example.org"]
    assert mentor.full_name in mails["awa@example.org"]
    assert "jean@example.org" in mails["awa@example.org"]
    assert "06 11 22 33 44" in mails["awa@example.org"]
    # No promise of what the team does not send: the checklist is in the e-mail itself.
    assert "Coordonnées échangées" in mails["awa@example.org"]


def test_pair_e_mails_promise_only_what_exists():
    user = UserFactory()
    programme = ProgrammeFactory()
    pair = _active_pair(
        MentorFactory(programme=programme, ready=True),
        MenteeFactory(programme=programme, ready=True),
        user,
    )
    _close(pair, user)
    bodies = " ".join(OutboxEmail.objects.values_list("body", flat=True)).lower()
    for promise in ("plan d’action", "plan d'action", "bilan", "action plan", "review"):
        assert promise not in bodies


def test_data_migration_moves_existing_people():
    """Rows written before the lifecycle states: ready people in a live pair become matched,
    ready mentees whose pair is closed become alumni; mentors after a closed pair stay ready."""
    migration = importlib.import_module(
        "binome.people.migrations.0003_person_matched_and_alumni_states"
    )
    programme = ProgrammeFactory()
    live_mentor, done_mentor = (MentorFactory(programme=programme, ready=True) for _ in "ab")
    live_mentee, done_mentee, waiting = (
        MenteeFactory(programme=programme, ready=True) for _ in "abc"
    )
    Pair.objects.create(programme=programme, mentor=live_mentor, mentee=live_mentee, state="active")
    Pair.objects.create(
        programme=programme,
        mentor=done_mentor,
        mentee=done_mentee,
        state="closed",
        exit_reason="term_reached",
        outcome="unknown",
    )
    migration.forwards(apps, None)
    states = dict(Mentor.objects.values_list("pk", "state"))
    assert (states[live_mentor.pk], states[done_mentor.pk]) == ("matched", "ready")
    states = dict(Mentee.objects.values_list("pk", "state"))
    assert (states[live_mentee.pk], states[done_mentee.pk], states[waiting.pk]) == (
        "matched",
        "alumni",
        "ready",
    )
    assert done_mentee.transitions.get().to_state == "alumni"
