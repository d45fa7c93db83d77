"""Chances per route, measured from each route's entry scene: the scene of that route that random
play enters first most often. From there (variables at their start values, as with --from) the same
analysis gives random-play and best-strategy chances of safety and each ending kind's chance."""

from __future__ import annotations

from collections import Counter
from random import Random
from typing import TYPE_CHECKING

from crossing import rules
from crossing.analysis.result import DEFAULT_MAX_STATES, Analysis, RouteOdds
from crossing.model import Story

if TYPE_CHECKING:
    from crossing.analysis.core import Budget

ENTRY_RUNS = 2_000
ENTRY_STEP_CAP = 1_000


def route_entries(story: Story, program: rules.Rules, start: str, runs: int = ENTRY_RUNS,
                  seed: int = 0) -> dict[str, str]:
    """Route id -> the scene of that route random runs from ``start`` enter first most often."""
    if not has_routes(story):
        return {}
    draw = Random(seed).random
    firsts: dict[str, Counter[str]] = {}
    for _ in range(runs):
        env = program.start_env()
        node, visited, seen = start, {start}, set()
        for _step in range(ENTRY_STEP_CAP):
            route = story.nodes[node].route
            if route and route not in seen:
                seen.add(route)
                firsts.setdefault(route, Counter())[node] += 1
            scene = program.scenes[node]
            try:
                options = rules.offered(scene, env, visited)
                if scene.ending_kind is not None or not options:
                    break
                rule = options[int(draw() * len(options))]
                node, _ = rules.take(node, rule, env, visited, draw())
            except rules.StepError:
                break
            visited.add(node)
    # ties go to the scene written first, so the choice does not depend on counting order
    order = {node_id: i for i, node_id in enumerate(story.nodes)}
    return {r: min(c, key=lambda n: (-c[n], order[n])) for r, c in sorted(firsts.items())}


def has_routes(story: Story) -> bool:
    return any(node.route for node in story.nodes.values())


def route_odds(story: Story, budget: Budget, seed: int = 0, main: Analysis | None = None) -> dict[str, RouteOdds]:
    """Chances per route, each from an analysis (with ``budget`` and ``seed``) from its entry scene.

    ``main``: an analysis already made with the same budget, seed and sample runs (crossing analyze's
    own). A route entered at the scene it started from, with as many states allowed, takes its figures
    instead of analysing the same again: the story's opening route is entered at the start."""
    from crossing.analysis.core import analyze, state_limit

    if not has_routes(story):  # the story is not compiled for nothing
        return {}
    limit = state_limit(DEFAULT_MAX_STATES, budget)
    out: dict[str, RouteOdds] = {}
    for route, entry in route_entries(story, rules.compile_story(story), story.start, seed=seed).items():
        if main is not None and main.start == entry and main.max_states == limit:
            found = main
        else:
            found = analyze(story, start=entry, budget=budget, seed=seed)
        out[route] = RouteOdds(entry, found.safe, found.best_safe, dict(found.kinds), found.exact)
    return out
