"""Exact analysis: hand-computed probabilities on small stories (with loops), a brute-force reference
on generated stories, the sampling fallback, and the ending-never-reached lint."""

from __future__ import annotations

import dataclasses
import dis
import functools
import math
import subprocess
import sys
import types
from fractions import Fraction
from pathlib import Path

import pytest

from crossing import expressions, validation
from crossing.analysis import ASKED, analyze, unreachable_endings
from crossing.analysis.explore import Limits, explore
from crossing.analysis.states import Explorer
from crossing.engine import apply_choice, initial_variables, offered_choices
from crossing.model import Assignment, Choice, Story
from crossing.rules import tracked_nodes
from crossing.validation import validate_path
from helpers import write_story

# The story generator of the benchmarks, kept in the repository so a clone alone runs every test.
SYNTH = Path(__file__).resolve().parents[1] / "bench" / "synth_story.py"

# ------------------------------------------------------------------------------ shared test stories

META = """\
title: {title}
start: {start}
variables:
  money: {{value: 0, min: 0, max: 3}}
  tries: 0
"""

# Crossing may loop back to the river: a cycle in the state graph that random play leaves with
# probability 1. By hand: P(far) = 1/7, P(caught) = 2/7, P(home) = 4/7; 8/7 decisions on average.
RETRY = """\
nodes:
  river:
    title: The river
    text: The river is high tonight.
    choices:
      - text: Try to cross
        outcomes:
          - {weight: 1, goto: far}
          - {weight: 1, goto: river}
          - {weight: 2, goto: caught}
      - text: Give up and go home
        goto: home
  far:
    text: You reach the far bank.
    ending: {kind: safety, title: Across}
  caught:
    text: Soldiers stop you.
    ending: {kind: repatriated, title: Caught}
  home:
    text: You go home.
    ending: {kind: stayed, title: Home}
"""

# A loop in the node graph that a variable bounds: the state graph has no cycle.
WAIT = """\
nodes:
  wait:
    text: You wait for the right night.
    choices:
      - text: Wait another night
        if: tries < 3
        set: {tries: tries + 1}
        goto: wait
      - text: Cross now
        outcomes:
          - {weight: 1, goto: far}
          - {weight: 1, goto: caught}
  far:
    text: Across.
    ending: {kind: safety, title: Across}
  caught:
    text: Caught.
    ending: {kind: repatriated, title: Caught}
"""

# A loop guarded by visited(): leaving needs a visit to the broker first.
VISIT = """\
nodes:
  market:
    text: The market.
    choices:
      - text: Ask the broker
        goto: broker
      - text: Leave town
        if: visited("broker")
        goto: far
  broker:
    text: The broker's back room.
    choices:
      - text: Go back to the market
        goto: market
  far:
    text: Across.
    ending: {kind: safety, title: Across}
"""

# Money is clamped at 3: once there, working again loops on the same state (a self-loop).
CLAMP = """\
nodes:
  work:
    text: You work for the broker's fee.
    choices:
      - text: Work another week
        set: {money: money + 1}
        goto: work
      - text: Pay and leave
        if: money >= 3
        goto: far
  far:
    text: Across.
    ending: {kind: safety, title: Across}
"""

# Four ways a run can go wrong: a loop nothing leaves, a dead end, an expression error, and one ending.
TRAP = """\
nodes:
  fork:
    text: Four roads.
    choices:
      - text: Left
        goto: loop1
      - text: Right
        goto: far
      - text: Middle
        goto: stuck
      - text: Broken
        set: {tries: tries // 0}
        goto: far
  loop1:
    text: Round and round.
    choices:
      - {text: Around, goto: loop2}
      - {text: Out, if: money > 100, goto: far}
  loop2:
    text: Round again.
    choices:
      - {text: Around, goto: loop1}
  stuck:
    text: A locked gate.
    choices:
      - {text: Pay the guard, if: money > 100, goto: never}
  far:
    text: Across.
    ending: {kind: safety, title: Across}
  never:
    text: Never reached.
    ending: {kind: resettled, title: Never}
"""

STORIES = {"retry": ("river", RETRY), "wait": ("wait", WAIT), "visit": ("market", VISIT), "clamp": ("work", CLAMP),
           "trap": ("fork", TRAP)}


