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
    """The command line run in this process (Typer's CliRunner): the same arguments, input, environment
    and folder as the real command, without starting Python again. An exception that escaped the command
    is written to stderr as the real process would show it, so 'no traceback' checks still hold.
    ``run_process`` runs the real thing, for the few tests where the process itself matters."""
    import traceback

    from typer.testing import CliRunner

    from crossing.cli import app

    before = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = CliRunner().invoke(app, list(args), input=input if input is not None else "", env=env)
    finally:
        os.chdir(before)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(["crossing", *args], result.exit_code, result.stdout, stderr)


def run_process(*args: str, input: str | None = None, cwd: Path | None = None, timeout: float = 60,
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


# Places for the map tests (lat, lon), as the default story declares them.
MAP_COORDS = {
    "pyongyang": (39.02, 125.75),
    "panmunjom": (37.956, 126.677),
    "seoul": (37.566, 126.978),
    "hoeryong": (42.44, 129.75),
    "musan": (42.23, 129.23),
    "hyesan": (41.40, 128.18),
    "sinuiju": (40.10, 124.40),
    "yanji": (42.90, 129.51),
    "shenyang": (41.80, 123.43),
    "beijing": (39.90, 116.40),
    "kunming": (25.04, 102.71),
    "jinghong": (22.01, 100.80),
    "chiang-saen": (20.27, 100.08),
    "bangkok": (13.76, 100.50),
    "ulaanbaatar": (47.92, 106.92),
    "tynda": (55.15, 124.72),
    "chegdomyn": (51.12, 133.02),
    "khabarovsk": (48.48, 135.07),
    "vladivostok": (43.12, 131.89),
    "moscow": (55.76, 37.62),
}
