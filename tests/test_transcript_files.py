"""Issue 13: a student's transcript is never lost: never overwritten, continued by --resume (name and
all), written as .json and .md at once, carrying a run id, the facts shown and the path."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from crossing.cli import app
from crossing.transcript import Transcript

CLASSROOM = Path(__file__).parent / "stories" / "classroom"
runner = CliRunner()


def play(*args: str, answers: str = "") -> str:
    result = runner.invoke(app, ["play", str(CLASSROOM), *args], input=answers)
    assert result.exit_code == 0, result.output
    return result.output


def read(path: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_playing_again_never_overwrites_a_finished_transcript(tmp_path: Path) -> None:
    me = tmp_path / "transcripts" / "fox.json"
    play("--seed", "1", "--transcript", str(me), "--name", "Fox", answers="3\n")
    first = me.read_text(encoding="utf-8")
    assert read(me)["finished"] is True
    out = play("--seed", "1", "--transcript", str(me), answers="1\n")
    assert me.read_text(encoding="utf-8") == first, "the finished transcript is untouched"
    second = tmp_path / "transcripts" / "fox-2.json"
    assert second.is_file() and "fox-2.json" in out.replace("\n", "")
    assert read(second)["run"] != read(me)["run"]


def test_resume_continues_the_transcript_name_and_all_without_repeating_it(tmp_path: Path) -> None:
    me = tmp_path / "fox.json"
    play("--seed", "5", "--save", "--transcript", str(me), "--name", "Fox", answers="1\n")  # piped: saved only with --save
    started = read(me)
    assert started["finished"] is False
    play("--resume", answers="1\n")
    done = read(me)
    assert done["finished"] is True, "the resumed run finished, and so did its transcript"
    assert done["name"] == "Fox" and done["run"] == started["run"] and done["started"] == started["started"]
    assert [s["choice_text"] for s in done["steps"]] == ["Go to the river", "Wade across"]  # type: ignore[index]
    assert not list(tmp_path.glob("fox-*.json"))


def test_resume_with_the_transcript_named_again_keeps_the_same_file_and_name(tmp_path: Path) -> None:
    me = tmp_path / "fox.json"
    play("--seed", "5", "--save", "--transcript", str(me), "--name", "Fox", answers="1\n")  # piped: saved only with --save
    play("--resume", "--transcript", str(me), answers="1\n")
    done = read(me)
    assert done["finished"] is True and done["name"] == "Fox"
    assert not list(tmp_path.glob("fox-*.json"))


def test_resume_with_nothing_to_resume_does_not_overwrite(tmp_path: Path) -> None:
    me = tmp_path / "fox.json"
    play("--seed", "1", "--transcript", str(me), "--name", "Fox", answers="3\n")
    first = me.read_text(encoding="utf-8")
    play("--resume", "--transcript", str(me), answers="3\n")
    assert me.read_text(encoding="utf-8") == first
    assert read(tmp_path / "fox-2.json")["name"] == "Fox"


def test_one_run_writes_json_and_markdown(tmp_path: Path) -> None:
    play("--seed", "1", "--transcript", str(tmp_path / "me.json"), "--transcript", str(tmp_path / "me.md"), answers="1\n1\n")
    data = read(tmp_path / "me.json")
    text = (tmp_path / "me.md").read_text(encoding="utf-8")
    assert data["finished"] is True and "## Ending:" in text
    # the Markdown is the story as lived: no seed, no draws
    assert "seed" not in text.lower() and "draw" not in text.lower()


def test_two_json_transcripts_are_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["play", str(CLASSROOM), "--transcript", str(tmp_path / "a.json"),
                                 "--transcript", str(tmp_path / "b.json")], input="")
    assert result.exit_code == 1 and "one .json and one .md" in " ".join(result.output.split())


def test_json_carries_run_id_facts_with_sources_and_path(tmp_path: Path) -> None:
    play("--seed", "1", "--transcript", str(tmp_path / "me.json"), answers="1\n1\n")
    data = read(tmp_path / "me.json")
    assert isinstance(data["run"], str) and len(data["run"]) == 32
    assert data["path"] == ["home", "river-bank", "caught"] or data["path"][:2] == ["home", "river-bank"]  # type: ignore[index]
    facts = data["facts"]
    assert isinstance(facts, list) and facts
    first = facts[0]
    assert first["claim"] == "Most people who leave cross into China first."
    assert first["citation"].startswith("UNHCR") and first["url"] == "https://www.unhcr.org/global-trends"
    assert Transcript.from_dict(data).facts[0].claim == first["claim"]


def test_a_transcript_written_before_run_ids_still_reads(tmp_path: Path) -> None:
    play("--seed", "1", "--transcript", str(tmp_path / "me.json"), answers="3\n")
    data = read(tmp_path / "me.json")
    for key in ("run", "path", "facts"):
        data.pop(key)
    data["version"] = 1
    for scene in data["scenes"]:  # type: ignore[attr-defined]
        scene.pop("facts")
    old = Transcript.from_dict(data)
    assert old.run is None and old.finished