def story_dir(tmp_path: Path, name: str) -> Path:
    start, nodes = STORIES[name]
    return write_story(tmp_path / name, {"story.yaml": META.format(title=name.title(), start=start), "nodes.yaml": nodes})


def load(folder: Path) -> Story:
    result = validate_path(folder)
    assert not result.errors, result.errors
    assert result.story is not None
    return result.story


def story(tmp_path: Path, name: str) -> Story:
    return load(story_dir(tmp_path, name))


def synth(tmp_path: Path, nodes: int, seed: int = 1) -> Path:
    out = tmp_path / f"synth-{nodes}-{seed}"
    subprocess.run([sys.executable, str(SYNTH), str(out), str(nodes), "--seed", str(seed)], check=True)
    return out


def synth_with_loops(tmp_path: Path, nodes: int, seed: int = 1) -> Path:
    """A generated story where every scene also offers to go back to the start: one big loop through
    the whole story, left only by reaching an ending (health is bounded below, so states stay finite)."""
    out = synth(tmp_path, nodes, seed)
    meta = out / "story.yaml"
    meta.write_text(meta.read_text().replace("  health: 3\n", "  health: {value: 3, min: 0}\n"))
    for part in out.glob("part*.yaml"):
        part.write_text(part.read_text().replace(
            "    choices:\n", '    choices:\n      - text: "Go back to the start"\n        goto: n0\n'))
    return out


def close(a: float, b: float | Fraction) -> bool:
    return math.isclose(a, float(b), rel_tol=1e-12, abs_tol=1e-12)


# ------------------------------------------------------------------------- hand-computed answers


def test_retry_loop_is_solved_exactly(tmp_path: Path) -> None:
    result = analyze(story(tmp_path, "retry"))
    assert result.exact and result.has_cycles
    assert close(result.endings["far"], Fraction(1, 7))
    assert close(result.endings["caught"], Fraction(2, 7))
    assert close(result.endings["home"], Fraction(4, 7))
    assert close(result.kinds["safety"], Fraction(1, 7))
    assert close(result.safe, Fraction(1, 7))
    # Always trying: f = 1/4 + f/4, c = 1/2 + c/4; giving up at once reaches home for sure.
    assert math.isclose(result.best["far"], 1 / 3, abs_tol=1e-9)
    assert math.isclose(result.best["caught"], 2 / 3, abs_tol=1e-9)
    assert close(result.best["home"], 1)
    assert result.worst == {"far": 0.0, "caught": 0.0, "home": 0.0}
    assert close(result.expected_decisions or 0, Fraction(8, 7))
    assert result.shortest == {"far": 1, "caught": 1, "home": 1}
    assert all(math.isinf(v or 0) for v in result.longest.values())
    assert [s.text for s in result.safe_strategy] == ["Try to cross"]
    assert result.safe_strategy_end == "far"
    assert result.stuck == 0 and result.never_ends == 0 and not result.errors


def test_loop_bounded_by_a_variable(tmp_path: Path) -> None:
    result = analyze(story(tmp_path, "wait"))
    assert result.exact and not result.has_cycles
    assert close(result.endings["far"], Fraction(1, 2))
    # visits with tries = 0, 1, 2 offer two choices: 1 + 1/2 + 1/4 decisions; at tries = 3 only
    # "Cross now" is offered, a step but not a decision
    assert close(result.expected_decisions or 0, Fraction(7, 4))
    assert result.shortest["far"] == 1
    assert result.longest["far"] == 3
    assert result.best["far"] == pytest.approx(0.5) and result.worst["far"] == pytest.approx(0.5)


def test_loop_guarded_by_visited(tmp_path: Path) -> None:
    result = analyze(story(tmp_path, "visit"))
    assert close(result.endings["far"], 1)
    # market before the broker and the broker offer one choice each (steps, not decisions);
    # the market after the broker offers two, visited twice on average
    assert close(result.expected_decisions or 0, 2)
    assert result.shortest["far"] == 1
    assert result.longest["far"] == math.inf
    assert result.best["far"] == pytest.approx(1.0) and result.worst["far"] == 0.0
    assert [s.text for s in result.safe_strategy] == ["Ask the broker", "Go back to the market", "Leave town"]
    # the state holds the broker's visit (the only node visited() names) and nothing else
    assert result.states == 4


