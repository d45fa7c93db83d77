"""Transcripts: what a run records, that the file is whole after every step, reading it back with reasons."""

from __future__ import annotations

import getpass
import io
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text

from crossing.engine import Engine
from crossing.model import Story
from crossing.playthrough import Playthrough
from crossing.render.theme import crossing_theme
from crossing.session import SessionEnd, SessionOptions, play
from crossing.transcript import (
    Transcript,
    TranscriptError,
    TranscriptWriter,
    md_text,
    transcript_listener,
)
from crossing.validation import validate_path
from helpers import write_story

CLASSROOM = Path(__file__).parent / "stories" / "classroom"
START = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)


def load(path: Path = CLASSROOM) -> Story:
    result = validate_path(path)
    assert result.story is not None and not result.errors, result.errors
    return result.story


def run(
    story: Story,
    path: Path,
    answers: list[str],
    *,
    seed: int = 1,
    name: str | None = None,
    gentle: bool = False,
    on_read: Callable[[], None] | None = None,
) -> tuple[Engine, SessionEnd]:
    engine = Engine(story, seed)
    writer = TranscriptWriter.start(path, engine, name=name, gentle=gentle, started=START)
    hooks = transcript_listener(writer)
    script: Iterator[str] = iter(answers)

    def read(prompt: Text) -> str | None:
        if on_read is not None:
            on_read()
        return next(script, None)

    console = Console(file=io.StringIO(), width=80, theme=crossing_theme())
    outcome = play(Playthrough(engine, gentle, [hooks]), console, read, SessionOptions(gentle=gentle))
    return engine, outcome


def seed_where(story: Story, answers: list[str], ending: str) -> int:
    """A seed under which these answers end at this ending (the draws depend on the seed only)."""
    for seed in range(200):
        engine = Engine(story, seed)
        for answer in answers:
            engine.choose(int(answer))
        if engine.node.id == ending:
            return seed
    raise AssertionError(f"no seed reaches {ending}")


def test_json_transcript_records_scenes_choices_draws_and_ending(tmp_path: Path) -> None:
    story = load()
    seed = seed_where(story, ["1", "2"], "caught")
    engine, outcome = run(story, tmp_path / "run.json", ["1", "2"], seed=seed)
    assert outcome == "ending"
    data = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert data["format"] == "crossing-transcript" and data["version"] == 2 and data["mode"] == "play"
    assert data["story"] == {"title": "Classroom crossing", "version": "1", "digest": story.digest}
    assert len(story.digest) == 64
    assert data["seed"] == seed
    assert data["started"] == "2025-03-04T09:30:00+00:00"
    assert data["finished"] is True
    assert [s["node"] for s in data["scenes"]] == ["home", "river-bank", "caught"]
    assert data["scenes"][1]["text"] == "The water is low. A guard walks past with a rifle."
    assert [(s["node"], s["choice_text"], s["target"]) for s in data["steps"]] == [
        ("home", "Go to the river", "river-bank"),
        ("river-bank", "Pay a broker", "caught"),
    ]
    # the first choice has no draw; the broker's outcome is drawn, and the record is the engine's draw
    assert data["steps"][0]["draw"] is None and data["steps"][0]["outcome_index"] is None
    drawn = engine.state.history[1]
    assert data["steps"][1]["draw"] == drawn.draw and data["steps"][1]["outcome_index"] == drawn.outcome_index == 1
    assert data["ending"]["node"] == "caught"
    assert data["ending"]["kind"] == "caught" and data["ending"]["title"] == "Sent back"
    assert data["ending"]["kind_label"] == "Caught and sent back" and data["ending"]["safe"] is False
    assert data["ending"]["debrief"]["questions"] == ["What happens to people who are sent back?",
                                                      "Who decides whether a person is a refugee?"]


def test_file_is_complete_and_valid_after_every_step(tmp_path: Path) -> None:
    story = load()
    target = tmp_path / "run.json"
    seen: list[tuple[bool, int, int]] = []

    def check() -> None:
        # every time the player is asked, the file on disk is a whole transcript of the run so far
        transcript = Transcript.from_json(target.read_text(encoding="utf-8"))
        seen.append((transcript.finished, len(transcript.scenes), len(transcript.steps)))

    _, outcome = run(story, target, ["2", "1", "q"], on_read=check)
    assert outcome == "quit"
    assert seen == [(False, 1, 0), (False, 2, 1), (False, 3, 2)]
    final = Transcript.from_json(target.read_text(encoding="utf-8"))
    assert not final.finished and final.ending is None
    assert [s.choice_text for s in final.steps] == ["Head for the mountains", "Climb on"]
    assert json.loads(target.read_text(encoding="utf-8"))["finished"] is False
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file is left behind"


