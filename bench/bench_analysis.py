#!/usr/bin/env python3
"""Benchmark random runs and exact analysis on generated stories; print a Markdown table.

usage: python bench/bench_analysis.py [--repeat N] [--output FILE] [--synth PATH] [--compare SRC]

Generates the 100-, 1,000- and 10,000-node synthetic stories (seed 1) with the shared generator, then
times each command as a separate process (median of N runs), with its CPU time and peak memory taken
from that child's own rusage (os.wait4). Baselines measured in the same run: `python -c pass` (interpreter
start-up) and parsing the same YAML files with PyYAML's C loader in a fresh process.

With --compare SRC (the src folder of another checkout, e.g. the commit before a change), every
`crossing` command is also timed with that code, interleaved run by run with this one (so a change in
the machine's load hits both alike), and the table gives the ratio of CPU medians, after / before.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SYNTH = Path(__file__).resolve().parent / "synth_story.py"
SIZES = (100, 1_000, 10_000)

# In one process: validate_path with and without the ending-never-reached lint, against the C parse.
LINT_COST = """
import sys, time, pathlib, statistics, yaml
from crossing import validation
path = pathlib.Path(sys.argv[1]); repeat = int(sys.argv[2])
lint = validation.never_reached_endings
def parse():
    for f in sorted(path.rglob('*.yaml')):
        yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)
def timed(fn):
    t = time.process_time(); fn(); return time.process_time() - t
validation.validate_path(path)  # imports and first-call costs out of the way
times = {'parse': [], 'with': [], 'without': []}
for _ in range(max(repeat, 9)):  # interleaved, so load changes hit all three alike
    times['parse'].append(timed(parse))
    validation.never_reached_endings = lint
    times['with'].append(timed(lambda: validation.validate_path(path)))
    validation.never_reached_endings = lambda story: []
    times['without'].append(timed(lambda: validation.validate_path(path)))
print(*(statistics.median(times[k]) for k in ('parse', 'with', 'without')))
"""

YAML_PARSE = """
import sys, pathlib, yaml
for path in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


@dataclass
class Measure:
    name: str
    wall: list[float]
    cpu: list[float]
    peak_mb: float
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


def run_once(cmd: list[str], capture: bool = False, src: str | None = None) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds, peak RSS in MB, stdout) of one child process, from its own rusage;
    ``src`` runs it with that source folder first on PYTHONPATH. Exit 1 counts (a story with errors);
    the codes seen are kept in EXIT_CODES."""
    env = {**os.environ, "PYTHONPATH": src} if src else None
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE if capture else subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env)
    out = proc.stdout.read().decode() if capture and proc.stdout is not None else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    EXIT_CODES.setdefault(src, set()).add(proc.returncode)
    err = proc.stderr.read().decode() if proc.stderr is not None else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


# Set by --compare: the other source folder, and each case's measure with it (by name).
COMPARE: dict[str, str] = {}
BEFORE: dict[str, Measure] = {}
EXIT_CODES: dict[str | None, set[int]] = {}  # by source folder (None: this one), of the runs since last cleared


def measure(name: str, cmd: list[str], repeat: int, note: str = "") -> Measure:
    """Median of ``repeat`` runs; with --compare, the other code's runs interleaved with these."""
    other = COMPARE.get("src") if cmd[1:3] == ["-m", "crossing"] else None
    runs: dict[str | None, tuple[list[float], list[float], list[float]]] = {None: ([], [], []), other: ([], [], [])}
    EXIT_CODES.clear()
    for i in range(repeat):
        for src in ((None, other) if i % 2 == 0 else (other, None)) if other else (None,):
            wall, cpu, mb, _ = run_once(cmd, src=src)
            runs[src][0].append(wall)
            runs[src][1].append(cpu)
            runs[src][2].append(mb)
    if other and EXIT_CODES.get(other, set()) <= EXIT_CODES.get(None, set()):
        walls, cpus, mbs = runs[other]
        BEFORE[name] = Measure(name, walls, cpus, max(mbs))
    elif other:  # the older code failed where this one did not (it cannot read the story): no ratio
        print(f"{name}: not compared, the code before exits {sorted(EXIT_CODES.get(other, set()))}", file=sys.stderr)
    walls, cpus, mbs = runs[None]
    return Measure(name, walls, cpus, max(mbs), note)


