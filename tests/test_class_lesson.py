"""Issue 13: class mode paced for a projector: pages that fit the screen, b to go back (undoing a vote),
q asking first, Enter only moving on, --resume and --from."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from crossing.cli import app
from crossing.engine import Engine
from crossing.paths import default_story_path
from crossing.render.classroom import ClassOptions, run_class
from crossing.render.theme import crossing_theme
from crossing.storecache import load_checked

CLASSROOM = Path(__file__).parent / "stories" / "classroom"
runner = CliRunner()


def lesson(*lines: str, tmp_path: Path, extra: tuple[str, ...] = ()) -> tuple[int, str, dict[str, object]]:
    transcript = tmp_path / "class.json"
    result = runner.invoke(app, ["class", str(CLASSROOM), "--seed", "1", "--transcript", str(transcript), *extra],
                           input="".join(f"{line}\n" for line in lines))
    data: dict[str, object] = json.loads(transcript.read_text(encoding="utf-8")) if transcript.exists() else {}
    return result.exit_code, result.stdout, data


def test_b_at_a_vote_goes_back_a_page_instead_of_asking_for_numbers(tmp_path: Path) -> None:
    code, out, _ = lesson("", "", "b", tmp_path=tmp_path)
    assert code == 0
    assert "Only whole numbers" not in out
    assert out.count("Winter is coming") == 2, "back on the scene's text"


def test_b_after_a_vote_undoes_it(tmp_path: Path) -> None:
    _code, _out, data = lesson("", "", "1", "b", "3", "", tmp_path=tmp_path)
    steps = data["steps"]
    assert isinstance(steps, list)
    assert [(s["choice_text"], s["undone"]) for s in steps] == [("Go to the river", True), ("Stay home", False)]


def test_b_from_the_first_page_of_a_scene_goes_back_to_the_last_vote(tmp_path: Path) -> None:
    _code, _out, data = lesson("", "", "1", "", "b", "2", "", tmp_path=tmp_path)
    steps = data["steps"]
    assert isinstance(steps, list)
    assert [(s["choice_text"], s["undone"]) for s in steps] == [("Go to the river", True), ("Head for the mountains", False)]


def test_press_enter_takes_only_enter(tmp_path: Path) -> None:
    _code, out, data = lesson("", "x", "", "1", tmp_path=tmp_path)
    assert "Press Enter to go on, f for the facts, b to go back, or q to end the lesson." in " ".join(out.split())
    steps = data["steps"]
    assert isinstance(steps, list) and [s["choice_text"] for s in steps] == ["Go to the river"]


def test_q_asks_before_ending_the_lesson(tmp_path: Path) -> None:
    _code, out, data = lesson("", "q", "n", "", "2", tmp_path=tmp_path)
    assert "End the lesson? (y/n)" in out
    steps = data["steps"]
    assert isinstance(steps, list) and [s["choice_text"] for s in steps] == ["Head for the mountains"], "n: the lesson goes on"
    _code, out, data = lesson("", "q", "y", tmp_path=tmp_path / "again")
    assert "The lesson stopped before an ending" in out


def test_resume_continues_the_last_lesson_votes_and_all(tmp_path: Path) -> None:
    _code, out, first = lesson("", "", "12 5 3", "", "q", "y", tmp_path=tmp_path)
    assert "crossing class --resume" in " ".join(out.split())
    result = runner.invoke(app, ["class", str(CLASSROOM), "--resume"], input="\n" * 3 + "4 4\n" + "\n" * 8)
    assert result.exit_code == 0, result.output
    assert "1 vote in" in result.stderr
    data = json.loads((tmp_path / "class.json").read_text(encoding="utf-8"))
    assert data["finished"] is True and data["run"] == first["run"]
    assert [[v["hands"] for v in s["votes"]] for s in data["steps"]] == [[12, 5, 3], [4, 4]]
    again = runner.invoke(app, ["class", str(CLASSROOM), "--resume"], input="")
    assert again.exit_code == 1 and "reached an ending" in again.stderr


def test_resume_without_a_lesson_says_so(tmp_path: Path) -> None:
    result = runner.invoke(app, ["class", str(CLASSROOM), "--resume"], input="")
    assert result.exit_code == 1 and "no lesson of 'Classroom crossing' to resume" in " ".join(result.stderr.split())


def test_from_starts_at_a_scene(tmp_path: Path) -> None:
    _code, _out, data = lesson("", "", tmp_path=tmp_path, extra=("--from", "mountain-pass"))
    scenes = data["scenes"]
    assert isinstance(scenes, list) and scenes[0]["node"] == "mountain-pass"
    bad = runner.invoke(app, ["class", str(CLASSROOM), "--from", "nowhere"], input="")
    assert bad.exit_code == 2 and "no scene 'nowhere'" in bad.stderr


def test_the_ending_ends_with_the_questions(tmp_path: Path) -> None:
    _code, out, data = lesson("", "", "3", *[""] * 10, tmp_path=tmp_path)
    assert data["finished"] is True
    tail = out.rstrip().splitlines()[-4:]
    assert "Is staying a safe choice?" in "\n".join(tail), "the questions are last, and stay on screen"


@pytest.mark.parametrize(("width", "height"), [(80, 24), (100, 30)])
def test_every_page_of_the_default_story_fits_the_screen(width: int, height: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")  # a terminal that can clear its screen
    story = load_checked(default_story_path()).story
    assert story is not None
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, height=height, theme=crossing_theme(), force_terminal=True)
    pages: list[str] = []
    script: Iterator[str] = iter(["", "", "", "", "", "1"] * 60)

    def read(prompt: Text) -> str | None:
        pages.append(buffer.getvalue().split("\x1b[2J")[-1])
        return next(script, None)

    run_class(Engine(story, 7), console, read, ClassOptions())
    pages.append(buffer.getvalue().split("\x1b[2J")[-1])
    assert len(pages) > 20
    for page in pages:
        lines = page.rstrip("\n").split("\n")
        assert len(lines) <= height - 1, f"page {pages.index(page)} of {len(pages)}: {len(lines)} lines on a {height}-line screen:\n{page}"


def test_a_lesson_open_in_another_window_is_not_resumed_twice(tmp_path: Path) -> None:
    from crossing.lesson import lesson_file
    from crossing.locking import RunLock

    lesson("", "", "12 5 3", "", "q", "y", tmp_path=tmp_path)
    other = RunLock(lesson_file())
    assert other.acquire(), "another window holds the lesson"
    try:
        result = runner.invoke(app, ["class", str(CLASSROOM), "--resume"], input="")
        assert result.exit_code == 1 and "open in another Crossing window" in result.stderr
        fresh = runner.invoke(app, ["class", str(CLASSROOM), "--seed", "1"], input="\n")
        assert fresh.exit_code == 0 and "not kept for --resume" in fresh.stderr
    finally:
        other.release()


def test_resume_says_which_lesson_it_resumes(tmp_path: Path) -> None:
    lesson("", "", "12 5 3", "", "q", "y", tmp_path=tmp_path, extra=("--name", "10B"))
    result = runner.invoke(app, ["class", str(CLASSROOM), "--resume"], input="")
    said = " ".join(result.stderr.split())
    assert "Resuming the last lesson of 'Classroom crossing' (class 10B, started 20" in said and "1 vote in" in said
