"""Saves: written atomically after every step, resumed (also after the story changed), listed, deleted,
and never silently lost when damaged. CLI behaviour goes through the real command."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from crossing import persistence
from crossing.engine import Engine
from crossing.loader import load_story
from crossing.model import Story
from helpers import run_crossing

LANTERN = Path(__file__).parent / "stories" / "lantern"


@pytest.fixture
def lantern(tmp_path: Path) -> Path:
    """A private copy of the lantern story, free to edit."""
    return Path(shutil.copytree(LANTERN, tmp_path / "lantern"))


def saves_folder() -> Path:
    return Path(os.environ["CROSSING_DATA_DIR"]) / "saves"


def save_files() -> list[Path]:
    folder = saves_folder()
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def read_save(path: Path) -> dict[str, Any]:
    """A save as of its last line (the first line holds the run whole, later lines one step each)."""
    run = persistence.read(path)
    assert run is not None
    return {"id": run.id, "scene": {"id": run.state.node, "title": run.scene_title}, "finished": run.finished,
            "created": run.created, "updated": run.updated, "gentle": run.gentle, "state": run.state.to_dict(),
            "story": run.story.to_dict(), "lines": len(path.read_bytes().splitlines()),
            "save_version": json.loads(path.read_bytes().splitlines()[0])["save_version"]}


def story_of(path: Path) -> Story:
    result = load_story(path)
    assert result.story is not None and result.ok, result.diagnostics
    return result.story


def play(*args: str, input: str | None = None) -> tuple[int, str, str]:
    """`crossing play` with input from a script: such runs are saved only with --save (added here)."""
    result = run_crossing("play", *args, *(() if "--no-save" in args else ("--save",)), input=input)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout, " ".join(result.stderr.split())


# ------------------------------------------------------------------------------- atomic writes


def test_a_crash_while_saving_leaves_the_old_save_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    story = story_of(LANTERN)
    engine = Engine(story, 1)
    engine.choose(1)
    first = persistence.snapshot("lantern-1", story, engine, gentle=False)
    path = persistence.write(tmp_path, first)
    before = path.read_bytes()
    engine.choose(1)
    second = persistence.snapshot("lantern-1", story, engine, gentle=False)

    def power_cut(src: str, dst: str) -> None:
        raise OSError(5, "Input/output error (simulated crash before the rename)")

    monkeypatch.setattr(os, "replace", power_cut)  # what atomic.write_atomic renames with
    with pytest.raises(OSError):
        persistence.write(tmp_path, second)
    assert path.read_bytes() == before  # the old run, whole
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # and no temporary file left behind
    monkeypatch.undo()
    persistence.write(tmp_path, second)
    assert read_save(path)["scene"]["id"] == "truck"


def test_an_interrupted_write_is_finished_on_the_way_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A signal during the after-step write: the stop path writes the same step again, never a
    half-applied step."""
    from crossing.cli.autosave import Saver

    story = story_of(LANTERN)
    engine = Engine(story, 1)
    warnings: list[str] = []
    saver = Saver(story, gentle=False, warn=warnings.append, folder=tmp_path)
    engine.choose(1)
    saver.save(engine)
    engine.choose(1)
    real_append = persistence.append

    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(persistence, "append", interrupted)
    with pytest.raises(KeyboardInterrupt):
        saver.save(engine)
    assert read_save(tmp_path / "lantern-1.json")["scene"]["id"] == "lane"
    monkeypatch.setattr(persistence, "append", real_append)
    engine.state.variables["food"] = 99  # a step half applied when the signal came: must not be saved
    saver.finish(engine, between_steps=False)
    saved = read_save(tmp_path / "lantern-1.json")
    assert saved["scene"]["id"] == "truck" and saved["state"]["variables"]["food"] == 3
    assert warnings == []


