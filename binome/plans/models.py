"""A pair's in-take (strengths and weaknesses of the job search), its action plan (goals under
the five kinds of support, each with actions) and the plan's history (append-only)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.core.models import TimeStampedModel, TransitionLog
from binome.meetings.enums import Side
from binome.plans.enums import ActionState, Change, Owner, Part, Support

MAX_TEXT = 5000
MAX_TITLE = 200
MAX_WHAT = 300


class Intake(TimeStampedModel):
    """One per pair, edited as the pair learns more; each change is in ``PlanChange``."""

    pair = models.OneToOneField(
        "pairs.Pair", on_delete=models.CASCADE, related_name="intake", verbose_name=_("pair")
    )
    strengths = models.TextField(_("strengths of the job search"), blank=True)
    weaknesses = models.TextField(_("weaknesses of the job search"), blank=True)

    class Meta:
        verbose_name = _("in-take")

    def __str__(self):
        return f"intake {self.pair_id}"


class GoalQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(pair__programme__organisation=organisation)


class Goal(TimeStampedModel):
    pair = models.ForeignKey(
        "pairs.Pair", on_delete=models.CASCADE, related_name="goals", verbose_name=_("pair")
    )
    support = models.CharField(_("kind of support"), max_length=16, choices=Support)
    title = models.CharField(_("goal"), max_length=MAX_TITLE)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("goal")
        constraints = [
            models.CheckConstraint(
                condition=Q(support__in=Support.values), name="goal_support_valid"
            ),
        ]

    def __str__(self):
        return f"goal {self.pk}"


class Action(TimeStampedModel):
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="actions", verbose_name=_("goal")
    )
    what = models.CharField(_("what"), max_length=MAX_WHAT)
    owner = models.CharField(_("who does it"), max_length=8, choices=Owner)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    state = models.CharField(
        _("status"), max_length=12, choices=ActionState, default=ActionState.TODO
    )
    state_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("action")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ActionState.values), name="plan_action_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(owner__in=Owner.values), name="plan_action_owner_valid"
            ),
        ]

    def __str__(self):
        return f"action {self.pk}"

    @property
    def is_open(self):
        return self.state in (ActionState.TODO, ActionState.IN_PROGRESS)

    @property
    def is_late(self):
        return bool(self.is_open and self.due_on and self.due_on < timezone.localdate())


class ActionTransition(TransitionLog):
    subject = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="transitions")


class PlanChangeQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("The plan's history is append-only")

    def delete(self):
        raise PermissionDenied("The plan's history is append-only")


class PlanChange(models.Model):
    """One change of a pair's in-take or plan: who (the user, the side recorded, whether the
    staff acted on behalf of that side), when, what (the part, its id, the fields and their
    values before and after). Append-only."""

    pair = models.ForeignKey("pairs.Pair", on_delete=models.CASCADE, related_name="plan_changes")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    side = models.CharField(max_length=8, choices=Side)
    on_behalf = models.BooleanField(default=False)
    part = models.CharField(max_length=8, choices=Part)
    object_id = models.BigIntegerField()
    change = models.CharField(max_length=8, choices=Change)
    label = models.CharField(max_length=MAX_WHAT, blank=True)  # the goal or action, then
    fields = models.JSONField(default=list)  # field names
    values = models.JSONField(default=dict)  # field → [before, after]

    objects = PlanChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["pair", "at"])]
        verbose_name = _("change of the plan")

    def __str__(self):
        return f"{self.part} {self.object_id} {self.change}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("The plan's history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The plan's history is append-only")

    def field_labels(self):
        model = {Part.INTAKE: Intake, Part.GOAL: Goal, Part.ACTION: Action}[self.part]
        return [str(model._meta.get_field(name).verbose_name) for name in self.fields]
