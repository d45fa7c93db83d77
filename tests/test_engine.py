from __future__ import annotations

from pathlib import Path

import pytest

from crossing.diagnostics import StoryRuntimeError
from crossing.engine import Engine, RunState, offered_choices, pick_outcome, summarize_run
from crossing.errors import NoChoicesError
from crossing.loader import load_story
from crossing.model import Story
from helpers import write_story

META = """\
title: Engine test
start: a
variables:
  money: {value: 100, min: 0, max: 150}
  health: 3
  tries: 0
"""
NODES = """\
nodes:
  a:
    title: A
    text: Start.
    risk: {level: high, note: Careful.}
    place: here
    route: r1
    choices:
      - text: Spend
        set: {money: money - 500, tries: tries + 1}
        goto: b
      - text: Gamble
        if: money >= 50
        outcomes:
          - {weight: 3, goto: b, set: {money: money + 100}}
          - {weight: 1, goto: end-bad}
      - text: Only if visited b
        if: visited("b")
        goto: end-good
  b:
    text: Middle.
    route: r2
    risk: {level: low}
    choices:
      - text: Back to a
        if: tries < 2
        goto: a
      - text: Finish
        goto: end-good
      - text: Divide
        set: {health: health / (tries - tries)}
        goto: end-good
  end-good:
    text: Good.
    ending: {kind: safety}
  end-bad:
    text: Bad.
    ending: {kind: died}
"""


@pytest.fixture
def story(tmp_path: Path) -> Story:
    result = load_story(write_story(tmp_path / "s", {"story.yaml": META, "n.yaml": NODES}))
    assert result.story is not None and not result.diagnostics
    return result.story


def test_offered_choices_follow_conditions_and_are_renumbered(story: Story) -> None:
    engine = Engine(story, seed=1)
    assert [(o.number, o.index, o.text) for o in engine.offered()] == [(1, 0, "Spend"), (2, 1, "Gamble")]
    engine.choose(1)
    engine.choose(1)  # back to a, now visited b
    assert [o.text for o in engine.offered()] == ["Spend", "Only if visited b"]


def test_set_applies_in_order_and_clamps_to_bounds(story: Story) -> None:
    engine = Engine(story, seed=1)
    engine.choose(1)
    assert engine.state.variables == {"money": 0, "health": 3, "tries": 1}
    assert engine.state.path == ["a", "b"]


def test_same_seed_same_run_and_back_redraws_the_same(story: Story) -> None:
    ends = set()
    for seed in range(40):
        first, second = Engine(story, seed), Engine(story, seed)
        s1, s2 = first.choose(2), second.choose(2)
        assert (s1.target, s1.draw) == (s2.target, s2.draw)
        ends.add(s1.target)
        assert first.back()
        again = first.choose(2)
        assert (again.target, again.draw) == (s1.target, s1.draw)
    assert ends == {"b", "end-bad"}  # both outcomes happen across seeds


def test_back_undoes_effects(story: Story) -> None:
    engine = Engine(story, seed=3)
    assert not engine.back()
    engine.choose(1)
    assert engine.back()
    assert engine.state.variables["money"] == 100
    assert engine.state.node == "a" and engine.state.path == ["a"] and engine.state.history == []


def test_runtime_error_names_node_and_expression(story: Story) -> None:
    engine = Engine(story, seed=1)
    engine.choose(1)
    with pytest.raises(StoryRuntimeError) as info:
        engine.choose(3)
    message = str(info.value)
    assert "in node 'b'" in message and "'health / (tries - tries)'" in message and "division by zero" in message
    assert "n.yaml:31:23:" in message


def test_dead_end_is_reported(story: Story) -> None:
    engine = Engine(story, seed=1)
    engine.state.variables["money"] = 0
    engine.state.variables["tries"] = 5
    engine.state.node = "b"
    offered = offered_choices(engine.node, engine.state.variables, set())
    assert [o.text for o in offered] == ["Finish", "Divide"]
    engine.state.node = "a"
    engine.state.path = ["a"]
    assert [o.text for o in engine.offered()] == ["Spend"]


def test_no_choice_offered_raises(tmp_path: Path) -> None:
    nodes = "nodes:\n  a:\n    text: x\n    choices:\n      - {text: never, if: 'false', goto: e}\n  e:\n    text: e\n    ending: {kind: x}\n"
    story = load_story(write_story(tmp_path / "d", {"story.yaml": "title: t\nstart: a\n", "n.yaml": nodes})).story
    assert story is not None
    with pytest.raises(NoChoicesError, match="offers no choice"):
        Engine(story, 1).offered()


def test_pick_outcome_respects_weights(story: Story) -> None:
    gamble = story.nodes["a"].choices[1]
    assert [pick_outcome(gamble, d) for d in (0.0, 0.74, 0.75, 0.999)] == [0, 0, 1, 1]


def test_state_round_trips_and_rejects_garbage(story: Story) -> None:
    engine = Engine(story, seed=9)
    engine.choose(2)
    data = engine.state.to_dict()
    restored = RunState.from_dict(data)
    assert restored.to_dict() == data
    with pytest.raises(ValueError):
        RunState.from_dict({**data, "version": 99})


def test_summary_counts_risks_routes_and_places(story: Story) -> None:
    engine = Engine(story, seed=1)
    engine.choose(1)
    engine.choose(2)
    summary = summarize_run(story, engine.state)
    assert (summary.steps, summary.risks, summary.routes, summary.places) == (2, {"high": 1, "low": 1}, ["r1", "r2"], ["here"])
