"""The shape of the code, checked on its sources (tests/architecture/checker.py has the rules).

``KNOWN`` is the one allow-list: violations that exist today and are not fixed yet. The tests
fail on any violation not in it, and on any entry of it that no longer happens (then remove
it from ``KNOWN``): the list only shrinks.
"""

from pathlib import Path

import pytest

from tests.architecture import checker

ROOT = Path(__file__).resolve().parents[2]

KNOWN = set()

RULES = ["direction", "pure", "cycle", "size", "lock", "web"]


@pytest.fixture(scope="module")
def modules():
    return checker.load(ROOT)


@pytest.fixture(scope="module")
def violations(modules):
    return checker.all_violations(modules)


def explain(key, modules):
    if key[0] == "cycle":
        return f"{key}: " + "; ".join(checker.cycle_edges(modules, key[1]))
    if key[0] == "size":
        return f"{key}: {checker.line_count(modules, key[1])} lines"
    return str(key)


@pytest.mark.parametrize("rule", RULES)
def test_no_new_violation_and_known_ones_still_there(rule, modules, violations):
    found = {v for v in violations if v[0] == rule}
    known = {v for v in KNOWN if v[0] == rule}
    new = sorted(found - known)
    gone = sorted(known - found)
    assert not new, "new violations:\n" + "\n".join(explain(v, modules) for v in new)
    assert not gone, "fixed, remove them from KNOWN:\n" + "\n".join(map(str, gone))


def test_every_known_entry_is_a_rule():
    assert {k[0] for k in KNOWN} <= set(RULES)


def test_the_tree_is_read():
    # A guard against a checker that silently reads nothing.
    found = checker.load(ROOT)
    assert "binome.pairs.services" in found
    assert "binome.matching.engine" in found
    assert any(
        i.target.startswith("django") for i in checker.imports_of(found["binome.core.models"])
    )


# Self-tests: each rule catches a violation in a tiny synthetic project.


def project(**sources):
    """Modules from keyword sources: ``binome__pairs__services`` is binome/pairs/services.py,
    ``binome__pairs__init`` its package's ``__init__.py``."""
    paths = {}
    for name, source in sources.items():
        parts = name.split("__")
        if parts[-1] == "init":
            parts[-1] = "__init__"
        paths["/".join(parts) + ".py"] = source
    return checker.from_sources(paths)


def test_imports_are_read_at_every_depth_and_relative_ones_resolved():
    (module,) = project(
        binome__pairs__services=(
            "import os\n"
            "from . import models\n"
            "from ..people.models import Mentor\n"
            "def f():\n"
            "    if True:\n"
            "        from binome.www import views\n"
        )
    ).values()
    targets = {i.target for i in checker.imports_of(module)}
    assert targets == {
        "os",
        "binome.pairs.models",
        "binome.people.models.Mentor",
        "binome.www.views",
    }


def test_direction_catches_a_domain_app_importing_www_even_in_a_function():
    modules = project(
        binome__pairs__services="def f():\n    from binome.www.staff import views\n",
        binome__www__views="from binome.pairs import services\n",
        binome__people__models="from binome.core.models import TimeStampedModel\n",
    )
    assert checker.direction_violations(modules) == {
        ("direction", "binome/pairs/services.py", "binome.www")
    }


def test_direction_catches_core_importing_another_app():
    modules = project(binome__core__services="from binome.people.models import Mentor\n")
    assert checker.direction_violations(modules) == {
        ("direction", "binome/core/services.py", "binome.people")
    }


def test_pure_catches_django_directly_and_through_a_binome_module():
    modules = project(
        binome__geo__places="def f():\n    from django.conf import settings\n",
        binome__matching__engine__api="from binome.matching import helpers\n",
        binome__matching__helpers="from binome.core.text import slug\n",
        binome__core__text="import django.utils.text\n",
        binome__registrations__routing="import math\n",
    )
    assert checker.purity_violations(modules) == {
        ("pure", "binome/geo/places.py", "django"),
        (
            "pure",
            "binome/matching/engine/api.py",
            "binome.matching.helpers -> binome.core.text -> django",
        ),
    }


def test_pure_catches_a_parent_package_that_imports_django():
    modules = project(
        binome__registrations__init="from django.apps import apps\n",
        binome__registrations__routing="import math\n",
    )
    assert checker.purity_violations(modules) == {
        ("pure", "binome/registrations/routing.py", "binome.registrations -> django")
    }


def test_cycle_catches_apps_importing_each_other_through_a_function_level_import():
    modules = project(
        binome__pairs__services="from binome.people.models import Mentor\n",
        binome__people__services="def f():\n    from binome.pairs import models\n",
        binome__www__views="from binome.pairs import services\n",
    )
    assert checker.cycle_violations(modules) == {("cycle", "binome.pairs, binome.people")}


def test_size_catches_a_long_module_but_not_migrations_nor_data():
    long = "x = 1\n" * 501
    modules = project(
        binome__pairs__services=long,
        binome__pairs__models="x = 1\n" * 500,
        binome__pairs__migrations__0001_initial=long,
        binome__geo__data__table=long,
    )
    assert checker.size_violations(modules) == {("size", "binome/pairs/services.py")}


@pytest.mark.parametrize(
    ("code", "caught"),
    [
        ("Pair.objects.select_for_update().select_related('mentor').get(pk=1)", True),
        ("qs.select_related('mentor').filter(pk=1).select_for_update().first()", True),
        ("Pair.objects.select_for_update().filter(programme__organisation=o)", True),
        ("Pair.objects.select_for_update().get(mentor__user=u)", True),
        ("Pair.objects.select_for_update().filter(mentor__user__isnull=True)", True),
        ("Pair.objects.select_for_update().filter(Q(mentor__user=u) | Q(pk=1))", True),
        ("Pair.objects.select_for_update().filter(Q(state='a') | Q(pk__in=s))", False),
        ("Pair.objects.select_for_update(of=('self',)).select_related('mentor').get()", False),
        ("Pair.objects.select_for_update().filter(state__in=s, pk=1).first()", False),
        ("Pair.objects.select_for_update().get(pk=1)", False),
        ("Pair.objects.select_related('mentor').get(pk=1)", False),
    ],
)
def test_lock_catches_select_for_update_without_of_on_a_joined_queryset(code, caught):
    modules = project(binome__pairs__services=f"def lock():\n    return {code}\n")
    expected = {("lock", "binome/pairs/services.py", "lock")} if caught else set()
    assert checker.lock_violations(modules) == expected


def test_lock_names_the_enclosing_function_not_an_outer_one():
    modules = project(
        binome__pairs__services=(
            "def outer():\n"
            "    def inner():\n"
            "        return Pair.objects.select_for_update().select_related('m').get()\n"
            "    return inner\n"
        )
    )
    assert checker.lock_violations(modules) == {("lock", "binome/pairs/services.py", "inner")}


def test_web_catches_the_engine_and_the_journal_writer_but_not_services():
    modules = project(
        binome__www__staff__views=(
            "from binome.matching import engine\n"
            "from binome.matching import services\n"
            "from binome.core.models import ActivityLog\n"
            "def f():\n"
            "    from binome.core.services import log_activity\n"
        ),
        binome__matching__services="from binome.core.services import log_activity\n",
        binome__matching__engine__init="import math\n",
    )
    assert checker.web_violations(modules) == {
        ("web", "binome/www/staff/views.py", "binome.matching.engine"),
        ("web", "binome/www/staff/views.py", "binome.core.models.ActivityLog"),
        ("web", "binome/www/staff/views.py", "binome.core.services.log_activity"),
    }
