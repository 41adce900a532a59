from django.db import models
from django.utils.translation import gettext_lazy as _

from binome.core.statemachine import guard


class MentorState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    INFORMED = "informed", _("Attended the information session")
    INTERVIEWED = "interviewed", _("Interviewed")
    TRAINED = "trained", _("Trained")
    READY = "ready", _("Ready to match")
    # Holds at least one live pair (from the proposal to the closure); with a place left
    # (capacity over 1), a matched mentor can still be proposed another mentee.
    MATCHED = "matched", _("In a pair")
    # Has mentored and stopped; the staff can put them back to ready (re-matching).
    ALUMNI = "alumni", _("Former mentor")
    REJECTED = "rejected", _("Not kept")
    WITHDRAWN = "withdrawn", _("Withdrew")


MENTOR_TRANSITIONS = {
    MentorState.APPLIED: {MentorState.INFORMED, MentorState.REJECTED, MentorState.WITHDRAWN},
    MentorState.INFORMED: {MentorState.INTERVIEWED, MentorState.REJECTED, MentorState.WITHDRAWN},
    MentorState.INTERVIEWED: {MentorState.TRAINED, MentorState.REJECTED, MentorState.WITHDRAWN},
    MentorState.TRAINED: {MentorState.READY, MentorState.WITHDRAWN},
    MentorState.READY: {MentorState.MATCHED, MentorState.ALUMNI, MentorState.WITHDRAWN},
    MentorState.MATCHED: {MentorState.READY, MentorState.ALUMNI, MentorState.WITHDRAWN},
    MentorState.ALUMNI: {MentorState.READY, MentorState.WITHDRAWN},
    MentorState.REJECTED: set(),
    MentorState.WITHDRAWN: set(),
}


class MenteeState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    PRESENTED = "presented", _("Attended the group presentation")
    INTERVIEWED = "interviewed", _("Selection interview done")
    SELECTED = "selected", _("Selected")
    READY = "ready", _("Ready to match")
    # In a live pair, from the proposal to the closure.
    MATCHED = "matched", _("In a pair")
    # The pair is closed; back to ready only when the staff choose re-matching.
    ALUMNI = "alumni", _("Mentoring completed")
    NOT_RETAINED = "not_retained", _("Not retained")
    REDIRECTED = "redirected", _("Redirected to another service")
    WITHDRAWN = "withdrawn", _("Withdrew")


_MENTEE_EXITS = {MenteeState.NOT_RETAINED, MenteeState.REDIRECTED, MenteeState.WITHDRAWN}
MENTEE_TRANSITIONS = {
    MenteeState.APPLIED: {MenteeState.PRESENTED, *_MENTEE_EXITS},
    MenteeState.PRESENTED: {MenteeState.INTERVIEWED, *_MENTEE_EXITS},
    MenteeState.INTERVIEWED: {MenteeState.SELECTED, *_MENTEE_EXITS},
    MenteeState.SELECTED: {MenteeState.READY, MenteeState.REDIRECTED, MenteeState.WITHDRAWN},
    MenteeState.READY: {MenteeState.MATCHED, MenteeState.REDIRECTED, MenteeState.WITHDRAWN},
    MenteeState.MATCHED: {MenteeState.READY, MenteeState.ALUMNI, MenteeState.WITHDRAWN},
    MenteeState.ALUMNI: {MenteeState.READY, MenteeState.WITHDRAWN},
    MenteeState.NOT_RETAINED: set(),
    MenteeState.REDIRECTED: set(),
    MenteeState.WITHDRAWN: set(),
}

