"""The fallback when the state space does not fit: random runs with a 95% margin of error."""

from __future__ import annotations

import math
import time

from crossing.analysis.result import Z95, Analysis
from crossing.model import Story
from crossing.randomruns import run_many
from crossing.rules import Rules

SAMPLE_STEP_CAP = 10_000


def sampled(story: Story, program: Rules, start: str, runs: int, seed: int, seconds: float) -> Analysis:
    """``runs`` random runs from ``seed``, fewer if ``seconds`` pass first (at least one run)."""
    endings = [node.id for node in story.endings()]
    ending_kind = {e: story.nodes[e].ending.kind for e in endings}  # type: ignore[union-attr]
    stats = run_many(story, runs, seed, SAMPLE_STEP_CAP, program, start=start,
                     deadline=time.process_time() + seconds)
    counts = stats.endings
    done, stuck, capped, errored, decisions = stats.runs, stats.stuck, stats.capped, stats.errored, stats.total_decisions
    stuck_at, problems = stats.stuck_at, stats.errors
    done = max(done, 1)
    result = Analysis(exact=False, endings={e: counts[e] / done for e in endings},
                      kinds=dict.fromkeys(sorted(set(ending_kind.values())), 0.0), ending_kind=ending_kind,
                      runs=done, strategies=False, start=start)
    result.margin = Z95 * math.sqrt(0.25 / done)
    for e, p in result.endings.items():
        result.kinds[ending_kind[e]] += p
    result.safe = sum(p for k, p in result.kinds.items() if story.is_safe_kind(k))
    result.stuck = stuck / done
    result.stuck_at = {n: k / done for n, k in stuck_at.items()}
    result.error_probability = errored / done
    result.errors = problems
    result.capped_runs = capped
    result.expected_decisions = decisions / done
    return result
