"""The import rule of ARCHITECTURE.md, read from the source: stages import only earlier layers, no cycles."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent

# Each top-level package's layer. A package may import its own layer's foundations and any lower layer;
# the stages are ordered as data flows, so a stage never imports a later stage, `pipeline`, `jobs`,
# `web` or the entry points.
LAYERS: dict[str, int] = {
    **dict.fromkeys(["text", "urls", "settings", "log", "models", "heartbeat"], 0),
    "sources": 1,
    "fetch": 2,
    "extract": 3,
    "enrich": 4,
    "stories": 5,
    "ai": 6,
    "store": 7,
    "pipeline": 8,
    "jobs": 9,
    "web": 10,
    **dict.fromkeys(["cli", "demo", "bench", "training", "testing", "__main__"], 11),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def production_modules() -> dict[str, Path]:
    return {
        module_name(p): p
        for p in PACKAGE.rglob("*.py")
        if not p.name.startswith("test_") and p.name != "conftest.py"
    }


def type_checking_nodes(tree: ast.Module) -> set[int]:
    """Nodes inside `if TYPE_CHECKING:` blocks: imports for annotations only, never run."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            inside.update(id(n) for n in ast.walk(node))
    return inside


def imported_modules(path: Path, known: dict[str, Path]) -> set[str]:
    """The newsdesk modules a module imports when it runs, function-level imports included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = type_checking_nodes(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in known else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in known}


def import_graph() -> dict[str, set[str]]:
    known = production_modules()
    return {name: imported_modules(path, known) - {name} for name, path in known.items()}


def top_package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_every_package_has_a_layer() -> None:
    packages = {top_package(m) for m in production_modules()} - {"__init__"}
    assert packages <= set(LAYERS), f"give these packages a layer: {sorted(packages - set(LAYERS))}"


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    """Imports against the rule: of a later layer, or across packages of one stage layer."""
    broken = []
    for module, imports in graph.items():
        here = top_package(module)
        for imported in imports:
            there = top_package(imported)
            if here not in LAYERS or there not in LAYERS or here == there:
                continue
            if LAYERS[there] > LAYERS[here]:
                broken.append(f"{module} imports {imported}")
    return sorted(broken)


def test_no_module_imports_a_later_layer() -> None:
    assert not layer_violations(import_graph())


def test_no_import_cycles() -> None:
    assert not cycles(import_graph())


def test_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert not cycles({"a": {"b"}, "b": set()})


def test_rule_catches_a_stage_importing_a_later_one() -> None:
    graph = {
        "newsdesk.extract.html": {"newsdesk.stories.model", "newsdesk.text.words"},
        "newsdesk.enrich.facts.numbers": {"newsdesk.pipeline.ingest"},
        "newsdesk.web.app": {"newsdesk.pipeline.ingest", "newsdesk.store.db"},
    }
    assert layer_violations(graph) == [
        "newsdesk.enrich.facts.numbers imports newsdesk.pipeline.ingest",
        "newsdesk.extract.html imports newsdesk.stories.model",
    ]
