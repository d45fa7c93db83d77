"""Keys parsed into commands, the state and glossary views, decisions, narration on screen, and the
commands that preview (show) or start mid-story (--from)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from crossing.cli import app
from crossing.engine import Engine
from crossing.keys import Choose, Do, Invalid, parse_key
from crossing.loader import load_story
from crossing.model import Story
from crossing.playthrough import ChoiceTaken, Ended, Event, Playthrough, SceneShown, WentBack, decisions, met_terms
from crossing.render.scene import state_view
from crossing.render.theme import crossing_theme
from helpers import write_story

META = """\
title: Keys
start: home
variables:
  money: {value: 100, label: Cash}
  tipped: false
  guide: ""
routes:
  river: {title: Across the river}
glossary:
  broker: Someone paid to guide people.
  kwanliso: A political prison camp.
sources:
  src: {title: A source, publisher: A publisher, year: 2020}
"""

NODES = """\
nodes:
  home:
    route: river
    text: A broker waits at the door.
    choices:
      - text: Go with him
        set: {guide: '"broker"'}
        goto: gate
  gate:
    route: river
    text:
      - The gate.
      - if: guide == "broker"
        text: The broker nods to the guard.
    choices:
      - text: Slip past
        outcomes:
          - {weight: 1, goto: far, text: The guard looks the other way.}
      - text: Pay
        set: {money: money - 50, tipped: true}
        goto: far
  far:
    route: river
    text: Across.
    ending: {kind: safety, title: Across}