def machine() -> list[str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return [
        f"- CPUs (nproc): {os.cpu_count()}",
        f"- CPU model: {model}",
        f"- Python: {platform.python_version()} ({platform.python_implementation()}), {platform.system()} {platform.release()}",
        f"- Load average when the run started (1, 5, 15 min): {load}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each command (the median is reported)")
    parser.add_argument("--output", type=Path, help="also write the Markdown to this file")
    parser.add_argument("--synth", type=Path, default=SYNTH, help="the story generator")
    parser.add_argument("--compare", type=Path, help="another checkout's src folder, timed interleaved with this one")
    args = parser.parse_args()
    if args.compare:
        COMPARE["src"] = str(args.compare.resolve())
    py = sys.executable
    crossing = [py, "-m", "crossing"]
    lines = ["## Machine", "", *machine(), "", f"Each figure is the median of {args.repeat} runs of a fresh process.", ""]
    with tempfile.TemporaryDirectory(prefix="crossing-bench-") as tmp:
        stories = {}
        for n in SIZES:
            stories[n] = Path(tmp) / f"synth-{n}"
            subprocess.run([py, str(args.synth), str(stories[n]), str(n), "--seed", "1"], check=True)
        results: list[Measure] = []
        startup = measure("`python -c pass` (baseline)", [py, "-c", "pass"], args.repeat)
        results.append(startup)
        cli = measure("`crossing --help` (CLI start-up, baseline)", [*crossing, "--help"], args.repeat)
        results.append(cli)
        parse = {n: measure(f"PyYAML C parse, {n:,} nodes (baseline)", [py, "-c", YAML_PARSE, str(stories[n])], args.repeat)
                 for n in SIZES}
        results.extend(parse.values())
        stats = measure("`crossing stats --runs 10000`, 100 nodes",
                        [*crossing, "stats", str(stories[100]), "--runs", "10000", "--seed", "1", "--json"], args.repeat)
        results.append(stats)
        analyses: dict[int, Measure] = {}
        for n in SIZES:
            _, _, _, out = run_once([*crossing, "analyze", str(stories[n]), "--json"], capture=True)
            data = json.loads(out)
            note = (f"exact: {data['states']:,} states, {data['classes']:,} classes" if data["exact"]
                    else f"fallback: sampled {data['runs']:,} runs, ±{100 * data['margin']:.2f} pts (95%)")
            analyses[n] = measure(f"`crossing analyze`, {n:,} nodes", [*crossing, "analyze", str(stories[n]), "--json"],
                                  args.repeat, note)
            results.append(analyses[n])
        # the 1,000-node story with a "go back to the start" choice in every scene: one big loop
        looped = Path(tmp) / "synth-1000-looped"
        shutil.copytree(stories[1_000], looped)
        meta = looped / "story.yaml"
        meta.write_text(meta.read_text().replace("  health: 3\n", "  health: {value: 3, min: 0}\n"))
        for part in looped.glob("part*.yaml"):
            part.write_text(part.read_text().replace(
                "    choices:\n", '    choices:\n      - text: "Go back to the start"\n        goto: n0\n'))
        _, _, _, out = run_once([*crossing, "analyze", str(looped), "--json"], capture=True)
        data = json.loads(out)
        note = (f"exact: {data['states']:,} states in loops; best/worst "
                f"{'per ending' if data['strategies_per_ending'] else 'per kind only'}")
        results.append(measure("`crossing analyze`, 1,000 nodes, every scene loops back to the start",
                               [*crossing, "analyze", str(looped), "--json"], args.repeat, note))
        default_story = Path(__file__).resolve().parents[1] / "story"
        if (default_story / "story.yaml").is_file():
            _, _, _, out = run_once([*crossing, "analyze", str(default_story), "--json"], capture=True)
            if out.strip():
                data = json.loads(out)
                note = (f"exact: {data['states']:,} states, {data['classes']:,} classes" if data["exact"]
                        else f"fallback: sampled {data['runs']:,} runs")
                results.append(measure("`crossing analyze`, the default story (for reference)",
                                       [*crossing, "analyze", str(default_story), "--json"], args.repeat, note))
        validates = {n: measure(f"`crossing validate`, {n:,} nodes", [*crossing, "validate", str(stories[n])], args.repeat)
                     for n in SIZES[1:]}
        results.extend(validates.values())
        lint = {}
        for n in SIZES[1:]:
            _, _, _, out = run_once([py, "-c", LINT_COST, str(stories[n]), str(args.repeat)], capture=True)
            lint[n] = [float(x) for x in out.split()]

    lines += ["## Results", "",
              "| case | wall median (s) | CPU median (s) | min-max wall (s) | peak RSS (MB) | notes |",
              "|---|---:|---:|---:|---:|---|"]
    for m in results:
        lines.append(f"| {m.name} | {m.median:.3f} | {m.cpu_median:.3f} | {min(m.wall):.3f}-{max(m.wall):.3f} "
                     f"| {m.peak_mb:.0f} | {m.note} |")
    if BEFORE:
        lines += ["", f"## Against {COMPARE['src']} (interleaved, CPU medians)", "",
                  "| case | before (s) | after (s) | after / before | peak RSS before / after (MB) |",
                  "|---|---:|---:|---:|---:|"]
        for m in results:
            b = BEFORE.get(m.name)
            if b is not None:
                lines.append(f"| {m.name} | {b.cpu_median:.3f} | {m.cpu_median:.3f} | {m.cpu_median / b.cpu_median:.2f}x "
                             f"| {b.peak_mb:.0f} / {m.peak_mb:.0f} |")
    base = startup.cpu_median
    lines += ["", "## Ratios (CPU medians)", ""]
    lines.append(f"- stats, 10,000 runs on 100 nodes: {stats.cpu_median:.3f} s, {stats.cpu_median / base:.1f}x interpreter "
                 f"start-up, {stats.cpu_median / cli.cpu_median:.1f}x `crossing --help`; "
                 f"{stats.cpu_median - cli.cpu_median:.3f} s above the CLI start-up (loading the story and 10,000 runs)")
    for n in SIZES:
        lines.append(f"- analyze, {n:,} nodes: {analyses[n].cpu_median:.3f} s = {analyses[n].cpu_median / parse[n].cpu_median:.1f}x "
                     f"parsing its YAML ({parse[n].cpu_median:.3f} s)")
    for n, m in validates.items():
        lines.append(f"- validate, {n:,} nodes: {m.cpu_median / parse[n].cpu_median:.2f}x parsing its YAML "
                     f"(wall {m.median / parse[n].median:.2f}x)")
    for n, (yaml_s, with_lint, without) in lint.items():
        lines.append(f"- in one process, {n:,} nodes: C parse {yaml_s:.3f} s, validate_path {with_lint:.3f} s "
                     f"({with_lint / yaml_s:.2f}x) with the ending-never-reached lint, {without:.3f} s "
                     f"({without / yaml_s:.2f}x) without it: the lint costs {with_lint - without:+.3f} s")
    a = [analyses[n].cpu_median for n in SIZES]
    lines.append(f"- growth of analyze: 100 -> 1,000 nodes x{a[1] / a[0]:.1f}, 1,000 -> 10,000 nodes x{a[2] / a[1]:.1f}")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