def test_each_step_appends_one_line_and_leaving_writes_the_run_whole(tmp_path: Path) -> None:
    from crossing.cli.autosave import Saver

    story = story_of(LANTERN)
    engine = Engine(story, 1)
    saver = Saver(story, gentle=False, warn=lambda m: None, folder=tmp_path)
    path = tmp_path / "lantern-1.json"
    engine.choose(1)
    saver.save(engine)
    sizes = [path.stat().st_size]
    for _ in range(3):
        engine.choose(1) if not engine.finished and len(engine.state.history) < 2 else engine.back()
        saver.save(engine)
        sizes.append(path.stat().st_size)
    assert read_save(path)["lines"] == 4  # the run whole, then one line a step or 'b'
    assert read_save(path)["state"] == engine.state.to_dict()
    saver.finish(engine, between_steps=True)
    assert read_save(path)["lines"] == 1 and read_save(path)["state"] == engine.state.to_dict()


def test_a_torn_last_line_and_a_line_written_twice_are_harmless(tmp_path: Path) -> None:
    from crossing.cli.autosave import Saver

    story = story_of(LANTERN)
    engine = Engine(story, 1)
    saver = Saver(story, gentle=False, warn=lambda m: None, folder=tmp_path)
    engine.choose(1)
    saver.save(engine)
    engine.choose(1)
    saver.save(engine)
    path = tmp_path / "lantern-1.json"
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines) + lines[-1])  # the last step written twice (a stop between write and mark)
    assert read_save(path)["state"] == engine.state.to_dict()
    path.write_bytes(b"".join(lines) + lines[-1][:20])  # and a line cut short by a crash
    assert read_save(path)["state"] == engine.state.to_dict()


def test_a_save_that_cannot_be_written_warns_once_and_play_goes_on(tmp_path: Path) -> None:
    from crossing.cli.autosave import Saver

    story = story_of(LANTERN)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the saves folder should be")
    warnings: list[str] = []
    saver = Saver(story, gentle=False, warn=warnings.append, folder=blocked / "saves")
    engine = Engine(story, 1)
    for _ in range(2):
        engine.choose(1)
        saver.save(engine)
    assert len(warnings) == 1 and "could not save your progress" in warnings[0]
    assert not saver.saved


# ----------------------------------------------------------------------------- what a save holds


def test_every_choice_is_saved_with_versions_and_story_identity() -> None:
    code, _, err = play(str(LANTERN), "--choices", "1", "--seed", "7", "--plain")
    assert code == 0
    [path] = save_files()
    data = read_save(path)
    assert data["save_version"] == persistence.SAVE_VERSION == data["state"]["version"]  # one version number
    assert data["state"]["gentle"] is False and data["state"]["created"] and data["state"]["story"] == data["story"]
    story = story_of(LANTERN)
    assert data["story"] == {"title": "Lantern", "version": "1", "digest": story.digest, "root": str(LANTERN.resolve())}
    assert data["scene"] == {"id": "lane", "title": "The lane"}
    assert data["finished"] is False and data["state"]["seed"] == 7
    assert data["state"]["path"] == ["kitchen", "lane"]
    assert f"Your progress is saved as {data['id']}. To continue: crossing play {LANTERN} --resume" in err


def test_going_back_is_saved_too() -> None:
    play(str(LANTERN), "--choices", "1,1,b", "--plain")
    [path] = save_files()
    data = read_save(path)
    assert data["scene"]["id"] == "lane" and data["state"]["path"] == ["kitchen", "lane"]
    assert data["state"]["variables"]["food"] == 3  # the first choice's effect stays, the second is undone
    assert len(data["state"]["history"]) == 1


def test_leaving_before_any_choice_leaves_no_save() -> None:
    code, _, err = play(str(LANTERN), "--plain", input="q\n")
    assert code == 0 and save_files() == []
    assert "Stopped." in err


def test_quit_key_saves_and_quits() -> None:
    code, out, err = play(str(LANTERN), "--plain", "--seed", "3", input="1\nq\n")
    assert code == 0
    assert "Stopped. Your progress is saved as lantern-1" in err
    assert read_save(saves_folder() / "lantern-1.json")["scene"]["id"] == "lane"
    assert "Back one choice" not in out


# ---------------------------------------------------------------------------------------- resume


