#!/usr/bin/env python3
"""Exact analysis and random runs of two versions of Crossing in one process, interleaved round by round.

usage: python bench/bench_inprocess.py BEFORE_SRC [--rounds N] [--nodes 1000] [--runs-nodes 100] [--cached]

Both versions are imported into this one process: each keeps its own ``crossing`` modules, put back in
sys.modules before each of its calls (so its lazy imports find its own code). Each round times, in
CPU seconds (time.process_time), ``analyze`` on the synthetic story (seed 1) and ``run_many`` of
10,000 runs on the smaller one, for the version before and this one alternately (the first to go
alternates too), so a change of load hits both alike. Prints medians, minima and after / before.

--cached: this version analyzes the story as the checked-story cache gives it back (expressions
rebuilt from their trees, as `crossing analyze` gets it from the second run on), not as the loader
builds it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
SYNTH = HERE / "synth_story.py"


def _crossing_modules() -> dict[str, ModuleType]:
    return {k: m for k, m in sys.modules.items() if k == "crossing" or k.startswith("crossing.")}


def _uninstall() -> None:
    for k in list(_crossing_modules()):
        del sys.modules[k]


class Version:
    """One checkout's crossing package, kept apart from the other's."""

    def __init__(self, src: Path) -> None:
        _uninstall()
        sys.path.insert(0, str(src))
        try:
            import crossing.analysis
            import crossing.loader
            import crossing.randomruns

            self.loader: Any = crossing.loader
            self.analysis: Any = crossing.analysis
            self.randomruns: Any = crossing.randomruns
        finally:
            sys.path.remove(str(src))
        self.modules = _crossing_modules()
        self.src = src

    def use(self) -> None:
        _uninstall()
        sys.modules.update(self.modules)

    def story(self, path: Path, cached: bool) -> Any:
        self.use()
        if cached:  # as the second `crossing analyze` gets it: validated once, then read back from the cache
            from crossing import storecache  # this version's, installed by use()

            env = {**os.environ, "PYTHONPATH": str(self.src)}
            subprocess.run([sys.executable, "-m", "crossing", "validate", str(path)], env=env, check=True,
                           stdout=subprocess.DEVNULL)
            return storecache.load_checked(path.resolve()).story
        return self.loader.load_story(path).story

    def analyze(self, story: Any) -> Any:
        self.use()
        if hasattr(self.analysis, "ASKED"):
            return self.analysis.analyze(story, budget=self.analysis.ASKED)
        return self.analysis.analyze(story)

    def runs(self, story: Any) -> Any:
        self.use()
        return self.randomruns.run_many(story, 10_000, 1)


def _timed(fn: Any, *args: Any) -> tuple[float, Any]:
    start = time.process_time()
    out = fn(*args)
    return time.process_time() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="the src folder of the version to compare with")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--nodes", type=int, default=1_000)
    parser.add_argument("--runs-nodes", type=int, default=100)
    parser.add_argument("--cached", action="store_true", help="this version reads the story back from the cache")
    parser.add_argument("--skip-runs", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crossing-inproc-") as tmp:
        paths = {}
        for n in {args.nodes, args.runs_nodes}:
            paths[n] = Path(tmp) / f"synth-{n}"
            subprocess.run([sys.executable, str(SYNTH), str(paths[n]), str(n), "--seed", "1"], check=True)
        if args.cached:
            os.environ["CROSSING_CACHE_DIR"] = str(Path(tmp) / "cache")
        versions = {"before": Version(args.before.resolve()), "after": Version(SRC)}
        stories = {name: (v.story(paths[args.nodes], name == "after" and args.cached),
                          v.story(paths[args.runs_nodes], False)) for name, v in versions.items()}
        times: dict[tuple[str, str], list[float]] = {}
        states = {}
        for r in range(args.rounds):
            order = ("before", "after") if r % 2 == 0 else ("after", "before")
            for name in order:
                v = versions[name]
                spent, result = _timed(v.analyze, stories[name][0])
                states[name] = result.states
                times.setdefault(("analyze", name), []).append(spent)
                if not args.skip_runs:
                    spent, _ = _timed(v.runs, stories[name][1])
                    times.setdefault(("run_many", name), []).append(spent)
    print(f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}; states {states}; {args.rounds} rounds")
    for case in ("analyze", "run_many"):
        if (case, "after") not in times:
            continue
        b, a = times[(case, "before")], times[(case, "after")]
        print(f"{case}: before median {statistics.median(b):.3f} (min {min(b):.3f}), after median "
              f"{statistics.median(a):.3f} (min {min(a):.3f}); after / before {statistics.median(a) / statistics.median(b):.2f}x "
              f"(min {min(a) / min(b):.2f}x)")


if __name__ == "__main__":
    main()