# States whose reason must be written down.
STATES_NEEDING_REASON = {
    MentorState.REJECTED,
    MentorState.WITHDRAWN,
    MenteeState.NOT_RETAINED,
    MenteeState.REDIRECTED,
    MenteeState.WITHDRAWN,
}
# Steps the pair services take, in the pair's transaction: never offered as a manual step.
PAIR_DRIVEN = {
    (MentorState.READY, MentorState.MATCHED),
    (MentorState.MATCHED, MentorState.READY),
    (MentorState.MATCHED, MentorState.ALUMNI),
    (MenteeState.READY, MenteeState.MATCHED),
    (MenteeState.MATCHED, MenteeState.READY),
    (MenteeState.MATCHED, MenteeState.ALUMNI),
}
# Steps reached through their own form (the interview), not the generic "next step" form.
FORM_ONLY_STATES = {MentorState.INTERVIEWED, MenteeState.INTERVIEWED}


def _reason_given(person, reason):
    return bool(reason.strip())


REASON = guard(_reason_given, _("Please give a reason."), "reason_required")
REMATCH_REASON = guard(_reason_given, _("Say why this person is matched again."), "reason_required")
TRAINED = guard(
    lambda p, r: p.has_completed_training(),
    _("This mentor has not completed the training yet."),
    "training_incomplete",
)
INFORMED = guard(
    lambda p, r: p.attended(SessionKind.INFORMATION),
    _("This mentor has not attended an information session yet."),
    "session_missing",
)
PRESENTED = guard(
    lambda p, r: p.attended(SessionKind.PRESENTATION),
    _("This mentee has not attended a group presentation yet."),
    "session_missing",
)
KEPT = guard(
    lambda p, r: p.interviews.filter(decision=InterviewDecision.KEEP).exists(),
    _("Record the interview on the grid first."),
    "interview_missing",
)
IN_A_PAIR = guard(
    lambda p, r: p.has_live_pair(), _("This person has no pair in progress."), "no_live_pair"
)
NO_PAIR_LEFT = guard(
    lambda p, r: not p.has_live_pair(),
    _("This person still has a pair in progress: end it first."),
    "live_pair",
)
HAS_MENTORED = guard(
    lambda p, r: p.has_mentored(),
    _("Only a mentor who has mentored becomes a former mentor; otherwise, record a withdrawal."),
    "never_mentored",
)

# Guards of each transition, checked by core.statemachine.apply_transition:
# ``{(from, to): guards}`` for one transition, ``{to: guards}`` for every way into ``to``.
MENTOR_GUARDS = {
    (MentorState.APPLIED, MentorState.INFORMED): (INFORMED,),
    MentorState.INTERVIEWED: (KEPT,),
    MentorState.TRAINED: (TRAINED,),
    (MentorState.TRAINED, MentorState.READY): (TRAINED,),
    MentorState.READY: (NO_PAIR_LEFT,),
    (MentorState.ALUMNI, MentorState.READY): (REMATCH_REASON,),
    MentorState.MATCHED: (IN_A_PAIR,),
    MentorState.ALUMNI: (NO_PAIR_LEFT, HAS_MENTORED),
    MentorState.REJECTED: (REASON,),
    MentorState.WITHDRAWN: (REASON, NO_PAIR_LEFT),
}
MENTEE_GUARDS = {
    (MenteeState.APPLIED, MenteeState.PRESENTED): (PRESENTED,),
    MenteeState.INTERVIEWED: (KEPT,),
    MenteeState.READY: (NO_PAIR_LEFT,),
    (MenteeState.ALUMNI, MenteeState.READY): (REMATCH_REASON,),
    MenteeState.MATCHED: (IN_A_PAIR,),
    MenteeState.ALUMNI: (NO_PAIR_LEFT,),
    MenteeState.NOT_RETAINED: (REASON,),
    MenteeState.REDIRECTED: (REASON,),
    MenteeState.WITHDRAWN: (REASON, NO_PAIR_LEFT),
}


class SessionKind(models.TextChoices):
    INFORMATION = "information", _("Information session (mentors)")
    PRESENTATION = "presentation", _("Group presentation (mentees)")
    TRAINING = "training", _("Mentor training")


class InterviewDecision(models.TextChoices):
    KEEP = "keep", _("Keep")
    REJECT = "reject", _("Do not keep")