def test_resume_continues_at_the_same_scene_with_the_same_state() -> None:
    play(str(LANTERN), "--choices", "1,1", "--seed", "11", "--plain")
    code, out, err = play(str(LANTERN), "--resume", "--choices", "s", "--plain")
    assert code == 0
    assert out.startswith("== The truck ==")
    assert "Food: 3" in " ".join(out.split())
    assert "Path so far: The kitchen -> The lane -> The truck" in out
    assert "Resuming run lantern-1" in err and "2 choices in" in err
    assert "(seed 11)" in out  # the seed is the run's own


def test_resume_then_back_goes_to_the_scene_before() -> None:
    play(str(LANTERN), "--choices", "1,1", "--plain")
    code, out, _ = play(str(LANTERN), "--resume", "--choices", "b", "--plain")
    assert code == 0 and "Back one choice." in out and "== The lane ==" in out
    assert read_save(saves_folder() / "lantern-1.json")["scene"]["id"] == "lane"


def test_resume_continues_the_latest_unfinished_run_and_never_a_finished_one() -> None:
    play(str(LANTERN), "--choices", "1", "--plain")  # lantern-1: at the lane
    play(str(LANTERN), "--choices", "2,1,2", "--plain")  # lantern-2: walked to an ending
    assert read_save(saves_folder() / "lantern-2.json")["finished"] is True
    code, out, err = play(str(LANTERN), "--resume", "--choices", "s", "--plain")
    assert code == 0 and "Resuming run lantern-1" in err and out.startswith("== The lane ==")


def test_nothing_to_resume_starts_a_new_run() -> None:
    code, out, err = play(str(LANTERN), "--resume", "--choices", "2,1,2", "--plain")
    assert code == 0 and "Nothing to resume for 'Lantern': there is no saved run of it. Starting a new run." in err
    assert out.startswith("== The kitchen ==")
    code, out, err = play(str(LANTERN), "--resume", "--choices", "1", "--plain")
    assert "Nothing to resume for 'Lantern': your last run of it reached an ending" in err
    assert out.startswith("== The kitchen ==")


def test_resume_keeps_gentle_mode_once_chosen(tmp_path: Path) -> None:
    play(str(LANTERN), "--choices", "1", "--gentle", "--plain")
    story = story_of(LANTERN)
    [run] = persistence.scan(saves_folder()).runs
    assert run.gentle is True and persistence.latest_unfinished(story, [run]) == run


def test_resume_refuses_a_seed() -> None:
    result = run_crossing("play", str(LANTERN), "--resume", "--seed", "3")
    assert result.returncode == 2 and "--seed cannot be used with --resume" in result.stderr


def test_a_copied_story_finds_its_runs_by_content(tmp_path: Path) -> None:
    play(str(LANTERN), "--choices", "1", "--plain")
    copy = shutil.copytree(LANTERN, tmp_path / "elsewhere")
    code, out, err = play(str(copy), "--resume", "--choices", "s", "--plain")
    assert code == 0 and "Resuming run lantern-1" in err and out.startswith("== The lane ==")


def test_another_story_with_the_same_title_elsewhere_is_not_confused(lantern: Path) -> None:
    play(str(LANTERN), "--choices", "1", "--plain")
    (lantern / "nodes.yaml").write_text((lantern / "nodes.yaml").read_text().replace("quietly", "softly"))
    _, out, err = play(str(lantern), "--resume", "--choices", "1", "--plain")
    assert "Nothing to resume" in err and out.startswith("== The kitchen ==")


# ------------------------------------------------------------------------ resume after a change


def test_resume_after_a_compatible_change(lantern: Path) -> None:
    play(str(lantern), "--choices", "1,1", "--plain")
    meta = (lantern / "story.yaml").read_text()
    meta = meta.replace('version: "1"', 'version: "2"').replace("  warned: false\n", "  lamp: {value: 3, label: Lamp oil}\n")
    (lantern / "story.yaml").write_text(meta)
    nodes = (lantern / "nodes.yaml").read_text().replace("set: {warned: true}", "set: {lamp: lamp - 1}")
    (lantern / "nodes.yaml").write_text(nodes.replace("Tarpaulin flaps", "Canvas flaps"))
    code, out, err = play(str(lantern), "--resume", "--choices", "s", "--plain")
    assert code == 0, err
    assert "The story has changed since this run was saved (version 1 -> 2); your run continues where you left it." in err
    assert "No longer used by the story, dropped: warned." in err
    assert "New in the story, starting at their first value: lamp." in err
    assert out.startswith("== The truck ==") and "Canvas flaps" in out
    flat = " ".join(out.split())
    assert "Food: 3" in flat and "Lamp oil: 3" in flat and "warned" not in flat
    data = read_save(next(iter(save_files())))
    assert data["story"]["version"] == "2" and data["state"]["variables"] == {"food": 3, "lamp": 3}


