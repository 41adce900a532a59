from django.db import models
from django.utils.translation import gettext_lazy as _

from binome.core.statemachine import guard


class PairState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed to the mentor")
    MENTOR_ACCEPTED = "mentor_accepted", _("Accepted by the mentor")
    MENTOR_DECLINED = "mentor_declined", _("Declined by the mentor")
    MENTEE_ACCEPTED = "mentee_accepted", _("Accepted by the mentee")
    MENTEE_DECLINED = "mentee_declined", _("Declined by the mentee")
    FIRST_MEETING = "first_meeting", _("First meeting held")
    CONTRACT_SIGNED = "contract_signed", _("Contract signed")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# Before the pair starts: the proposal can still be cancelled.
OPEN_STATES = frozenset(
    {
        PairState.PROPOSED,
        PairState.MENTOR_ACCEPTED,
        PairState.MENTEE_ACCEPTED,
        PairState.FIRST_MEETING,
        PairState.CONTRACT_SIGNED,
    }
)
# A pair in these states holds the mentee and one place of the mentor's capacity.
LIVE_STATES = OPEN_STATES | {PairState.ACTIVE}
TERMINAL_STATES = frozenset(
    {
        PairState.MENTOR_DECLINED,
        PairState.MENTEE_DECLINED,
        PairState.CLOSED,
        PairState.CANCELLED,
    }
)

PAIR_TRANSITIONS = {
    PairState.PROPOSED: {PairState.MENTOR_ACCEPTED, PairState.MENTOR_DECLINED},
    PairState.MENTOR_ACCEPTED: {PairState.MENTEE_ACCEPTED, PairState.MENTEE_DECLINED},
    PairState.MENTEE_ACCEPTED: {PairState.FIRST_MEETING},
    PairState.FIRST_MEETING: {PairState.CONTRACT_SIGNED},
    PairState.CONTRACT_SIGNED: {PairState.ACTIVE},
    PairState.ACTIVE: {PairState.CLOSED},
    PairState.MENTOR_DECLINED: set(),
    PairState.MENTEE_DECLINED: set(),
    PairState.CLOSED: set(),
    PairState.CANCELLED: set(),
}
for _state in OPEN_STATES:
    PAIR_TRANSITIONS[_state].add(PairState.CANCELLED)


# Guards of each transition, checked by core.statemachine.apply_transition (``{to: guards}``:
# every way into the state). The services set the fields on the pair before the transition.
_DECLINE_REASON = guard(
    lambda p, r: bool(p.decline_reason), _("Choose a reason from the list."), "reason_required"
)
PAIR_GUARDS = {
    PairState.MENTOR_DECLINED: (_DECLINE_REASON,),
    PairState.MENTEE_DECLINED: (_DECLINE_REASON,),
    PairState.FIRST_MEETING: (
        guard(
            lambda p, r: p.first_meeting_on is not None,
            _("Give the date of the first meeting."),
            "first_meeting_date",
        ),
    ),
    PairState.CONTRACT_SIGNED: (
        guard(
            lambda p, r: not p.missing_signatories(),
            _("The contract needs the three signatures: mentor, mentee and association."),
            "signatures_missing",
        ),
    ),
    PairState.ACTIVE: (
        guard(
            lambda p, r: p.started_on is not None and p.planned_end_on is not None,
            _("Give the start date."),
            "start_date",
        ),
    ),
    PairState.CLOSED: (
        guard(
            lambda p, r: all((p.closure_type, p.exit_reason, p.outcome, p.ended_on)),
            _("Give the kind of closure, the reason, the mentee's situation and the end date."),
            "closure_incomplete",
        ),
    ),
    PairState.CANCELLED: (
        guard(lambda p, r: bool(r.strip()), _("Please give a reason."), "reason_required"),
    ),
}


class DeclineReason(models.TextChoices):
    AVAILABILITY = "availability", _("Not available at the moment")
    DISTANCE = "distance", _("Too far away")
    PROFILE = "profile", _("Profiles do not fit")
    EXPECTATIONS = "expectations", _("Expectations do not fit")
    PERSONAL = "personal", _("Personal reasons")
    OTHER = "other", _("Other")


class FirstMeetingItem(models.TextChoices):
    INTRODUCTIONS = "introductions", _("Introduced each other and their paths")
    EXPECTATIONS = "expectations", _("Shared expectations and limits")
    COMMITMENTS = "commitments", _("Went over the commitments (the mentor does not find the job)")
    RHYTHM = "rhythm", _("Agreed on the meeting rhythm and place")
    CONTACTS = "contacts", _("Exchanged contact details")
    NEXT_MEETING = "next_meeting", _("Set the date of the next meeting")


class Signatory(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")
    ORGANISATION = "organisation", _("Association")


class ClosureType(models.TextChoices):
    PLANNED = "planned", _("Planned (term reached or goal achieved)")
    UNPLANNED = "unplanned", _("Early (stopped before the term)")


class ExitReason(models.TextChoices):
    TERM_REACHED = "term_reached", _("Term reached")
    GOAL_ACHIEVED = "goal_achieved", _("Goal achieved")
    MENTEE_WITHDREW = "mentee_withdrew", _("Mentee withdrew")
    MENTOR_WITHDREW = "mentor_withdrew", _("Mentor withdrew")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    MOVED = "moved", _("Moved away or no longer available")
    INCOMPATIBILITY = "incompatibility", _("Incompatibility")
    RULES = "rules", _("Rules not respected")
    SAFETY = "safety", _("Safety concern")
    PROGRAMME_ENDED = "programme_ended", _("Programme ended")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    """The mentee's situation at closure; positive-exit flags derive from it."""

    PERMANENT_JOB = "permanent_job", _("Permanent job or fixed-term over 6 months")
    SHORT_JOB = "short_job", _("Fixed-term or temp job under 6 months")
    SUBSIDISED_JOB = "subsidised_job", _("Subsidised contract")
    BUSINESS = "business", _("Started a business")
    TRAINING = "training", _("Training course")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship or work-study")
    INTERNSHIP = "internship", _("Internship")
    STUDIES = "studies", _("Back to studies")
    JOB_SEEKER = "job_seeker", _("Still looking for work")
    INACTIVE = "inactive", _("Inactive")
    UNKNOWN = "unknown", _("Unknown")


POSITIVE_OUTCOMES = frozenset(
    {
        Outcome.PERMANENT_JOB,
        Outcome.SHORT_JOB,
        Outcome.SUBSIDISED_JOB,
        Outcome.BUSINESS,
        Outcome.TRAINING,
        Outcome.APPRENTICESHIP,
        Outcome.INTERNSHIP,
        Outcome.STUDIES,
    }
)
