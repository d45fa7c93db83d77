"""Issue 13 and 15: a report a teacher can use, that names every file it did not count, counts each run
once, and that no single bad file (or hostile text) can break or turn against its reader."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crossing import report as reporting
from crossing.cli import app
from crossing.engine import Engine
from crossing.model import Story
from crossing.report import RandomPlay, percent
from crossing.transcript import TranscriptWriter
from crossing.validation import validate_path
from helpers import write_story

CLASSROOM = Path(__file__).parent / "stories" / "classroom"
MINI = Path(__file__).parent / "stories" / "mini"
runner = CliRunner()


def load(path: Path = CLASSROOM) -> Story:
    result = validate_path(path)
    assert result.story is not None and not result.errors
    return result.story


def write_run(story: Story, target: Path, choices: list[int], *, seed: int = 1, name: str | None = None,
              votes: bool = False) -> Path:
    engine = Engine(story, seed)
    writer = TranscriptWriter.start(target, engine, name=name)
    writer.on_scene(engine)
    for number in choices:
        step = engine.choose(number)
        writer.on_choice(engine, step)
        writer.on_scene(engine)
    return writer.path


@pytest.fixture
def runs(tmp_path: Path) -> Path:
    story = load()
    folder = tmp_path / "transcripts"
    write_run(story, folder / "ana.json", [3], name="Ana")  # stays home
    write_run(story, folder / "ben.json", [1], name="Ben")  # unfinished at the river
    write_run(story, folder / "anon.json", [3])
    return folder


def report(*args: str, story: Path = CLASSROOM) -> tuple[int, str, str]:
    result = runner.invoke(app, ["report", *args, "--story", str(story)])
    return result.exit_code, result.stdout, result.stderr


def as_json(*args: str) -> dict[str, object]:
    code, out, err = report(*args, "--json")
    assert code == 0, err
    data: dict[str, object] = json.loads(out)
    return data


def test_roster_in_json_with_name_finished_ending_kind_decisions_minutes(runs: Path) -> None:
    data = as_json(str(runs))
    students = {s["name"]: s for s in data["students"]}  # type: ignore[attr-defined]
    assert students["Ana"] == {"name": "Ana", "finished": True, "ending": "Stayed behind", "kind": "stayed",
                               "decisions": 1, "minutes": 0, "file": "ana.json", "route": ""}
    assert students["Ben"]["finished"] is False and students["Ben"]["ending"] is None
    assert None in students, "a run without an alias is on the roster with name null"


def test_markdown_transcripts_in_a_folder_are_named_not_silently_ignored(runs: Path) -> None:
    (runs / "ana.md").write_text("# Ana's run\n", encoding="utf-8")
    code, _, err = report(str(runs))
    assert code == 0
    assert "ana.md: a Markdown transcript is for reading" in " ".join(err.split())
    data = as_json(str(runs))
    assert any(s["path"].endswith("ana.md") for s in data["skipped"])  # type: ignore[attr-defined]


def test_a_copied_transcript_counts_once(runs: Path) -> None:
    shutil.copy(runs / "ana.json", runs / "ana-copy.json")
    data = as_json(str(runs))
    assert data["runs"] == 3
    reasons = [s["reason"] for s in data["skipped"]]  # type: ignore[attr-defined]
    assert len(reasons) == 1 and reasons[0].startswith("a copy of") and "ana" in reasons[0]


def test_an_old_transcript_without_run_id_counts_once_by_its_contents(runs: Path) -> None:
    data = json.loads((runs / "ana.json").read_text(encoding="utf-8"))
    for key in ("run", "path", "facts"):
        data.pop(key)
    data["version"] = 1
    (runs / "ana.json").write_text(json.dumps(data), encoding="utf-8")
    (runs / "ana-again.json").write_text(json.dumps(data, indent=4), encoding="utf-8")  # another spacing
    got = as_json(str(runs))
    assert got["runs"] == 3 and got["endings"]["stayed"] == 2  # type: ignore[index]


def test_an_earlier_report_is_skipped_as_a_report(runs: Path) -> None:
    code, _, _ = report(str(runs), "-o", str(runs / "results.json"))
    assert code == 0
    data = as_json(str(runs))
    reasons = {Path(s["path"]).name: s["reason"] for s in data["skipped"]}  # type: ignore[attr-defined]
    assert reasons["results.json"] == "it is a report, not a transcript"
    assert data["runs"] == 3


@pytest.mark.parametrize(("name", "starts"), [("r.txt", "Class report: Classroom crossing"), ("r.html", "<!DOCTYPE html>"),
                                              ("r.md", "# Class report"), ("r.csv", "name,finished")])
def test_output_takes_every_format_from_its_extension(runs: Path, tmp_path: Path, name: str, starts: str) -> None:
    code, _, err = report(str(runs), "-o", str(tmp_path / name))
    assert code == 0, err
    assert (tmp_path / name).read_text(encoding="utf-8").startswith(starts)


BACKWARDS = """\
nodes:
  second:
    title: Second
    text: Later.
    choices:
      - {text: Left, goto: end}
      - {text: Right, goto: end}
  end:
    text: Done.
    ending: {kind: safety, title: Done}
  first:
    title: First
    text: The start.
    choices:
      - {text: Go on, goto: second}
      - {text: Also go, goto: second}