def test_clamped_variable_makes_a_self_loop(tmp_path: Path) -> None:
    result = analyze(story(tmp_path, "clamp"))
    assert close(result.endings["far"], 1)
    # money 0, 1, 2 offer one choice each (not decisions); at 3, half the time work again: 2 visits
    assert close(result.expected_decisions or 0, 2)
    assert result.best["far"] == pytest.approx(1.0)
    assert result.worst["far"] == 0.0  # working for ever never leaves
    assert result.has_cycles


def test_trap_dead_end_and_expression_error(tmp_path: Path) -> None:
    result = analyze(story(tmp_path, "trap"))
    assert close(result.endings["far"], Fraction(1, 4))
    assert result.endings["never"] == 0.0
    assert close(result.never_ends, Fraction(1, 4))
    assert close(result.stuck, Fraction(1, 4)) and set(result.stuck_at) == {"stuck"}
    assert close(result.error_probability, Fraction(1, 4))
    assert [(p.node, p.expression) for p in result.errors] == [("fork", "tries // 0")]
    assert "division by zero" in result.errors[0].message
    assert result.errors[0].where.endswith("nodes.yaml:12:22")
    assert result.expected_decisions == math.inf
    assert result.best["far"] == pytest.approx(1.0)
    assert result.shortest["never"] is None and result.longest["never"] is None
    data = result.to_dict()
    assert data["expected_decisions"] == "unbounded"
    assert data["longest"]["far"] == 1


def test_start_that_is_an_ending(tmp_path: Path) -> None:
    folder = write_story(tmp_path / "s", {
        "story.yaml": "title: T\nstart: only\n",
        "nodes.yaml": "nodes:\n  only:\n    text: Done.\n    ending: {kind: safety, title: Done}\n",
    })
    result = analyze(load(folder))
    assert result.endings == {"only": 1.0}
    assert result.expected_decisions == 0
    assert result.shortest == {"only": 0}
    assert result.safe_strategy == []


def test_only_referenced_visits_split_states(tmp_path: Path) -> None:
    nodes = """\
    nodes:
      a:
        text: A.
        choices:
          - {text: To b, goto: b}
          - {text: To c, goto: c}
      b:
        text: B.
        choices: [{text: Onward, goto: d}]
      c:
        text: C.
        choices: [{text: Onward, goto: d}]
      d:
        text: D.
        choices:
          - {text: End, goto: e}
          - {text: Special, if: %s, goto: f}
      e:
        text: E.
        ending: {kind: safety, title: E}
      f:
        text: F.
        ending: {kind: died, title: F}
    """
    plain = analyze(load(write_story(tmp_path / "p", {"story.yaml": "title: T\nstart: a\n", "n.yaml": nodes % '"1 == 1"'})))
    split = analyze(load(write_story(tmp_path / "v", {"story.yaml": "title: T\nstart: a\n", "n.yaml": nodes % "'visited(\"b\")'"})))
    assert plain.states == 6  # a, b, c, d, e, f: the visit of b or c is not part of the state
    assert split.states == 7  # d after b and d after c differ
    assert close(split.endings["f"], Fraction(1, 4))
    assert split.best["f"] == pytest.approx(1.0) and split.worst["f"] == 0.0


# ----------------------------------------------------------------------------- brute-force check


