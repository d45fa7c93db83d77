"""The fallback when the state space does not fit: random runs with a 95% margin of error."""

from __future__ import annotations

import math
import time

from crossing.analysis.result import Z95, Analysis
from crossing.model import Story
from crossing.randomruns import run_many
from crossing.rules import Rules, RuntimeProblem

SAMPLE_STEP_CAP = 10_000
# Batches are small in runs and, as far as the runs so far tell, in steps: the time budget is checked
# often even when runs hit the step cap (and when a step is slow: texts that grow a character a step).
BATCH = 250
FIRST_BATCH = 10
BATCH_STEPS = 100_000


def sampled(story: Story, program: Rules, start: str, runs: int, seed: int, seconds: float) -> Analysis:
    """Random runs in batches until ``runs`` or ``seconds`` have passed (at least one batch)."""
    endings = [node.id for node in story.endings()]
    ending_kind = {e: story.nodes[e].ending.kind for e in endings}  # type: ignore[union-attr]
    deadline = time.monotonic() + seconds
    counts = dict.fromkeys(endings, 0)
    done = stuck = capped = errored = decisions = steps = 0
    stuck_at: dict[str, int] = {}
    problems: list[RuntimeProblem] = []
    while done < runs and (done == 0 or time.monotonic() < deadline):
        size = min(BATCH, runs - done, max(1, BATCH_STEPS * done // steps) if steps else FIRST_BATCH)
        stats = run_many(story, size, seed * 1_000_003 + done, SAMPLE_STEP_CAP, program, start=start)
        steps += stats.steps
        for e, k in stats.endings.items():
            counts[e] += k
        done += stats.runs
        stuck += stats.stuck
        capped += stats.capped
        errored += stats.errored
        decisions += stats.total_decisions
        for node_id, k in stats.stuck_at.items():
            stuck_at[node_id] = stuck_at.get(node_id, 0) + k
        problems.extend(p for p in stats.errors if p not in problems)
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
