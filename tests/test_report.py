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
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from crossing.cli import app
from crossing.engine import Engine
from crossing.model import Story
from crossing.playthrough import Playthrough
from crossing.render.theme import crossing_theme
from crossing.session import SessionOptions, play
from crossing.transcript import Transcript, TranscriptWriter, transcript_listener
from crossing.validation import validate_path
from helpers import run_crossing, write_story

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
    hooks = transcript_listener(writer)
    taken = 0

    def read(prompt: Text) -> str | None:
        nonlocal taken
        if stop_after is not None and taken >= stop_after:
            return None
        taken += 1
        return str(dice.randint(1, len(engine.offered())))

    play(Playthrough(engine, False, [hooks]), Console(file=io.StringIO(), theme=crossing_theme()), read, SessionOptions())


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
    assert sorted(Path(s["path"]).name for s in data["skipped"]) == ["corrupt.json", "empty.json", "foreign.json", "older.json"]


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
    assert done.exit_code == 0 and done.stdout == "" and f"Wrote the class report (csv, 30 students) to {out}" in done.stderr
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    # one row per student, for a gradebook; the file tells two runs under one name apart
    assert len(rows) == 30 and list(rows[0]) == ["name", "finished", "ending", "kind", "decisions", "minutes", "file", "route"]
    titles = {"far-bank": "Across the river", "mountain-safe": "Over the mountains", "caught": "Sent back", "stayed": "Stayed behind"}
    got = Counter(r["ending"] for r in rows)
    assert got["Stayed behind"] == expected["stayed"] and all(r["finished"] == "yes" for r in rows)
    assert set(got) <= set(titles.values())


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


@pytest.mark.parametrize("fmt", ["rich", "json", "markdown"])
def test_no_transcript_at_all_is_an_error_naming_what_was_skipped(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "corrupt.json").write_text('{"format": "crossing-transcript", "name": "a\tb"}', encoding="utf-8")
    (tmp_path / "empty").mkdir()
    missing = tmp_path / "nonexistent"
    result = runner.invoke(app, ["report", str(missing), str(tmp_path / "corrupt.json"), str(tmp_path / "empty"),
                                 "--story", str(CLASSROOM), "--format", fmt])
    assert result.exit_code == 1 and result.stdout == ""
    errors = " ".join(result.stderr.split())
    assert f"skipped {missing}: no such file or folder" in errors
    assert f"skipped {tmp_path / 'empty'}: the folder holds no .json transcripts" in errors
    assert "no transcript of 'Classroom crossing' could be counted (the 3 paths above were skipped)" in errors


def test_a_corrupt_transcript_is_named_with_line_and_column(tmp_path: Path) -> None:
    random_run(load(CLASSROOM), tmp_path / "good.json", 1)
    (tmp_path / "bad.json").write_text('{\n  "format": "crossing-transcript",\n  "name": "a\tb"\n}\n', encoding="utf-8")
    (tmp_path / "cut.json").write_text('{"format": "crossing-transcript", "na', encoding="utf-8")
    result = runner.invoke(app, ["report", str(tmp_path), "--story", str(CLASSROOM), "--json"])
    assert result.exit_code == 0
    reasons = {Path(s["path"]).name: s["reason"] for s in json.loads(result.stdout)["skipped"]}
    assert reasons["bad.json"] == ("it is corrupt: not valid JSON at line 3, column 13: a control character (such as a tab "
                                   "or a line break) inside a text value")
    assert reasons["cut.json"].startswith("it is corrupt: not valid JSON at line 1, column 35: a text value that is never closed (the file may have been cut short)")


DUPLICATE_META = """\
title: Fog
start: start
version: "1.0"
variables:
  fog: false
sources:
  src:
    title: A source
    publisher: A publisher
    year: 2020
    url: https://example.org/a/rather/long/address/that/does/not/fit/in/forty/columns
"""

DUPLICATE_NODES = """\
nodes:
  start:
    title: The weather
    text: What is the weather like?
    choices:
      - text: Foggy
        set: {fog: true}
        goto: decide
      - text: Clear
        goto: decide
  decide:
    title: Learning the rhythm
    text: The patrols pass every hour.
    choices:
      - text: Wait for the autumn fog and learn the patrols by heart
        if: fog
        goto: over
      - text: Wait for the autumn fog and learn the patrols by heart
        if: not fog
        goto: over
      - text: Go soon
        goto: over
  over:
    text: It is over.
    facts:
      - claim: Something real happened.
        source: src
    ending:
      kind: safety
      title: Across at last, after a very long wait in the fog
"""


