"""``analyze``: exact analysis over the reachable states, or a sampled estimate past the budget.

Analysis that runs unasked (inside report, guide) gets the UNASKED budget by default: a few seconds
and a few hundred MB whatever the story, then sampling. ``crossing analyze`` asks for ASKED.
"""

from __future__ import annotations

import math
import time

from crossing import rules
from crossing.analysis.explore import DEAD_END, ENDING, TRANSIENT, Graph, Limits, TooManyStates, explore
from crossing.analysis.markov import random_play
from crossing.analysis.paths import decision_weights, longest, shortest
from crossing.analysis.result import DEFAULT_MAX_STATES, Analysis, StrategyStep
from crossing.analysis.sampling import sampled
from crossing.analysis.states import STATE_BYTES, Explorer
from crossing.analysis.strategies import strategy_path, vector_values
from crossing.immutable import immutable
from crossing.model import Story
from crossing.randomruns import no_gc

SAMPLE_RUNS = 20_000
# Element updates (members x choices' outcomes x columns) value iteration may spend in cycles; past it,
# per-ending best/worst are dropped for kinds and safety only (twice the budget), then left unconverged.
CYCLE_WORK = 15_000_000
# Floats held for the best/worst vectors (classes x targets); above this only kinds and safety are kept.
MAX_VECTOR_FLOATS = 40_000_000


@immutable
class Budget:
    """What one analysis may spend: memory for the explored states, seconds exploring (None: no
    limit) and seconds sampling when it falls back. Seconds of CPU time (time.process_time), so a
    machine busy with other work does not shrink the budget and change the answer."""

    memory_mb: int
    explore_seconds: float | None
    sample_seconds: float

    @property
    def state_cap(self) -> int:
        """The most states that fit in the memory budget: --max-states above it is capped."""
        return self.memory_mb * 1024 * 1024 // STATE_BYTES


ASKED = Budget(memory_mb=1024, explore_seconds=None, sample_seconds=5.0)
UNASKED = Budget(memory_mb=200, explore_seconds=1.5, sample_seconds=1.0)


class UnknownNodeError(ValueError):
    """--from names a node the story does not have."""


def check_start(story: Story, start: str | None) -> str:
    if start is None:
        return story.start
    if start not in story.nodes:
        raise UnknownNodeError(f"no scene '{start}' in this story")
    return start


def state_limit(max_states: int, budget: Budget) -> int:
    """The most states an analysis asked for ``max_states`` explores (``Analysis.max_states``)."""
    return max(1, min(max_states, budget.state_cap))


def analyze(story: Story, max_states: int = DEFAULT_MAX_STATES, sample_runs: int = SAMPLE_RUNS, seed: int = 0,
            *, start: str | None = None, budget: Budget = UNASKED) -> Analysis:
    """Exact analysis from ``start`` (the story's start by default; variables at their start values),
    or a sampled estimate when the states pass max_states or the budget (``sample_runs`` random runs
    from ``seed``, fewer if they take longer than the budget allows)."""
    begin = check_start(story, start)
    with no_gc():
        limits = Limits(state_limit(max_states, budget), budget.memory_mb * 1024 * 1024,
                        None if budget.explore_seconds is None else time.process_time() + budget.explore_seconds)
        explorer = Explorer(story, start=begin)
        try:
            g = explore(explorer, limits)
        except TooManyStates as exc:
            result = sampled(story, rules.compile_story(story), begin, max(1, sample_runs), seed, budget.sample_seconds)
            result.fallback_reason = exc.reason
            result.max_states = limits.max_states
            result.states = limits.max_states
            return result
        result = _random_play(story, explorer, g)
        result.start, result.max_states = begin, limits.max_states
        _strategies(story, explorer, g, result)
        _paths(explorer, g, result)
        return result


