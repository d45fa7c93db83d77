"""`crossing class`: a lesson driven by scripted votes; the tallies and the tie rule end up in the transcript."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from crossing.cli import app
from crossing.engine import Engine
from crossing.render.classroom import TIE_RULE, ClassOptions, Vote, VoteError, parse_vote, run_class
from crossing.render.theme import crossing_theme
from crossing.transcript import Transcript, TranscriptWriter
from crossing.validation import validate_path

CLASSROOM = Path(__file__).parent / "stories" / "classroom"
runner = CliRunner()


def lesson(*lines: str, tmp_path: Path, seed: int = 1, extra: tuple[str, ...] = ()) -> tuple[str, dict[str, object]]:
    transcript = tmp_path / "class.json"
    result = runner.invoke(app, ["class", str(CLASSROOM), "--seed", str(seed), "--transcript", str(transcript), *extra],
                           input="".join(f"{line}\n" for line in lines))
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(transcript.read_text(encoding="utf-8"))
    return result.stdout, data


def votes(*typed: str, pages: int = 6) -> list[str]:
    """Enter through the pages up to each vote (an Enter at a vote only asks again), then through the ending."""
    out: list[str] = []
    for vote in typed:
        out.extend([""] * pages + [vote])
    return out + [""] * 10


def test_counts_are_kept_and_a_tie_goes_to_the_first_choice(tmp_path: Path) -> None:
    # Enter through the title and the scene; 12/5/3 hands at home; the same at the river with a 4-4 tie
    out, data = lesson(*votes("12 5 3", "4 4"), tmp_path=tmp_path)
    assert data["mode"] == "class" and data["finished"] is True
    steps = data["steps"]
    assert isinstance(steps, list)
    assert [s["choice_text"] for s in steps] == ["Go to the river", "Wade across"]
    assert [v["hands"] for v in steps[0]["votes"]] == [12, 5, 3] and steps[0]["tie"] is False
    assert [v["text"] for v in steps[0]["votes"]] == ["Go to the river", "Head for the mountains", "Stay home"]
    assert [v["hands"] for v in steps[1]["votes"]] == [4, 4] and steps[1]["tie"] is True
    assert steps[1]["draw"] is not None, "the wade is a random outcome, recorded like in play"
    ending = data["ending"]
    assert isinstance(ending, dict) and ending["node"] in ("far-bank", "caught")
    assert TIE_RULE in out
    assert "The class chose 1: Go to the river" in out
    assert "Hands: 12 for 1, 5 for 2, 3 for 3" in out
    assert "A tie: it goes to the choice listed first." in out
    # the closing screen shows the path next to the tallies
    closing = out[out.index("The class's path"):]
    assert "Go to the river" in closing and "12 / 5 / 3" in closing
    assert "Wade across" in closing and "4 / 4 (tie: first listed)" in closing


def test_a_three_way_tie_and_a_tie_for_second_place() -> None:
    assert parse_vote("3 7 7", 3) == Vote(2, (3, 7, 7), tie=True)
    assert parse_vote("5 5 5", 3) == Vote(1, (5, 5, 5), tie=True)
    assert parse_vote("9 2 2", 3) == Vote(1, (9, 2, 2), tie=False)
    assert parse_vote("1, 8", 2) == Vote(2, (1, 8))
    assert parse_vote(" 2 ", 3) == Vote(2, None)


@pytest.mark.parametrize(
    ("typed", "says"),
    [("", "Type the hands for each choice"), ("two", "Only whole numbers"), ("1.5 4 2", "Only whole numbers"),
     ("4", "There is no choice 4"), ("0", "There is no choice 0"), ("1 2", "2 counts for 3 choices"),
     ("0 0 0", "No hands counted"), ("-1 3 2", "Counts cannot be negative"), ("-2", "There is no choice -2"),
     ("999999999999999999999 1 2", "more hands than a class has: each count goes up to 1000"),
     ("1001 0 0", "each count goes up to 1000"), ("9" * 5000 + " 1 1", "each count goes up to 1000"),
     ("9" * 5000, "There is no choice 999999999999…"), ("3²", "Only whole numbers")],
)
def test_what_is_not_a_vote_is_explained(typed: str, says: str) -> None:
    with pytest.raises(VoteError) as caught:
        parse_vote(typed, 3)
    assert says in str(caught.value)


def test_winner_only_single_choices_and_asking_again(tmp_path: Path) -> None:
    out, data = lesson(*votes("two", "9", "2", "0 5"), tmp_path=tmp_path)
    assert "Only whole numbers" in out and "There is no choice 9" in out
    steps = data["steps"]
    assert isinstance(steps, list)
    assert [s["choice_text"] for s in steps] == ["Head for the mountains", "Climb on", "Wait for the thaw"]
    assert [v["hands"] for v in steps[0]["votes"]] == [None, None, None], "only the winner was typed"
    assert "votes" not in steps[1], "a scene with one way on holds no vote"
    assert [v["hands"] for v in steps[2]["votes"]] == [0, 5]
    assert isinstance(data["ending"], dict) and data["ending"]["node"] == "stayed"
    closing = out[out.index("The class's path"):]
    assert "winner given" in closing and "(one way on)" in closing and "0 / 5" in closing


def test_stopping_leaves_an_unfinished_class_transcript(tmp_path: Path) -> None:
    out, data = lesson("", "", "1 9 2", "q", "y", tmp_path=tmp_path)
    assert data["finished"] is False and data["ending"] is None
    steps = data["steps"]
    assert isinstance(steps, list) and len(steps) == 1
    assert "The lesson stopped before an ending" in out and "marked unfinished" in out
    transcript = Transcript.from_json((tmp_path / "class.json").read_text(encoding="utf-8"))
    assert transcript.mode == "class" and transcript.steps[0].votes is not None


def test_input_running_out_also_stops_cleanly(tmp_path: Path) -> None:
    _out, data = lesson("", tmp_path=tmp_path)
    assert data["finished"] is False and data["steps"] == []
    assert [s["node"] for s in data["scenes"]] == ["home"]  # type: ignore[union-attr]


def test_gentle_and_a_class_name(tmp_path: Path) -> None:
    out, data = lesson("", "", "1", "", "", tmp_path=tmp_path, extra=("--gentle", "--name", "10B"))
    assert "The water is low. A guard walks past." in out and "with a rifle" not in out
    assert "Content warning: violence (gentle telling)" in out
    assert data["name"] == "10B" and data["gentle"] is True


def test_markdown_class_transcript_lists_the_votes(tmp_path: Path) -> None:
    transcript = tmp_path / "class.md"
    result = runner.invoke(app, ["class", str(CLASSROOM), "--seed", "2", "--transcript", str(transcript)], input="\n\n3 3 1\n\n")
    assert result.exit_code == 0
    text = transcript.read_text(encoding="utf-8")
    assert "> **The class chose:** Go to the river" in text
    assert "(a tie: it went to the choice listed first)" in text and "Hands: 3 for “Go to the river”, 3 for" in text
    assert "- **Played:** as a class, voting at each choice" in text


def test_the_screen_is_cleared_between_scenes_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    result = validate_path(CLASSROOM)
    assert result.story is not None
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, force_terminal=True, theme=crossing_theme())
    script: Iterator[str] = iter(votes("3"))
    asked = 0

    def read(prompt: Text) -> str | None:
        nonlocal asked
        asked += 1
        return next(script, None)

    outcome = run_class(Engine(result.story, 1), console, read, ClassOptions(plain=True))
    assert outcome == "ending"
    # every page on a cleared terminal: one before each question, and the last page (the questions)
    shown = buffer.getvalue()
    assert shown.count("\x1b[2J") == asked + 1
    # side margins: a twentieth of the width each side
    assert "\n     == At home ==" in re.sub(r"\x1b\[[0-9;]*m", "", shown)


def test_a_class_transcript_feeds_the_report(tmp_path: Path) -> None:
    lesson(*votes("12 5 3", "4 4"), tmp_path=tmp_path)
    result = runner.invoke(app, ["report", str(tmp_path / "class.json"), "--story", str(CLASSROOM), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["runs"] == 1
    home = next(d for d in data["decisions"] if d["node"] == "home")
    assert [(c["count"], c["hands"]) for c in home["choices"]] == [(1, 12), (0, 5), (0, 3)]


def test_run_class_without_a_file_keeps_the_votes_in_memory(tmp_path: Path) -> None:
    result = validate_path(CLASSROOM)
    assert result.story is not None
    engine = Engine(result.story, 1)
    writer = TranscriptWriter.start(tmp_path / "c.json", engine, mode="class")
    script = iter(votes("1 2 3"))
    buffer = io.StringIO()
    outcome = run_class(engine, Console(file=buffer, width=80, theme=crossing_theme()), lambda p: next(script, None),
                        ClassOptions(), writer)
    assert outcome == "ending"
    assert writer.transcript.ending is not None and writer.transcript.ending.node == "stayed"
    assert "1 / 2 / 3" in buffer.getvalue()


def test_the_choices_wait_until_the_class_has_read_the_scene() -> None:
    result = validate_path(CLASSROOM)
    assert result.story is not None
    buffer = io.StringIO()
    seen: dict[str, str] = {}
    script = iter(votes("3"))

    def read(prompt: Text) -> str | None:
        seen.setdefault(prompt.plain.strip(), buffer.getvalue())  # what was on screen when the prompt came
        buffer.truncate(0)
        buffer.seek(0)
        return next(script, None)

    outcome = run_class(Engine(result.story, 1), Console(file=buffer, width=80, height=30, theme=crossing_theme()), read,
                        ClassOptions(plain=True))
    assert outcome == "ending"
    pause = next(p for p in seen if p.startswith("Press Enter to go on (f: the facts"))
    vote = next(p for p in seen if p.startswith("Votes for 1-3"))
    assert "Winter is coming" in seen[pause] and "Head for the mountains" not in seen[pause]
    assert "Head for the mountains" in seen[vote] and TIE_RULE in seen[vote]


def test_a_vote_beyond_any_class_is_refused_and_asked_again(tmp_path: Path) -> None:
    out, data = lesson(*votes("999999999999999999999 1 1", "-1 3 0", "0 1 3"), tmp_path=tmp_path)
    assert "more hands than a class has: each count goes up to 1000" in " ".join(out.split())
    assert "Counts cannot be negative" in out
    steps = data["steps"]
    assert isinstance(steps, list) and [v["hands"] for v in steps[0]["votes"]] == [0, 1, 3]


def test_the_closing_screen_reads_on_a_narrow_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    out, _ = lesson(*votes("5 12 3", "0 5"), tmp_path=tmp_path)
    assert all(len(line.rstrip()) <= 40 for line in out.splitlines()), "no line wider than the terminal"
    closing = " ".join(out[out.index("The class's path"):].split())
    assert "1. At home The class chose: Head for the mountains Hands: 5 / 12 / 3" in closing
    assert "The class chose: Climb on (one way on)" in closing
    assert "3. The ridge The class chose: Wait for the thaw Hands: 0 / 5" in closing
    assert "…" not in out


def test_ctrl_c_says_whether_the_class_transcript_was_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted_after(*answers: str) -> object:
        def reader(console: Console) -> object:
            script = iter(answers)

            def read(prompt: Text) -> str | None:
                answer = next(script, None)
                if answer is None:
                    raise KeyboardInterrupt
                return answer

            return read

        return reader

    transcript = tmp_path / "class.json"
    monkeypatch.setattr("crossing.cli.classroom.from_stdin", interrupted_after("", "", "1 9 2"))
    kept = runner.invoke(app, ["class", str(CLASSROOM), "--seed", "1", "--transcript", str(transcript)])
    assert kept.exit_code == 130
    assert f"The transcript so far is in {transcript} (marked unfinished)." in kept.stderr
    assert json.loads(transcript.read_text(encoding="utf-8"))["finished"] is False
    monkeypatch.setattr("crossing.cli.classroom.from_stdin", interrupted_after("", "", "1 9 2"))
    nothing = runner.invoke(app, ["class", str(CLASSROOM), "--seed", "1"])
    assert nothing.exit_code == 130
    assert "No class transcript was kept (add --transcript FILE to keep one next time)." in nothing.stderr
    early = tmp_path / "early.json"
    monkeypatch.setattr("crossing.cli.classroom.from_stdin", interrupted_after())
    before = runner.invoke(app, ["class", str(CLASSROOM), "--seed", "1", "--transcript", str(early)])
    assert before.exit_code == 130  # stopped on the title screen: the transcript holds the lesson's start
    assert f"The transcript so far is in {early} (marked unfinished)." in before.stderr


def _screens(story_path: Path, typed: str, *, width: int = 80, height: int = 24, gentle: bool = False,
             seed: int = 3, facts: bool = False) -> list[str]:
    """Every screen of a whole lesson (what was on screen at each prompt, then the last page), voting
    ``typed`` at every vote (and, with ``facts``, asking for each scene's facts)."""
    from crossing.storecache import load_checked

    story = load_checked(story_path).story
    assert story is not None
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, height=height, theme=crossing_theme())
    screens: list[str] = []

    def read(prompt: Text) -> str | None:
        screens.append(buffer.getvalue() + prompt.plain)
        buffer.truncate(0)
        buffer.seek(0)
        if len(screens) > 400:
            return None
        if facts and "f: the facts" in prompt.plain:
            return "f"
        return typed if prompt.plain.strip().startswith("Votes for") else ""

    assert run_class(Engine(story, seed), console, read, ClassOptions(gentle=gentle, plain=True)) == "ending"
    return [*screens, buffer.getvalue()]


