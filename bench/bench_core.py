#!/usr/bin/env python3
"""Benchmarks for the foundation: start-up, validation against a bare PyYAML parse, time to first scene.

usage: python bench/bench_core.py [--repeat N] [--out FILE]

Everything is measured in this one run on this machine, as medians of N runs of a fresh process, and
quoted as ratios against a baseline measured alongside it:
- `crossing --help`                      vs a bare Typer hello-world app's `--help`;
- `crossing validate` (1,000 / 10,000)   vs a process that only parses the same files with PyYAML's C loader
                                          (time and peak memory), plus the same comparison in-process;
- launch to the first scene of `crossing play` on the default story vs the hello-world app's `--help`.
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


def median_time(cmd: list[str], repeat: int, stdin: str | None = None) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def first_scene_time(repeat: int, cold: bool) -> float:
    """Launch to the first scene: play with input that ends at once, so the run stops at the first prompt.

    Warm: the checked-story cache is filled (every start after the first). Cold: an empty cache each time,
    so the story is parsed and validated as on the very first start.
    """
    times = []
    for _ in range(repeat):
        env = dict(os.environ)
        if cold:
            env["CROSSING_CACHE_DIR"] = tempfile.mkdtemp(prefix="crossing-cold-")
        start = time.perf_counter()
        # Timed until the first scene is on screen: what a student waits for (the process then ends on EOF).
        proc = subprocess.Popen([PY, "-m", "crossing", "play", "--plain", "--seed", "1"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        assert proc.stdout is not None and proc.stdin is not None
        seen = b""
        while b"What do you do?" not in seen:  # the heading above the choices: the scene is on screen
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            seen += chunk
        times.append(time.perf_counter() - start)
        proc.communicate(b"")  # end of input: the run stops and saves nothing
    return statistics.median(times)


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
    parser.add_argument("--repeat", type=int, default=7)
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

    rows = []
    hello_help = median_time([PY, str(hello), "--help"], args.repeat)
    crossing_help = median_time([PY, "-m", "crossing", "--help"], args.repeat)
    rows.append(("`crossing --help`", crossing_help, "Typer hello-world `--help`", hello_help))
    first_scene_time(1, cold=False)  # fill the cache once
    rows.append(("`crossing play` to first scene, default story (warm cache)", first_scene_time(args.repeat, cold=False),
                 "Typer hello-world `--help`", hello_help))
    rows.append(("`crossing play` to first scene, default story (cold: empty cache)", first_scene_time(args.repeat, cold=True),
                 "Typer hello-world `--help`", hello_help))
    memory = []
    for size, story in stories.items():
        base = median_time([PY, str(parse_only), str(story)], args.repeat)
        ours = median_time([PY, "-m", "crossing", "validate", str(story)], args.repeat)
        rows.append((f"`crossing validate` {size:,} nodes (process)", ours, "PyYAML C loader parse (process)", base))
        parse, validate = in_process(story, args.repeat)
        rows.append((f"validate_path() {size:,} nodes (in-process)", validate, "yaml.load CSafeLoader (in-process)", parse))
        memory.append((size, peak_kib([PY, "-m", "crossing", "validate", str(story)]), peak_kib([PY, str(parse_only), str(story)])))

    lines = [
        f"Machine: {machine()}",
        f"Medians of {args.repeat} runs, all measured in the same run.",
        "",
        "| measurement | median (s) | baseline | baseline median (s) | ratio |",
        "|---|---:|---|---:|---:|",
    ]
    for name, value, base_name, base in rows:
        lines.append(f"| {name} | {value:.3f} | {base_name} | {base:.3f} | {value / base:.2f}x |")
    lines += ["", "| story | peak RSS validate (MiB) | peak RSS parse only (MiB) | ratio |", "|---|---:|---:|---:|"]
    for size, ours_kib, base_kib in memory:
        lines.append(f"| {size:,} nodes | {ours_kib / 1024:.1f} | {base_kib / 1024:.1f} | {ours_kib / base_kib:.2f}x |")
    report = "\n".join(lines)
    print(report)
    if args.out:
        args.out.write_text(report + "\n")


if __name__ == "__main__":
    main()
