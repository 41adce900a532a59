"""A pair's in-take and action plan: the five kinds of support, who owns an action, the
action's states and their transition table."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from binome.pairs.enums import PairState


class Support(models.TextChoices):
    """The five kinds of support of a mentoring pair (MentorU)."""

    TECHNICAL = "technical", _("Technical: CV, cover letters, job interviews")
    OBJECTIVE = "objective", _("Objective: the job search analysed, the project and the market")
    CONCRETE = "concrete", _("Concrete: company codes and culture, the sector")
    PSYCHOLOGICAL = "psychological", _("Psychological: assertiveness, self-confidence")
    RELATIONAL = "relational", _("Relational: the mentor's network opened")


class Owner(models.TextChoices):
    """Who does an action: one of the pair."""

    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


class ActionState(models.TextChoices):
    TODO = "todo", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# An action is started, done or dropped; a done action may be reopened, a dropped one taken up
# again.
ACTION_TRANSITIONS = {
    ActionState.TODO: {ActionState.IN_PROGRESS, ActionState.DONE, ActionState.DROPPED},
    ActionState.IN_PROGRESS: {ActionState.TODO, ActionState.DONE, ActionState.DROPPED},
    ActionState.DONE: {ActionState.IN_PROGRESS},
    ActionState.DROPPED: {ActionState.TODO},
}

# The pair states in which the plan is written: from the first meeting until closure (after
# that it is kept, read only).
PLAN_PAIR_STATES = frozenset({PairState.FIRST_MEETING, PairState.CONTRACT_SIGNED, PairState.ACTIVE})


class Part(models.TextChoices):
    """What a history row is about."""

    INTAKE = "intake", _("In-take")
    GOAL = "goal", _("Goal")
    ACTION = "action", _("Action")


class Change(models.TextChoices):
    CREATED = "created", _("added")
    CHANGED = "changed", _("changed")