def _random_play(story: Story, explorer: Explorer, g: Graph) -> Analysis:
    """Endings, kinds, safety, stuck and error shares and expected decisions under random play."""
    endings = [node.id for node in story.endings()]
    ending_kind = {e: story.nodes[e].ending.kind for e in endings}  # type: ignore[union-attr]
    mass, trapped, converged = random_play(g)
    n = len(g.node)
    result = Analysis(exact=True, endings=dict.fromkeys(endings, 0.0),
                      kinds=dict.fromkeys(sorted(set(ending_kind.values())), 0.0),
                      ending_kind=ending_kind, states=g.states, classes=n, converged=converged)
    result.has_cycles = bool(g.groups)
    decisions = 0.0
    for c in range(n):
        st = g.status[c]
        if st == ENDING:
            result.endings[explorer.node_ids[g.node[c]]] += mass[c]
        elif st == TRANSIENT:
            if rules.is_decision(len(g.succ[c])):
                decisions += mass[c]
        elif st == DEAD_END:
            node_id = explorer.node_ids[g.node[c]]
            result.stuck += mass[c]
            result.stuck_at[node_id] = result.stuck_at.get(node_id, 0.0) + mass[c]
        else:
            result.error_probability += mass[c]
    for e, p in result.endings.items():
        result.kinds[ending_kind[e]] += p
    result.safe = sum(p for k, p in result.kinds.items() if story.is_safe_kind(k))
    result.never_ends = trapped
    result.expected_decisions = math.inf if trapped > 0 else decisions
    result.errors = list(g.problems)
    return result


def _targets(story: Story, explorer: Explorer, g: Graph, result: Analysis,
             per_ending: bool) -> tuple[list[str], int, list[list[int]]]:
    """Vector columns [endings..., kinds..., safety] and, per class, the columns an ending counts for."""
    kinds = list(result.kinds)
    columns = list(result.endings) if per_ending else []
    kind_base = len(columns)
    width = kind_base + len(kinds) + 1
    position: dict[str, list[int]] = {}
    for i, e in enumerate(columns):
        position.setdefault(e, []).append(i)
    for e, kind in result.ending_kind.items():
        position.setdefault(e, []).append(kind_base + kinds.index(kind))
        if story.is_safe_kind(kind):
            position[e].append(width - 1)
    node_ids = explorer.node_ids
    targets = [position.get(node_ids[g.node[c]], []) if g.status[c] == ENDING else [] for c in range(len(g.node))]
    return columns, width, targets


def _strategies(story: Story, explorer: Explorer, g: Graph, result: Analysis) -> None:
    """Best and worst: one vector per class; when that is too big, or value iteration in the loops
    would take too long for so many columns, kinds and safety only."""
    n = len(g.node)
    per_ending = n * (len(result.endings) + len(result.kinds) + 1) <= MAX_VECTOR_FLOATS
    while True:
        columns, width, targets = _targets(story, explorer, g, result, per_ending)
        hi, lo, optimal, converged = vector_values(g, targets, width, CYCLE_WORK if per_ending else 2 * CYCLE_WORK)
        if converged or not per_ending:
            break
        per_ending = False
    kind_base = len(columns)
    result.strategies = per_ending
    if per_ending:
        result.best = {e: float(hi[i]) for i, e in enumerate(columns)}
        result.worst = {e: float(lo[i]) for i, e in enumerate(columns)}
    result.best_kinds = {k: float(hi[kind_base + i]) for i, k in enumerate(result.kinds)}
    result.worst_kinds = {k: float(lo[kind_base + i]) for i, k in enumerate(result.kinds)}
    result.best_safe, result.worst_safe = float(hi[width - 1]), float(lo[width - 1])
    result.converged = result.converged and converged
    if g.status[g.start] == TRANSIENT and result.best_safe > 0:
        safe = [bool(targets[c]) and targets[c][-1] == width - 1 for c in range(n)]
        steps, goal = strategy_path(g, optimal, safe)
        for c, ci in steps:
            node_id = explorer.node_ids[g.node[c]]
            result.safe_strategy.append(StrategyStep(node_id, ci, story.nodes[node_id].choices[ci].text))
        result.safe_strategy_end = explorer.node_ids[g.node[goal]] if goal >= 0 else ""


def _paths(explorer: Explorer, g: Graph, result: Analysis) -> None:
    weight = decision_weights(g)
    dist, most = shortest(g, weight), longest(g, weight)
    result.shortest = dict.fromkeys(result.endings)
    result.longest = dict.fromkeys(result.endings)
    for c in range(len(g.node)):
        if g.status[c] == ENDING and dist[c] >= 0:
            node_id = explorer.node_ids[g.node[c]]
            result.shortest[node_id] = dist[c]
            result.longest[node_id] = most[c]