def brute_force(story: Story) -> tuple[dict[str, float], dict[str, float], dict[str, float], float]:
    """Random-play, best and worst probabilities straight from the engine's rules, by recursion over
    (node, variables, visits): a reference for acyclic state graphs, sharing no code with analysis."""
    endings = [n.id for n in story.endings()]
    tracked = tracked_nodes(story)

    @functools.cache
    def value(node_id: str, variables: tuple[tuple[str, object], ...], visited: frozenset[str]) -> tuple[tuple[float, ...], ...]:
        node = story.nodes[node_id]
        if node.ending is not None:
            unit = tuple(1.0 if e == node_id else 0.0 for e in endings)
            return unit, unit, unit, (0.0,)
        env = dict(variables)
        offered = offered_choices(node, env, visited)  # type: ignore[arg-type]
        rows = []
        for picked in offered:
            choice = picked.choice
            total = sum(o.weight for o in choice.outcomes)
            draws = [(sum(o.weight for o in choice.outcomes[:i]) / total, o.weight / total)
                     for i, o in enumerate(choice.outcomes)] or [(0.0, 1.0)]
            acc = [[0.0] * len(endings) for _ in range(3)] + [[0.0]]
            for draw, p in draws:
                after = dict(env)
                target, _ = apply_choice(story, node, choice, after, visited, draw)  # type: ignore[arg-type]
                child = value(target, tuple(sorted(after.items())), visited | ({target} & tracked))
                for k in range(4):
                    for i, v in enumerate(child[k]):
                        acc[k][i] += p * v
            rows.append(acc)
        k = len(rows)
        rand = tuple(sum(r[0][i] for r in rows) / k for i in range(len(endings)))
        best = tuple(max(r[1][i] for r in rows) for i in range(len(endings)))
        worst = tuple(min(r[2][i] for r in rows) for i in range(len(endings)))
        decisions = ((1.0 if k > 1 else 0.0) + sum(r[3][0] for r in rows) / k,)  # one choice: no decision
        return rand, best, worst, decisions

    start = story.start
    r, b, w, d = value(start, tuple(sorted(initial_variables(story).items())), frozenset({start} & tracked))
    return dict(zip(endings, r, strict=True)), dict(zip(endings, b, strict=True)), dict(zip(endings, w, strict=True)), d[0]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matches_brute_force_on_generated_stories(tmp_path: Path, seed: int) -> None:
    loaded = load(synth(tmp_path, 60, seed))
    rand, best, worst, decisions = brute_force(loaded)
    result = analyze(loaded)
    assert result.exact
    assert result.classes < result.states  # merging states that behave alike did something
    for e in rand:
        assert result.endings[e] == pytest.approx(rand[e], abs=1e-12)
        assert result.best[e] == pytest.approx(best[e], abs=1e-12)
        assert result.worst[e] == pytest.approx(worst[e], abs=1e-12)
    assert result.expected_decisions == pytest.approx(decisions, rel=1e-12)
    assert sum(result.endings.values()) == pytest.approx(1.0, abs=1e-12)
    assert sum(result.kinds.values()) == pytest.approx(1.0, abs=1e-12)


def test_kinds_and_safety_strategy(tmp_path: Path) -> None:
    loaded = load(synth(tmp_path, 100))
    result = analyze(loaded)
    for kind, p in result.kinds.items():
        members = [e for e, k in result.ending_kind.items() if k == kind]
        assert p == pytest.approx(sum(result.endings[e] for e in members), abs=1e-12)
        assert result.best_kinds[kind] >= max(result.worst[e] for e in members) - 1e-12
        assert result.worst_kinds[kind] <= result.kinds[kind] <= result.best_kinds[kind] + 1e-12
    assert result.worst_safe is not None and result.best_safe is not None
    assert result.worst_safe <= result.safe <= result.best_safe
    # the named strategy is a real path: each step's choice belongs to its node, ending in safety
    assert result.safe_strategy and result.safe_strategy[0].node == loaded.start
    for step in result.safe_strategy:
        assert loaded.nodes[step.node].choices[step.choice].text == step.text
    assert result.safe_strategy_end is not None
    assert loaded.is_safe_kind(result.ending_kind[result.safe_strategy_end])
    for e in result.endings:
        assert result.worst[e] - 1e-12 <= result.endings[e] <= result.best[e] + 1e-12
        assert result.shortest[e] is None or result.shortest[e] <= (result.longest[e] or 0)  # type: ignore[operator]


# -------------------------------------------------------------------------------------- fallback


def test_falls_back_to_sampling_with_a_margin(tmp_path: Path) -> None:
    loaded = load(synth(tmp_path, 100))
    exact = analyze(loaded)
    sampled = analyze(loaded, max_states=50, sample_runs=20_000, seed=5, budget=ASKED)
    assert exact.exact and not sampled.exact
    assert sampled.runs == 20_000
    assert sampled.margin == pytest.approx(1.959963984540054 * math.sqrt(0.25 / 20_000))
    assert set(sampled.endings) == set(exact.endings)
    assert sum(sampled.endings.values()) == pytest.approx(1.0)
    for e, p in exact.endings.items():
        assert abs(sampled.endings[e] - p) <= 4 * math.sqrt(p * (1 - p) / 20_000) + 1e-3
        low, high = sampled.interval(e)
        assert low <= sampled.endings[e] <= high
    assert sampled.best == {} and not sampled.strategies
    assert sampled.to_dict()["exact"] is False


