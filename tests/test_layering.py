"""The package's layers, read from its imports (ast, nothing imported): the library never imports
the CLI, no two modules import each other even lazily, reports and readers stay below scanning and
matching. Each failure names every offending module with the chain of imports that makes it so."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "wildcli"
Graph = Mapping[str, frozenset[str]]

CLI = ("wildcli.cli", "typer", "rich")
"""What the library must not import: it never prints and never exits."""
ENTRY_POINTS = frozenset({"wildcli.__main__"})
"""`python -m wildcli` runs the CLI: it is part of it."""
SCANNING = ("wildcli.scanning",)
"""Reading dumps through the matcher, in any engine."""
MATCHING = ("wildcli.match",)
"""Matching a text against a lexicon, and what it finds."""
MATCHER = ("wildcli.match.matcher",)
TEXT = "wildcli.text"
"""Text before matching: it knows nothing of lexicons, matching or scanning."""
KNOWN_RULE_IMPORTS: dict[tuple[str, str], str] = {}
"""Lint rules that need the matcher, and why. None do: the rules that run examples ask a judge
that `lint_lexicon` hands them (LintContext.judges); a new exception needs its reason here."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")  # fmt: skip


def imports_of(source: str, module: str, *, package: bool, known: Iterable[str]) -> frozenset[str]:
    """Every module `source` imports, at the top or inside a function (a lazy import still
    makes one module depend on the other), but not under `if TYPE_CHECKING:`. `from a import b`
    names the module a.b when `known` has it, else a."""
    known = set(known)
    found: set[str] = set()
    here = module.split(".") if package else module.split(".")[:-1]

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                for branch in child.orelse:
                    visit(branch)
                continue
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parent = here[: len(here) - child.level + 1]
                    base = ".".join([*parent, *([child.module] if child.module else [])])
                for alias in child.names:
                    found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
            visit(child)

    visit(ast.parse(source))
    return frozenset(found - {module})


@cache
def package_graph() -> Graph:
    """Each module of the package and the modules it imports (any, not only the package's)."""
    paths = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
    return {name: imports_of(path.read_text("utf-8"), name, package=path.name == "__init__.py", known=paths)
            for name, path in paths.items()}  # fmt: skip


