#!/usr/bin/env python3
"""Benchmarks for the foundation: start-up, validation against a bare PyYAML parse, time to first scene.

usage: python bench/bench_core.py [--repeat N] [--out FILE]

Everything is measured in this one run on this machine, as medians of N runs of a fresh process, and
quoted as ratios against a baseline measured alongside it:
- `crossing --help`                      vs a bare Typer hello-world app's `--help`;
- `crossing validate` (1,000 / 10,000)   vs a process that only parses the same files with PyYAML's C loader
                                          (time and peak memory), plus the same comparison in-process;
- `crossing play` on the default story, as a whole process whose input ends at once (what issue 10
  measures), and until its first scene is on screen, vs the hello-world app's `--help`.
Run it with the Python of a virtual environment made by `pip install .` alone (PYTHONPATH=src for a
checkout): the test tools install attrs, which Rich imports when Typer formats help, and that slows the
hello-world baseline. Each measurement alternates run by run with its baseline, so a change in the machine's load hits both
alike; wall time and CPU time (the child's own, from wait4) are both given.
Stories come from bench/synth_story.py (seed 1).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SYNTH = REPO / "bench" / "synth_story.py"
PY = sys.executable

HELLO = """\
import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    print(f"Hello {name}")


app()
"""

PARSE_ONLY = """\
import sys, pathlib, yaml
root = pathlib.Path(sys.argv[1])
for path in sorted(root.rglob("*.yaml")):
    with open(path, encoding="utf-8") as handle:
        yaml.load(handle, Loader=yaml.CSafeLoader)