def test_sampling_never_hangs_on_a_trap(tmp_path: Path) -> None:
    result = analyze(story(tmp_path, "trap"), max_states=2, sample_runs=400)
    assert not result.exact
    assert result.capped_runs > 0  # the runs caught in the loop were stopped, and counted
    assert result.endings["far"] == pytest.approx(0.25, abs=0.1)


# ------------------------------------------------------------------------------------------ lint


def test_lint_flags_an_ending_random_play_never_reaches(tmp_path: Path) -> None:
    result = validate_path(story_dir(tmp_path, "trap"))
    flagged = [d for d in result.diagnostics if d.code == "ending-never-reached"]
    assert [(Path(d.file).name, d.line, d.severity) for d in flagged] == [("nodes.yaml", 30, "warning")]
    assert "'never'" in flagged[0].message


def test_lint_is_exact_where_it_speaks(tmp_path: Path) -> None:
    # 'rich' needs money 3, which only the clamped loop reaches: reachable, so not flagged;
    # 'richer' needs money 4, which clamping never allows: flagged.
    nodes = CLAMP.replace("""      - text: Pay and leave
        if: money >= 3
        goto: far""", """      - text: Pay and leave
        if: money >= 3
        goto: far
      - text: Pay double
        if: money >= 4
        goto: richer""") + """  richer:
    text: Never.
    ending: {kind: safety, title: Richer}
"""
    folder = write_story(tmp_path / "c", {"story.yaml": META.format(title="C", start="work"), "nodes.yaml": nodes})
    loaded = load(folder)
    assert unreachable_endings(loaded, 1000) == ["richer"]
    exact = analyze(loaded)
    assert {e for e, p in exact.endings.items() if p == 0} == {"richer"}


def test_lint_is_skipped_past_its_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = story_dir(tmp_path, "trap")
    assert unreachable_endings(load(folder), 2) is None
    monkeypatch.setattr(validation, "LINT_MIN_STATES", 2)
    monkeypatch.setattr(validation, "LINT_STATES_PER_NODE", 0)
    monkeypatch.setattr(validation, "LINT_SMALL_STORY_WORK", 0)
    assert not [d for d in validate_path(folder).diagnostics if d.code == "ending-never-reached"]


def test_to_dict_carries_everything(tmp_path: Path) -> None:
    data = analyze(story(tmp_path, "retry")).to_dict()
    assert set(data["endings"]) == {"far", "caught", "home"}
    for key in ("kinds", "best", "worst", "expected_decisions", "shortest", "longest", "exact", "states",
                "stuck", "errors", "safe_strategy", "margin"):
        assert key in data
    assert data["exact"] is True and data["margin"] is None
    assert data["longest"]["far"] == "unbounded"
    assert data["safe_strategy"]["choices"][0]["text"] == "Try to cross"


def test_values_nothing_reads_again_do_not_split_states(tmp_path: Path) -> None:
    nodes = """\
    nodes:
      a:
        text: A.
        choices:
          - {text: Pay, set: {money: money - 50}, goto: b}
          - {text: Keep the money, goto: b}
      b:
        text: B.
        choices:
          - {text: Left, goto: e1}
          - {text: Right, if: "%s", goto: e2}
      e1:
        text: E1.
        ending: {kind: safety, title: E1}
      e2:
        text: E2.
        ending: {kind: died, title: E2}
    """
    meta = "title: T\nstart: a\nvariables:\n  money: 100\n"
    unread = load(write_story(tmp_path / "u", {"story.yaml": meta, "n.yaml": nodes % "1 == 1"}))
    read = load(write_story(tmp_path / "r", {"story.yaml": meta, "n.yaml": nodes % "money >= 100"}))
    merged, split = analyze(unread), analyze(read)
    assert merged.states == 4  # b after paying and b after keeping are one state: money is never read
    assert split.states == 5
    assert merged.endings == pytest.approx({"e1": 0.5, "e2": 0.5})
    assert split.endings == pytest.approx({"e1": 0.75, "e2": 0.25})
    for loaded in (unread, read):
        rand, best, worst, _ = brute_force(loaded)
        result = analyze(loaded)
        assert result.endings == pytest.approx(rand) and result.best == pytest.approx(best)
        assert result.worst == pytest.approx(worst)
        assert unreachable_endings(loaded, 100, liveness=True) == unreachable_endings(loaded, 100, liveness=False) == []


