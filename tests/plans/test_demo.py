"""The plans demo runs through the services on top of the associations' demo."""

import pytest
from django.db import transaction

from binome.demo import meetings as meetings_demo
from binome.demo import plans as plans_demo
from binome.demo import portal as portal_demo
from binome.demo.builder import DemoBuilder
from binome.demo.data import DEFAULT_SEED
from binome.pairs.models import Pair
from binome.plans.enums import ActionState
from binome.plans.models import Action, Goal, Intake, PlanChange

pytestmark = pytest.mark.django_db


def test_demo_plans():
    base = DemoBuilder(seed=DEFAULT_SEED, size="small")
    with transaction.atomic():
        base.build()
        portal_demo.build(base)
        meetings_demo.build(base)
        plans_demo.build(base)  # as binome/demo/domains.build would call it, last
    active = Pair.objects.filter(state="active")
    assert active.exists()
    assert Intake.objects.count() == active.count()
    with_goals = set(Goal.objects.values_list("pair", flat=True))
    assert with_goals == set(active.values_list("pk", flat=True))
    states = set(Action.objects.values_list("state", flat=True))
    assert {ActionState.TODO, ActionState.DONE} <= states
    assert PlanChange.objects.filter(side__in=("mentor", "mentee")).count() > active.count()
