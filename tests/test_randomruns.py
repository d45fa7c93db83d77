"""Random runs in bulk: determinism, counting, the step cap, coverage, and agreement with the exact
analysis within sampling error on generated and hand-written stories (with loops and conditions)."""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from pathlib import Path

import pytest

from crossing.analysis import analyze
from crossing.engine import pick_outcome
from crossing.randomruns import run_many
from crossing.rules import compile_story
from test_analysis import load, story, synth, synth_with_loops

RUNS = 20_000


def agree(exact: dict[str, float], counts: dict[str, int], runs: int) -> list[str]:
    """Endings whose frequency is further from the exact probability than 4 standard errors (+ eps)."""
    off = []
    for ending, p in exact.items():
        freq = counts[ending] / runs
        if abs(freq - p) > 4 * math.sqrt(p * (1 - p) / runs) + 2e-3:
            off.append(f"{ending}: {freq:.4f} vs {p:.4f}")
    return off


@pytest.mark.parametrize(("nodes", "seed"), [(60, 1), (100, 1), (100, 2), (150, 3)])
def test_frequencies_agree_with_analysis_on_generated_stories(tmp_path: Path, nodes: int, seed: int) -> None:
    loaded = load(synth(tmp_path, nodes, seed))
    exact = analyze(loaded)
    stats = run_many(loaded, RUNS, seed=seed)
    assert exact.exact
    assert set(stats.endings) == set(exact.endings)
    assert agree(exact.endings, stats.endings, RUNS) == []
    assert stats.average == pytest.approx(exact.expected_decisions, rel=0.05)


@pytest.mark.parametrize("name", ["retry", "wait", "visit", "clamp", "trap"])
def test_frequencies_agree_with_analysis_on_loops(tmp_path: Path, name: str) -> None:
    loaded = story(tmp_path, name)
    exact = analyze(loaded)
    stats = run_many(loaded, RUNS, seed=7, step_cap=200)
    assert agree(exact.endings, stats.endings, RUNS) == []
    for what, p, count in [("stuck", exact.stuck, stats.stuck), ("error", exact.error_probability, stats.errored),
                           ("loop", exact.never_ends, stats.capped)]:
        assert abs(count / RUNS - p) <= 4 * math.sqrt(p * (1 - p) / RUNS) + 2e-3, what


def test_same_seed_same_statistics(tmp_path: Path) -> None:
    loaded = load(synth(tmp_path, 100))
    first = run_many(loaded, 500, seed=11).to_dict(loaded)
    again = run_many(loaded, 500, seed=11).to_dict(loaded)
    other = run_many(loaded, 500, seed=12).to_dict(loaded)
    assert first == again
    assert first["endings"] != other["endings"]


def test_counts_add_up_and_zeros_are_listed(tmp_path: Path) -> None:
    loaded = story(tmp_path, "trap")
    stats = run_many(loaded, 400, seed=3, step_cap=50)
    assert stats.endings["never"] == 0  # listed although never reached
    assert stats.finished + stats.stuck + stats.capped + stats.errored == 400
    # The loop nothing leaves was cut at the cap; shortest and longest speak of runs that ended.
    assert stats.capped > 0 and 0 < stats.longest < 50
    assert stats.stuck_at == {"stuck": stats.stuck}
    assert [(p.node, p.expression) for p in stats.errors] == [("fork", "tries // 0")]
    assert stats.node_visits["fork"] == 400
    assert stats.never_reached_nodes() == ["never"]
    untaken = stats.never_taken_choices()
    assert ("stuck", 0) in untaken and ("loop1", 1) in untaken
    assert stats.choice_counts[("fork", 0)] + stats.choice_counts[("fork", 1)] + stats.choice_counts[("fork", 2)] \
        + stats.choice_counts[("fork", 3)] == 400


def test_visits_and_choices_are_counted(tmp_path: Path) -> None:
    loaded = story(tmp_path, "wait")
    stats = run_many(loaded, 1000, seed=1)
    waits = stats.choice_counts[("wait", 0)]
    crosses = stats.choice_counts[("wait", 1)]
    assert crosses == 1000  # every run crosses exactly once
    assert stats.node_visits["wait"] == 1000 + waits
    # at tries = 3 only "Cross now" is offered: that step is not a decision
    # (about 1/8 of runs get there: not counted as decisions, so fewer decisions than steps)
    assert 80 < waits + crosses - stats.total_decisions < 170
    assert stats.longest == 3 and stats.shortest == 1
    assert stats.kinds == {"safety": stats.endings["far"], "repatriated": stats.endings["caught"]}


def test_outcome_draws_match_the_engine(tmp_path: Path) -> None:
    loaded = load(synth(tmp_path, 60))
    compiled = compile_story(loaded)
    rng = random.Random(4)
    for node in loaded.nodes.values():
        for index, choice in enumerate(node.choices):
            if not choice.outcomes:
                continue
            fast = compiled.scenes[node.id].rules[index]
            total = sum(o.weight for o in choice.outcomes)
            edges = [sum(o.weight for o in choice.outcomes[:i]) / total for i in range(len(choice.outcomes) + 1)]
            for draw in [rng.random() for _ in range(50)] + edges[:-1]:
                i = min(bisect_right(fast.cumulative, draw * fast.total), len(fast.targets) - 1)
                assert i == pick_outcome(choice, draw)



@pytest.mark.slow
def test_frequencies_agree_with_analysis_on_a_story_that_loops_back(tmp_path: Path) -> None:
    loaded = load(synth_with_loops(tmp_path, 100, seed=2))
    exact = analyze(loaded)
    assert exact.exact and exact.has_cycles
    stats = run_many(loaded, RUNS, seed=2)
    assert stats.capped == 0
    assert agree(exact.endings, stats.endings, RUNS) == []
    assert stats.average == pytest.approx(exact.expected_decisions, rel=0.05)
