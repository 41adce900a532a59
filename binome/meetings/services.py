"""Use cases of a pair's meetings: plan, reschedule, cancel, log, confirm or correct; the
private calendar feeds. Each takes ``acting_user`` and, for the staff acting for a person,
``on_behalf_of`` ("mentor" or "mentee"): see ``rules.acting_side``."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.core.services import log_activity
from binome.core.statemachine import apply_transition
from binome.meetings.enums import (
    MEETING_GUARDS,
    MEETING_PAIR_STATES,
    MEETING_TRANSITIONS,
    MeetingState,
    Side,
)
from binome.meetings.models import MAX_MINUTES, Meeting, MeetingTransition
from binome.meetings.rules import acting_side, confirming_sides
from binome.pairs.enums import PairState
from binome.pairs.models import Pair

LABELS = dict(MeetingState.choices)
MAX_TEXT = 5000
PAST_LIMIT = datetime.timedelta(days=92)
FUTURE_LIMIT = datetime.timedelta(days=366)
LOG_FIELDS = (
    "held_minutes",
    "topics",
    "actions_reviewed",
    "next_step",
    "during_working_time",
)
# What a calendar shows: a change bumps the event's SEQUENCE.
CALENDAR_FIELDS = ("starts_at", "planned_minutes", "place", "video_url")


def _organisation(pair):
    return pair.programme.organisation


def _lock_pair(pair):
    return (
        Pair.objects.select_for_update(of=("self",))
        .select_related("programme__organisation", "mentor", "mentee")
        .get(pk=pair.pk)
    )


def _lock(meeting):
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("pair__programme__organisation", "pair__mentor", "pair__mentee")
        .get(pk=meeting.pk)
    )


def _who(prefix, user, side, on_behalf):
    return {f"{prefix}_by": user, f"{prefix}_side": side, f"{prefix}_on_behalf": on_behalf}


def _check_schedule(starts_at, planned_minutes, place, video_url):
    errors = {}
    now = timezone.now()
    if starts_at is None or timezone.is_naive(starts_at):
        errors["starts_at"] = _("Give the date and the time.")
    elif not now - PAST_LIMIT <= starts_at <= now + FUTURE_LIMIT:
        errors["starts_at"] = _("Choose a date between three months ago and a year from now.")
    if not isinstance(planned_minutes, int) or not 15 <= planned_minutes <= MAX_MINUTES:
        errors["planned_minutes"] = _("Give a duration between 15 and 600 minutes.")
    if len(place) > 200:
        errors["place"] = _("Keep the place under 200 characters.")
    elif not place.strip() and not video_url.strip():
        errors["place"] = _("Give a place or a video link.")
    if video_url:
        try:
            URLValidator(schemes=["https", "http"])(video_url)
            if len(video_url) > 500:
                raise ValidationError("")
        except ValidationError:
            errors["video_url"] = _("Give a web address starting with https://.")
    if errors:
        raise ValidationError(errors)


def plan_meeting(
    pair,
    *,
    acting_user,
    starts_at,
    planned_minutes=None,
    place="",
    video_url="",
    on_behalf_of=None,
):
    """A new meeting of ``pair`` (from its first meeting until closure); the duration defaults
    to the programme's norm."""
    with transaction.atomic():
        pair = _lock_pair(pair)
        side, on_behalf = acting_side(pair, acting_user, on_behalf_of)
        if pair.state not in MEETING_PAIR_STATES:
            raise ValidationError(
                _("Meetings are planned once the pair has had its first meeting, until closure.")
            )
        if planned_minutes is None:
            planned_minutes = pair.programme.meeting_minutes
        place, video_url = place.strip(), video_url.strip()
        _check_schedule(starts_at, planned_minutes, place, video_url)
        meeting = Meeting.objects.create(
            pair=pair,
            starts_at=starts_at,
            planned_minutes=planned_minutes,
            place=place,
            video_url=video_url,
            **_who("planned", acting_user, side, on_behalf),
        )
        MeetingTransition.objects.create(
            subject=meeting, from_state="", to_state=meeting.state, by=acting_user
        )
        log_activity(
            meeting,
            "planned",
            acting_user=acting_user,
            organisation=_organisation(pair),
            pair=pair.pk,
            side=side,
            on_behalf=on_behalf,
        )
    return meeting


