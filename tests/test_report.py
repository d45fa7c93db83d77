"""`crossing report`: a class's transcripts counted exactly, bad ones skipped with a reason."""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import sys
import types
from collections import Counter
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from crossing.cli import app
from crossing.engine import Engine
from crossing.model import Story
from crossing.render.theme import crossing_theme
from crossing.session import Hooks, SessionOptions, play
from crossing.transcript import Transcript, TranscriptWriter, transcript_hooks
from crossing.validation import validate_path
from helpers import run_crossing

CLASSROOM = Path(__file__).parent / "stories" / "classroom"
MINI = Path(__file__).parent / "stories" / "mini"
runner = CliRunner()


def load(path: Path) -> Story:
    result = validate_path(path)
    assert result.story is not None and not result.errors
    return result.story


def random_run(story: Story, target: Path, seed: int, *, stop_after: int | None = None) -> None:
    """A student picking at random (their own dice, seeded) through the real play loop."""
    engine = Engine(story, seed)
    dice = random.Random(seed * 7919)
    writer = TranscriptWriter.start(target, engine)
    hooks = transcript_hooks(writer)
    taken = 0

    def read(prompt: Text) -> str | None:
        nonlocal taken
        if stop_after is not None and taken >= stop_after:
            return None
        taken += 1
        return str(dice.randint(1, len(engine.offered())))

    play(engine, Console(file=io.StringIO(), theme=crossing_theme()), read, SessionOptions(),
         Hooks(on_scene=hooks.on_scene, after_step=hooks.after_step))


@pytest.fixture(scope="module")
def class_runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Thirty students' transcripts, each run with its own seed."""
    folder = tmp_path_factory.mktemp("transcripts")
    story = load(CLASSROOM)
    for seed in range(30):
        random_run(story, folder / f"student-{seed:02d}.json", seed)
    return folder