"""


def peak_kib(cmd: list[str]) -> int:
    """Peak RSS of a command, from /usr/bin/time when present, else from a wait4 in a child."""
    code = (
        "import os,sys,resource\n"
        "pid=os.fork()\n"
        "if pid==0:\n    os.execvp(sys.argv[1], sys.argv[1:])\n"
        "_,_,ru=os.wait4(pid,0)\nprint(ru.ru_maxrss)\n"
    )
    out = subprocess.run([PY, "-c", code, *cmd], capture_output=True, text=True, check=False)
    return int(out.stdout.strip().splitlines()[-1])


@dataclass
class Timing:
    """One kind of run, repeated: wall seconds and CPU seconds (the child's own user + system time)."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def median(self) -> tuple[float, float]:
        return statistics.median(self.wall), statistics.median(self.cpu)


def whole_process(cmd: list[str], stdin: bytes = b"", env: dict[str, str] | None = None) -> tuple[float, float]:
    """A process run to its end, its input ending at once: wall time, and its CPU time from wait4."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdin is not None
    proc.stdin.write(stdin)
    proc.stdin.close()
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def until_first_scene(env: dict[str, str] | None = None) -> tuple[float, float]:
    """Launch to the first scene on screen (the heading above the choices); then input ends and the run
    stops. CPU time is the whole process's."""
    start = time.perf_counter()
    proc = subprocess.Popen([PY, "-m", "crossing", "play", "--plain", "--seed", "1"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None and proc.stdin is not None
    seen = b""
    while b"What do you do?" not in seen:
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            break
        seen += chunk
    wall = time.perf_counter() - start
    proc.stdin.close()
    proc.stdout.read()
    _, _, usage = os.wait4(proc.pid, 0)
    return wall, usage.ru_utime + usage.ru_stime


def paired(ours: Callable[[], tuple[float, float]], base: Callable[[], tuple[float, float]],
           repeat: int) -> tuple[Timing, Timing]:
    """Both measured alternately, run by run, so a change in the machine's load hits both alike."""
    ours(), base()  # the file cache warm for both
    mine, theirs = Timing(), Timing()
    for _ in range(repeat):
        for timing, run in ((mine, ours), (theirs, base)):
            wall, cpu = run()
            timing.wall.append(wall)
            timing.cpu.append(cpu)
    return mine, theirs


def cold_env() -> dict[str, str]:
    return {**os.environ, "CROSSING_CACHE_DIR": tempfile.mkdtemp(prefix="crossing-cold-")}


def in_process(story: Path, repeat: int) -> tuple[float, float]:
    import yaml

    from crossing.validation import validate_path

    files = sorted(story.rglob("*.yaml"))

    def parse() -> None:
        for path in files:
            with open(path, encoding="utf-8") as handle:
                yaml.load(handle, Loader=yaml.CSafeLoader)

    def timed(fn: object) -> float:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()  # type: ignore[operator]
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    return timed(parse), timed(lambda: validate_path(story))


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    # An installed package has its bytecode compiled by pip; a checkout may not (PYTHONDONTWRITEBYTECODE),
    # so compile it here, or every start would be measured compiling Crossing from source.
    import compileall

    import crossing

    compileall.compile_dir(str(Path(crossing.__file__).parent), quiet=1)
    work = Path(tempfile.mkdtemp(prefix="crossing-bench-"))
    os.environ["CROSSING_DATA_DIR"] = str(work / "data")  # keep the runs' saves out of the user's folder
    os.environ["CROSSING_CACHE_DIR"] = str(work / "cache")
    hello = work / "hello.py"
    hello.write_text(HELLO)
    parse_only = work / "parse_only.py"
    parse_only.write_text(PARSE_ONLY)
    stories = {}
    for size in (1000, 10000):
        stories[size] = work / f"synth{size}"
        subprocess.run([PY, str(SYNTH), str(stories[size]), str(size), "--seed", "1"], check=True)

    hello_help = lambda: whole_process([PY, str(hello), "--help"])  # noqa: E731
    play = [PY, "-m", "crossing", "play", "--plain", "--seed", "1"]
    rows: list[tuple[str, Timing, str, Timing]] = []
    cases: list[tuple[str, Callable[[], tuple[float, float]], str, Callable[[], tuple[float, float]]]] = [
        ("`crossing --help`", lambda: whole_process([PY, "-m", "crossing", "--help"]),
         "Typer hello-world `--help`", hello_help),
        ("`crossing play`, default story, run to end of input (warm cache)", lambda: whole_process(play),
         "Typer hello-world `--help`", hello_help),
        ("`crossing play` until the first scene is on screen (warm cache)", until_first_scene,
         "Typer hello-world `--help`", hello_help),
        ("`crossing play`, run to end of input (cold: empty cache)", lambda: whole_process(play, env=cold_env()),
         "Typer hello-world `--help`", hello_help),
    ]
    for size, story in stories.items():
        cases.append((f"`crossing validate` {size:,} nodes (process, warm cache)",
                      lambda story=story: whole_process([PY, "-m", "crossing", "validate", str(story)]),  # type: ignore[misc]
                      "PyYAML C loader parse (process)",
                      lambda story=story: whole_process([PY, str(parse_only), str(story)])))  # type: ignore[misc]
    cases.append(("`crossing validate` 1,000 nodes (process, cold: empty cache)",
                  lambda: whole_process([PY, "-m", "crossing", "validate", str(stories[1000])], env=cold_env()),
                  "PyYAML C loader parse (process)", lambda: whole_process([PY, str(parse_only), str(stories[1000])])))
    for name, ours, base_name, base in cases:
        mine, theirs = paired(ours, base, args.repeat)
        rows.append((name, mine, base_name, theirs))
    in_process_rows = []
    memory = []
    for size, story in stories.items():
        parse, validate = in_process(story, args.repeat)
        in_process_rows.append((f"validate_path() {size:,} nodes (in-process)", validate, parse))
        memory.append((size, peak_kib([PY, "-m", "crossing", "validate", str(story)]), peak_kib([PY, str(parse_only), str(story)])))

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        f"Machine: {machine()}; load average {load:.2f} at the end",
        f"Medians of {args.repeat} runs of each, measured alternately with their baseline in the same run.",
        "",
        "| measurement | wall (s) | CPU (s) | baseline | wall (s) | CPU (s) | ratio wall | ratio CPU |",
        "|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    for name, mine, base_name, theirs in rows:
        (w, c), (bw, bc) = mine.median(), theirs.median()
        lines.append(f"| {name} | {w:.3f} | {c:.3f} | {base_name} | {bw:.3f} | {bc:.3f} | {w / bw:.2f}x | {c / bc:.2f}x |")
    lines += ["", "| in one process | median (s) | yaml.load CSafeLoader (s) | ratio |", "|---|---:|---:|---:|"]
    for name, value, base in in_process_rows:
        lines.append(f"| {name} | {value:.3f} | {base:.3f} | {value / base:.2f}x |")
    lines += ["", "| story | peak RSS validate (MiB) | peak RSS parse only (MiB) | ratio |", "|---|---:|---:|---:|"]
    for size, ours_kib, base_kib in memory:
        lines.append(f"| {size:,} nodes | {ours_kib / 1024:.1f} | {base_kib / 1024:.1f} | {ours_kib / base_kib:.2f}x |")
    report = "\n".join(lines)
    print(report)
    if args.out:
        args.out.write_text(report + "\n")


if __name__ == "__main__":
    main()