def update_meeting(
    meeting, *, acting_user, starts_at, planned_minutes, place, video_url, on_behalf_of=None
):
    """Reschedule or move a planned meeting: same calendar event (UID), next SEQUENCE."""
    with transaction.atomic():
        meeting = _lock(meeting)
        side, on_behalf = acting_side(meeting.pair, acting_user, on_behalf_of)
        if meeting.state != MeetingState.PLANNED:
            raise ValidationError(_("Only a planned meeting can be changed."))
        if meeting.pair.state not in MEETING_PAIR_STATES:
            raise ValidationError(_("This pair has ended."))
        place, video_url = place.strip(), video_url.strip()
        _check_schedule(starts_at, planned_minutes, place, video_url)
        new = {
            "starts_at": starts_at,
            "planned_minutes": planned_minutes,
            "place": place,
            "video_url": video_url,
        }
        changed = [name for name, value in new.items() if getattr(meeting, name) != value]
        if not changed:
            return meeting
        for name in changed:
            setattr(meeting, name, new[name])
        meeting.sequence += 1
        meeting.save(update_fields=[*changed, "sequence", "updated_at"])
        log_activity(
            meeting,
            "rescheduled",
            acting_user=acting_user,
            organisation=_organisation(meeting.pair),
            fields=changed,
            side=side,
            on_behalf=on_behalf,
        )
    return meeting


def cancel_meeting(meeting, *, acting_user, reason, on_behalf_of=None):
    with transaction.atomic():
        meeting = _lock(meeting)
        side, on_behalf = acting_side(meeting.pair, acting_user, on_behalf_of)
        if not reason.strip():
            raise ValidationError({"reason": _("Please give a reason.")})
        meeting.sequence += 1
        apply_transition(
            meeting,
            MeetingState.CANCELLED,
            transitions=MEETING_TRANSITIONS,
            labels=LABELS,
            guards=MEETING_GUARDS,
            log_model=MeetingTransition,
            acting_user=acting_user,
            reason=reason.strip(),
            update_fields=["sequence"],
            organisation=_organisation(meeting.pair),
            side=side,
            on_behalf=on_behalf,
        )
    return meeting


def cancel_planned_meetings(pair, *, acting_user, reason):
    """When a pair ends (closed, cancelled), its meetings still planned are cancelled; returns
    how many. For the pair's use cases to call in their transaction (``pairs`` cannot import
    ``meetings``: the caller is the page or a hook that knows both)."""
    planned = Meeting.objects.filter(pair=pair, state=MeetingState.PLANNED).order_by("pk")
    count = 0
    with transaction.atomic():
        for meeting in planned.select_for_update(of=("self",)):
            meeting.pair = pair
            meeting.sequence += 1
            apply_transition(
                meeting,
                MeetingState.CANCELLED,
                transitions=MEETING_TRANSITIONS,
                labels=LABELS,
                guards=MEETING_GUARDS,
                log_model=MeetingTransition,
                acting_user=acting_user,
                reason=reason,
                update_fields=["sequence"],
                organisation=_organisation(pair),
                side=Side.STAFF,
                on_behalf=False,
            )
            count += 1
    return count


def _check_log(values):
    errors = {}
    held = values.get("held")
    if held not in (True, False):
        errors["held"] = _("Say whether the meeting took place.")
    minutes = values.get("held_minutes")
    if held and (not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES):
        errors["held_minutes"] = _("Give a duration between 1 and 600 minutes.")
    for name in ("topics", "actions_reviewed", "next_step"):
        if len(values.get(name) or "") > MAX_TEXT:
            errors[name] = _("Keep this under 5,000 characters.")
    if values.get("during_working_time") not in (True, False, None):
        errors["during_working_time"] = _("Choose yes, no or unknown.")
    if errors:
        raise ValidationError(errors)


def _log_values(values):
    held = values["held"]
    return {
        "held_minutes": values.get("held_minutes") if held else None,
        "topics": (values.get("topics") or "").strip(),
        "actions_reviewed": (values.get("actions_reviewed") or "").strip(),
        "next_step": (values.get("next_step") or "").strip(),
        "during_working_time": values.get("during_working_time") if held else None,
    }


