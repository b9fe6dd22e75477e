"""The contract in the repository: docs/cli.md is every command's `--help` as it is now."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _script() -> ModuleType:
    path = DOCS / "make_cli_reference.py"
    spec = importlib.util.spec_from_file_location("make_cli_reference", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_command_reference_is_up_to_date():
    written = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert written == _script().reference(), (
        "docs/cli.md is out of date: run `python docs/make_cli_reference.py`"
    )


def test_the_reference_is_what_a_user_sees_on_an_80_column_terminal():
    written = (DOCS / "cli.md").read_text(encoding="utf-8")
    for path in (("add",), ("inbox", "accept")):
        shown = subprocess.run(
            [sys.executable, "-m", "tracker", *path, "--help"],
            capture_output=True, text=True, check=True, env={**os.environ, "COLUMNS": "80"},
        ).stdout.replace("Usage: python -m tracker", "Usage: tracker")  # fmt: skip
        assert f"## tracker {' '.join(path)}\n\n```\n{shown}```" in written


def test_check_fails_on_a_stale_page_and_regenerating_mends_it(tmp_path, monkeypatch, capsys):
    script = _script()
    page = tmp_path / "cli.md"
    page.write_text("# Command reference\n\nwritten by hand\n", encoding="utf-8")
    monkeypatch.setattr(script, "REFERENCE", page)
    monkeypatch.setattr(sys, "argv", ["make_cli_reference.py", "--check"])
    assert script.main_() == 1
    assert "run python docs/make_cli_reference.py" in capsys.readouterr().err
    assert page.read_text(encoding="utf-8") == "# Command reference\n\nwritten by hand\n"
    monkeypatch.setattr(sys, "argv", ["make_cli_reference.py"])
    assert script.main_() == 0
    monkeypatch.setattr(sys, "argv", ["make_cli_reference.py", "--check"])
    assert script.main_() == 0
    assert "## tracker add\n" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["cli.md", "design.md"])
def test_docs_link_only_to_files_that_exist(name):
    import re

    text = (DOCS / name).read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
        assert (DOCS / target).exists(), f"docs/{name} links to a missing {target}"


def test_the_design_names_only_modules_that_exist():
    """design.md names modules (`tracker/ledger/chain.py`, or `chain.py` in its package's
    paragraph): a module moved or renamed without the page fails here."""
    import re

    root = DOCS.parent
    modules = [
        path.relative_to(root).as_posix()
        for folder in ("tracker", "tests", "docs", "migrations")
        for path in (root / folder).rglob("*.py")
    ]
    named = set(re.findall(r"`([\w/]+\.py)`", (DOCS / "design.md").read_text(encoding="utf-8")))
    assert named
    missing = [name for name in sorted(named) if not any(m.endswith(name) for m in modules)]
    assert not missing, f"docs/design.md names modules that do not exist: {missing}"