def test_resume_after_the_scene_was_removed_says_why_it_cannot(lantern: Path) -> None:
    play(str(lantern), "--choices", "1,1", "--plain")
    nodes = (lantern / "nodes.yaml").read_text()
    (lantern / "nodes.yaml").write_text(nodes.replace("goto: truck", "goto: town").split("  truck:")[0]
                                        + "  town:" + nodes.split("  town:")[1])
    assert not load_story(lantern).diagnostics or load_story(lantern).ok
    code, _, err = play(str(lantern), "--resume", "--plain")
    assert code == 1
    assert "cannot resume the run lantern-1 of 'Lantern': the scene you were at ('truck') is no longer in the story" in err
    assert "crossing saves --delete lantern-1" in err
    assert [p.name for p in save_files()] == ["lantern-1.json"]  # kept


def test_resume_after_a_variable_changed_type_says_why_it_cannot(lantern: Path) -> None:
    play(str(lantern), "--choices", "1", "--plain")
    meta = (lantern / "story.yaml").read_text().replace("  warned: false\n", '  warned: "no"\n')
    (lantern / "story.yaml").write_text(meta)
    nodes = (lantern / "nodes.yaml").read_text().replace("set: {warned: true}", 'set: {warned: "yes"}')
    (lantern / "nodes.yaml").write_text(nodes)
    code, _, err = play(str(lantern), "--resume", "--plain")
    assert code == 1 and "the variable 'warned' now holds text but in your run it held true/false" in err


def test_restore_stops_going_back_before_a_scene_that_is_gone(lantern: Path) -> None:
    story = story_of(lantern)
    engine = Engine(story, 5)
    engine.choose(2)  # kitchen -> lane
    engine.choose(2)  # lane -> kitchen (back home)
    engine.choose(1)  # kitchen -> lane
    run = persistence.parse(Path("x.json"), persistence.snapshot("lantern-1", story, engine, gentle=False))
    renamed = (lantern / "nodes.yaml").read_text().replace("kitchen", "house")
    (lantern / "nodes.yaml").write_text(renamed)
    (lantern / "story.yaml").write_text((lantern / "story.yaml").read_text().replace("start: kitchen", "start: house"))
    changed = story_of(lantern)
    restored = persistence.restore(run, changed)
    assert restored.state.history == []  # every step touched the old kitchen
    assert restored.state.path == ["kitchen", "lane", "kitchen", "lane"]  # visited() still knows the past
    assert any("cannot go back past them" in n for n in restored.notices)
    resumed = Engine(changed, restored.state.seed, restored.state)
    assert resumed.node.id == "lane" and resumed.back() is False


def test_restore_of_an_unchanged_story_has_no_notices() -> None:
    story = story_of(LANTERN)
    engine = Engine(story, 5)
    engine.choose(1)
    run = persistence.parse(Path("x.json"), persistence.snapshot("lantern-1", story, engine, gentle=False))
    restored = persistence.restore(run, story)
    assert restored.notices == () and restored.state.to_dict() == engine.state.to_dict()