def _move(meeting, held, *, acting_user, reason, update_fields, **log_data):
    to_state = MeetingState.HELD if held else MeetingState.NOT_HELD
    if to_state == MeetingState.NOT_HELD or meeting.state == MeetingState.NOT_HELD:
        meeting.sequence += 1  # the calendar shows it cancelled, or back
        update_fields = [*update_fields, "sequence"]
    apply_transition(
        meeting,
        to_state,
        transitions=MEETING_TRANSITIONS,
        labels=LABELS,
        guards=MEETING_GUARDS,
        log_model=MeetingTransition,
        acting_user=acting_user,
        reason=reason,
        update_fields=update_fields,
        organisation=_organisation(meeting.pair),
        **log_data,
    )


def log_meeting(meeting, *, acting_user, held, on_behalf_of=None, **values):
    """Afterwards: held or not, how long, topics, actions reviewed, next step, whether it was
    during the mentor's working time. The other side then confirms or corrects."""
    unknown = set(values) - set(LOG_FIELDS)
    if unknown:
        raise TypeError(f"unknown log fields: {sorted(unknown)}")
    with transaction.atomic():
        meeting = _lock(meeting)
        side, on_behalf = acting_side(meeting.pair, acting_user, on_behalf_of)
        if meeting.state != MeetingState.PLANNED:
            raise ValidationError(
                _("This meeting is already logged: the other side confirms or corrects it.")
            )
        if meeting.pair.state not in {*MEETING_PAIR_STATES, PairState.CLOSED}:
            raise ValidationError(_("This pair's meetings can no longer be logged."))
        _check_log({"held": held, **values})
        fields = _log_values({"held": held, **values})
        for name, value in fields.items():
            setattr(meeting, name, value)
        meeting.logged_at = timezone.now()
        for name, value in _who("logged", acting_user, side, on_behalf).items():
            setattr(meeting, name, value)
        _move(
            meeting,
            held,
            acting_user=acting_user,
            reason="",
            update_fields=[*fields, "logged_at", "logged_by", "logged_side", "logged_on_behalf"],
            side=side,
            on_behalf=on_behalf,
        )
    return meeting


def confirm_meeting(meeting, *, acting_user, on_behalf_of=None, **corrections):
    """The other side confirms the log, or corrects it (``corrections``: ``held`` and the log
    fields, the values they say; those equal to the log are no correction)."""
    unknown = set(corrections) - {"held", *LOG_FIELDS}
    if unknown:
        raise TypeError(f"unknown log fields: {sorted(unknown)}")
    with transaction.atomic():
        meeting = _lock(meeting)
        side, on_behalf = acting_side(meeting.pair, acting_user, on_behalf_of)
        if not meeting.awaits_confirmation:
            raise ValidationError(_("This meeting has no log waiting for confirmation."))
        allowed = confirming_sides(meeting)
        if side not in allowed:
            if side == Side.STAFF:
                raise ValidationError(
                    {"on_behalf_of": _("Say for whom you confirm: the mentor or the mentee.")}
                )
            raise PermissionDenied
        held_before = meeting.state == MeetingState.HELD
        current = {"held": held_before, **{n: getattr(meeting, n) for n in LOG_FIELDS}}
        said = {**current, **corrections}
        _check_log(said)
        said = {"held": said["held"], **_log_values(said)}
        changed = [name for name in said if said[name] != current[name]]
        for name in LOG_FIELDS:
            setattr(meeting, name, said[name])
        meeting.confirmed_at = timezone.now()
        meeting.corrected = bool(changed)
        for name, value in _who("confirmed", acting_user, side, on_behalf).items():
            setattr(meeting, name, value)
        fields = [*LOG_FIELDS, "confirmed_at", "corrected"]
        fields += ["confirmed_by", "confirmed_side", "confirmed_on_behalf"]
        if said["held"] != held_before:
            _move(
                meeting,
                said["held"],
                acting_user=acting_user,
                reason=_("Corrected by the other side."),
                update_fields=fields,
                side=side,
                on_behalf=on_behalf,
            )
        else:
            meeting.save(update_fields=[*fields, "updated_at"])
        log_activity(
            meeting,
            "corrected" if changed else "confirmed",
            acting_user=acting_user,
            organisation=_organisation(meeting.pair),
            fields=changed,
            side=side,
            on_behalf=on_behalf,
        )
    return meeting