"""


@pytest.fixture
def story(tmp_path: Path) -> Story:
    result = load_story(write_story(tmp_path / "keys", {"story.yaml": META, "n.yaml": NODES}))
    assert result.story is not None, result.diagnostics
    return result.story


@pytest.mark.parametrize(("answer", "choices", "expected"), [
    ("2", 3, Choose(2)),
    (" 3 ", 3, Choose(3)),
    ("4", 3, Invalid("There is no choice 4 here: type a number from 1 to 3.")),
    ("²", 3, Invalid("'²' is not a key here: type a number from 1 to 3, or h for help.")),
    ("9" * 5000, 3, Invalid("There is no choice 999999999999 here: type a number from 1 to 3.")),
    ("", 3, Invalid("Type a number from 1 to 3, or h for help.")),
    ("", 1, Invalid("Type 1 to go on, or h for help.")),
    ("", 3, Invalid("Type a number from 1 to 3, or h for help.")),
    ("B", 2, Do("back")),
    ("g  ALL", 2, Do("glossary-all")),
    ("?", 2, Do("help")),
    ("f", 2, Do("facts")),
    ("zz", 2, Invalid("'zz' is not a key here: type a number from 1 to 2, or h for help.")),
])
def test_keys_become_commands(answer: str, choices: int, expected: object) -> None:
    assert parse_key(answer, choices) == expected


def test_enter_means_more_only_on_a_paged_scene() -> None:
    assert parse_key("", 2, paged=True) == Do("more")
    assert isinstance(parse_key("", 2), Invalid)


def test_listeners_hear_every_event_in_order(story: Story) -> None:
    heard: list[str] = []

    def listen(run: Playthrough, event: Event) -> None:
        if isinstance(event, SceneShown):
            heard.append(f"scene {event.node.id}: {event.text!r} after {event.narration!r}")
        elif isinstance(event, ChoiceTaken):
            heard.append(f"choice {event.step.choice_text} decision={event.decision} narration={event.narration!r}")
        elif isinstance(event, WentBack):
            heard.append(f"back from {event.step.target}")
        elif isinstance(event, Ended):
            heard.append(f"ended {event.node.id}")

    run = Playthrough(Engine(story, 1), listeners=[listen])
    run.arrive()
    run.choose(1)
    run.arrive()
    run.back()
    run.arrive()
    run.choose(1)
    run.arrive()
    run.choose(1)
    run.arrive()
    assert heard == [
        "scene home: 'A broker waits at the door.' after None",
        "choice Go with him decision=False narration=None",
        "scene gate: 'The gate.\\n\\nThe broker nods to the guard.' after None",
        "back from gate",
        "scene home: 'A broker waits at the door.' after None",
        "choice Go with him decision=False narration=None",
        "scene gate: 'The gate.\\n\\nThe broker nods to the guard.' after None",
        "choice Slip past decision=True narration='The guard looks the other way.'",
        "scene far: 'Across.' after 'The guard looks the other way.'",
        "ended far",
    ]
    assert decisions(run.engine) == 1  # the one-choice scene at home was a step, not a decision


def render(renderable: object) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=80, no_color=True, theme=crossing_theme()).print(renderable)
    return buffer.getvalue()


def test_the_state_shows_labelled_values_and_routes_by_title(story: Story) -> None:
    engine = Engine(story, 1)
    text = render(state_view(story, engine.state, is_plain=True))
    assert "Cash: 100" in text
    assert "tipped" not in text and "guide" not in text  # unlabelled: internal flags
    assert "Route: Across the river" in text and "Route: river" not in text


def test_a_story_without_labels_shows_every_variable_but_not_empty_text(tmp_path: Path) -> None:
    meta = META.replace("money: {value: 100, label: Cash}", "money: 100")
    result = load_story(write_story(tmp_path / "k", {"story.yaml": meta, "n.yaml": NODES}))
    assert result.story is not None
    engine = Engine(result.story, 1)
    text = render(state_view(result.story, engine.state, is_plain=True))
    assert "money: 100" in text and "tipped: no" in text
    assert "guide" not in text  # still at its starting empty text
    engine.choose(1)
    assert "guide: broker" in render(state_view(result.story, engine.state, is_plain=True))


def test_terms_met_are_those_in_the_scenes_shown() -> None:
    assert met_terms(["broker", "kwanliso", "Hana Center"], ["A Broker waits.", "The hana center opens."]) == [
        "broker", "Hana Center"]
    assert met_terms(["broker"], ["brokers everywhere"]) == []


def test_g_shows_the_terms_met_and_a_second_g_the_whole_glossary(story: Story) -> None:
    result = CliRunner().invoke(app, ["play", str(story.root), "--plain", "--choices", "g,g,q"])
    flat = " ".join(result.output.split())
    first, second = flat.split("Terms you have met", 1)[1].split("Glossary", 1)
    assert "broker Someone paid" in first and "kwanliso" not in first
    assert "kwanliso A political prison camp." in second


def test_narration_is_told_before_the_next_scene(story: Story) -> None:
    result = CliRunner().invoke(app, ["play", str(story.root), "--plain", "--choices", "1,1"])
    out = result.output
    assert out.index("The guard looks the other way.") < out.index("== Across ==")


def test_play_from_a_scene_and_the_errors_for_a_wrong_one(story: Story) -> None:
    result = CliRunner().invoke(app, ["play", str(story.root), "--plain", "--from", "gate", "--choices", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("== gate ==") and "The broker nods" not in result.output
    wrong = CliRunner().invoke(app, ["play", str(story.root), "--from", "gat"])
    assert wrong.exit_code == 2 and "--from: the story has no scene 'gat' (did you mean 'gate'?)" in wrong.output
    ending = CliRunner().invoke(app, ["play", str(story.root), "--from", "far"])
    assert ending.exit_code == 2 and "'far' is an ending" in ending.output


def test_show_labels_every_variant_and_outcome(story: Story) -> None:
    result = CliRunner().invoke(app, ["show", "gate", str(story.root), "--plain"])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "[shown if guide == \"broker\"] The broker nods to the guard." in flat
    assert "1. Slip past 100% -> far: The guard looks the other way." in flat
    missing = CliRunner().invoke(app, ["show", "nowhere", str(story.root)])
    assert missing.exit_code == 2 and "show: the story has no scene 'nowhere'" in missing.output


def test_a_command_run_in_process_leaves_ctrl_c_as_it_found_it(story: Story) -> None:
    """play holds the signals while it finishes its save; a caller in the same process (and every process
    it starts afterwards) must keep its Ctrl-C."""
    import signal

    before = signal.getsignal(signal.SIGINT)
    result = CliRunner().invoke(app, ["play", str(story.root), "--plain", "--choices", "1,1"])
    assert result.exit_code == 0, result.output
    assert signal.getsignal(signal.SIGINT) is before
