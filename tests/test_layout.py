"""The layout is the design: packages in layers, imports running one way, no cycle.

From the bottom: `errors` and `clock`; `rules` (words, dates, the state machine); `db`
(schema, engines, migrations); `queries` (every read); `ledger` (the one write path, which
may read); the three users of those, which never import one another: `commands`, `io`,
`extract`; `claimreview` (published fact-checks, read into io's import); `inbox` (the news
watched for evidence); `render` (text, tables and report formats); `web` (the read-only
team page); and the front end, `cli`. A module imports its own package or a lower layer,
never a higher one or a sibling.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TRACKER = Path(__file__).resolve().parent.parent / "tracker"

LAYERS: list[set[str]] = [
    {"__init__", "errors", "clock"},
    {"rules"},
    {"db"},
    {"queries"},
    {"ledger"},
    {"commands", "io", "extract"},
    {"claimreview"},
    {"inbox"},
    {"render"},
    {"web"},
    {"cli"},
    {"__main__"},
]
# Imports made inside a function, outside the CLI (which keeps `--help` fast that way):
# each says what it avoids loading.
LAZY = {
    ("db.schema_gate", "db.migrate"): "Alembic, which only a migration needs",
}


def _package(module: str) -> str:
    return module.split(".")[0]


def _layer(module: str) -> int:
    package = _package(module)
    found = [i for i, layer in enumerate(LAYERS) if package in layer]
    assert found, f"tracker.{module} is in no layer: add its package to LAYERS"
    return found[0]


def _modules() -> dict[str, Path]:
    found = {}
    for path in TRACKER.rglob("*.py"):
        parts = path.relative_to(TRACKER).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(path: Path, known: set[str]) -> list[tuple[str, int, bool]]:
    """(module imported, line, inside a function) for each import of a tracker module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nested = {
        id(node)
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("tracker"):
                continue
            base = node.module.removeprefix("tracker").removeprefix(".")
            for alias in node.names:  # `from tracker.db import models` imports a module
                name = f"{base}.{alias.name}" if base else alias.name
                target = name if name in known else base
                if target:
                    found.append((target, node.lineno, id(node) in nested))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("tracker."):
                    found.append(
                        (alias.name.removeprefix("tracker."), node.lineno, id(node) in nested)
                    )
    return found


MODULES = _modules()
GRAPH = {module: _imports(path, set(MODULES)) for module, path in MODULES.items()}


def test_every_package_has_a_layer():
    for module in MODULES:
        _layer(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_down_the_layers(module):
    here = _layer(module)
    for target, line, _ in GRAPH[module]:
        there = _layer(target)
        where = f"tracker.{module} (line {line}) imports tracker.{target}"
        assert there <= here, f"{where}, a higher layer"
        if there == here and here > 0:
            assert _package(target) == _package(module), f"{where}, a sibling package"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _package(m) != "cli"))
def test_no_import_hides_inside_a_function(module):
    for target, line, nested in GRAPH[module]:
        if nested:
            assert (module, target) in LAZY, (
                f"tracker.{module} (line {line}) imports tracker.{target} inside a function: "
                "import it at the top, or say in LAZY what loading it lazily avoids"
            )


def test_no_cycle():
    edges = {m: {t for t, _, _ in GRAPH[m] if t in MODULES and t != m} for m in MODULES}
    # A package's __init__ importing its own modules is how a package is read: not a cycle
    # unless a module imports back up into it.
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycle = path[path.index(module) :] + [module]
            pytest.fail("import cycle: " + " -> ".join(f"tracker.{m}" for m in cycle))
        if module in done:
            return
        for target in sorted(edges[module]):
            visit(target, [*path, module])
        done.add(module)

    for module in sorted(MODULES):
        visit(module, [])


def test_the_wheel_lists_every_package():
    """pyproject.toml lists the packages by hand (migrations/ and seeds/ are mapped into
    the wheel): a package missing there installs a `tracker` that cannot start."""
    import tomllib

    listed = set(tomllib.loads((TRACKER.parent / "pyproject.toml").read_text())["tool"]
                 ["setuptools"]["packages"])  # fmt: skip
    on_disk = {
        "tracker." + ".".join(path.parent.relative_to(TRACKER).parts)
        for path in TRACKER.rglob("__init__.py")
        if path.parent != TRACKER
    }
    assert on_disk - listed == set(), "add these to [tool.setuptools] packages"
