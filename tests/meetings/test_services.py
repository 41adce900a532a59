"""Meeting services: plan, change, cancel, log, confirm or correct; who may do what."""

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from binome.core.models import ActivityLog
from binome.core.statemachine import InvalidTransition, check_transition
from binome.meetings import services
from binome.meetings.enums import MEETING_GUARDS, MEETING_TRANSITIONS, MeetingState, Side
from binome.meetings.models import Meeting
from binome.pairs import services as pair_services
from binome.pairs.enums import PairState
from tests.factories import MembershipFactory, PairFactory, UserFactory
from tests.meetings.conftest import ago

pytestmark = pytest.mark.django_db
LABELS = dict(MeetingState.choices)


def plan(pair, user, *, when=None, **kwargs):
    kwargs.setdefault("place", "Bureau du mentor")
    return services.plan_meeting(pair, acting_user=user, starts_at=when or ago(days=-3), **kwargs)


def test_staff_plan_a_meeting_with_the_programme_duration(pair, staff):
    meeting = plan(pair, staff.user)
    assert meeting.state == MeetingState.PLANNED
    assert meeting.planned_minutes == pair.programme.meeting_minutes == 90
    assert (meeting.planned_side, meeting.planned_on_behalf) == (Side.STAFF, False)
    assert meeting.planned_by == staff.user
    assert meeting.transitions.get().to_state == MeetingState.PLANNED
    row = ActivityLog.objects.for_object(meeting).get()
    assert row.verb == "planned"
    assert row.data == {"pair": pair.pk, "side": "staff", "on_behalf": False}


def test_staff_on_behalf_of_a_person_is_recorded_as_such(pair, staff):
    meeting = plan(pair, staff.user, on_behalf_of="mentee", video_url="https://visio.example/x")
    assert (meeting.planned_side, meeting.planned_on_behalf) == (Side.MENTEE, True)
    assert meeting.planned_by == staff.user


def test_the_mentor_and_the_mentee_act_for_themselves(pair):
    assert plan(pair, pair.mentor.user).planned_side == Side.MENTOR
    assert plan(pair, pair.mentee.user).planned_side == Side.MENTEE


def test_a_person_cannot_act_on_behalf_of_the_other(pair):
    with pytest.raises(PermissionDenied):
        plan(pair, pair.mentor.user, on_behalf_of="mentee")