# ------------------------------------------------------------------------------ damaged saves


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{\"save_version\": 1, \"id\": \"lantern-1\", \"sto", "not valid JSON"),
        (b"\xff\xfe garbage", "not valid JSON"),
        (b"[1, 2, 3]", "not a save document"),
        (b"{\"save_version\": 1, \"id\": \"lantern-1\"}", "the story or scene is missing"),
        (b"[" * 100_000, "not valid JSON"),
    ],
)
def test_a_damaged_save_is_moved_aside_with_a_message(content: bytes, reason: str) -> None:
    play(str(LANTERN), "--choices", "1", "--plain")
    damaged = saves_folder() / "broken-1.json"
    damaged.write_bytes(content)
    result = run_crossing("saves", "--plain")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    err = " ".join(result.stderr.split())
    assert f"crossing: the save broken-1.json is damaged ({reason}); it was kept as broken-1.json.corrupt-" in err
    [kept] = saves_folder().glob("broken-1.json.corrupt-*")
    assert kept.read_bytes() == content  # kept as it was, for a human to look at
    assert not damaged.exists()
    assert "lantern-1" in result.stdout  # the good save is still listed


def test_resume_with_a_damaged_latest_save_reports_it_and_uses_the_good_one() -> None:
    play(str(LANTERN), "--choices", "1", "--plain")
    path = saves_folder() / "lantern-1.json"
    good = read_save(path)
    (saves_folder() / "lantern-2.json").write_text('{"save_version": 1, "id": "lantern-2", "story": {"tit')
    code, out, err = play(str(LANTERN), "--resume", "--choices", "s", "--plain")
    assert code == 0
    assert "the save lantern-2.json is damaged (not valid JSON); it was kept as lantern-2.json.corrupt-" in err
    assert "Resuming run lantern-1" in err and out.startswith("== The lane ==")
    assert read_save(path)["created"] == good["created"]
    # A new run never takes the id of a damaged save (the kept copy is not overwritten either).
    play(str(LANTERN), "--choices", "1", "--plain")
    assert (saves_folder() / "lantern-3.json").is_file()


def test_a_save_from_a_newer_crossing_is_left_alone(tmp_path: Path) -> None:
    saves_folder().mkdir(parents=True)
    newer = saves_folder() / "future-1.json"
    newer.write_text(json.dumps({"save_version": 99, "id": "future-1"}))
    result = run_crossing("saves")
    assert "written by a newer Crossing (save version 99)" in " ".join(result.stderr.split())
    assert newer.is_file()


def test_an_empty_reserved_save_is_ignored() -> None:
    saves_folder().mkdir(parents=True)
    (saves_folder() / "lantern-1.json").write_bytes(b"")
    assert persistence.scan(saves_folder()).runs == []
    assert persistence.new_id(saves_folder(), "Lantern") == "lantern-2"


# --------------------------------------------------------------------------- crossing saves


def test_saves_lists_and_deletes_runs() -> None:
    empty = run_crossing("saves")
    assert empty.returncode == 0 and "No saved runs" in empty.stdout
    play(str(LANTERN), "--choices", "1,1", "--plain")
    play(str(LANTERN), "--choices", "2,1,2", "--plain")
    listing = run_crossing("saves", "--plain")
    assert listing.returncode == 0
    rows = {line.split()[0]: " ".join(line.split()) for line in listing.stdout.splitlines() if line.startswith("lantern-")}
    assert set(rows) == {"lantern-1", "lantern-2"}
    assert "Lantern The truck" in rows["lantern-1"] and rows["lantern-1"].endswith("2 choices in")
    assert "Lantern Stopped on the road" in rows["lantern-2"] and rows["lantern-2"].endswith("finished")
    assert listing.stdout.index("lantern-2") < listing.stdout.index("lantern-1")  # latest first
    deleted = run_crossing("saves", "--delete", "lantern-1")
    assert deleted.returncode == 0 and "Deleted the saved run lantern-1." in deleted.stdout
    assert [p.name for p in save_files()] == ["lantern-2.json"]


@pytest.mark.parametrize("bad", ["lantern-9", "../../etc/passwd", "LANTERN-1", ""])
def test_deleting_what_is_not_a_save_fails_cleanly(bad: str) -> None:
    play(str(LANTERN), "--choices", "1", "--plain")
    result = run_crossing("saves", "--delete", bad)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "crossing saves" in " ".join(result.stderr.split())
    assert [p.name for p in save_files()] == ["lantern-1.json"]