def test_one_big_loop_through_the_story(tmp_path: Path) -> None:
    loaded = load(synth_with_loops(tmp_path, 60))
    result = analyze(loaded)
    assert result.exact and result.has_cycles and result.converged
    assert result.never_ends == 0 and result.stuck == 0
    assert sum(result.endings.values()) == pytest.approx(1.0, abs=1e-12)
    for e in result.endings:
        assert result.worst[e] - 1e-9 <= result.endings[e] <= result.best[e] + 1e-9
    assert all(math.isinf(v) for v in result.longest.values() if v is not None)


def _reparsed(story: Story) -> Story:
    """The story as the checked-story cache gives it back: a new Expression object for every use of a text."""
    def again(a: Assignment) -> Assignment:
        return dataclasses.replace(a, expression=expressions.parse(a.expression.source))

    def choice(c: Choice) -> Choice:
        return dataclasses.replace(
            c, condition=None if c.condition is None else expressions.parse(c.condition.source),
            assignments=tuple(map(again, c.assignments)),
            outcomes=tuple(dataclasses.replace(o, assignments=tuple(map(again, o.assignments))) for o in c.outcomes))

    nodes = {k: dataclasses.replace(n, choices=tuple(map(choice, n.choices))) for k, n in story.nodes.items()}
    return dataclasses.replace(story, nodes=nodes)


def test_expressions_of_the_same_text_share_one_memo(tmp_path: Path) -> None:
    """Conditions and effects are remembered per text, not per object: a story read back from the cache
    (a new object for each use) explores with as few programs as the loader's, and gives the same result."""
    loaded = load(synth(tmp_path, 60))
    copy = _reparsed(loaded)
    explorers = [Explorer(s) for s in (loaded, copy)]
    graphs = [explore(e, Limits(100_000, 1 << 30)) for e in explorers]
    assert len(explorers[0]._shared) == len(explorers[1]._shared) < sum(
        len(n.choices) for n in loaded.nodes.values())
    assert graphs[0].states == graphs[1].states
    assert analyze(copy).to_dict() == analyze(loaded).to_dict()


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="how Python 3.11 decides to specialise bytecode")
def test_the_search_loop_is_specialised(tmp_path: Path) -> None:
    """The depth-first loop runs once per exploration: Python 3.11 specialises it only if its jump back is
    unconditional (``while True``). Run on a fresh copy of its code, as a first exploration would."""
    from crossing.analysis import explore as module

    fresh = types.FunctionType(module._Search.run.__code__.replace(), vars(module))
    graph = fresh(module._Search(Explorer(load(synth(tmp_path, 60))), Limits(100_000, 1 << 30)))
    assert graph.states > 100 and not graph.groups  # no cycle: the common path alone must warm it up
    assert any(i.opname not in dis.opmap for i in dis.get_instructions(fresh, adaptive=True))


def test_the_same_failing_effect_in_two_scenes_is_told_at_each_scenes_own_line(tmp_path: Path) -> None:
    """Analysis shares what an effect does by its text; a failure must still name the line of the scene
    where it happened, not the first scene that has the same text."""
    nodes = """\
nodes:
  fork:
    text: Two roads.
    choices:
      - text: Left
        set: {tries: tries // 0}
        goto: far
      - text: Right
        goto: bend
  bend:
    text: A bend.
    choices:
      - text: Carry on
        set: {tries: tries // 0}
        goto: far
  far:
    text: Across.
    ending: {kind: safety, title: Across}
"""
    folder = write_story(tmp_path / "twice", {"story.yaml": META.format(title="Twice", start="fork"), "nodes.yaml": nodes})
    result = analyze(load(folder))
    assert sorted((p.node, p.where.rsplit("nodes.yaml:", 1)[1]) for p in result.errors) == [("bend", "14:22"), ("fork", "6:22")]
