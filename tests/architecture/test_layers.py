"""The house's layout, checked on the source alone (ast, no Django): floors between apps, rooms inside
`cases`, no import cycles, few function-local imports, no oversized modules.

Every import counts: module-level and function-local, relative ones resolved, and `from pkg import name`
counts as importing the module `pkg.name` when that is a module. Edit the constants below to move a wall.
"""
from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Floors: a module imports only its own app or lower floors; apps on the same floor never import each other.
FLOORS = {
    "core": 1,
    "accounts": 2,
    "cases": 3,
    "attachments": 3,
    "funds": 4,
    "monitoring": 4,
    "audit": 4,
    "ops": 4,
    "imports": 4,
    "discovery": 4,
    "notifications": 4,
    "reports": 4.5,  # the three aims, statistics, charts, the readable audit trail: reads every floor-4 app
    "charity": 4,
    "jiuzhu": 5,
    "demo": 6,
}
DEMO = "demo"  # the product (every lower floor) never imports it

# Rooms inside cases, lowest first; a tuple is one level whose rooms never import each other. A room is the
# package or module `cases.<room>`; every other module under cases/ (cases.models, cases.urls, cases.tasks, ...)
# is the top of cases, which may import any room, while no room imports it.
CASES_ROOMS = [
    "households",
    "supervision",
    "standards",
    "entitlements",
    "dibao",
    ("tekun", "temporary_aid", "lowincome"),
    "publicity",
]

MAX_LOCAL_IMPORTS = 40
# Lazy imports of spreadsheet libraries are fine (heavy, only needed by exports and imports).
LAZY_LIBRARIES = {"openpyxl", "xlsxwriter", "python_calamine", "calamine"}
MAX_MODULE_LINES = 600
EXCLUDED_DIRS = {"tests", "bench", "migrations", "static", "__pycache__"}

ROOM_LEVEL = {
    room: level
    for level, rooms in enumerate(CASES_ROOMS)
    for room in (rooms if isinstance(rooms, tuple) else (rooms,))
}


@dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported module (or the nearest product module that exists, see _resolve)
    path: str  # file, relative to the repository root
    line: int
    local: bool  # inside a function
    top: str  # first component of the imported name, e.g. "openpyxl"

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    rel: str
    lines: int
    is_package: bool