def scripted_reader(answers: list[str]) -> Callable[[Text], str | None]:
    script = iter(answers)
    return lambda prompt: next(script, None)


@pytest.fixture
def fog(tmp_path: Path) -> tuple[Path, Path]:
    """A story whose decision offers one choice text in two variants, and three runs through it."""
    story = write_story(tmp_path / "fog", {"story.yaml": DUPLICATE_META, "nodes.yaml": DUPLICATE_NODES})
    runs = tmp_path / "runs"
    loaded = load(story)
    # not `crossing play` in this process: its signal handling would outlive the command
    for number, picks in enumerate(("1,1", "2,1", "2,2")):
        engine = Engine(loaded, number)
        hooks = transcript_listener(TranscriptWriter.start(runs / f"{number}.json", engine))
        play(Playthrough(engine, False, [hooks]), Console(file=io.StringIO(), theme=crossing_theme()),
             scripted_reader(picks.split(",")), SessionOptions())
    return story, runs


def test_variants_of_one_choice_are_counted_as_one(fog: tuple[Path, Path]) -> None:
    story, runs = fog
    data = json.loads(runner.invoke(app, ["report", str(runs), "--story", str(story), "--json"]).stdout)
    decide = next(d for d in data["decisions"] if d["node"] == "decide")
    assert [(c["text"], c["count"]) for c in decide["choices"]] == [
        ("Wait for the autumn fog and learn the patrols by heart", 2), ("Go soon", 1)]
    view = runner.invoke(app, ["report", str(runs), "--story", str(story)]).stdout
    assert view.count("Wait for the autumn fog") == 1


def test_markdown_escapes_only_what_needs_it(fog: tuple[Path, Path], tmp_path: Path) -> None:
    story, runs = fog
    (runs / "broken.json").write_text("{", encoding="utf-8")
    md = runner.invoke(app, ["report", str(runs), "--story", str(story), "--format", "markdown"]).stdout
    assert "Story version 1.0." in md and "\\." not in md
    assert "**3 runs**: 3 reached an ending, 0 unfinished. 1 file not counted (see the end)." in md
    assert not [line for line in md.splitlines() if line.startswith(" ")]


def test_the_report_reads_at_forty_columns(fog: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    story, runs = fog
    monkeypatch.setenv("COLUMNS", "40")
    out = runner.invoke(app, ["report", str(runs), "--story", str(story)]).stdout
    url = "https://example.org/a/rather/long/address/that/does/not/fit/in/forty/columns"
    assert [line.strip() for line in out.splitlines() if len(line.rstrip()) > 40] == [url], "only the URL, kept whole"
    flat = " ".join(out.split())
    assert "Across at last, after a very long wait in the fog safety 3 runs" in flat
    assert "Wait for the autumn fog and learn the patrols by heart 2 runs" in flat
    assert "Learning the rhythm (3 runs)" in flat and "…" not in out


def test_a_report_or_guide_under_a_file_says_it_is_not_a_folder(class_runs: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    for command in (["report", str(class_runs), "--story", str(CLASSROOM), "--format", "csv"], ["guide", str(CLASSROOM)]):
        result = runner.invoke(app, [*command, "--output", str(blocker / "out.md")])
        assert result.exit_code == 1
        assert " ".join(result.stderr.split()) == f"crossing: cannot write {blocker / 'out.md'}: {blocker} is not a folder (it is a file)"
        folder = runner.invoke(app, [*command, "--output", str(tmp_path)])
        assert folder.exit_code == 1 and "it is a folder; give the name of a file to write" in folder.stderr


def test_report_output_file_takes_its_format_from_its_name(tmp_path: Path) -> None:
    transcripts = tmp_path / "t"
    transcripts.mkdir()
    story_dir = Path(__file__).parent / "stories" / "classroom"
    assert run_crossing("play", str(story_dir), "--seed", "1", "--choices", "1,1,1,1,1,1",
                        "--transcript", str(transcripts / "a.json")).returncode == 0
    out = tmp_path / "results.md"
    result = run_crossing("report", str(transcripts), "--story", str(story_dir), "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith("#")