def _within(name: str, prefixes: Iterable[str]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def cycles(graph: Graph) -> list[list[str]]:
    """The import cycles among the graph's modules: each strongly connected group of two or more
    modules, as one cycle through it (first module repeated at the end)."""
    inside = {name: sorted(dep for dep in deps if dep in graph) for name, deps in graph.items()}
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []
    for root in sorted(inside):
        if root in order:
            continue
        # Tarjan's algorithm without recursion: a deep chain of imports must not hit the limit.
        work = [(root, iter(inside[root]))]
        order[root] = low[root] = len(order)
        stack.append(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in order:
                    order[child] = low[child] = len(order)
                    stack.append(child)
                    work.append((child, iter(inside[child])))
                elif child in stack:
                    low[node] = min(low[node], order[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == order[node]:
                group = set()
                while True:
                    member = stack.pop()
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(group)
    return [_cycle_through(group, inside) for group in groups]


def _cycle_through(group: set[str], inside: Mapping[str, list[str]]) -> list[str]:
    """A path from the group's first module back to itself, within the group."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for dep in inside[node]:
            if dep == start:
                return [*paths[node], start]
            if dep in group and dep not in paths:
                paths[dep] = [*paths[node], dep]
                queue.append(dep)
    raise AssertionError(f"no cycle through {start}")  # a strongly connected group always has one


def chain_to(graph: Graph, start: str, targets: Iterable[str], skip: Iterable[tuple[str, str]] = ()) -> list[str] | None:
    """The shortest chain of imports from `start` to a module within `targets` (a prefix names a
    module and the modules below it), not following the `skip` edges; None if there is none."""
    targets, skip = tuple(targets), set(skip)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for dep in sorted(graph.get(node, ())):
            if (node, dep) in skip or dep in paths:
                continue
            paths[dep] = [*paths[node], dep]
            if _within(dep, targets):
                return paths[dep]
            queue.append(dep)
    return None


def violations(graph: Graph, sources: Iterable[str], targets: Iterable[str],
               skip: Iterable[tuple[str, str]] = ()) -> list[str]:  # fmt: skip
    """One line per module of `sources` that reaches `targets`: the chain of imports."""
    lines = []
    for module in sources:
        chain = chain_to(graph, module, targets, skip)
        if chain is not None:
            lines.append(f"{module}: {' -> '.join(chain)}")
    return lines


def _modules(prefix: str) -> list[str]:
    return sorted(name for name in package_graph() if _within(name, (prefix,)))


def test_the_library_never_imports_the_cli_typer_or_rich() -> None:
    graph = package_graph()
    library = [name for name in graph if not _within(name, ("wildcli.cli",)) and name not in ENTRY_POINTS]
    found = [f"{name} imports {dep}" for name in sorted(library) for dep in sorted(graph[name]) if _within(dep, CLI)]
    assert found == []


def test_no_two_modules_import_each_other() -> None:
    assert [" -> ".join(cycle) for cycle in cycles(package_graph())] == []


def test_reports_never_import_the_scanning_modules() -> None:
    graph = package_graph()
    assert violations(graph, _modules("wildcli.reports"), SCANNING) == []


def test_readers_never_import_scanning_or_matching() -> None:
    graph = package_graph()
    assert violations(graph, _modules("wildcli.readers"), (*SCANNING, *MATCHING)) == []


def test_text_imports_nothing_of_the_package_but_text() -> None:
    graph = package_graph()
    others = sorted({name for name in graph if name.startswith("wildcli") and not _within(name, (TEXT,))} - {"wildcli"})
    assert _modules(TEXT), "the text package is gone"
    assert violations(graph, _modules(TEXT), others) == []


def test_the_packages_group_the_modules_by_role() -> None:
    # A module added at the top of the package instead of in the package of its role makes the
    # layout stop showing the architecture: the top holds only what every layer shares.
    top = sorted(path.stem for path in PACKAGE.glob("*.py"))
    assert top == ["__init__", "__main__", "atomic", "collector", "errors", "jsonfile", "safety"]


def test_lint_rules_import_the_matcher_only_where_known() -> None:
    graph = package_graph()
    found = violations(graph, _modules("wildcli.lexicon.rules"), MATCHER, skip=KNOWN_RULE_IMPORTS)
    assert found == []
    for (module, dep), reason in KNOWN_RULE_IMPORTS.items():  # a known exception that is gone goes
        assert dep in graph[module], f"{module} no longer imports {dep}: drop it from KNOWN_RULE_IMPORTS ({reason})"


# The checks themselves, on made-up graphs: a violation names its module and the chain.

def test_a_cycle_is_reported_through_its_modules() -> None:
    graph = {"w.a": frozenset({"w.b"}), "w.b": frozenset({"w.c", "os"}), "w.c": frozenset({"w.a"}),
             "w.d": frozenset({"w.a"})}  # fmt: skip
    assert cycles(graph) == [["w.a", "w.b", "w.c", "w.a"]]
    assert cycles({"w.a": frozenset({"w.b"}), "w.b": frozenset()}) == []


def test_a_violation_names_the_module_and_the_chain() -> None:
    graph = {"w.reports.html": frozenset({"w.util"}), "w.util": frozenset({"w.scan"}), "w.scan": frozenset(),
             "w.reports.csv": frozenset({"w.util2"}), "w.util2": frozenset()}  # fmt: skip
    assert violations(graph, ["w.reports.csv", "w.reports.html"], ["w.scan"]) == [
        "w.reports.html: w.reports.html -> w.util -> w.scan"
    ]
    assert violations(graph, ["w.reports.html"], ["w.scan"], skip=[("w.util", "w.scan")]) == []


@pytest.mark.parametrize(("source", "expected"), [
    ("import typer\nfrom rich.console import Console\n", {"typer", "rich.console"}),
    ("def f():\n    from wildcli.scanning.parallel import x\n", {"wildcli.scanning.parallel"}),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from wildcli.cli import app\n", {"typing"}),
    ("from . import scan\nfrom .base import Record\n", {"wildcli.readers.scan", "wildcli.readers.base"}),
    ("from wildcli import scan, __version__\n", {"wildcli.scan", "wildcli"}),
])  # fmt: skip
def test_imports_are_read_lazy_relative_and_without_type_checking(source: str, expected: set[str]) -> None:
    known = {"wildcli", "wildcli.scan", "wildcli.readers.scan", "wildcli.readers.base"}
    assert imports_of(source, "wildcli.readers.csv_reader", package=False, known=known) == expected


def test_no_two_classes_share_a_name() -> None:
    # Two classes of one name (a Problem of lint and one of exports) make a reader guess which
    # is meant where both are imported, and hide which module a traceback or a type is from.
    where: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ClassDef):
                where.setdefault(node.name, []).append(module_name(path))
    shared = {name: modules for name, modules in where.items() if len(modules) > 1}
    assert shared == {}
