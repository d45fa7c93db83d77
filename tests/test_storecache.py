"""The checked-story cache: used while the story's files are unchanged, refreshed when one changes, and
impossible to abuse (issue 15): plain JSON read against the model's type hints, a cheap re-check of what
is read, private folders and files, per-user names, and the loader's file checks before anything is read
for the fingerprint. Anything odd: the story is loaded again, silently."""

from __future__ import annotations

import dataclasses
import json
import os
import resource
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from crossing import loader, storecache
from crossing.model import Choice, Node, Story
from crossing.validation import validate_path
from helpers import BASE_META, write_story
from helpers import run_process as run_crossing  # the cache is written as the process ends: real processes

pytestmark = pytest.mark.slow

SRC = Path(__file__).resolve().parents[1] / "src"
STORY = {"story.yaml": BASE_META,
         "a.yaml": "nodes:\n  start:\n    text: The real first scene.\n    choices:\n      - text: Go on\n        goto: end\n"
                   "  end:\n    text: The real ending.\n    ending: {kind: safety}\n"}


def cache_files() -> list[Path]:
    folder = Path(os.environ["CROSSING_CACHE_DIR"])
    return sorted(folder.glob("story-*")) if folder.is_dir() else []


def play(root: Path, *args: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    result = run_crossing("play", str(root), "--plain", *args, timeout=timeout)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def cached_story(tmp_path: Path) -> tuple[Path, Path, dict[str, Any]]:
    """A story played once (so it is cached): its folder, its cache file and the file's JSON."""
    root = write_story(tmp_path / "story", STORY)
    assert "The real first scene." in play(root).stdout
    [cached] = cache_files()
    return root, cached, json.loads(cached.read_text(encoding="utf-8"))


def at(cls: type, name: str) -> int:
    """Where a field sits in a cached object: [class name, field values in order]."""
    return 1 + [f.name for f in dataclasses.fields(cls)].index(name)


STORY_NODES, STORY_START = at(Story, "nodes"), at(Story, "start")
NODE_TEXT, NODE_CHOICES, NODE_ROUTE = at(Node, "text"), at(Node, "choices"), at(Node, "route")
CHOICE_GOTO, CHOICE_CONDITION = at(Choice, "goto"), at(Choice, "condition")


def plant(path: Path, document: object) -> None:
    path.write_text(json.dumps(document), encoding="utf-8")
    os.chmod(path, 0o600)


def test_the_limits_are_the_loaders() -> None:
    assert (storecache.MAX_FILE_BYTES, storecache.MAX_TOTAL_BYTES, storecache.MAX_FILES) == \
        (loader.MAX_FILE_BYTES, loader.MAX_TOTAL_BYTES, loader.MAX_FILES)


def test_a_story_reads_back_exactly_as_it_was_checked() -> None:
    from crossing.paths import default_story_path

    checked = validate_path(default_story_path(), explore=False)
    text = json.dumps(storecache._encode(checked))
    back = storecache.decode_validation(json.loads(text))  # (the nodes' data is let go as each is built)
    assert json.dumps(storecache._encode(back)) == text
    assert back.diagnostics == checked.diagnostics and back.story is not None and checked.story is not None
    assert back.story.nodes.keys() == checked.story.nodes.keys()
    # Expressions come back compiled: a condition of the default story evaluates as before.
    for node in checked.story.nodes.values():
        for index, choice in enumerate(node.choices):
            if choice.condition is not None:
                again = back.story.nodes[node.id].choices[index].condition
                assert again is not None and again.source == choice.condition.source
                assert again.variable_refs == choice.condition.variable_refs


def test_cache_is_used_and_refreshed(tmp_path: Path) -> None:
    root, _, document = cached_story(tmp_path)
    assert document["format"] == storecache.CACHE_FORMAT
    (root / "a.yaml").write_text(STORY["a.yaml"].replace("The real first scene.", "Second, longer."))
    assert "Second, longer." in play(root).stdout  # a changed file is never served from the cache
    assert len(cache_files()) == 2


def test_cache_is_keyed_on_contents_not_times(tmp_path: Path) -> None:
    root = write_story(tmp_path / "c", {"story.yaml": BASE_META, "a.yaml": "nodes:\n  start:\n    text: scene a\n    ending: {kind: safety}\n"})
    assert "scene a" in play(root).stdout
    before = (root / "a.yaml").stat()
    (root / "a.yaml").write_text("nodes:\n  start:\n    text: SCENE A\n    ending: {kind: safety}\n")
    os.utime(root / "a.yaml", ns=(before.st_atime_ns, before.st_mtime_ns))  # same size and time, as cp -p leaves it
    assert "SCENE A" in play(root).stdout


def test_folder_and_files_are_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        cached_story(tmp_path)
    finally:
        os.umask(old)
    [cached] = cache_files()
    assert stat.S_IMODE(cached.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(cached.stat().st_mode) == 0o600
    assert f"story-{os.getuid()}-" in cached.name  # a per-user name, even in a shared folder


@pytest.mark.parametrize("damage", [
    "missing-goto", "missing-start", "not-a-story", "list-for-text", "pickle", "deep", "unknown-class", "wrong-user",
    "truncated", "errors-inside",
])
def test_planted_cache_files_mean_loading_again(tmp_path: Path, damage: str) -> None:
    root, cached, document = cached_story(tmp_path)
    story = document["validation"][1]
    nodes = story[STORY_NODES]
    assert story[0] == "Story" and "start" in nodes
    if damage == "missing-goto":
        nodes["start"][NODE_CHOICES][0][CHOICE_GOTO] = "nowhere"
    elif damage == "missing-start":
        story[STORY_START] = "gone"
    elif damage == "not-a-story":
        document["validation"] = ["Validation", ["Location", "x", 1, 1], []]
    elif damage == "list-for-text":
        nodes["start"][NODE_TEXT] = ["PLANTED", "text"]
    elif damage == "pickle":
        cached.write_bytes(b"\x80\x04cos\nsystem\n(S'echo hacked'\ntR.")
    elif damage == "deep":
        cached.write_text('{"format": 2, "validation": ' + "[" * 50_000 + "]" * 50_000 + "}")
    elif damage == "unknown-class":
        nodes["start"][NODE_ROUTE] = ["Popen", "echo", "hacked"]
    elif damage == "wrong-user":
        document["user"] = "someone-else"
    elif damage == "truncated":
        cached.write_text(json.dumps(document)[:100])
    elif damage == "errors-inside":
        document["validation"][2] = [["Diagnostic", "x", 1, 1, "error", "code", "PLANTED error"]]
    if damage not in ("pickle", "truncated", "deep"):
        plant(cached, document)
    result = play(root)
    assert result.returncode == 0 and "The real first scene." in result.stdout
    assert "PLANTED" not in result.stdout + result.stderr and "hacked" not in result.stdout


@pytest.mark.parametrize("planted", ["chain", "operator"])
def test_expressions_too_deep_or_with_unknown_operators_are_refused(tmp_path: Path, planted: str) -> None:
    """Pickle could share one sub-tree between both branches of an expression, 64 levels deep (2^64
    visits from 3 KB). JSON has no sharing, so such a tree would take 2^64 bytes to write: reading is
    linear in the file's size. What can be written (a chain past the height bound, an operator the
    language does not have) is refused, and the story loaded again."""
    root, cached, document = cached_story(tmp_path)
    tree: object = ["Name", "money", 0]
    if planted == "chain":
        for _ in range(300):
            tree = ["Binary", "+", tree, ["Literal_", 1, 0], 0]
    else:
        tree = ["Binary", "**", tree, tree, 0]
    choice = document["validation"][1][STORY_NODES]["start"][NODE_CHOICES][0]
    choice[CHOICE_CONDITION] = ["Expression", "money", tree]
    plant(cached, document)
    started = time.monotonic()
    result = play(root)
    assert time.monotonic() - started < 10
    assert result.returncode == 0 and "The real first scene." in result.stdout
    assert json.loads(cached.read_text())["validation"] != document["validation"]  # rewritten from the story


def test_another_users_or_shared_cache_file_is_not_used(tmp_path: Path) -> None:
    root, cached, _ = cached_story(tmp_path)
    planted = cached.read_text(encoding="utf-8").replace("The real first scene.", "PLANTED by another user")
    cached.write_text(planted, encoding="utf-8")
    assert "PLANTED" in play(root).stdout  # the user's own private file is trusted (the control case)
    cached.write_text(planted, encoding="utf-8")
    os.chmod(cached, 0o666)  # writable by anyone: not trusted
    assert "PLANTED" not in play(root).stdout
    if os.getuid() == 0:
        cached.write_text(planted, encoding="utf-8")
        os.chmod(cached, 0o600)
        os.chown(cached, 4242, 4242)  # owned by someone else
        assert "PLANTED" not in play(root).stdout


def test_named_pipe_in_the_story_folder_does_not_hang_play_guide_or_analyze(tmp_path: Path) -> None:
    root = write_story(tmp_path / "story", STORY)
    os.mkfifo(root / "extra.yaml")
    for command in ("play", "guide", "analyze"):
        started = time.monotonic()
        result = run_crossing(command, str(root), timeout=30)
        assert time.monotonic() - started < 30
        assert "Traceback" not in result.stderr, (command, result.stderr)


def _limited(*args: str) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (768 * 2**20, 768 * 2**20))

    return subprocess.run([sys.executable, "-m", "crossing", *args], capture_output=True, text=True, timeout=30,
                          stdin=subprocess.DEVNULL, preexec_fn=limit, env={**os.environ, "PYTHONPATH": str(SRC)})


@pytest.mark.parametrize("kind", ["sparse", "dev-zero"])
def test_huge_or_endless_story_files_are_refused_like_validate_does(tmp_path: Path, kind: str) -> None:
    root = write_story(tmp_path / "story", STORY)
    if kind == "sparse":
        with (root / "big.yaml").open("wb") as handle:
            handle.truncate(3 * 10**9)
    else:
        (root / "zero.yaml").symlink_to("/dev/zero")
    for command in ("play", "validate"):
        result = _limited(command, str(root))
        assert result.returncode == 1, (command, result.stderr)
        assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr, result.stderr


# A container user with no passwd entry and no HOME: platformdirs raises RuntimeError for every folder.
HOMELESS = (
    "import pwd, sys\n"
    "def nobody(uid):\n"
    "    raise KeyError(uid)\n"
    "pwd.getpwuid = nobody\n"
    "from crossing.cli import main\n"
    "sys.argv[0] = 'crossing'\n"
    "main()\n"
)


def homeless(*args: str, input: str = "") -> subprocess.CompletedProcess[str]:
    drop = ("HOME", "CROSSING_CACHE_DIR", "CROSSING_DATA_DIR", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PYTHONPATH"] = str(SRC)
    return subprocess.run([sys.executable, "-c", HOMELESS, *args], capture_output=True, text=True, timeout=30,
                          env=env, input=input)


def test_no_home_and_no_passwd_entry_plays_without_a_cache(tmp_path: Path) -> None:
    root = write_story(tmp_path / "story", STORY)
    for command in (["play", str(root), "--plain", "--choices", "1"], ["validate", str(root)], ["guide", str(root)],
                    ["class", str(root), "--plain"]):
        result = homeless(*command)
        assert "Traceback" not in result.stderr, result.stderr
        assert result.returncode == 0, result.stderr
    played = homeless("play", str(root), "--plain", "--choices", "1", "--save")  # a scripted run is saved when asked
    assert "The real ending." in played.stdout
    assert played.stderr.count("CROSSING_DATA_DIR") == 1, played.stderr  # said once, not at every step
    for command in (["saves"], ["play", str(root), "--resume", "--plain"]):
        result = homeless(*command)
        assert "Traceback" not in result.stderr and "CROSSING_DATA_DIR" in result.stderr, result.stderr


def test_validate_is_served_from_the_cache_with_every_warning(tmp_path: Path) -> None:
    files = dict(STORY)
    files["a.yaml"] = files["a.yaml"].replace("The real ending.", "You win!")  # a lint warning
    root = write_story(tmp_path / "story", files)
    first = run_crossing("validate", str(root))
    assert first.returncode == 0 and "warning" in first.stdout
    [cached] = cache_files()
    document = json.loads(cached.read_text(encoding="utf-8"))
    assert document["explored"] is True  # validate's own lints are in it
    second = run_crossing("validate", str(root))
    assert second.stdout == first.stdout and second.returncode == 0
    # A story with errors is never cached: validate reads it every time.
    (root / "a.yaml").write_text(files["a.yaml"].replace("goto: end", "goto: nowhere"))
    assert run_crossing("validate", str(root)).returncode == 1
    assert run_crossing("validate", str(root)).returncode == 1
    assert len(cache_files()) == 1


def test_play_after_play_keeps_a_cache_that_validate_then_refreshes(tmp_path: Path) -> None:
    root, cached, document = cached_story(tmp_path)
    assert document["explored"] is False
    run_crossing("validate", str(root))
    assert json.loads(cached.read_text(encoding="utf-8"))["explored"] is True


def test_a_damaged_scene_met_later_in_the_run_is_read_from_the_files(tmp_path: Path) -> None:
    """Nodes are read from the cache when a run first needs them: damage in a later scene is found then,
    that scene comes from the story's files, and the cache is written again."""
    root, cached, document = cached_story(tmp_path)
    document["validation"][1][STORY_NODES]["end"][NODE_TEXT] = ["PLANTED", "text"]
    plant(cached, document)
    result = play(root, "--choices", "1")
    assert result.returncode == 0 and "The real ending." in result.stdout
    assert "PLANTED" not in result.stdout + result.stderr
    assert json.loads(cached.read_text())["validation"] != document["validation"]  # rewritten from the story
