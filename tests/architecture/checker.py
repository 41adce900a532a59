"""Static architecture checks on the sources under ``binome/`` (pure Python, ``ast`` only).

Nothing is imported: each module's text is parsed and its import statements are read, at
module level and inside functions alike (a function-level import is still a dependency).
Every check returns a set of violation keys (``(rule, path, detail)``; ``("size", path)``;
``("cycle", "apps")``) so that a test can compare them with an allow-list.

Rules:

- ``direction``: ``binome.www`` → domain apps → ``binome.core``. A domain app never imports
  ``binome.www``; ``binome.core`` imports no other binome app.
- ``pure``: the pure parts (``PURE``) import neither Django nor a binome module that imports
  Django, directly or through other binome modules (a module's parent packages count: they
  run first).
- ``cycle``: no import cycle between apps (an app is ``binome.<name>``); one key per cycle
  (a strongly connected component of the app graph), its apps sorted.
- ``size``: no module over ``MAX_LINES`` lines, migrations and generated data aside.
- ``web``: the web layer (``binome.www``) calls services and QuerySets only: it imports
  neither a solver (``SOLVERS``: the engine's work is a service's or a task's) nor the journal
  writer (``JOURNAL``: journal rows are written by services).
- ``lock``: ``select_for_update()`` without ``of=`` on a joined queryset locks the joined
  rows too (and fails on PostgreSQL on the nullable side of an outer join). Detected on one
  call chain: ``select_for_update`` called without ``of`` in the same chain as
  ``select_related(...)``, or as ``filter``/``exclude``/``get``/``get_or_create``/… with a
  keyword (its own or in a ``Q(...)`` argument) that follows a relation
  (``programme__organisation=...``; a trailing lookup such as
  ``state__in`` or ``created_at__lt`` is not a join). A queryset built in another statement
  or another function is not followed: the check is a tripwire, not a proof.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

ROOT_PACKAGE = "binome"
WEB_APP = "binome.www"
CORE_APP = "binome.core"
PURE = ("binome.matching.engine", "binome.registrations.routing", "binome.geo")
SOLVERS = ("binome.matching.engine", "binome.registrations.routing")
JOURNAL = ("binome.core.services.log_activity", "binome.core.models.ActivityLog")
# Third-party packages that are Django (importing one pulls Django in).
DJANGO_PACKAGES = {"django", "rest_framework", "sesame", "anymail", "axes", "csp", "otp"}
MAX_LINES = 500
# Generated or data files, and migrations, are not held to the size rule.
SIZE_EXEMPT_DIRS = ("migrations", "data")

FILTER_METHODS = {"filter", "exclude", "get", "get_or_create", "update_or_create"}
LOOKUPS = {
    "exact",
    "iexact",
    "contains",
    "icontains",
    "in",
    "gt",
    "gte",
    "lt",
    "lte",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
    "range",
    "isnull",
    "regex",
    "iregex",
    "date",
    "year",
    "month",
    "day",
    "week",
    "week_day",
    "quarter",
    "time",
    "hour",
    "minute",
    "second",
    "contained_by",
    "overlap",
    "has_key",
    "has_keys",
    "has_any_keys",
    "len",
    "unaccent",
    "trigram_similar",
    "search",
}


@dataclass(frozen=True)
class Module:
    name: str  # dotted: binome.pairs.services
    path: str  # relative, with slashes: binome/pairs/services.py
    source: str

    @property
    def is_package(self):
        return self.path.endswith("__init__.py")

    @property
    def app(self):
        return app_of(self.name)


@dataclass(frozen=True)
class Import:
    target: str  # dotted name as written (resolved if relative); ``from a import b`` → a.b
    fallback: str  # ``from a import b`` → a (b may be a name, not a module); else == target
    line: int


def app_of(name):
    parts = name.split(".")
    if parts[0] != ROOT_PACKAGE or len(parts) < 2:
        return None
    return ".".join(parts[:2])


def load(root):
    """Every ``.py`` module under ``root/binome`` as :class:`Module`, keyed by dotted name."""
    root = Path(root)
    modules = {}
    for path in sorted((root / ROOT_PACKAGE).rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        parts = rel[: -len(".py")].split("/")
        if parts[-1] == "__init__":
            parts = parts[:-1]
        name = ".".join(parts)
        modules[name] = Module(name, rel, path.read_text(encoding="utf-8"))
    return modules


def from_sources(sources):
    """Modules from ``{path: source}`` (the self-tests' synthetic projects)."""
    modules = {}
    for path, source in sources.items():
        parts = path[: -len(".py")].split("/")
        if parts[-1] == "__init__":
            parts = parts[:-1]
        name = ".".join(parts)
        modules[name] = Module(name, path, source)
    return modules


@functools.lru_cache(maxsize=4096)
def parse(module):
    return ast.parse(module.source, module.path)


@functools.lru_cache(maxsize=4096)
def imports_of(module):
    """Every import in the module, at any depth (functions, classes, ``if`` blocks)."""
    found = []
    package = module.name if module.is_package else module.name.rpartition(".")[0]
    for node in ast.walk(parse(module)):
        if isinstance(node, ast.Import):
            found += [Import(alias.name, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                target = f"{base}.{alias.name}" if alias.name != "*" else base
                found.append(Import(target, base, node.lineno))
    return tuple(found)


def _resolve(imp, modules):
    """The binome module an import loads (``from a import b``: ``a.b`` if it is a module)."""
    if imp.target in modules:
        return imp.target
    if imp.fallback in modules:
        return imp.fallback
    return None


def _parents(name):
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _is_django(name):
    top = name.split(".")[0]
    return top in DJANGO_PACKAGES or top.startswith("django")


def direction_violations(modules):
    found = set()
    for module in modules.values():
        app = module.app
        if app is None:
            continue
        for imp in imports_of(module):
            target_app = app_of(imp.target)
            if target_app is None or target_app == app:
                continue
            if (app != WEB_APP and target_app == WEB_APP) or app == CORE_APP:
                found.add(("direction", module.path, target_app))
    return found


def _within(name, prefixes):
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def web_violations(modules):
    found = set()
    for module in modules.values():
        if module.app != WEB_APP:
            continue
        for imp in imports_of(module):
            if _within(imp.target, SOLVERS) or _within(imp.target, JOURNAL):
                found.add(("web", module.path, imp.target))
    return found


def _django_reach(modules):
    """{module: the chain of imports by which it reaches Django} for each module that does."""
    edges = {}
    for name, module in modules.items():
        deps = []
        for imp in imports_of(module):
            if _is_django(imp.target):
                deps.append(imp.target.split(".")[0])
            else:
                resolved = _resolve(imp, modules)
                if resolved is not None:
                    deps += [p for p in _parents(resolved) if p in modules] + [resolved]
        edges[name] = deps
    reach = {}
    changed = True
    while changed:  # a fixed point: small graphs, and simpler than a topological order
        changed = False
        for name, deps in edges.items():
            if name in reach:
                continue
            for dep in deps:
                if dep not in modules:  # Django itself
                    reach[name] = [dep]
                elif dep in reach and dep != name:
                    reach[name] = [dep, *reach[dep]]
                else:
                    continue
                changed = True
                break
    return reach


def purity_violations(modules, pure=PURE):
    """``("pure", path, "a -> b -> django")`` for each import of a pure module that reaches
    Django (the first step only: the module's own import that pulls it in)."""
    reach = _django_reach(modules)
    found = set()
    for module in modules.values():
        if not any(module.name == p or module.name.startswith(p + ".") for p in pure):
            continue
        for parent in _parents(module.name):  # ``binome.registrations`` runs before routing
            if parent in reach and not any(parent.startswith(p) for p in pure):
                found.add(("pure", module.path, " -> ".join([parent, *reach[parent]])))
        for imp in imports_of(module):
            if _is_django(imp.target):
                found.add(("pure", module.path, imp.target.split(".")[0]))
                continue
            resolved = _resolve(imp, modules)
            if resolved is None:
                continue
            for dep in [*_parents(resolved), resolved]:
                if dep in reach and dep != module.name:
                    found.add(("pure", module.path, " -> ".join([dep, *reach[dep]])))
                    break
    return found


def app_graph(modules):
    """{app: {imported app: first (path, line) seen}}."""
    graph = {}
    for module in modules.values():
        app = module.app
        if app is None:
            continue
        graph.setdefault(app, {})
        for imp in imports_of(module):
            target_app = app_of(imp.target)
            if target_app and target_app != app:
                graph[app].setdefault(target_app, (module.path, imp.line))
    return graph


def _strongly_connected(graph):
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(node):  # Tarjan; the app graph is small, recursion is fine
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.add(top)
                if top == node:
                    break
            components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def cycle_violations(modules):
    graph = app_graph(modules)
    return {("cycle", ", ".join(sorted(c))) for c in _strongly_connected(graph) if len(c) > 1}


def cycle_edges(modules, apps):
    """The imports inside one cycle, to say where to cut it."""
    graph = app_graph(modules)
    members = set(apps.split(", "))
    return sorted(
        f"{a} -> {b} ({path}:{line})"
        for a in members
        for b, (path, line) in graph.get(a, {}).items()
        if b in members
    )


def size_violations(modules, limit=MAX_LINES):
    found = set()
    for module in modules.values():
        if any(part in SIZE_EXEMPT_DIRS for part in module.path.split("/")[:-1]):
            continue
        lines = len(module.source.splitlines())
        if lines > limit:
            found.add(("size", module.path))
    return found


def line_count(modules, path):
    return next(len(m.source.splitlines()) for m in modules.values() if m.path == path)


def _chain(call):
    """The method calls of one chain ``a.b().c(x).d()``, outermost first."""
    calls = []
    node = call
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        calls.append(node)
        node = node.func.value
        while isinstance(node, ast.Attribute):  # ``Model.objects`` between two calls
            node = node.value
    return calls


def _joins(call):
    name = call.func.attr
    if name == "select_related":
        return True
    if name in FILTER_METHODS:
        keywords = list(call.keywords)
        for arg in call.args:  # Q(mentor__user=u) | Q(...)
            keywords += [kw for n in ast.walk(arg) if isinstance(n, ast.Call) for kw in n.keywords]
        for kw in keywords:
            if kw.arg and "__" in kw.arg:
                parts = kw.arg.split("__")
                if parts[-1] in LOOKUPS:
                    parts = parts[:-1]
                if len(parts) > 1:
                    return True
    return False


def _unscoped_lock(call):
    return call.func.attr == "select_for_update" and not any(kw.arg == "of" for kw in call.keywords)


def lock_violations(modules):
    """``("lock", path, function)`` for each joined ``select_for_update()`` without ``of=``."""
    found = set()
    for module in modules.values():
        tree = parse(module)
        for scope in [tree, *ast.walk(tree)]:
            if not isinstance(scope, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            where = getattr(scope, "name", "<module>")
            inner = {id(n) for n in ast.walk(scope) if n is not scope and _is_function(n)}
            for node in _walk_shallow(scope, inner):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                    continue
                calls = _chain(node)  # an inner call gives a part of its chain: same key
                if any(_unscoped_lock(c) for c in calls) and any(_joins(c) for c in calls):
                    found.add(("lock", module.path, where))
    return found


def _is_function(node):
    return isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)


def _walk_shallow(scope, inner):
    """The nodes of one scope, nested functions left to their own scope."""
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        if id(node) in inner:
            continue
        yield node
        todo.extend(ast.iter_child_nodes(node))


def all_violations(modules):
    return (
        direction_violations(modules)
        | purity_violations(modules)
        | cycle_violations(modules)
        | size_violations(modules)
        | lock_violations(modules)
        | web_violations(modules)
    )