def _module_name(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


@functools.cache
def modules() -> dict[str, Module]:
    found = {}
    for app in FLOORS:
        base = ROOT / app
        if not base.is_dir():
            raise FileNotFoundError(f"{app}/ is named in FLOORS but does not exist: move the wall in FLOORS too")
        for path in sorted(base.rglob("*.py")):
            if EXCLUDED_DIRS & set(path.relative_to(ROOT).parts[:-1]):
                continue
            name, is_package = _module_name(path)
            text = path.read_text(encoding="utf-8")
            found[name] = Module(name, path, str(path.relative_to(ROOT)), len(text.splitlines()), is_package)
    return found


def _resolve(name: str) -> str:
    """The module an imported dotted name lands on: itself if it is a product module, else its nearest
    existing parent (e.g. `cases.models.household.Person` -> `cases.models.household`)."""
    known = modules()
    probe = name
    while probe and probe not in known:
        probe = probe.rpartition(".")[0]
    return probe or name


class _Collector(ast.NodeVisitor):
    def __init__(self, module: Module):
        self.module = module
        self.depth = 0
        self.found: list[Import] = []

    def _function(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def _add(self, name: str, node: ast.stmt):
        self.found.append(Import(self.module.name, _resolve(name), self.module.rel, node.lineno, self.depth > 0,
                                 name.split(".")[0]))

    def visit_Import(self, node: ast.Import):
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom):
        if node.level:
            package = self.module.name if self.module.is_package else self.module.name.rpartition(".")[0]
            base_parts = package.split(".")
            if node.level > 1:
                base_parts = base_parts[: -(node.level - 1)]
            base = ".".join(base_parts + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        known = modules()
        submodules = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known]
        names_left = len(submodules) < len(node.names)
        for name in submodules:
            self._add(name, node)
        if names_left or not submodules:
            self._add(base, node)


@functools.cache
def imports() -> tuple[Import, ...]:
    found: list[Import] = []
    for module in modules().values():
        tree = ast.parse(module.path.read_text(encoding="utf-8"), filename=module.rel)
        collector = _Collector(module)
        collector.visit(tree)
        found.extend(collector.found)
    return tuple(found)


def _app(module: str) -> str:
    return module.split(".")[0]


def _room(module: str) -> str | None:
    """The room of a module under cases/, or None for the top of cases (and for modules outside cases)."""
    parts = module.split(".")
    if parts[0] == "cases" and len(parts) > 1 and parts[1] in ROOM_LEVEL:
        return parts[1]
    return None


def _fail(title: str, problems: list[str]) -> None:
    pytest.fail(f"{title} ({len(problems)}):\n  " + "\n  ".join(problems), pytrace=False)


def test_product_modules_found():
    apps = {_app(name) for name in modules()}
    assert {"core", "accounts", "cases", "funds", "monitoring", "audit", "jiuzhu"} <= apps, apps


def test_floors_one_way():
    problems = []
    for imp in imports():
        src, dst = _app(imp.source), _app(imp.target)
        if dst not in FLOORS or src == dst:
            continue
        if dst == DEMO:
            problems.append(f"{imp.where}: {imp.source} (floor {FLOORS[src]}, {src}) imports {imp.target} "
                            f"(floor {FLOORS[dst]}): the product never imports demo")
        elif FLOORS[dst] > FLOORS[src]:
            problems.append(f"{imp.where}: {imp.source} (floor {FLOORS[src]}, {src}) imports {imp.target} "
                            f"(floor {FLOORS[dst]}, {dst}): upward import")
        elif FLOORS[dst] == FLOORS[src]:
            problems.append(f"{imp.where}: {imp.source} (floor {FLOORS[src]}, {src}) imports {imp.target} "
                            f"(floor {FLOORS[dst]}, {dst}): apps on the same floor never import each other")
    if problems:
        _fail("imports against the floors " + " < ".join(f"{app}={floor}" for app, floor in FLOORS.items()), problems)


def test_cases_rooms_one_way():
    order = " < ".join("/".join(r) if isinstance(r, tuple) else r for r in CASES_ROOMS)
    problems = []
    for imp in imports():
        src_room = _room(imp.source)
        if src_room is None or _app(imp.target) != "cases":
            continue
        dst_room = _room(imp.target)
        if dst_room is None:
            problems.append(f"{imp.where}: room {src_room} ({imp.source}) imports {imp.target}, the top of cases: "
                            f"rooms import each other's cases.<room> modules directly")
        elif dst_room != src_room and ROOM_LEVEL[dst_room] >= ROOM_LEVEL[src_room]:
            kind = "a room on the same level" if ROOM_LEVEL[dst_room] == ROOM_LEVEL[src_room] else "a higher room"
            problems.append(f"{imp.where}: room {src_room} (level {ROOM_LEVEL[src_room] + 1}, {imp.source}) imports "
                            f"{imp.target} in {kind}, {dst_room} (level {ROOM_LEVEL[dst_room] + 1})")
    present = sorted({_room(m) for m in modules()} - {None})
    missing = [r for r in ROOM_LEVEL if r not in present]
    if missing:
        problems.append(f"rooms with no package or module under cases/ yet: {', '.join(missing)}")
    if problems:
        _fail(f"imports against the rooms of cases ({order})", problems)


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative. Returns the components with more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        result.append(sorted(component))
    return sorted(result, key=lambda c: (-len(c), c))


def test_no_import_cycles():
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    where: dict[tuple[str, str], str] = {}
    for imp in imports():
        if imp.target in known and imp.target != imp.source:
            graph[imp.source].add(imp.target)
            where.setdefault((imp.source, imp.target), imp.where + (" (local)" if imp.local else ""))
    cycles = _strongly_connected(graph)
    problems = []
    for component in cycles:
        members = set(component)
        edges = [f"{a} -> {b} at {where[(a, b)]}" for a in component for b in sorted(graph[a] & members)]
        problems.append(f"{len(component)} modules: {', '.join(component)}\n      " + "\n      ".join(edges))
    if problems:
        _fail("import cycles (function-local imports included)", problems)


def _counts_as_local(imp: Import) -> bool:
    path = Path(imp.path)
    return (imp.local and imp.top not in LAZY_LIBRARIES and path.name != "apps.py"
            and "/management/commands/" not in f"/{path.as_posix()}")


def test_few_function_local_imports():
    counted: dict[tuple[str, int], list[str]] = {}
    for imp in imports():
        if _counts_as_local(imp):
            counted.setdefault((imp.path, imp.line), []).append(imp.target)
    problems = [f"{path}:{line}: {', '.join(targets)}" for (path, line), targets in sorted(counted.items())]
    if len(counted) > MAX_LOCAL_IMPORTS:
        _fail(f"function-local import statements, at most {MAX_LOCAL_IMPORTS} allowed (not counted: migrations, "
              f"management commands, apps.py, {', '.join(sorted(LAZY_LIBRARIES))})", problems)


def test_no_oversized_modules():
    problems = [f"{m.rel}: {m.lines} lines" for m in sorted(modules().values(), key=lambda m: -m.lines)
                if m.lines > MAX_MODULE_LINES]
    if problems:
        _fail(f"modules over {MAX_MODULE_LINES} lines", problems)