@pytest.mark.parametrize("who", ["stranger", "partner", "other_staff"])
def test_nobody_else_may_plan(pair, who):
    user = {
        "stranger": lambda: UserFactory(),
        "partner": lambda: (
            MembershipFactory(partner=True, organisation=pair.programme.organisation).user
        ),
        "other_staff": lambda: MembershipFactory().user,
    }[who]()
    with pytest.raises(PermissionDenied):
        plan(pair, user)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "state", [PairState.PROPOSED, PairState.MENTEE_ACCEPTED, PairState.CLOSED, PairState.CANCELLED]
)
def test_only_pairs_under_way_get_meetings(staff, state):
    extra = {"exit_reason": "term_reached", "outcome": "unknown"} if state == "closed" else {}
    pair = PairFactory(programme__organisation=staff.organisation, state=state, **extra)
    with pytest.raises(ValidationError):
        plan(pair, staff.user)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"when": ago(days=-400)}, "starts_at"),
        ({"when": ago(days=100)}, "starts_at"),
        ({"planned_minutes": 5}, "planned_minutes"),
        ({"planned_minutes": 601}, "planned_minutes"),
        ({"place": ""}, "place"),
        ({"place": "x" * 201}, "place"),
        ({"video_url": "javascript:alert(1)"}, "video_url"),
    ],
)
def test_bad_schedule_names_the_field(pair, staff, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        plan(pair, staff.user, **kwargs)
    assert field in exc.value.error_dict
    assert not Meeting.objects.exists()


def test_change_bumps_the_sequence_and_keeps_the_uid(pair, staff):
    meeting = plan(pair, staff.user)
    uid = meeting.uid
    same = services.update_meeting(
        meeting,
        acting_user=staff.user,
        starts_at=meeting.starts_at,
        planned_minutes=90,
        place=meeting.place,
        video_url="",
    )
    assert same.sequence == 0  # nothing changed
    moved = services.update_meeting(
        meeting,
        acting_user=pair.mentee.user,
        starts_at=meeting.starts_at + datetime.timedelta(days=1),
        planned_minutes=60,
        place="Café",
        video_url="",
    )
    assert (moved.uid, moved.sequence, moved.planned_minutes) == (uid, 1, 60)
    row = ActivityLog.objects.for_object(meeting).filter(verb="rescheduled").get()
    assert row.data["fields"] == ["starts_at", "planned_minutes", "place"]


def test_cancel_needs_a_reason_and_bumps_the_sequence(pair, staff):
    meeting = plan(pair, staff.user)
    with pytest.raises(ValidationError) as exc:
        services.cancel_meeting(meeting, acting_user=staff.user, reason=" ")
    assert "reason" in exc.value.error_dict
    meeting = services.cancel_meeting(
        meeting, acting_user=staff.user, reason="Malade", on_behalf_of="mentor"
    )
    assert (meeting.state, meeting.sequence) == (MeetingState.CANCELLED, 1)
    assert meeting.transitions.last().reason == "Malade"
    with pytest.raises(ValidationError):
        services.log_meeting(meeting, acting_user=staff.user, held=True, held_minutes=90)


def test_a_future_meeting_cannot_be_logged(pair, staff):
    meeting = plan(pair, staff.user)
    with pytest.raises(InvalidTransition):
        services.log_meeting(meeting, acting_user=staff.user, held=True, held_minutes=90)


def test_log_held_needs_a_duration(pair, staff):
    meeting = plan(pair, staff.user, when=ago(days=2))
    with pytest.raises(ValidationError) as exc:
        services.log_meeting(meeting, acting_user=staff.user, held=True)
    assert "held_minutes" in exc.value.error_dict
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED


def test_log_then_the_other_side_confirms(pair, staff):
    meeting = plan(pair, pair.mentor.user, when=ago(days=2))
    meeting = services.log_meeting(
        meeting,
        acting_user=pair.mentor.user,
        held=True,
        held_minutes=80,
        topics="CV",
        actions_reviewed="Relancer 3 offres",
        next_step="Simulation d'entretien",
        during_working_time=True,
    )
    assert meeting.state == MeetingState.HELD
    assert (meeting.logged_side, meeting.logged_by) == (Side.MENTOR, pair.mentor.user)
    assert meeting.awaits_confirmation
    with pytest.raises(ValidationError):  # logged once
        services.log_meeting(meeting, acting_user=pair.mentee.user, held=False)
    with pytest.raises(PermissionDenied):  # not by the side that logged it
        services.confirm_meeting(meeting, acting_user=pair.mentor.user)
    with pytest.raises(ValidationError) as exc:  # the staff say for whom
        services.confirm_meeting(meeting, acting_user=staff.user)
    assert "on_behalf_of" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        services.confirm_meeting(meeting, acting_user=staff.user, on_behalf_of="mentor")
    meeting = services.confirm_meeting(meeting, acting_user=pair.mentee.user, held_minutes=80)
    assert (meeting.confirmed_side, meeting.corrected) == (Side.MENTEE, False)
    assert ActivityLog.objects.for_object(meeting).filter(verb="confirmed").exists()
    with pytest.raises(ValidationError):  # confirmed once
        services.confirm_meeting(meeting, acting_user=pair.mentee.user)


def test_staff_log_on_behalf_and_the_other_corrects(pair, staff):
    meeting = plan(pair, staff.user, when=ago(days=2))
    services.log_meeting(
        meeting, acting_user=staff.user, on_behalf_of="mentee", held=True, held_minutes=90
    )
    meeting.refresh_from_db()
    assert (meeting.logged_side, meeting.logged_on_behalf) == (Side.MENTEE, True)
    meeting = services.confirm_meeting(
        meeting, acting_user=staff.user, on_behalf_of="mentor", held=False
    )
    assert meeting.state == MeetingState.NOT_HELD
    assert (meeting.corrected, meeting.confirmed_on_behalf, meeting.sequence) == (True, True, 1)
    assert meeting.held_minutes is None
    assert meeting.transitions.last().to_state == MeetingState.NOT_HELD
    row = ActivityLog.objects.for_object(meeting).filter(verb="corrected").get()
    assert row.data["fields"] == ["held", "held_minutes"]


def test_a_staff_log_is_confirmed_by_either_person(pair, staff):
    meeting = plan(pair, staff.user, when=ago(days=2))
    services.log_meeting(meeting, acting_user=staff.user, held=False)
    meeting = services.confirm_meeting(meeting, acting_user=pair.mentor.user)
    assert meeting.confirmed_side == Side.MENTOR


def test_a_closed_pair_can_still_log_its_last_meeting(pair, staff):
    meeting = plan(pair, staff.user, when=ago(days=2))
    type(pair).objects.filter(pk=pair.pk).update(
        state=PairState.CLOSED, exit_reason="term_reached", outcome="unknown"
    )
    services.log_meeting(meeting, acting_user=pair.mentee.user, held=True, held_minutes=60)


def test_state_table(pair, staff):
    """Every (from, to): forbidden ones refused, allowed ones pass with what guards need."""
    meeting = plan(pair, staff.user, when=ago(days=1))
    for from_state, to_state in itertools.product(MeetingState, repeat=2):
        meeting.state = from_state
        meeting.held_minutes = 60
        allowed = to_state in MEETING_TRANSITIONS[from_state]
        if not allowed:
            with pytest.raises(InvalidTransition):
                check_transition(meeting, to_state, MEETING_TRANSITIONS, LABELS, reason="x")
            continue
        check_transition(
            meeting, to_state, MEETING_TRANSITIONS, LABELS, guards=MEETING_GUARDS, reason="x"
        )
    meeting.state, meeting.held_minutes = MeetingState.PLANNED, None
    with pytest.raises(InvalidTransition):
        check_transition(
            meeting, MeetingState.HELD, MEETING_TRANSITIONS, LABELS, guards=MEETING_GUARDS
        )
    with pytest.raises(InvalidTransition):
        check_transition(
            meeting, MeetingState.CANCELLED, MEETING_TRANSITIONS, LABELS, guards=MEETING_GUARDS
        )
    meeting.starts_at = timezone.now() + datetime.timedelta(hours=1)
    with pytest.raises(InvalidTransition):
        check_transition(
            meeting, MeetingState.NOT_HELD, MEETING_TRANSITIONS, LABELS, guards=MEETING_GUARDS
        )


def test_the_journal_holds_no_personal_data(pair, staff):
    meeting = plan(pair, staff.user, when=ago(days=2))
    services.log_meeting(meeting, acting_user=staff.user, held=True, held_minutes=60, topics="CV")
    for row in ActivityLog.objects.all():
        text = str(row.data)
        assert "Camille" not in text
        assert "Bureau" not in text
        assert "CV" not in text


@pytest.mark.parametrize("end", ["close", "cancel"])
def test_a_pair_that_ends_cancels_its_planned_meetings(pair, staff, end):
    held = plan(pair, staff.user, when=ago(days=2))
    services.log_meeting(held, acting_user=staff.user, held=True, held_minutes=60)
    planned = plan(pair, staff.user, when=ago(days=-5))
    if end == "close":
        pair_services.close_pair(
            pair,
            acting_user=staff.user,
            exit_reason="term_reached",
            outcome="unknown",
            closure_type="planned",
        )
    else:
        type(pair).objects.filter(pk=pair.pk).update(state=PairState.FIRST_MEETING)
        pair.refresh_from_db()
        pair_services.cancel_pair(pair, acting_user=staff.user, reason="Déménagement")
    planned.refresh_from_db()
    held.refresh_from_db()
    assert (planned.state, held.state) == (MeetingState.CANCELLED, MeetingState.HELD)
    assert planned.sequence == 1
    assert planned.transitions.latest("pk").by == staff.user
