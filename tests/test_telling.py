"""Text that answers the player: conditional paragraphs, narrated outcomes and gentle variants, from the
YAML through validation to what the engine tells a reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from crossing import telling
from crossing.engine import Engine
from crossing.errors import StoryRuntimeError
from crossing.loader import load_story
from crossing.model import Story
from crossing.schema import story_schema
from crossing.validation import validate_path
from helpers import BASE_META, write_story

RIVER = """\
nodes:
  start:
    title: The bank
    text:
      - The river is low tonight.
      - if: papers
        text: The papers are dry in your coat.
        else: You have no papers.
    facts:
      - claim: Rivers are cold.
        source: src
    choices:
      - text: Buy papers
        set: {papers: true, money: money - 50}
        goto: crossing
      - text: Cross now
        goto: crossing
  crossing:
    title: The water
    text:
      - if: visited("crossing")
        text: You are in the water.
      - if: money < 100
        text: Your pocket is lighter by fifty dollars.
    facts:
      - claim: Guards patrol.
        source: src
    choices:
      - text: Swim
        outcomes:
          - weight: 1
            goto: far
            text: The current takes you, but you reach the reeds.
            gentle_text: You reach the reeds.
          - weight: 1
            goto: caught
            text: A torch finds you halfway.
  far:
    text: You are across.
    ending:
      kind: safety
      title: Across
      debrief:
        why:
          - You crossed the river.
          - if: papers
            text: Your papers will help.
            else: Without papers you must hide.
        gentle_why: You crossed.
        context: Many people cross here.
        questions: [What next?]
  caught:
    text: You are caught.
    content_warnings: [violence]
    gentle_text: You are stopped.
    facts:
      - claim: People caught are beaten.
        source: src
      - claim: People caught are sent back.
        gentle_claim: People who are caught are sent back.
        source: src
    ending:
      kind: repatriated