def test_saves_show_story_titles_inert(tmp_path: Path) -> None:
    root = shutil.copytree(LANTERN, tmp_path / "odd")
    meta = (root / "story.yaml").read_text().replace("title: Lantern", 'title: "Lan\\e[2Jtern [bold]x[/bold]"')
    (root / "story.yaml").write_text(meta)
    play(str(root), "--choices", "1", "--plain")
    listing = run_crossing("saves", env={"NO_COLOR": "", "COLUMNS": "200"})
    assert "\x1b" not in listing.stdout  # no escape sequence at all reaches the terminal
    assert "Lan\\x1b[2Jtern [bold]x[/bold]" in listing.stdout  # the title, shown as written


def test_saves_read_whole_at_forty_columns_and_count_one_choice(tmp_path: Path) -> None:
    root = shutil.copytree(LANTERN, tmp_path / "long")
    meta = (root / "story.yaml").read_text().replace("title: Lantern", 'title: "Crossing: three routes out of North Korea"')
    (root / "story.yaml").write_text(meta)
    play(str(root), "--choices", "1", "--plain")
    listing = run_crossing("saves", env={"COLUMNS": "40"})
    assert listing.returncode == 0
    lines = listing.stdout.splitlines()
    assert all(len(line.rstrip()) <= 40 for line in lines), listing.stdout
    assert "crossing-three-routes-1" in lines, "the id whole, on its own line, ready for --delete"
    assert "1 choice in" in listing.stdout and "1 choices" not in listing.stdout
    assert "crossing play STORY --resume" in lines
    assert run_crossing("saves", "--delete", "crossing-three-routes-1").returncode == 0


def test_resuming_after_one_choice_says_one_choice() -> None:
    play(str(LANTERN), "--choices", "1", "--plain")
    code, _, err = play(str(LANTERN), "--resume", "--choices", "s", "--plain")
    assert code == 0 and "Resuming run lantern-1" in err and "1 choice in." in err


def test_data_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CROSSING_DATA_DIR", str(tmp_path / "here"))
    assert persistence.saves_dir() == tmp_path / "here" / "saves"
    monkeypatch.delenv("CROSSING_DATA_DIR")
    assert persistence.saves_dir().name == "saves" and "crossing" in str(persistence.saves_dir()).lower()


def test_a_copied_save_file_writes_to_its_own_name() -> None:
    play(str(LANTERN), "--choices", "1", "--plain")
    original = saves_folder() / "lantern-1.json"
    copy = saves_folder() / "lantern-7.json"
    copy.write_bytes(original.read_bytes())
    before = original.read_bytes()
    code, _, err = play(str(LANTERN), "--resume", "--choices", "1", "--plain")
    assert code == 0 and "Resuming run lantern-7" in err
    assert original.read_bytes() == before and read_save(copy)["scene"]["id"] == "truck"


def test_a_run_resumed_after_a_scene_was_removed_can_be_resumed_again(tmp_path: Path) -> None:
    chain = "".join(
        f"  {a}:\n    text: Scene {a}.\n    choices:\n      - {{text: Go on, goto: {b}}}\n" for a, b in zip("abcd", "bcde", strict=True)
    ) + "  e:\n    text: The end.\n    ending: {kind: safety}\n"
    root = tmp_path / "resume-test"
    root.mkdir()
    (root / "story.yaml").write_text("title: Resume test\nstart: a\n")
    (root / "n.yaml").write_text("nodes:\n" + chain)
    env = {"CROSSING_DATA_DIR": str(tmp_path / "data")}
    assert run_crossing("play", str(root), "--choices", "1,1,1", "--save", env=env).returncode == 0
    # Scene b is removed: a now leads straight to c. The saved run (at d) can still go on.
    (root / "n.yaml").write_text("nodes:\n" + chain.replace("goto: b}", "goto: c}").replace(
        "  b:\n    text: Scene b.\n    choices:\n      - {text: Go on, goto: c}\n", ""))
    first = run_crossing("play", str(root), "--resume", "--choices", "q", env=env)
    assert first.returncode == 0, first.stderr
    second = run_crossing("play", str(root), "--resume", "--choices", "1", env=env)
    assert second.returncode == 0, second.stderr
    assert "corrupt" not in second.stderr and "The end." in second.stdout
    assert not list((tmp_path / "data" / "saves").glob("*.corrupt-*"))


