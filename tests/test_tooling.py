"""The code stays ruff- and mypy --strict-clean, and the layers stay apart (ruff's banned-api)."""

from __future__ import annotations

import shutil
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


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to list the sources")
def test_core_never_imports_the_edges() -> None:
    core = ["model", "expressions", "loader", "validation", "engine", "diagnostics", "journeys", "geo", "textsafety"]
    for name in core:
        source = (REPO / "src" / "crossing" / f"{name}.py").read_text(encoding="utf-8")
        for edge in ("import rich", "from rich", "import typer", "from typer", "print(", "input(", "sys.exit"):
            assert edge not in source, f"{name}.py uses {edge!r}"