"""


def river(tmp_path: Path) -> Story:
    result = load_story(write_story(tmp_path / "s", {"story.yaml": BASE_META, "n.yaml": RIVER}))
    assert result.story is not None, result.diagnostics
    return result.story


def test_a_paragraph_shows_its_text_or_its_else_by_the_state(tmp_path: Path) -> None:
    story = river(tmp_path)
    plain_run = Engine(story, seed=1)
    assert plain_run.scene_text(gentle=False) == "The river is low tonight.\n\nYou have no papers."
    plain_run.choose(1)  # buy papers: papers true, money 50
    assert plain_run.scene_text(gentle=False) == "You are in the water.\n\nYour pocket is lighter by fifty dollars."
    plain_run.back()
    assert plain_run.scene_text(gentle=False).endswith("You have no papers.")
    plain_run.choose(2)  # cross now: money stays 100, so the second paragraph (no else) shows nothing
    assert plain_run.scene_text(gentle=False) == "You are in the water."


def test_visited_of_the_node_itself_is_true_on_arrival(tmp_path: Path) -> None:
    engine = Engine(river(tmp_path), seed=1)
    engine.choose(2)
    assert "You are in the water." in engine.scene_text(gentle=False)


def test_an_outcome_narrates_the_draw_in_either_telling(tmp_path: Path) -> None:
    story = river(tmp_path)
    told: dict[str, tuple[str | None, str | None]] = {}
    for seed in range(40):
        engine = Engine(story, seed=seed)
        engine.choose(2)
        step = engine.choose(1)
        told[step.target] = (engine.narration(step, gentle=False), engine.narration(step, gentle=True))
    assert told == {
        "far": ("The current takes you, but you reach the reeds.", "You reach the reeds."),
        # no gentle_text: the gentle telling narrates with the text itself
        "caught": ("A torch finds you halfway.", "A torch finds you halfway."),
    }


def test_a_goto_narrates_nothing(tmp_path: Path) -> None:
    engine = Engine(river(tmp_path), seed=1)
    assert engine.narration(engine.choose(2), gentle=False) is None


def test_debrief_paragraphs_are_evaluated_at_the_ending(tmp_path: Path) -> None:
    story = river(tmp_path)
    for papers_first, expected in ((1, "Your papers will help."), (2, "Without papers you must hide.")):
        for seed in range(40):
            engine = Engine(story, seed=seed)
            engine.choose(papers_first)
            if engine.choose(1).target == "far":
                break
        why, context = engine.debrief_text(gentle=False)
        assert why == f"You crossed the river.\n\n{expected}"
        assert context == "Many people cross here."
        assert engine.debrief_text(gentle=True) == ("You crossed.", "Many people cross here.")


def test_gentle_facts_of_a_warned_scene_show_only_their_gentle_claims(tmp_path: Path) -> None:
    story = river(tmp_path)
    caught = story.nodes["caught"]
    assert [claim for claim, _ in telling.shown_facts(story, caught, gentle=True)] == ["People who are caught are sent back."]
    assert [claim for claim, _ in telling.shown_facts(story, caught, gentle=False)] == [
        "People caught are beaten.", "People caught are sent back."]
    # a scene without warnings shows its facts in both tellings
    start = story.nodes["start"]
    assert [c for c, _ in telling.shown_facts(story, start, gentle=True)] == ["Rivers are cold."]


def test_a_failing_paragraph_condition_names_node_and_position(tmp_path: Path) -> None:
    nodes = RIVER.replace("      - if: papers\n        text: The papers", "      - if: money / 0 > 1\n        text: The papers")
    result = load_story(write_story(tmp_path / "s", {"story.yaml": BASE_META, "n.yaml": nodes}))
    assert result.story is not None
    with pytest.raises(StoryRuntimeError, match=r"n\.yaml:6:13: in node 'start', expression 'money / 0 > 1'"):
        Engine(result.story, seed=1).scene_text(gentle=False)


def test_gentle_titles_and_glossary_definitions(tmp_path: Path) -> None:
    meta = BASE_META.replace(
        "    year: 2020\n",
        "    year: 2020\n    gentle_title: A kinder title\n    note: The title is descriptive.\n",
    ) + "glossary:\n  broker: {definition: Someone paid to smuggle people, gentle_definition: A guide who is paid}\n  ice: Frozen water\n"
    result = load_story(write_story(tmp_path / "s", {"story.yaml": meta, "n.yaml": RIVER}))
    story = result.story
    assert story is not None, result.diagnostics
    source = story.sources["src"]
    assert (telling.source_title(source, False), telling.source_title(source, True)) == ("A source", "A kinder title")
    assert source.note == "The title is descriptive."
    assert telling.glossary_definition(story, "broker", True) == "A guide who is paid"
    assert telling.glossary_definition(story, "broker", False) == "Someone paid to smuggle people"
    assert telling.glossary_definition(story, "ice", True) == "Frozen water"


def diagnostics(tmp_path: Path, nodes: str) -> list[tuple[int, int, str, str, str]]:
    result = validate_path(write_story(tmp_path / "s", {"story.yaml": BASE_META, "n.yaml": nodes}))
    return [(d.line, d.column, d.severity, d.code, d.message) for d in result.diagnostics]


def test_the_river_story_validates_with_only_the_warnings_it_earns(tmp_path: Path) -> None:
    assert diagnostics(tmp_path, RIVER) == [
        # papers is false at the start in every run, and the water is always visited once you are in it
        (6, 13, "warning", "condition-never-true",
         "the condition 'papers' in node 'start' is false in every state the story can reach there: the paragraph is never shown"),
        (21, 13, "warning", "condition-always-true",
         "the condition 'visited(\"crossing\")' in node 'crossing' is true in every state the story can reach there: "
         "the paragraph needs no 'if'"),
        (58, 17, "warning", "no-gentle-claim",  # the fact's source line
         "a fact of node 'caught' has no gentle_claim, so gentle mode does not show it (the scene has content warnings)"),
    ]


BROKEN = [
    ("unknown variable in a paragraph condition",
     ("      - if: papers\n", "      - if: pappers\n"),
     (6, 13, "error", "unknown-variable", "'pappers' in node 'start' uses the undeclared variable 'pappers' (did you mean 'papers'?)")),
    ("a condition that is not true/false",
     ("      - if: papers\n", "      - if: money + 1\n"),
     (6, 13, "error", "expression-type", "the condition 'money + 1' in node 'start' must be true or false, not a number")),
    ("else without if",
     ("      - if: papers\n        text: The papers are dry in your coat.\n", "      - text: The papers are dry in your coat.\n"),
     (7, 15, "error", "else-without-if", "paragraph 2 of the text of node 'start' has 'else' but no 'if': 'else' is shown when the 'if' condition is false")),
    ("an empty paragraph",
     ("      - The river is low tonight.\n", "      - ''\n"),
     (5, 9, "error", "empty-text", "paragraph 1 of the text of node 'start' is empty")),
    ("an empty list of paragraphs",
     ("    text:\n      - The river is low tonight.\n      - if: papers\n        text: The papers are dry in your coat.\n        else: You have no papers.\n",
      "    text: []\n"),
     (4, 11, "error", "empty-text", "the text of node 'start' is an empty list: give at least one paragraph")),
    ("a syntax error in a paragraph condition",
     ("      - if: papers\n", "      - if: papers and\n"),
     (6, 23, "error", "expression-syntax", "the condition 'papers and': the expression ends where a value is expected")),
    ("an unknown key in a paragraph",
     ("        else: You have no papers.\n", "        otherwise: You have no papers.\n"),
     (8, 9, "error", "unknown-key", "unknown key 'otherwise' in paragraph 2 of the text of node 'start' (allowed: if, text, else)")),
]


@pytest.mark.parametrize(("edit", "expected"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN])
def test_each_problem_in_text_is_reported_at_its_place(tmp_path: Path, edit: tuple[str, str], expected: tuple[object, ...]) -> None:
    old, new = edit
    assert old in RIVER
    found = [d for d in diagnostics(tmp_path, RIVER.replace(old, new, 1)) if d[3] != "no-gentle-claim"]
    assert found[:1] == [expected], found


def test_hedges_outside_quotes_are_flagged_and_dialogue_is_not(tmp_path: Path) -> None:
    hedged = RIVER.replace("      - The river is low tonight.\n",
                           "      - 'The river is low. If you have a rope, tie it. \"If you have papers, show them,\" he says.'\n")
    found = [d for d in diagnostics(tmp_path, hedged) if d[3] == "hedge"]
    assert found == [(5, 9, "warning", "hedge",
                      "node 'start' hedges: 'If you have a rope, tie it.': let a condition decide what the player is told (a paragraph with 'if')")]
    quoted_only = RIVER.replace("      - The river is low tonight.\n", "      - '\"If there is a boat, take it,\" she says.'\n")
    assert [d for d in diagnostics(tmp_path, quoted_only) if d[3] == "hedge"] == []


def test_warned_scenes_without_gentle_outcomes_or_debriefs_are_warned(tmp_path: Path) -> None:
    warned = RIVER.replace("  crossing:\n    title: The water\n", "  crossing:\n    title: The water\n    content_warnings: [violence]\n    gentle_text: You wade in.\n")
    warned = warned.replace("  far:\n    text: You are across.\n", "  far:\n    text: You are across.\n    content_warnings: [death]\n    gentle_text: Across.\n")
    lines = warned.splitlines()

    def line_of(text: str, after: int = 0) -> int:
        return next(i for i, line in enumerate(lines, 1) if i > after and text in line)

    codes = [(d[3], d[0]) for d in diagnostics(tmp_path, warned) if d[3].startswith("no-gentle")]
    assert codes == [
        ("no-gentle-claim", line_of("source: src", line_of("claim: Guards patrol."))),  # the water's fact
        ("no-gentle-outcome", line_of("- weight: 1", line_of("gentle_text: You reach the reeds."))),  # the torch has no gentle_text
        ("no-gentle-debrief", line_of("kind: safety")),  # gentle_why without gentle_context
        ("no-gentle-claim", line_of("source: src", line_of("claim: People caught are beaten."))),
    ]


def test_the_schema_knows_every_new_key() -> None:
    schema = story_schema()
    node = schema["properties"]["nodes"]["additionalProperties"]
    paragraph = node["properties"]["text"]["oneOf"][1]["items"]["oneOf"][1]
    assert set(paragraph["properties"]) == {"if", "text", "else"}
    outcome = node["properties"]["choices"]["items"]["properties"]["outcomes"]["items"]
    assert {"text", "gentle_text"} <= set(outcome["properties"])
    assert "gentle_claim" in node["properties"]["facts"]["items"]["properties"]
    debrief = node["properties"]["ending"]["properties"]["debrief"]
    assert {"gentle_why", "gentle_context"} <= set(debrief["properties"])
    assert "gentle_title" in schema["properties"]["sources"]["additionalProperties"]["properties"]
    assert schema["properties"]["glossary"]["additionalProperties"]["oneOf"][1]["required"] == ["definition"]


def test_conditions_that_cannot_answer_the_player_are_warned(tmp_path: Path) -> None:
    nodes = RIVER.replace("      - if: money < 100\n", "      - if: money <= 100\n")  # money never rises: always true
    line = next(i for i, text in enumerate(nodes.splitlines(), 1) if "money <= 100" in text)
    found = [(d[0], d[3]) for d in diagnostics(tmp_path, nodes) if d[3].startswith("condition-")]
    assert (line, "condition-always-true") in found
    # the same condition as authored (money < 100) holds after paying and not after crossing at once
    assert [d for d in diagnostics(tmp_path, RIVER) if d[0] == line] == []


def test_a_story_too_big_to_walk_gets_no_claim(tmp_path: Path) -> None:
    from crossing.textlint import constant_conditions

    story = river(tmp_path)
    assert constant_conditions(story, max_states=1) == []
    assert len(constant_conditions(story)) == 2


EXPECTED = Path(__file__).parent / "expected"


@pytest.mark.parametrize(("name", "args"), [
    ("answers-papers-plain.txt", ["--choices", "1,1", "--seed", "3"]),
    ("answers-no-papers-gentle.txt", ["--choices", "2,1", "--seed", "4", "--gentle"]),
])
def test_play_tells_the_paragraphs_narration_and_debrief_this_run_earned(tmp_path: Path, name: str, args: list[str]) -> None:
    """Through the real command, exact output at 60 columns (CROSSING_REGENERATE=1 rewrites the files)."""
    import os

    from typer.testing import CliRunner

    from crossing.cli import app

    root = write_story(tmp_path / "s", {"story.yaml": BASE_META, "n.yaml": RIVER})
    result = CliRunner().invoke(app, ["play", str(root), "--plain", *args], env={"COLUMNS": "60"})
    assert result.exit_code == 0, result.output
    path = EXPECTED / name
    if os.environ.get("CROSSING_REGENERATE") == "1":
        path.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == path.read_text(encoding="utf-8"), f"output differs from {path}"


def test_text_conditions_change_no_odds(tmp_path: Path) -> None:
    """Analysis and random runs give the same figures with and without the conditional paragraphs."""
    from crossing.analysis import analyze
    from crossing.randomruns import run_many

    plain = RIVER
    for old in ("      - if: papers\n        text: The papers are dry in your coat.\n        else: You have no papers.\n",
                "      - if: money < 100\n        text: Your pocket is lighter by fifty dollars.\n"):
        plain = plain.replace(old, "")
    with_text = river(tmp_path / "a")  # written under a/s
    without = load_story(write_story(tmp_path / "b", {"story.yaml": BASE_META, "n.yaml": plain})).story
    assert without is not None
    assert analyze(with_text).endings == analyze(without).endings
    assert run_many(with_text, 500, seed=2).endings == run_many(without, 500, seed=2).endings
