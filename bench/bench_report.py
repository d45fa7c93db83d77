#!/usr/bin/env python3
"""Benchmark for `crossing report` on a year of a school's classes: 5,000 transcripts of the default story.

usage: python bench/bench_report.py [--count N] [--repeat R]

Each measurement runs in a fresh process (median of R), against a baseline measured in the same run on the
same files: a process that only json.load()s every transcript. Measured: wall time and peak memory (max
RSS) of
- the baseline (read and json.load each file),
- the report as `crossing report DIR -o FILE.json` (the whole command: start-up, loading the story,
  reading, checking and counting every transcript, random-play odds, writing the report), after one
  report has warmed the caches a teacher's machine keeps (the checked story, the random-play odds).
Transcripts are random runs of the default story written by the real transcript writer (seeded).
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable

BASELINE = """\
import json, pathlib, sys
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.json")):
    with open(path, encoding="utf-8") as handle:
        json.load(handle)
"""

MEASURE = """\
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
elapsed = time.perf_counter() - start
if done.returncode:
    sys.exit(done.stderr.decode()[-2000:])
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def make_transcripts(folder: Path, count: int) -> None:
    """Random runs of the default story, recorded as the transcript writer records them (one write per
    file: the writer's write after every step, with its fsync, is not what is measured here)."""
    sys.path.insert(0, str(REPO / "src"))
    from crossing.engine import Engine
    from crossing.loader import load_story
    from crossing.paths import default_story_path
    from crossing.transcript import Transcript

    story = load_story(default_story_path()).story
    assert story is not None
    for n in range(count):
        engine = Engine(story, n)
        dice = random.Random(n * 7919)
        transcript = Transcript.begin(story, n, name=f"student {n % 31}")
        transcript.record_scene(engine)
        for _ in range(60):  # a lesson: an ending, or the bell after about an hour of choices
            if engine.finished:
                transcript.record_ending(engine)
                break
            step = engine.choose(dice.randint(1, len(engine.offered())))
            transcript.record_step(engine, step, narration=engine.narration(step, False))
            transcript.record_scene(engine)
        (folder / f"s{n:05d}.json").write_text(transcript.to_json(), encoding="utf-8")


def measure(args: list[str], repeat: int, env: dict[str, str]) -> tuple[float, float]:
    times, peaks = [], []
    for _ in range(repeat):
        done = subprocess.run([PY, "-c", MEASURE, *args], capture_output=True, text=True, env=env)
        if done.returncode:
            raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr}")
        out = done.stdout.split()
        times.append(float(out[0]))
        peaks.append(float(out[1]))
    return statistics.median(times), statistics.median(peaks)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    import os

    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "transcripts"
        folder.mkdir()
        env["CROSSING_DATA_DIR"] = str(Path(tmp) / "data")
        env["CROSSING_CACHE_DIR"] = str(Path(tmp) / "cache")
        make_transcripts(folder, options.count)
        size = sum(p.stat().st_size for p in folder.iterdir())
        # Warm the caches a teacher's machine has after the first report: the checked story and the random-play odds.
        subprocess.run([PY, "-m", "crossing", "report", str(folder), "-o", str(Path(tmp) / "warm.json")], env=env,
                       capture_output=True, check=True)
        base = measure([PY, "-c", BASELINE, str(folder)], options.repeat, env)
        full = measure([PY, "-m", "crossing", "report", str(folder), "-o", str(Path(tmp) / "r.json")], options.repeat, env)
    print(f"{options.count} transcripts, {size / 1e6:.1f} MB, median of {options.repeat} fresh processes")
    print("| measurement | time (s) | peak memory (MB) |")
    print("|---|---:|---:|")
    print(f"| json.load of every file (baseline) | {base[0]:.2f} | {base[1]:.0f} |")
    print(f"| `crossing report DIR -o r.json` | {full[0]:.2f} | {full[1]:.0f} |")
    print(f"| ratio | {full[0] / base[0]:.2f}x | {full[1] / base[1]:.2f}x |")


if __name__ == "__main__":
    main()