def recorded(folder: Path) -> list[Transcript]:
    return [Transcript.from_json(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def report_json(*args: str) -> dict[str, object]:
    result = runner.invoke(app, ["report", *args, "--story", str(CLASSROOM), "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_thirty_runs_are_counted_exactly(class_runs: Path) -> None:
    transcripts = recorded(class_runs)
    assert len(transcripts) == 30 and all(t.finished for t in transcripts)
    expected = Counter(t.ending.node for t in transcripts if t.ending)
    assert len(expected) >= 3, "the seeds should spread the runs over several endings"
    data = report_json(str(class_runs))
    assert data["runs"] == 30 and data["unfinished"] == 0
    story = load(CLASSROOM)
    assert data["endings"] == {node.id: expected.get(node.id, 0) for node in story.endings()}
    kinds = Counter(t.ending.kind for t in transcripts if t.ending)
    assert data["ending_kinds"] == {"stayed": kinds["stayed"], "safety": kinds["safety"], "caught": kinds["caught"]}
    # the split at the first decision is the first choice of every run
    firsts = Counter(t.steps[0].choice_text for t in transcripts)
    decisions = {d["node"]: d for d in data["decisions"]}  # type: ignore[attr-defined]
    assert {c["text"]: c["count"] for c in decisions["home"]["choices"]} == {
        "Go to the river": firsts["Go to the river"], "Head for the mountains": firsts["Head for the mountains"],
        "Stay home": firsts["Stay home"],
    }
    assert data["skipped"] == []


def test_report_through_python_m_crossing(class_runs: Path) -> None:
    result = run_crossing("report", str(class_runs), "--story", str(CLASSROOM), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    expected = Counter(t.ending.node for t in recorded(class_runs) if t.ending)
    assert data["runs"] == 30
    assert {k: v for k, v in data["endings"].items() if v} == dict(expected)


def test_corrupt_foreign_and_changed_transcripts_are_skipped_with_reasons(class_runs: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    shutil.copytree(class_runs, folder)
    (folder / "corrupt.json").write_text('{"format": "crossing-transcript", "vers', encoding="utf-8")
    (folder / "empty.json").write_text("", encoding="utf-8")
    random_run(load(MINI), folder / "foreign.json", 1)
    changed = tmp_path / "changed-story"
    shutil.copytree(CLASSROOM, changed)
    nodes = changed / "nodes.yaml"
    nodes.write_text(nodes.read_text(encoding="utf-8").replace("The path climbs", "The track climbs"), encoding="utf-8")
    random_run(load(changed), folder / "older.json", 3)
    result = runner.invoke(app, ["report", str(folder), "--story", str(CLASSROOM), "--json"])
    assert result.exit_code == 0, result.output
    warnings = result.stderr
    assert f"skipped {folder / 'corrupt.json'}: it is corrupt: not valid JSON" in warnings
    assert f"skipped {folder / 'empty.json'}: it is corrupt: the file is empty" in warnings
    assert f"skipped {folder / 'foreign.json'}: it is from another story ('Mini', not 'Classroom crossing')" in warnings
    assert f"skipped {folder / 'older.json'}: it is from another version of this story" in warnings
    data = json.loads(result.stdout)
    assert data["runs"] == 30
    assert sorted(Path(s["file"]).name for s in data["skipped"]) == ["corrupt.json", "empty.json", "foreign.json", "older.json"]


def test_unfinished_runs_count_as_runs_but_in_no_ending(class_runs: Path, tmp_path: Path) -> None:
    story = load(CLASSROOM)
    random_run(story, tmp_path / "cut-short.json", 4, stop_after=1)
    random_run(story, tmp_path / "not-started.json", 5, stop_after=0)
    assert not Transcript.from_json((tmp_path / "cut-short.json").read_text(encoding="utf-8")).finished
    data = report_json(str(class_runs), str(tmp_path / "cut-short.json"), str(tmp_path / "not-started.json"))
    assert data["runs"] == 32 and data["unfinished"] == 2 and data["finished"] == 30
    assert sum(data["endings"].values()) == 30  # type: ignore[attr-defined]


def test_a_file_named_twice_is_counted_once(class_runs: Path) -> None:
    one = class_runs / "student-00.json"
    data = report_json(str(class_runs), str(one))
    assert data["runs"] == 30


def test_markdown_transcripts_and_missing_paths_are_skipped(tmp_path: Path) -> None:
    random_run(load(CLASSROOM), tmp_path / "a.json", 1)
    (tmp_path / "a.md").write_text("# notes\n", encoding="utf-8")
    result = runner.invoke(app, ["report", str(tmp_path / "a.json"), str(tmp_path / "a.md"), str(tmp_path / "nope"),
                                 "--story", str(CLASSROOM), "--json"])
    assert result.exit_code == 0
    assert f"skipped {tmp_path / 'a.md'}: a Markdown transcript is for reading" in result.stderr
    assert f"skipped {tmp_path / 'nope'}: no such file or folder" in result.stderr
    assert json.loads(result.stdout)["runs"] == 1


def test_rich_view_shows_bars_splits_and_the_real_world(class_runs: Path) -> None:
    result = runner.invoke(app, ["report", str(class_runs), "--story", str(CLASSROOM)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Class report: Classroom crossing (version 1)" in out
    assert "30 runs: 30 reached an ending, 0 unfinished" in out
    for heading in ("Endings", "Kinds of ending", "How the class decided", "What the real world says"):
        assert heading in out
    assert "#" * 5 in out, "NO_COLOR: the bars are drawn with '#'"
    assert "Go to the river" in out and "Wait for the thaw" in out
    assert "Source: Human Rights Watch, Forced returns from China, 2024" in out


def test_markdown_and_csv_for_handing_on(class_runs: Path, tmp_path: Path) -> None:
    expected = Counter(t.ending.node for t in recorded(class_runs) if t.ending)
    md = runner.invoke(app, ["report", str(class_runs), "--story", str(CLASSROOM), "--format", "markdown"])
    assert md.exit_code == 0
    assert md.stdout.startswith("# Class report: Classroom crossing")
    assert f"| Stayed behind | Stayed at home | {expected['stayed']} |" in md.stdout
    out = tmp_path / "report.csv"
    done = runner.invoke(app, ["report", str(class_runs), "--story", str(CLASSROOM), "--format", "csv", "--output", str(out)])
    assert done.exit_code == 0 and done.stdout == ""
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    endings = {r["id"]: int(r["count"]) for r in rows if r["section"] == "ending"}
    assert endings == {n: expected.get(n, 0) for n in ("far-bank", "mountain-safe", "caught", "stayed")}
    assert next(r for r in rows if r["section"] == "runs")["count"] == "30"


def test_json_alias_is_format_json(class_runs: Path) -> None:
    a = runner.invoke(app, ["report", str(class_runs), "--story", str(CLASSROOM), "--json"])
    b = runner.invoke(app, ["report", str(class_runs), "--story", str(CLASSROOM), "--format", "json"])
    assert a.stdout == b.stdout and json.loads(a.stdout)["runs"] == 30


def test_random_play_odds_appear_when_analysis_is_there(class_runs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("crossing.analysis")

    class Analysis:
        def __init__(self, endings: dict[str, float]) -> None:
            self.endings = endings
            self.exact = True

    def analyze(story: Story) -> Analysis:
        return Analysis({"far-bank": 0.25, "mountain-safe": 0.125, "caught": 0.3125, "stayed": 0.3125})

    fake.analyze = analyze  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "crossing.analysis", fake)
    data = report_json(str(class_runs))
    assert data["random_play"] == {"exact": True, "endings": {"far-bank": 0.25, "mountain-safe": 0.125, "caught": 0.3125, "stayed": 0.3125}}
    view = runner.invoke(app, ["report", str(class_runs), "--story", str(CLASSROOM)])
    lines = view.stdout.splitlines()
    assert "Random play" in view.stdout
    assert next(line for line in lines if line.startswith("Over the mountains")).endswith(" 12%")
    assert next(line for line in lines if line.startswith("Stayed behind")).endswith(" 31%")


def test_report_works_without_analysis(class_runs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "crossing.analysis", types.ModuleType("crossing.analysis"))  # no analyze yet
    data = report_json(str(class_runs))
    assert data["random_play"] is None and data["runs"] == 30


def test_an_empty_class_still_gets_a_report(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(tmp_path), "--story", str(CLASSROOM)])
    assert result.exit_code == 0
    assert "0 runs" in result.stdout and "nothing to count yet" in result.stdout
    assert "the folder holds no .json transcripts" in result.stderr
