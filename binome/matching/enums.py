"""Choices of the matching app (the engine's own names live in binome.matching.engine)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The engine's criteria, in the order the staff see them.
CRITERIA = (
    "geography",
    "sector",
    "function",
    "age",
    "language",
    "hobbies",
    "expectations",
    "support",
)
CRITERION_LABELS = {
    "geography": _("Geographic accessibility"),
    "sector": _("Sector of activity"),
    "function": _("Job function"),
    "age": _("Age gap"),
    "language": _("Languages"),
    "hobbies": _("Hobbies and interests"),
    "expectations": _("Expectations"),
    "support": _("Kinds of support"),
}
# Defaults from the seeds: geographic accessibility is mandatory, the rest weighs in.
DEFAULT_WEIGHTS = {
    "geography": 3,
    "sector": 2,
    "function": 1,
    "age": 1,
    "language": 2,
    "hobbies": 1,
    "expectations": 1,
    "support": 2,
}
DEFAULT_MANDATORY = {"geography"}

# What a failed condition means, for the staff.
FAILED_LABELS = {
    "too_far": _("Too far"),
    "excluded": _("Excluded (declined or conflict)"),
    "below_min_score": _("Below the minimum score"),
}


def failed_label(code):
    if code in FAILED_LABELS:
        return FAILED_LABELS[code]
    if code.startswith("mandatory:"):
        name = code.split(":", 1)[1]
        return _("Mandatory: %(criterion)s") % {"criterion": CRITERION_LABELS.get(name, name)}
    return code


class RunState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready for review")
    FAILED = "failed", _("Failed")
    PUBLISHED = "published", _("Published")


# The only moves a run's state makes (core.statemachine.apply_transition). A failed run (or a
# stuck one, first marked failed) is retried by queueing it again.
RUN_TRANSITIONS = {
    RunState.QUEUED: {RunState.RUNNING, RunState.FAILED},
    RunState.RUNNING: {RunState.DONE, RunState.FAILED},
    RunState.FAILED: {RunState.QUEUED},
    RunState.DONE: {RunState.PUBLISHED},
    RunState.PUBLISHED: set(),
}


class RunFailure(models.TextChoices):
    """Why a run failed, for the staff (the technical detail goes to ``MatchingRun.error``)."""

    INVALID_PROBLEM = "invalid_problem", _("The engine could not read the people's data")
    COMPUTATION = "computation", _("The computation stopped on an error")
    STORAGE = "storage", _("The result could not be saved")
    NOT_STARTED = "not_started", _("The background worker never started the run")
    STALLED = "stalled", _("The background worker stopped before the end of the run")


class ProposalSource(models.TextChoices):
    ENGINE = "engine", _("Proposed by the engine")
    MANUAL = "manual", _("Chosen by hand")


class ExclusionSource(models.TextChoices):
    DECLINED = "declined", _("Declined proposal")
    CONFLICT = "conflict", _("Conflict of interest")
    MANUAL = "manual", _("Set by the staff")


UNMATCHED_LABELS = {
    "no_feasible_mentor": _("No possible mentor"),
    "capacity": _("Possible mentors are taken by better pairs"),
    "removed": _("Removed by hand"),
}


# What the mentor may see of the mentee before accepting (never contact details).
class MenteeField(models.TextChoices):
    FIRST_NAME = "first_name", _("First name")
    AGE = "age", _("Age")
    TOWN = "town", _("Town")
    SITUATION = "situation", _("Situation")
    SECTORS = "sectors", _("Sectors")
    FUNCTIONS = "functions", _("Job functions")
    LANGUAGES = "languages", _("Languages")
    HOBBIES = "hobbies", _("Hobbies and interests")
    EXPECTATIONS = "expectations", _("Expectations")
    SUPPORT = "support", _("Kinds of support")
    MOTIVATION = "motivation", _("Motivation")


DEFAULT_MENTEE_FIELDS = [
    MenteeField.FIRST_NAME,
    MenteeField.AGE,
    MenteeField.TOWN,
    MenteeField.SECTORS,
    MenteeField.FUNCTIONS,
    MenteeField.LANGUAGES,
    MenteeField.EXPECTATIONS,
    MenteeField.SUPPORT,
]
