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


def test_ruff_is_clean() -> None:
    result = run_tool("ruff", "check", "src", "tests", "bench", "tools")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    result = run_tool("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


CORE = ["model", "expressions", "loader", "validation", "engine", "diagnostics", "journeys", "geo", "textsafety",
        "analysis", "randomruns", "graph", "persistence", "report", "guide", "transcript", "storecache", "atomic", "files",
        "paths", "schema"]


@pytest.mark.parametrize("name", CORE)
def test_core_never_imports_the_edges(name: str) -> None:
    source = (REPO / "src" / "crossing" / f"{name}.py").read_text(encoding="utf-8")
    for edge in (r"^\s*(import|from) rich\b", r"^\s*(import|from) typer\b", r"(?<![\w.])print\(", r"(?<![\w.])input\(", r"\bsys\.exit\b"):
        assert not re.search(edge, source, re.M), f"{name}.py matches {edge!r}"
