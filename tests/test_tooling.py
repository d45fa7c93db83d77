"""The code stays ruff- and mypy --strict-clean, and the layers stay apart (ruff's banned-api)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_ruff_is_clean() -> None:
    result = run_tool("ruff", "check", "src", "tests", "bench", "tools")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_strict_is_clean() -> None:
    result = run_tool("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


PACKAGE = REPO / "src" / "crossing"
# The edges, by path: Rich renders under render/, the terminal play loop is session.py, Typer lives under
# cli/, and the browser classroom under serve/. Every other module is the core, whatever its name: a new
# module is checked the day it is written.
EDGES = ("render/*", "cli/*", "serve/*", "session.py", "__main__.py")
CORE = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
              if not any(p.relative_to(PACKAGE).match(pattern) for pattern in EDGES))


def test_the_core_is_found_by_path() -> None:
    assert {"model.py", "engine.py", "loader/_build.py", "telling.py"} <= set(CORE)
    assert not any(name.startswith(("render/", "cli/")) for name in CORE)


@pytest.mark.parametrize("name", CORE)
def test_core_never_imports_the_edges(name: str) -> None:
    source = (PACKAGE / name).read_text(encoding="utf-8")
    for edge in (r"^\s*(import|from) rich\b", r"^\s*(import|from) typer\b", r"(?<![\w.])print\(", r"(?<![\w.])input\(",
                 r"\bsys\.exit\b"):
        assert not re.search(edge, source, re.M), f"{name} matches {edge!r}"
