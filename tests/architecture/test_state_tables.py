"""Every state field has its transition table in its app's ``enums.py`` (docs/adr/0001).

A state field is a model field named ``state`` or ``outcome`` with choices. Its table is a
module-level dict of ``enums.py`` whose keys are exactly the field's states and whose values
are sets of those states.
"""

import importlib

import pytest
from django.apps import apps

STATE_FIELDS = ("state", "outcome")
# Fields with those names that are values, not workflows.
NOT_WORKFLOWS = {("pairs", "Pair", "outcome")}  # what the mentee reached at the closure


def state_fields():
    for model in apps.get_models():
        if not model.__module__.startswith("binome.") or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            key = (model._meta.app_label, model.__name__, field.name)
            if field.name in STATE_FIELDS and field.choices and key not in NOT_WORKFLOWS:
                yield model, field


def tables_of(app_module):
    try:
        enums = importlib.import_module(f"{app_module}.enums")
    except ModuleNotFoundError:
        return []
    return [
        value
        for name, value in vars(enums).items()
        if name.endswith("TRANSITIONS") and isinstance(value, dict)
    ]


def test_state_fields_are_found():
    found = {(m.__name__, f.name) for m, f in state_fields()}
    assert {("Pair", "state"), ("MatchingRun", "state"), ("RoutingAttempt", "outcome")} <= found


@pytest.mark.parametrize(
    ("model", "field"),
    list(state_fields()),
    ids=lambda x: getattr(x, "__name__", None) or getattr(x, "name", str(x)),
)
def test_every_state_field_has_its_table(model, field):
    states = {value for value, _label in field.choices}
    app_module = model._meta.app_config.name
    tables = [t for t in tables_of(app_module) if set(t) == states]
    assert tables, f"{model.__name__}.{field.name}: no transition table in {app_module}.enums"
    for table in tables:
        assert all(set(nexts) <= states for nexts in table.values())