def test_a_run_cut_short_by_an_interrupt_leaves_a_usable_transcript(tmp_path: Path) -> None:
    story = load()
    target = tmp_path / "run.json"
    calls = 0

    def interrupt() -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(story, target, ["1", "1"], on_read=interrupt)
    transcript = Transcript.from_json(target.read_text(encoding="utf-8"))
    assert not transcript.finished
    assert [s.node for s in transcript.scenes] == ["home", "river-bank"]
    assert [s.choice_text for s in transcript.steps] == ["Go to the river"]


def test_going_back_keeps_the_choice_marked_undone(tmp_path: Path) -> None:
    story = load()
    _, outcome = run(story, tmp_path / "run.json", ["1", "b", "3"])
    assert outcome == "ending"
    transcript = Transcript.from_json((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert [(s.choice_text, s.undone) for s in transcript.steps] == [("Go to the river", True), ("Stay home", False)]
    assert [s.choice_text for s in transcript.path_steps] == ["Stay home"]
    assert [s.node for s in transcript.scenes] == ["home", "river-bank", "home", "stayed"]
    assert transcript.ending is not None and transcript.ending.node == "stayed"


def test_markdown_transcript_reads_as_a_handout(tmp_path: Path) -> None:
    story = load()
    target = tmp_path / "run.md"
    _, outcome = run(story, target, ["2", "1", "2"], name="Min-ji")
    assert outcome == "ending"
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Classroom crossing\n")
    assert "- **Name:** Min-ji" in text
    assert "## At home\n\nWinter is coming and there is no food left.\n\nYour cousin says there are two ways out.\n" in text
    assert "> **I chose:** Head for the mountains" in text
    assert "## Ending: Stayed behind" in text
    assert "### To discuss\n\n1. Is staying a safe choice?" in text
    assert "Unfinished" not in text
    assert text.index("## The ridge") < text.index("> **I chose:** Wait for the thaw") < text.index("## Ending")


def test_markdown_of_an_unfinished_run_says_so(tmp_path: Path) -> None:
    story = load()
    target = tmp_path / "run.md"
    _, outcome = run(story, target, ["1"])
    assert outcome == "input-ended"
    text = target.read_text(encoding="utf-8")
    assert "> **Unfinished:** this run stopped before an ending." in text
    assert "## The riverbank" in text and "## Ending" not in text


def test_nothing_personal_without_a_name(tmp_path: Path) -> None:
    story = load()
    run(story, tmp_path / "anon.json", ["3"])
    text = (tmp_path / "anon.json").read_text(encoding="utf-8")
    assert json.loads(text)["name"] is None
    for personal in (getpass.getuser(), str(Path.home()), str(tmp_path), str(CLASSROOM)):
        assert personal not in text
    run(story, tmp_path / "named.json", ["3"], name="  Fox  ")
    assert json.loads((tmp_path / "named.json").read_text(encoding="utf-8"))["name"] == "Fox"


def test_gentle_runs_record_the_gentle_telling(tmp_path: Path) -> None:
    story = load()
    run(story, tmp_path / "run.json", ["1"], gentle=True)
    transcript = Transcript.from_json((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert transcript.gentle
    assert transcript.scenes[1].text == "The water is low. A guard walks past."


def test_json_round_trip_is_exact(tmp_path: Path) -> None:
    story = load()
    run(story, tmp_path / "run.json", ["1", "b", "2", "1", "1"], seed=5, name="A")
    original = Transcript.from_json((tmp_path / "run.json").read_text(encoding="utf-8"))
    again = Transcript.from_json(original.to_json())
    assert again == original
    assert again.to_markdown() == original.to_markdown()


def _valid(tmp_path: Path) -> dict[str, object]:
    run(load(), tmp_path / "ok.json", ["1", "1"], seed=2)
    data: dict[str, object] = json.loads((tmp_path / "ok.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d.update(format="something-else"), "not a Crossing transcript"),
        (lambda d: d.update(version=99), "version 99 is not supported"),
        (lambda d: d.pop("seed"), "has no 'seed'"),
        (lambda d: d.update(seed=True), "'seed' in the transcript has the wrong type"),
        (lambda d: d.update(steps="many"), "'steps' in the transcript has the wrong type"),
        (lambda d: d["steps"][0].update(target="nowhere"), "the path breaks"),  # type: ignore[index]
        (lambda d: d.update(finished=False), "'finished' does not agree with 'ending'"),
        (lambda d: d["steps"][1].update(draw=1.5), "random draw outside [0, 1)"),  # type: ignore[index]
        (lambda d: d["steps"][1].update(outcome_index=None), "a random draw without an outcome"),  # type: ignore[index]
        (lambda d: d["steps"][0].update(choice_index=-1), "out of range"),  # type: ignore[index]
        (lambda d: d.update(mode="party"), "unknown mode"),
    ],
)
def test_from_json_says_what_is_wrong(tmp_path: Path, change: Callable[[dict[str, object]], object], reason: str) -> None:
    data = _valid(tmp_path)
    Transcript.from_dict(data)  # the untouched transcript is valid
    change(data)
    with pytest.raises(TranscriptError, match=None) as caught:
        Transcript.from_json(json.dumps(data))
    assert reason in str(caught.value)


@pytest.mark.parametrize(
    ("text", "reason"),
    [("", "the file is empty"), ("  \n", "the file is empty"), ("{oops", "not valid JSON (line 1"),
     ("[1, 2]", "the transcript is not a JSON object"), ("null", "not a JSON object")],
)
def test_from_json_rejects_what_is_not_a_transcript(text: str, reason: str) -> None:
    with pytest.raises(TranscriptError) as caught:
        Transcript.from_json(text)
    assert reason in str(caught.value)


def test_writer_wants_a_json_or_markdown_file(tmp_path: Path) -> None:
    engine = Engine(load(), 1)
    with pytest.raises(TranscriptError, match=r"must end in \.json"):
        TranscriptWriter.start(tmp_path / "run.txt", engine)
    assert not (tmp_path / "run.txt").exists()


def test_writer_turns_a_write_failure_into_a_crossing_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(TranscriptError, match="cannot write the transcript"):
        TranscriptWriter.start(blocker / "run.json", Engine(load(), 1))


def test_story_markup_in_markdown_is_escaped(tmp_path: Path) -> None:
    root = write_story(tmp_path / "marked", {
        "story.yaml": "title: '# Not *a* heading'\nstart: a\n",
        "a.yaml": """\
            nodes:
              a:
                title: "<b>bold</b>"
                text: "1. not a list, *not bold*, [not](a link)"
                choices:
                  - text: "- not a bullet"
                    goto: b
              b:
                text: "done"
                ending: {kind: safety, title: "_end_"}
            """,
    })
    run(load(root), tmp_path / "m.md", ["1"])
    text = (tmp_path / "m.md").read_text(encoding="utf-8")
    assert "# \\# Not \\*a\\* heading\n" in text
    assert "## \\<b\\>bold\\</b\\>" in text
    assert "1\\. not a list, \\*not bold\\*, \\[not\\](a link)" in text
    assert "> **I chose:** \\- not a bullet" in text
    assert "## Ending: \\_end\\_" in text


def test_md_text_escapes_only_what_would_be_markup() -> None:
    assert md_text("It's 2014. A year.") == "It's 2014. A year."
    assert md_text("2014. A year.") == "2014\\. A year."
    assert md_text("2014. A year.", line_start=False) == "2014. A year."
    assert md_text("a\x1b[31mred") == "a\\\\x1b\\[31mred"
    assert md_text("two\nlines") == "two lines"


def test_a_resumed_run_starts_its_transcript_with_the_steps_before(tmp_path: Path) -> None:
    story = load()
    earlier = Engine(story, 9)
    earlier.choose(2)  # the mountains, in an earlier session
    resumed = Engine(story, 9, type(earlier.state).from_dict(earlier.state.to_dict()))
    writer = TranscriptWriter.start(tmp_path / "run.json", resumed, started=START)
    hooks = transcript_listener(writer)
    script = iter(["1", "b", "1", "2"])
    console = Console(file=io.StringIO(), width=80, theme=crossing_theme())
    outcome = play(Playthrough(resumed, False, [hooks]), console, lambda prompt: next(script, None), SessionOptions())
    assert outcome == "ending"
    transcript = Transcript.from_json((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert [s.choice_text for s in transcript.path_steps] == ["Head for the mountains", "Climb on", "Wait for the thaw"]
    assert [(s.choice_text, s.undone) for s in transcript.steps][:3] == [
        ("Head for the mountains", False), ("Climb on", True), ("Climb on", False)]
    assert [s.node for s in transcript.scenes] == ["home", "mountain-pass", "ridge", "mountain-pass", "ridge", "stayed"]
