"""Small helpers shared by the tests: writing story folders, running the real command."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

BASE_META = """\
title: Test story
start: start
variables:
  money: 100
  papers: false
  name: "x"
sources:
  src:
    title: A source
    publisher: A publisher
    year: 2020
"""


def write_story(root: Path, files: dict[str, str]) -> Path:
    """Write each file (dedented) under root; returns root."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def run_crossing(*args: str, input: str | None = None, cwd: Path | None = None, timeout: float = 60,
                 env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command line as a player would (python -m crossing == the console script)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "crossing", *args],
        input=input if input is not None else "",
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        env=full_env,
    )