"""


def test_decisions_are_listed_in_story_order_not_file_order(tmp_path: Path) -> None:
    root = write_story(tmp_path / "back", {"story.yaml": "title: Back\nstart: first\n", "nodes.yaml": BACKWARDS})
    write_run(load(root), tmp_path / "t" / "a.json", [1, 2])
    result = runner.invoke(app, ["report", str(tmp_path / "t"), "--story", str(root), "--json"])
    assert [d["node"] for d in json.loads(result.stdout)["decisions"]] == ["first", "second"]


def _ends(story: Story, choices: list[int], seed: int) -> str:
    engine = Engine(story, seed)
    for number in choices:
        engine.choose(number)
    return engine.node.id


def test_questions_and_facts_of_reached_endings_only(runs: Path) -> None:
    md = report(str(runs), "--format", "markdown")[1]
    assert "Is staying a safe choice?" in md  # the reached ending's questions
    real_world = md[md.index("## What the real world says"):]
    assert "forcibly returned" not in real_world and "Arrivals in the South" not in real_world, "no one reached those endings"
    story = load()
    seed = next(s for s in range(100) if _ends(story, [1, 1], s) == "caught")
    write_run(story, runs / "cat.json", [1, 1], seed=seed, name="Cat")
    md = report(str(runs), "--format", "markdown")[1]
    assert "Hundreds of people were forcibly returned" in md[md.index("## What the real world says"):]
    data = as_json(str(runs))
    assert next(d["node"] for d in data["decisions"]) == "home"  # type: ignore[attr-defined]


def test_a_reached_ending_never_shows_zero_odds(runs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    story = load()
    odds = {n.id: 0.0 for n in story.endings()} | {"stayed": 0.0004, "caught": 0.9996}
    monkeypatch.setattr(reporting, "random_play", lambda s: RandomPlay(odds, True))
    for fmt in ("rich", "markdown"):
        out = report(str(runs), "--format", fmt)[1]
        line = next(x for x in out.splitlines() if "Stayed behind" in x and "%" in x)
        assert "<0.1%" in line and " 0%" not in line, line
    assert percent(0.0, reached=True) == "<0.1%" and percent(0.0) == "0%" and percent(0.5) == "50%"


def test_transcripts_of_another_story_say_how_to_point_story(tmp_path: Path) -> None:
    mini = load(MINI)
    engine = Engine(mini, 1)
    TranscriptWriter.start(tmp_path / "m.json", engine)
    code, _, err = report(str(tmp_path / "m.json"))
    assert code == 1
    words = " ".join(err.split())
    assert f"'{mini.title}'" in words and "--story" in words


def test_a_5000_digit_seed_or_vote_skips_that_file_only(runs: Path) -> None:
    good = json.loads((runs / "ana.json").read_text(encoding="utf-8"))
    (runs / "seed.json").write_text((runs / "ana.json").read_text(encoding="utf-8").replace(
        f'"seed": {good["seed"]}', '"seed": ' + "9" * 5000), encoding="utf-8")
    voted = dict(good, run="f" * 32)
    voted["steps"] = [dict(good["steps"][0], votes=[{"number": 1, "choice_index": 0, "text": "x", "hands": 12345}])]
    text = json.dumps(voted).replace("12345", "9" * 4400)
    (runs / "votes.json").write_text(text, encoding="utf-8")
    data = as_json(str(runs))
    assert data["runs"] == 3
    reasons = {Path(s["path"]).name: s["reason"] for s in data["skipped"]}  # type: ignore[attr-defined]
    assert "seed.json" in reasons and "votes.json" in reasons


def nest(root: Path, depth: int) -> None:
    """Folders deeper than a path can name: made one at a time, each relative to the last."""
    root.mkdir()
    fd = os.open(root, os.O_RDONLY)
    for _ in range(depth):
        os.mkdir("d", dir_fd=fd)
        inner = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    os.close(fd)


def unnest(root: Path, depth: int) -> None:
    """Remove what nest made, deepest first, without recursion (pytest's own clean-up would recurse)."""
    fds = [os.open(root, os.O_RDONLY)]
    for _ in range(depth - 1):
        fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
    while fds:
        fd = fds.pop()
        os.rmdir("d", dir_fd=fd)
        os.close(fd)
    root.rmdir()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_pipes_devices_huge_files_and_deep_folders_are_skipped(runs: Path, tmp_path: Path) -> None:
    os.mkfifo(runs / "pipe.json")
    with open(runs / "huge.json", "wb") as handle:
        handle.truncate(3 * 1024**3)  # sparse: takes no space
    (runs / "zero.json").symlink_to("/dev/zero")
    nest(runs / "deep", 1000)
    try:
        data = as_json(str(runs), "/dev/zero")
    finally:
        unnest(runs / "deep", 1000)
    assert data["runs"] == 3
    reasons = " | ".join(f"{Path(s['path']).name}: {s['reason']}" for s in data["skipped"])  # type: ignore[attr-defined]
    assert "pipe.json: it is a named pipe, not a file" in reasons
    assert "huge.json: it is too large" in reasons
    assert "zero.json: it is a device, not a file" in reasons and "zero: not a .json transcript" in reasons
    assert "folders deep; it is not read" in reasons


def test_a_file_name_that_is_not_utf8_is_shown_escaped(runs: Path, tmp_path: Path) -> None:
    odd = os.fsencode(str(runs)) + b"/caf\xe9.json"
    with open(odd, "wb") as handle:
        handle.write(b"{")
    for name in ("r.md", "r.json", "r.html", "r.txt"):
        code, _, err = report(str(runs), "-o", str(tmp_path / name))
        assert code == 0, err
        assert "caf\\xe9.json" in (tmp_path / name).read_text(encoding="utf-8").replace("\\\\", "\\")


HOSTILE = """\
title: Hostile
start: a
sources:
  s:
    title: "Evil \\u202e fdp.exe"
    publisher: "=HYPERLINK(\\"http://x\\")"
    year: 2020
    url: "javascript:alert(1)"
  t:
    title: T
    publisher: P
    year: 2020
    url: "https://ok.example/> <img src=x onerror=alert(2)> <x"
"""
HOSTILE_NODES = """\
nodes:
  a:
    text: Go.
    choices:
      - text: "=cmd|' /C calc'!A0"
        goto: b
      - text: "+1 \\u202e evil"
        goto: b
  b:
    text: "\\x1b]0;owned\\x07 done"
    facts:
      - {claim: "A fact.", source: s}
      - {claim: "B fact.", source: t}
    ending: {kind: safety, title: "@end \\u2066 x"}
"""


def test_hostile_text_and_urls_are_inert_in_every_format(tmp_path: Path) -> None:
    root = write_story(tmp_path / "hostile", {"story.yaml": HOSTILE, "nodes.yaml": HOSTILE_NODES})
    story = load(root)
    write_run(story, tmp_path / "t" / "x.json", [1], name="=1+1")
    outs = {}
    for name in ("r.md", "r.json", "r.csv", "r.html", "r.txt"):
        result = runner.invoke(app, ["report", str(tmp_path / "t"), "--story", str(root), "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        outs[name] = (tmp_path / name).read_text(encoding="utf-8")
    for name, text in outs.items():
        assert "\x1b" not in text and "\x07" not in text, name
        assert "\u202e" not in text and "\u2066" not in text, name
    assert "](javascript:" not in outs["r.md"] and "<javascript:" not in outs["r.md"]
    assert 'href="javascript' not in outs["r.html"] and "<img" not in outs["r.html"]
    assert not re.search(r"(?<!\\)<img", outs["r.md"]), "markup from a URL is escaped in Markdown"
    rows = list(csv.reader(outs["r.csv"].splitlines()))
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    assert rows[1][0] == "'=1+1" and rows[1][2].startswith("'@end")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_output_onto_something_that_is_not_a_regular_file(runs: Path, tmp_path: Path) -> None:
    import stat

    if not stat.S_ISCHR(os.stat("/dev/null").st_mode):
        pytest.skip("/dev/null on this machine is not a device (something replaced it)")
    code, _, _ = report(str(runs), "-o", "/dev/null", "--format", "markdown")
    assert code == 0 and stat.S_ISCHR(os.stat("/dev/null").st_mode), "/dev/null stays a device"
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    code, _, err = report(str(runs), "-o", str(fifo))
    assert code == 1 and "a named pipe that nothing reads from" in err and stat.S_ISFIFO(os.stat(fifo).st_mode)
    target = tmp_path / "real.md"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    code, _, _ = report(str(runs), "-o", str(link))
    assert code == 0 and link.is_symlink() and target.read_text(encoding="utf-8").startswith("# Class report")


def test_guide_output_to_dev_null_keeps_the_device(tmp_path: Path) -> None:
    import stat

    if not stat.S_ISCHR(os.stat("/dev/null").st_mode):
        pytest.skip("/dev/null on this machine is not a device (something replaced it)")
    result = runner.invoke(app, ["guide", str(CLASSROOM), "-o", "/dev/null"])
    assert result.exit_code == 0 and stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_replay_under_one_name_shows_each_file_beside_it(runs: Path, tmp_path: Path) -> None:
    story = load()
    write_run(story, runs / "dana.json", [1, 1], name="Dana")
    write_run(story, runs / "dana-again.json", [2, 1], name="Dana", seed=2)
    code, out, _ = report(str(runs), "--plain")
    assert code == 0
    danas = [line for line in out.splitlines() if "Dana" in line]
    assert len(danas) == 2 and any("dana.json" in line for line in danas) and any("dana-again.json" in line for line in danas)
    _, md, _ = report(str(runs), "--format", "markdown")
    assert "| Dana | dana-again.json |" in md and "| Dana | dana.json |" in md
    target = tmp_path / "roster.csv"
    code, _, err = report(str(runs), "--output", str(target))
    assert code == 0 and f"Wrote the class report (csv, 5 students) to {target}" in " ".join(err.split())
    rows = list(csv.DictReader(target.read_text(encoding="utf-8").splitlines()))
    assert list(rows[0]) == ["name", "finished", "ending", "kind", "decisions", "minutes", "file", "route"]
    dana = {r["file"]: r["route"] for r in rows if r["name"] == "Dana"}
    assert dana == {"dana.json": "Across the river", "dana-again.json": "Over the mountains"}


def test_decisions_are_grouped_by_route(runs: Path) -> None:
    story = load()
    write_run(story, runs / "dana.json", [1, 1], name="Dana")  # the river: wade
    write_run(story, runs / "eli.json", [2, 1, 2], name="Eli")  # the mountains: climb, wait
    data = as_json(str(runs))
    routes = [(d["route"], d["node"]) for d in data["decisions"]]  # type: ignore[attr-defined]
    assert routes == [("", "home"), ("Across the river", "river-bank"), ("Over the mountains", "ridge")]
    _, md, _ = report(str(runs), "--format", "markdown")
    decided = md[md.index("## Decisions"):]
    assert decided.index("### Before the routes") < decided.index("#### At home") < decided.index("### Route: Across the river") \
        < decided.index("#### The riverbank") < decided.index("### Route: Over the mountains") < decided.index("#### The ridge")
    _, out, _ = report(str(runs), "--plain")
    assert "Route: Across the river" in out and "Route: Over the mountains" in out


def test_a_class_lesson_is_not_counted_as_a_student(runs: Path) -> None:
    story = load()
    engine = Engine(story, 1)
    writer = TranscriptWriter.start(runs / "lesson.json", engine, name="10B", mode="class")
    writer.on_scene(engine)
    step = engine.choose(3)
    writer.on_choice(engine, step)
    writer.on_scene(engine)
    data = as_json(str(runs))
    assert data["runs"] == 4
    assert [s["name"] for s in data["students"]].count("10B") == 0  # type: ignore[attr-defined]
    assert [s["file"] for s in data["class_lessons"]] == ["lesson.json"]  # type: ignore[index]
    _code, out, _ = report(str(runs), "--plain")
    flat = " ".join(out.split())
    assert "4 runs (3 students, 1 class lesson)" in flat
    assert "1 transcript is a class lesson" in flat and "lesson.json" in flat and "not a student" in flat
    roster = out[out.index("Students"):out.index("Endings reached")]
    assert "10B" not in roster
