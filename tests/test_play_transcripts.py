"""Transcript tests: a small inline story, scripted choices, the exact text expected at a fixed width."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text

from crossing.engine import Engine
from crossing.loader import load_story
from crossing.model import Story
from crossing.playthrough import Playthrough
from crossing.render.theme import crossing_theme
from crossing.session import SessionOptions, play
from helpers import write_story

EXPECTED = Path(__file__).parent / "expected"

META = """\
title: River
start: bank
variables:
  money: {value: 100, min: 0, label: Money}
sources:
  un:
    title: A report
    publisher: The UN
    year: 2014
glossary:
  broker: Someone paid to guide people across.
"""
NODES = """\
nodes:
  bank:
    title: The bank [bold]at night[/bold]
    text: |
      The river is low tonight.
      You can see the far bank.

      A guard walks past.
    risk: {level: high, note: Guards patrol every hour.}
    facts:
      - claim: Most people who leave cross into China.
        source: un
    choices:
      - text: Wade across
        goto: far
      - text: Pay the guard [red]50[/red]
        if: money >= 50
        set: {money: money - 50}
        outcomes:
          - {weight: 1, goto: far}
          - {weight: 1, goto: caught}
  far:
    title: The far bank
    text: You are across, wet and cold.
    content_warnings: [violence]
    gentle_text: You are across.
    facts:
      - claim: China returns people it catches.
        source: un
    ending:
      kind: safety
      title: "Across \\x1b[2J\\x1b]0;owned\\x07"
      debrief:
        why: You crossed where the river was low.
        context: Thousands have crossed here.
        questions: [Why here?, What next?]
  caught:
    text: A second guard stops you.
    ending: {kind: repatriated, title: Sent back}
"""


@pytest.fixture
def story(tmp_path: Path) -> Story:
    result = load_story(write_story(tmp_path / "river", {"story.yaml": META, "nodes.yaml": NODES}))
    assert result.story is not None and result.diagnostics == []
    return result.story


def scripted(answers: list[str], console: Console) -> object:
    it: Iterator[str] = iter(answers)

    def read(prompt: Text) -> str | None:
        answer = next(it, None)
        if answer is not None:
            console.print(prompt, end="")
            console.print(answer)
        return answer

    return read


def run(story: Story, answers: list[str], *, plain: bool, gentle: bool = False, width: int = 60, seed: int = 1) -> tuple[str, str]:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, no_color=True, theme=crossing_theme(), markup=False, highlight=False,
                      emoji=False, force_terminal=False, safe_box=True, legacy_windows=False)
    outcome = play(Playthrough(Engine(story, seed), gentle), console, scripted(answers, console), SessionOptions(gentle=gentle, plain=plain))  # type: ignore[arg-type]
    return outcome, "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


PLAIN_ANSWERS = ["", "x", "7", "h", "s", "f", "g", "g", "b", "1"]


def check(name: str, text: str) -> None:
    """Compare with the expected file; CROSSING_REGENERATE=1 rewrites it instead (after a deliberate change:
    then read the diff before committing it)."""
    path = EXPECTED / name
    if os.environ.get("CROSSING_REGENERATE") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"output differs from {path} (CROSSING_REGENERATE=1 rewrites it)"


def test_plain_run_with_bad_keys_help_and_state(story: Story) -> None:
    outcome, text = run(story, PLAIN_ANSWERS, plain=True)
    assert outcome == "ending"
    check("river-plain.txt", text)


def test_boxed_run_gentle(story: Story) -> None:
    outcome, text = run(story, ["1"], plain=False, gentle=True)
    assert outcome == "ending"
    check("river-boxed-gentle.txt", text)


def test_story_markup_and_escapes_stay_inert(story: Story) -> None:
    _, text = run(story, ["q"], plain=True)
    assert "The bank [bold]at night[/bold]" in text
    assert "Pay the guard [red]50[/red]" in text
    assert "\x1b" not in text and "\x07" not in text

    _, ending = run(story, ["1"], plain=True)
    assert "Across \\x1b[2J\\x1b]0;owned\\x07" in ending


def test_input_ending_stops_cleanly(story: Story) -> None:
    outcome, text = run(story, [], plain=True)
    assert outcome == "input-ended"
    assert "What do you do?" in text


def test_narrow_terminal_keeps_every_word(story: Story) -> None:
    _, text = run(story, ["f", "1"], plain=True, width=40)
    assert max(len(line) for line in text.splitlines()) <= 40
    words = " ".join(text.split())
    for phrase in ("The river is low tonight. You can see the far bank.", "Most people who leave cross into China.",
                   "Thousands have crossed here."):
        assert phrase in words