# ------------------------------------------------------------------- saves from earlier releases

FIXTURES = Path(__file__).parent / "fixtures" / "saves"


def test_a_save_written_by_the_first_release_still_resumes() -> None:
    """tests/fixtures/saves/lantern-1.json was written by the code before the run state was unified."""
    saves_folder().mkdir(parents=True)
    shutil.copy(FIXTURES / "lantern-1.json", saves_folder() / "lantern-1.json")
    code, out, err = play(str(LANTERN), "--resume", input="1\n")
    assert code == 0, err
    assert "Resuming run lantern-1" in err and "2 choices in" in err
    assert "The truck" in out
    saved = read_save(saves_folder() / "lantern-1.json")
    assert saved["state"]["seed"] == 11
    assert len(saved["state"]["history"]) == 3


# ------------------------------------------------- resume by id, bulk deletes, one user's runs (issue 13)


def test_play_resume_id_continues_that_run() -> None:
    play(str(LANTERN), "--choices", "1", "--plain")  # lantern-1, one choice in
    play(str(LANTERN), "--choices", "1,1", "--plain")  # lantern-2, the latest
    code, out, err = play("--resume", "lantern-1", "--choices", "s", "--plain")
    assert code == 0, err
    assert "Resuming run lantern-1" in err and out.startswith("== The lane ==")
    code, _, err = play("--resume", "lantern-9", "--plain")
    assert code == 1 and "there is no save with the id 'lantern-9'" in err


def test_saves_delete_all_and_finished() -> None:
    play(str(LANTERN), "--choices", "1", "--plain")  # unfinished
    play(str(LANTERN), "--choices", "1,1,1", "--plain")  # reaches an ending
    assert {r.finished for r in persistence.scan(saves_folder()).runs} == {True, False}
    result = run_crossing("saves", "--delete", "--finished")
    assert result.returncode == 0 and "Deleted 1 finished saved run." in result.stdout
    assert [r.finished for r in persistence.scan(saves_folder()).runs] == [False]
    result = run_crossing("saves", "--delete", "--all")
    assert result.returncode == 0 and "Deleted 1 saved run." in result.stdout
    assert save_files() == []
    assert run_crossing("saves", "--delete", "lantern-1", "--all").returncode == 2


def test_resume_never_continues_another_users_run() -> None:
    play(str(LANTERN), "--choices", "1", "--plain")
    [path] = save_files()
    lines = path.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    header["owner"] = "someone-else"
    path.write_text("\n".join([json.dumps(header, separators=(",", ":")), *lines[1:]]) + "\n", encoding="utf-8")
    code, _, err = play(str(LANTERN), "--resume", "--choices", "s", "--plain")
    assert code == 0 and "Nothing to resume" in err


def test_state_numbers_are_range_checked() -> None:
    from crossing.state import RunState, StateError

    good = {"version": 2, "node": "a", "variables": {"n": 1}, "path": ["a"], "seed": 1, "history": []}
    assert RunState.from_dict(good).seed == 1
    for change in ({"seed": float("inf")}, {"seed": 10**5000}, {"seed": True}, {"seed": -1},
                   {"variables": {"n": float("nan")}}, {"variables": {"n": 10**20}},
                   {"created": "0001-01-01T00:00:00+14:00"}, {"created": "9999-12-31T23:59:59-14:00"},
                   {"path": ["a"] * 20_000}, {"version": 99}, {"version": 0}):
        with pytest.raises(StateError):
            RunState.from_dict({**good, **change})


def test_visited_is_kept_as_the_path_changes() -> None:
    from crossing.state import RunState

    state = RunState("a", {}, ["a"], 1)
    state.path.append("b")
    state.path.append("b")
    state.path.pop()
    assert set(state.visited) == {"a", "b"}
    state.path.pop()
    assert set(state.visited) == {"a"} and "b" not in state.visited
    state.path = ["x", "y"]
    assert set(state.visited) == {"x", "y"}
    state.path[0] = "z"
    assert set(state.visited) == {"z", "y"}