@pytest.mark.parametrize(("width", "height"), [(80, 24), (100, 30)])
def test_a_long_path_is_paged_so_nothing_scrolls_away(width: int, height: int) -> None:
    from crossing.paths import default_story_path

    screens = _screens(default_story_path(), "2", width=width, height=height)
    assert all(len(s.splitlines()) <= height for s in screens), max(len(s.splitlines()) for s in screens)
    path = [s for s in screens if "The class's path" in s]
    assert len(path) > 1, "sixteen votes take more than one screen"
    assert all("Hands per choice" in s for s in path), "every page keeps the table's header"
    assert "(steps 1-" in path[0] and " of 16)" in path[-1]
    numbers = [int(m) for s in path for m in re.findall(r"^\s+(\d+)\s{2,}\S", s, re.MULTILINE)]
    assert numbers == list(range(1, 17))


def test_what_chance_decided_is_told_before_the_next_scene(tmp_path: Path) -> None:
    story = tmp_path / "story"
    story.mkdir()
    (story / "story.yaml").write_text((CLASSROOM / "story.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    nodes = (CLASSROOM / "nodes.yaml").read_text(encoding="utf-8")
    told = nodes.replace("          - weight: 1\n            goto: far-bank",
                         "          - weight: 1\n            text: The current carries you to a sandbar.\n            goto: far-bank", 1)
    told = told.replace("          - weight: 1\n            goto: caught",
                        "          - weight: 1\n            text: A torch finds you in the water.\n            goto: caught", 1)
    assert told.count("text: The current") == 1 and told.count("text: A torch") == 1
    (story / "nodes.yaml").write_text(told, encoding="utf-8")
    told_lines = {"The current carries you to a sandbar.", "A torch finds you in the water."}
    for seed in (1, 2, 3, 4):
        screens = _screens(story, "1", seed=seed)
        voted = next(i for i, s in enumerate(screens) if "The class chose 1: Wade across" in s)
        assert "partly down to chance" in screens[voted]
        after = " ".join(screens[voted + 1].split())
        said = [line for line in told_lines if line in after]
        assert len(said) == 1, after
        assert after.index(said[0]) < after.index("Ending"), "told before the ending it led to"


@pytest.mark.parametrize(("gentle", "says"), [(False, "told in full"), (True, "Gentle telling: this scene is told without the details.")])
def test_a_content_warning_has_a_screen_of_its_own(gentle: bool, says: str) -> None:
    screens = _screens(CLASSROOM, "1", gentle=gentle, seed=1)
    warned = next(i for i, s in enumerate(screens) if "Content warning: violence" in s and "The riverbank" in s)
    screen = " ".join(screens[warned].split())
    assert says in screen and "Press Enter to continue" in screen
    assert "The water is low" not in screen, "the scene comes on the next screen"
    assert "The water is low" in screens[warned + 1] and "Content warning" not in screens[warned + 1]


def test_the_facts_heading_comes_once_per_scene() -> None:
    from crossing.paths import default_story_path

    screens = _screens(default_story_path(), "2", width=100, height=30, facts=True)
    assert all(s.count("What this scene rests on") <= 1 for s in screens)
    assert any(s.count("Source:") > 1 for s in screens), "some screen holds more than one fact"


def test_a_class_vote_reaches_the_playthrough_listeners(tmp_path: Path) -> None:
    """Class mode drives a Playthrough like play and serve: the votes of a step come with its ChoiceTaken,
    and the play transcript listener records them as the class transcript does."""
    from crossing.playthrough import ChoiceTaken, Event, Playthrough
    from crossing.transcript import transcript_listener
    from crossing.votes import vote_counts

    result = validate_path(CLASSROOM)
    assert result.story is not None
    engine = Engine(result.story, 1)
    writer = TranscriptWriter.start(tmp_path / "c.json", engine, mode="class")
    taken: list[ChoiceTaken] = []

    def note(_run: Playthrough, event: Event) -> None:
        if isinstance(event, ChoiceTaken):
            taken.append(event)

    run = Playthrough(engine, listeners=[transcript_listener(writer), note])
    offered = run.arrive().offered
    vote = parse_vote("3 7 7", len(offered))
    run.choose(vote.winner, vote_counts(offered, vote), tie=vote.tie)
    assert [v.hands for v in taken[0].votes or ()] == [3, 7, 7] and taken[0].tie
    step = writer.transcript.path_steps[0]
    assert step.tie and [v.hands for v in step.votes or ()] == [3, 7, 7]
