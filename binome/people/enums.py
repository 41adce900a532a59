from django.db import models
from django.utils.translation import gettext_lazy as _


class MentorState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    INFORMED = "informed", _("Attended the information session")
    INTERVIEWED = "interviewed", _("Interviewed")
    TRAINED = "trained", _("Trained")
    READY = "ready", _("Ready to match")
    REJECTED = "rejected", _("Not kept")
    WITHDRAWN = "withdrawn", _("Withdrew")


MENTOR_TRANSITIONS = {
    MentorState.APPLIED: {MentorState.INFORMED, MentorState.REJECTED, MentorState.WITHDRAWN},
    MentorState.INFORMED: {MentorState.INTERVIEWED, MentorState.REJECTED, MentorState.WITHDRAWN},
    MentorState.INTERVIEWED: {MentorState.TRAINED, MentorState.REJECTED, MentorState.WITHDRAWN},
    MentorState.TRAINED: {MentorState.READY, MentorState.WITHDRAWN},
    MentorState.READY: {MentorState.WITHDRAWN},
    MentorState.REJECTED: set(),
    MentorState.WITHDRAWN: set(),
}


class MenteeState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    PRESENTED = "presented", _("Attended the group presentation")
    INTERVIEWED = "interviewed", _("Selection interview done")
    SELECTED = "selected", _("Selected")
    READY = "ready", _("Ready to match")
    NOT_RETAINED = "not_retained", _("Not retained")
    REDIRECTED = "redirected", _("Redirected to another service")
    WITHDRAWN = "withdrawn", _("Withdrew")


_MENTEE_EXITS = {MenteeState.NOT_RETAINED, MenteeState.REDIRECTED, MenteeState.WITHDRAWN}
MENTEE_TRANSITIONS = {
    MenteeState.APPLIED: {MenteeState.PRESENTED, *_MENTEE_EXITS},
    MenteeState.PRESENTED: {MenteeState.INTERVIEWED, *_MENTEE_EXITS},
    MenteeState.INTERVIEWED: {MenteeState.SELECTED, *_MENTEE_EXITS},
    MenteeState.SELECTED: {MenteeState.READY, MenteeState.REDIRECTED, MenteeState.WITHDRAWN},
    MenteeState.READY: {MenteeState.REDIRECTED, MenteeState.WITHDRAWN},
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


class SessionKind(models.TextChoices):
    INFORMATION = "information", _("Information session (mentors)")
    PRESENTATION = "presentation", _("Group presentation (mentees)")
    TRAINING = "training", _("Mentor training")


class InterviewDecision(models.TextChoices):
    KEEP = "keep", _("Keep")
    REJECT = "reject", _("Do not keep")
