"""The floors hold: no area cycles, a pure method, no test code in the app, small modules."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "assessments")
MAX_LINES = 550


def _modules() -> dict[str, Path]:
    """Every module of the app and the method, by dotted name."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[str]:
    """Dotted names a module imports, anywhere in it (lazy imports in functions count too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            # `from app.candidates import streams` imports the module app.candidates.streams.
            yield from (
                f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in MODULES
            )


# Packages of app/ that are floors under the areas, not areas.
FLOORS = frozenset({"models"})


def _area(module: str) -> str | None:
    """`candidates` for app.candidates.anything; None outside the area packages."""
    parts = module.split(".")
    if (
        len(parts) >= 2
        and parts[0] == "app"
        and parts[1] not in FLOORS
        and (ROOT / "app" / parts[1]).is_dir()
    ):
        return parts[1]
    return None


def _area_graph() -> dict[str, dict[str, set[str]]]:
    """area -> imported area -> the modules that make the import."""
    graph: dict[str, dict[str, set[str]]] = {}
    for name, path in MODULES.items():
        source = _area(name)
        if source is None:
            continue
        graph.setdefault(source, {})
        for imported in _imports(name, path):
            target = _area(imported)
            if target is not None and target != source:
                graph[source].setdefault(target, set()).add(name)
    return graph


def _cycles(graph: dict[str, dict[str, set[str]]]) -> list[list[str]]:
    """Strongly connected groups of more than one area (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_import_cycle_between_areas() -> None:
    graph = _area_graph()
    problems = []
    for group in _cycles(graph):
        edges = [
            f"  {a} -> {b} (in {', '.join(sorted(graph[a][b]))})"
            for a in group
            for b in sorted(graph[a])
            if b in group
        ]
        problems.append(f"cycle {' / '.join(group)}:\n" + "\n".join(edges))
    assert not problems, "Areas import each other:\n" + "\n".join(problems)


def test_the_method_imports_no_web_or_database_code() -> None:
    forbidden = ("flask", "flask_", "sqlalchemy", "werkzeug", "app")
    offenders = sorted(
        f"{name} imports {imported}"
        for name, path in MODULES.items()
        if name.startswith("assessments")
        for imported in _imports(name, path)
        if imported.split(".")[0] in forbidden or imported.startswith("flask_")
    )
    assert not offenders, "assessments/ must stay pure:\n" + "\n".join(offenders)


def test_the_app_imports_no_tests_or_benchmarks() -> None:
    offenders = sorted(
        f"{name} imports {imported}"
        for name, path in MODULES.items()
        if name.startswith("app")
        for imported in _imports(name, path)
        if imported.split(".")[0] in ("tests", "benchmarks") or "benchmark" in imported
    )
    assert not offenders, "app/ imports test or benchmark code:\n" + "\n".join(offenders)


def test_the_registries_and_models_import_no_area() -> None:
    low = [name for name in MODULES if name.startswith("app.models")]
    offenders = sorted(
        f"{name} imports {imported}"
        for name in ("app.sections", "app.steps", *low)
        for imported in _imports(name, MODULES[name])
        if _area(imported) is not None
    )
    assert not offenders, "The registries are a low floor areas build on:\n" + "\n".join(offenders)


def _long_modules() -> list[str]:
    rows = []
    for path in MODULES.values():
        relative = path.relative_to(ROOT).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            rows.append(f"  {relative}: {lines} lines")
    return sorted(rows)


def test_no_module_is_over_the_line_limit() -> None:
    offenders = _long_modules()
    assert not offenders, f"Split by concern (limit {MAX_LINES}):\n" + "\n".join(offenders)
