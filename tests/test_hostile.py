"""Hostile and broken story files, through the real command: each gets a clear message naming the file
(and line), exit code 1, no traceback, within seconds and bounded memory, for `validate` and `play`.

Committed cases live in tests/hostile/<case>/ with an expected.txt (one expected piece of output per
line). Cases that need tens of megabytes, symlinks or permissions are built at test time in tmp_path.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import write_story

HOSTILE = Path(__file__).parent / "hostile"
MEMORY_LIMIT = 768 * 2**20  # address space: a blow-up fails with MemoryError instead of taking the machine
TIME_LIMIT = 10.0  # seconds per command, start-up included (a run takes about half a second)
# Real processes under a memory limit, as a hostile story would meet them: end to end.
pytestmark = pytest.mark.slow

SMALL_NODES = "nodes:\n  a:\n    text: hi\n    ending: {kind: safety}\n"
SMALL_STORY = "title: Small\nstart: a\n" + SMALL_NODES


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def start(*args: str, cwd: Path | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "crossing", *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, preexec_fn=_limit_memory, cwd=cwd,
    )


def finish(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    try:
        stdout, stderr = process.communicate(timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise AssertionError(f"{process.args!r} took more than {TIME_LIMIT} seconds") from None
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def crossing(*args: str, cwd: Path | None = None) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    result = finish(start(*args, cwd=cwd))
    return result, time.monotonic() - started


def assert_refused(root: Path, expected: list[str], cwd: Path | None = None) -> None:
    """validate and play both (run side by side): exit 1, every expected piece in the output, nothing
    alarming, within TIME_LIMIT each (finish() enforces it)."""
    running = {command: start(command, str(root), cwd=cwd) for command in ("validate", "play")}
    # Collect both before asserting, so a failure on one never leaves the other's pipes open.
    results = {command: finish(process) for command, process in running.items()}
    for command, result in results.items():
        output = result.stdout + result.stderr
        assert result.returncode == 1, (command, output[-2000:])
        assert "Traceback" not in output and "Error:" not in output, output[-2000:]
        flat = " ".join(output.split())  # Rich wraps long lines on stderr at the terminal width
        for piece in expected:
            assert " ".join(piece.split()) in flat, (command, piece, output[-2000:])
        assert "\x1b" not in output, "control characters from the story reached the terminal"
        if command == "play":
            assert f"the story at {root} has errors" in flat


# ------------------------------------------------------------------------------- committed cases


COMMITTED = sorted(p.name for p in HOSTILE.iterdir() if (p / "expected.txt").is_file())


def test_every_committed_case_has_a_story() -> None:
    assert len(COMMITTED) >= 10
    for case in COMMITTED:
        assert (HOSTILE / case / "story.yaml").is_file(), case


@pytest.mark.parametrize("case", COMMITTED)
def test_committed_hostile_story_is_refused_clearly(case: str) -> None:
    root = HOSTILE / case
    expected = [line for line in (root / "expected.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    # The first expected line names the file and its line: make it the full path the command prints.
    expected = [f"{root.relative_to(root.parent)}/{line}" if line.startswith("story.yaml:") else line for line in expected]
    assert_refused(root, expected)


def test_python_tag_runs_nothing(tmp_path: Path) -> None:
    """The committed case, with its marker file moved into this test's own folder (never a fixed path)."""
    marker = tmp_path / "crossing-pwned"
    story = tmp_path / "python-tag"
    story.mkdir()
    text = (HOSTILE / "python-tag" / "story.yaml").read_text(encoding="utf-8")
    assert "/tmp/crossing-pwned" in text
    (story / "story.yaml").write_text(text.replace("/tmp/crossing-pwned", str(marker)), encoding="utf-8")
    crossing("validate", str(story))
    crossing("play", str(story))
    assert not marker.exists()


# ------------------------------------------------------------------------------- generated cases


def huge_story_file(root: Path) -> list[str]:
    """Tens of megabytes in story.yaml: refused from its size, before a byte is parsed."""
    root.mkdir()
    with (root / "story.yaml").open("w", encoding="utf-8") as out:
        out.write(SMALL_STORY)
        line = "# " + "padding " * 12 + "\n"
        out.write(line * (30 * 2**20 // len(line)))
    return [f"{root.name}/story.yaml: error: the file is too large (31.5 MB; a story file may hold at most 8 MB"]


def huge_node_file(root: Path) -> list[str]:
    write_story(root, {"story.yaml": SMALL_STORY})
    (root / "big.yaml").write_bytes(b"nodes:\n" + b"  x: " + b"a" * (20 * 2**20) + b"\n")
    return [f"{root.name}/big.yaml: error: the file is too large (21.0 MB"]


def deep_flow(root: Path) -> list[str]:
    """100,000 nested brackets: libyaml's composer would crash the process (it recurses per level)."""
    write_story(root, {"story.yaml": "title: Deep\nstart: a\nnodes: " + "[" * 100_000 + "]" * 100_000 + "\n"})
    # Line 3 either way; the column depends on the libyaml build (newer ones stop deep flows themselves).
    return [f"{root.name}/story.yaml:3:", "error: the YAML nests more than 200 levels deep"]


def deep_block(root: Path) -> list[str]:
    lines = ["title: Deep", "start: a", "nodes:"] + ["  " * (i + 1) + f"k{i}:" for i in range(1500)]
    write_story(root, {"story.yaml": "\n".join(lines) + "\n"})
    return [f"{root.name}/story.yaml:", "error: the YAML nests more than 200 levels deep"]


def many_aliases_small_file(root: Path) -> list[str]:
    """A bomb hidden in a node file instead of story.yaml."""
    text = "nodes:\n  b: &x [" + ", ".join(["{text: t, ending: {kind: safety}}"] * 10) + "]\n"
    for level in range(8):
        text += f"  c{level}: &x{level} [" + ", ".join(["*x" if level == 0 else f"*x{level - 1}"] * 10) + "]\n"
    write_story(root, {"story.yaml": SMALL_STORY, "bomb.yaml": text})
    return [f"{root.name}/bomb.yaml:", "error: aliases (*name) repeat this value so often"]


def link_to_file_outside(root: Path) -> list[str]:
    outside = root.parent / "outside"
    write_story(outside, {"secret.yaml": "nodes:\n  secret:\n    text: a secret\n    ending: {kind: safety}\n"})
    write_story(root, {"story.yaml": SMALL_STORY})
    (root / "part").mkdir()
    (root / "part" / "leak.yaml").symlink_to(outside / "secret.yaml")
    return [f"{root.name}/part/leak.yaml: error: links to a file outside the story folder; it is not read"]


def link_to_folder_outside(root: Path) -> list[str]:
    outside = root.parent / "outside"
    write_story(outside, {"secret.yaml": "nodes:\n  secret:\n    text: a secret\n    ending: {kind: safety}\n"})
    write_story(root, {"story.yaml": SMALL_STORY})
    (root / "more").symlink_to(outside, target_is_directory=True)
    return [f"{root.name}/more: error: links to a folder outside the story folder; it is not read"]


def story_yaml_outside(root: Path) -> list[str]:
    """story.yaml itself a link to a private file: its content must never be read, let alone shown."""
    secret = root.parent / "passwords.txt"
    secret.write_text("root:secret-password-123\n", encoding="utf-8")
    root.mkdir()
    (root / "story.yaml").symlink_to(secret)
    return [f"{root.name}/story.yaml: error: links to a file outside the story folder; it is not read"]


def symlink_loop(root: Path) -> list[str]:
    write_story(root, {"story.yaml": SMALL_STORY})
    (root / "self.yaml").symlink_to(root / "self.yaml")
    (root / "round").symlink_to(root, target_is_directory=True)  # a folder loop: must not be walked forever
    return [f"{root.name}/self.yaml: error: is a symbolic link that loops back on itself; it is not read"]


GENERATED: dict[str, Callable[[Path], list[str]]] = {
    f.__name__.replace("_", "-"): f
    for f in (huge_story_file, huge_node_file, deep_flow, deep_block, many_aliases_small_file,
              link_to_file_outside, link_to_folder_outside, story_yaml_outside, symlink_loop)
}


@pytest.mark.parametrize("case", sorted(GENERATED))
def test_generated_hostile_story_is_refused_clearly(tmp_path: Path, case: str) -> None:
    root = tmp_path / case
    expected = GENERATED[case](root)
    # Messages name the folder as given on the command line: run from tmp_path with a relative path.
    assert_refused(Path(case), expected, cwd=tmp_path)


def test_a_linked_private_file_is_never_shown(tmp_path: Path) -> None:
    story_yaml_outside(tmp_path / "story")
    result, _ = crossing("validate", str(tmp_path / "story"))
    assert "secret-password-123" not in result.stdout + result.stderr


# --------------------------------------------------------------------------------- permissions


def _unreadable(path: Path) -> None:
    """chmod 000, or skip: root (as in many CI containers) reads such files anyway."""
    path.chmod(0)
    try:
        if path.is_dir():
            os.listdir(path)
        else:
            path.read_bytes()
    except PermissionError:
        return
    path.chmod(0o755)
    pytest.skip("running as root (or with CAP_DAC_OVERRIDE): chmod 000 does not stop reading here")


def test_unreadable_node_file(tmp_path: Path) -> None:
    root = write_story(tmp_path / "story", {"story.yaml": SMALL_STORY, "locked.yaml": SMALL_NODES})
    _unreadable(root / "locked.yaml")
    try:
        assert_refused(Path("story"), ["story/locked.yaml: error: cannot read the file: Permission denied"], cwd=tmp_path)
    finally:
        (root / "locked.yaml").chmod(0o644)


def test_unreadable_subfolder(tmp_path: Path) -> None:
    root = write_story(tmp_path / "story", {"story.yaml": SMALL_STORY, "part/more.yaml": SMALL_NODES})
    _unreadable(root / "part")
    try:
        assert_refused(Path("story"), ["story/part: error: cannot read this folder: Permission denied"], cwd=tmp_path)
    finally:
        (root / "part").chmod(0o755)


def test_unreadable_files_and_folders_are_reported_even_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same two cases in-process, with the permission error simulated, so they run everywhere."""
    from crossing.validation import validate_path

    root = write_story(tmp_path / "story", {"story.yaml": SMALL_STORY, "locked.yaml": SMALL_NODES.replace("a:", "b:"),
                                            "part/more.yaml": SMALL_NODES.replace("a:", "c:")})
    real_scandir, real_read = os.scandir, Path.read_bytes

    def scandir(path: str | os.PathLike[str] = ".") -> object:
        if Path(path).name == "part":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.yaml":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    found = [d.format() for d in validate_path(root).errors]
    assert "story/locked.yaml: error: cannot read the file: Permission denied" in found
    assert "story/part: error: cannot read this folder: Permission denied" in found


EVIL = r"\e]0;PWNED\a\e[2J\e[31m[bold red]markup[/bold red]"  # YAML escapes: the file is valid
EVIL_SHOWN = "\\x1b]0;PWNED\\x07\\x1b[2J\\x1b[31m[bold red]markup[/bold red]"


def escapes_story(root: Path) -> Path:
    """Every piece of story text a player can see carries a terminal escape and Rich markup."""
    e = f'"{EVIL}"'
    meta = f"""\
title: {e}
start: a
description: {e}
variables:
  money: {{value: 5, label: {e}}}
sources:
  src: {{title: {e}, publisher: {e}, year: 2020}}
glossary:
  {e}: {e}
places:
  here: {{name: {e}, lat: 42.0, lon: 129.0}}
  there: {{name: {e}, lat: 42.5, lon: 129.5}}
routes:
  road: {{title: {e}}}
ending_kinds:
  gone: {{label: {e}}}
"""
    nodes = f"""\
nodes:
  a:
    title: {e}
    route: road
    place: here
    text: {e}
    content_warnings: [violence]
    gentle_text: {e}
    risk: {{level: high, note: {e}}}
    facts:
      - {{claim: {e}, source: src}}
    choices:
      - text: {e}
        goto: b
  b:
    title: {e}
    route: road
    place: there
    text: {e}
    facts:
      - {{claim: {e}, source: src}}
    ending:
      kind: gone
      title: {e}
      debrief: {{why: {e}, context: {e}, questions: [{e}, {e}]}}
"""
    return write_story(root, {"story.yaml": meta, "nodes.yaml": nodes})


@pytest.mark.parametrize("style", ["--plain", "--gentle"])
def test_escapes_and_markup_in_every_story_text_are_shown_inert(tmp_path: Path, style: str) -> None:
    root = escapes_story(tmp_path / "evil")
    validated, _ = crossing("validate", str(root))
    assert validated.returncode == 0, validated.stdout
    result, _ = crossing("play", str(root), "--choices", "h,s,g,m,1", style)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-2000:]
    assert "\x1b" not in output and "\x07" not in output  # nothing reaches the terminal as a command
    assert output.count(EVIL_SHOWN) >= 12  # every piece is shown, literally, markup and all
    assert "PWNED" in output and "[bold red]markup[/bold red]" in output


# ------------------------------------------------------------------------------ hostile at play


LOOP_META = """\
title: Loop
start: room
variables:
  coins: 10
  word: "ab"
"""
LOOP_NODES = """\
nodes:
  room:
    text: A room you can come back to.
    choices:
      - text: Double everything
        set:
          coins: coins * 1000
          word: word + word
        goto: room
      - text: Leave
        goto: out
  out:
    text: Out.
    ending: {kind: safety}
"""


def test_values_that_grow_without_bound_stop_the_run_cleanly(tmp_path: Path) -> None:
    """A loop that multiplies a number (and doubles a text) at every turn: refused once too large,
    with a message naming the place, instead of eating memory or time."""
    root = write_story(tmp_path / "loop", {"story.yaml": LOOP_META, "nodes.yaml": LOOP_NODES})
    result, elapsed = crossing("play", str(root), "--choices", ",".join(["1"] * 40), "--plain")
    assert result.returncode == 1, result.stdout[-500:] + result.stderr
    assert "nodes.yaml:" in result.stderr and "in node 'room'" in result.stderr
    assert "too large" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
    assert elapsed < TIME_LIMIT


def test_texts_that_double_without_bound_stop_the_run_cleanly(tmp_path: Path) -> None:
    nodes = LOOP_NODES.replace("          coins: coins * 1000\n", "")
    root = write_story(tmp_path / "loop", {"story.yaml": LOOP_META, "nodes.yaml": nodes})
    result, _ = crossing("play", str(root), "--choices", ",".join(["1"] * 40), "--plain")
    assert result.returncode == 1
    assert "joined text longer than 10000 characters" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr


def test_odd_digits_at_the_prompt_are_just_bad_keys() -> None:
    """'²' and a 5,000-digit number pass str.isdigit() but not int(): asked again, no traceback."""
    lantern = Path(__file__).parent / "stories" / "lantern"
    result = subprocess.run(
        [sys.executable, "-m", "crossing", "play", str(lantern), "--plain"],
        input="²\n" + "9" * 5000 + "\n١\n", capture_output=True, text=True, timeout=TIME_LIMIT,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.count("Choose 1-2") == 3  # the scripted reader echoes each answer after its prompt


# -------------------------------------------------------------------------------- saves (issue 15)

LANTERN = Path(__file__).parent / "stories" / "lantern"


def saves_folder() -> Path:
    return Path(os.environ["CROSSING_DATA_DIR"]) / "saves"


def saved_lantern_run() -> Path:
    """A run of the lantern story, two choices in, saved: its file."""
    result, _ = crossing("play", str(LANTERN), "--choices", "1,1", "--save", "--plain")
    assert result.returncode == 0, result.stderr
    [path] = saves_folder().glob("*.json")
    return path


def _tamper(path: Path, change: Callable[[str], str]) -> None:
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


SEED = '"seed":'
TAMPERED = {
    # A date that overflows when converted to the local time, and its twin at the other end.
    "year-one": lambda text: text.replace('"updated":"', '"updated":"0001-01-01T00:00:00+14:00","was":"', 1),
    "year-9999": lambda text: text.replace('"updated":"', '"updated":"9999-12-31T23:59:59-14:00","was":"', 1),
    "infinite-seed": lambda text: text.replace(SEED, SEED + "Infinity,\"old_seed\":", 1),
    "huge-seed": lambda text: text.replace(SEED, SEED + "9" * 5000 + ",\"old_seed\":", 1),
    "nan-draw-and-bool-index": lambda text: text.replace('"choice_index":0', '"choice_index":true', 1),
    "million-scenes": lambda text: text.replace('"path":["kitchen"', '"path":[' + '"lane",' * 1_000_000 + '"kitchen"', 1),
}


@pytest.mark.parametrize("case", sorted(TAMPERED))
def test_a_tampered_save_is_moved_aside_once_with_its_reason(case: str) -> None:
    path = saved_lantern_run()
    _tamper(path, TAMPERED[case])
    for command in (("saves", "--plain"), ("play", str(LANTERN), "--resume", "--choices", "s", "--plain")):
        result, elapsed = crossing(*command)
        assert "Traceback" not in result.stderr and result.returncode == 0, result.stderr
        assert elapsed < TIME_LIMIT
    kept = list(saves_folder().glob("*.corrupt-*"))
    assert len(kept) == 1 and not path.exists()  # moved aside at the first look, never failing again
    first, _ = crossing("saves", "--plain")
    assert "damaged" not in first.stderr


def test_named_pipes_and_devices_in_the_saves_folder_never_hang() -> None:
    saved_lantern_run()
    os.mkfifo(saves_folder() / "pipe-1.json")
    (saves_folder() / "zero-1.json").symlink_to("/dev/zero")
    with (saves_folder() / "sparse-1.json").open("wb") as handle:
        handle.truncate(3 * 10**9)
    for command in (("saves", "--plain"), ("play", str(LANTERN), "--resume", "--choices", "s", "--plain")):
        result, _ = crossing(*command)
        assert result.returncode == 0 and "Traceback" not in result.stderr and "MemoryError" not in result.stderr, result.stderr
        assert "lantern-1" in result.stdout + result.stderr
        err = "".join(result.stderr.split())  # Rich may wrap anywhere in a long line
        if command[0] == "saves":
            assert "pipe-1.jsonisanamedpipe" in err and "zero-1.json:itisadevice" in err


def test_a_run_open_elsewhere_is_not_resumed_twice() -> None:
    """Two `play --resume` of one run: the second is told plainly, and the first one's progress stays."""
    from crossing.locking import RunLock

    path = saved_lantern_run()
    before = path.read_bytes()
    first = RunLock(path)
    assert first.acquire()  # the run is being played (this test process stands for the first window)
    try:
        result, _ = crossing("play", str(LANTERN), "--resume", "--choices", "1", "--plain")
        err = " ".join(result.stderr.split())
        assert result.returncode == 1 and "Traceback" not in err
        assert "The run lantern-1 of 'Lantern' is open in another Crossing window or terminal" in err
        assert "start a new run with `crossing play`" in err
        assert path.read_bytes() == before
        deleted, _ = crossing("saves", "--delete", "lantern-1")
        assert deleted.returncode == 1 and "open in another Crossing window" in deleted.stderr and path.exists()
    finally:
        first.release()
    again, _ = crossing("play", str(LANTERN), "--resume", "--choices", "1", "--plain")
    assert again.returncode == 0 and "Resuming run lantern-1" in again.stderr


LONG_LOOP = {
    "story.yaml": "title: Loop\nstart: room\n",
    "nodes.yaml": "nodes:\n  room:\n    text: A room.\n    choices:\n      - {text: Stay, goto: room}\n"
                  "      - {text: Leave, goto: out}\n  out:\n    text: Out.\n    ending: {kind: safety}\n",
}


def test_each_step_costs_the_same_however_long_the_run(tmp_path: Path) -> None:
    """Today 20,000 scripted choices take 97 s: a whole save flushed per step, and the scenes visited
    rebuilt as a set from the whole path at every step. Now a step appends one short line and asks a
    kept count: 20,000 steps with saving take seconds (in-process; rendering is not measured here)."""
    from crossing.cli.autosave import Saver
    from crossing.engine import Engine
    from crossing.loader import load_story

    root = write_story(tmp_path / "loop", LONG_LOOP)
    story = load_story(root).story
    assert story is not None
    engine = Engine(story, 1)
    warnings: list[str] = []
    saver = Saver(story, gentle=False, warn=warnings.append, folder=tmp_path / "saves", interactive=False)
    started = time.monotonic()
    sizes = []
    for _ in range(20_000):
        engine.choose(1)
        saver.save(engine)
        if len(engine.state.history) in (100, 101, 9_000, 9_001):
            sizes.append((tmp_path / "saves" / "loop-1.json").stat().st_size)
    saver.finish(engine, between_steps=True)
    elapsed = time.monotonic() - started
    assert elapsed < 15, f"{elapsed:.1f} s for 20,000 steps"
    # The 101st step writes as much as the 9,001st (give or take the digits of its number).
    assert abs((sizes[1] - sizes[0]) - (sizes[3] - sizes[2])) <= 4
    assert warnings == ["this run is longer than 10,000 choices: the rest of it is not saved"]  # said once


def test_scripted_runs_are_saved_only_when_asked(tmp_path: Path) -> None:
    root = write_story(tmp_path / "loop", LONG_LOOP)
    result, _ = crossing("play", str(root), "--choices", ",".join(["1"] * 200), "--plain")
    assert result.returncode == 0 and "saved only with --save" in result.stderr
    assert not saves_folder().exists() or not list(saves_folder().glob("*.json"))
    saved, _ = crossing("play", str(root), "--choices", ",".join(["1"] * 200), "--plain", "--save")
    assert saved.returncode == 0 and "Your progress is saved as loop-1" in saved.stderr
    [path] = saves_folder().glob("*.json")
    assert len(path.read_bytes().splitlines()) == 1  # written whole again when the run left


def test_saves_are_private_whatever_the_umask() -> None:
    old = os.umask(0)
    try:
        path = saved_lantern_run()
    finally:
        os.umask(old)
    assert (path.parent.stat().st_mode & 0o777) == 0o700
    assert (path.stat().st_mode & 0o777) == 0o600


# ------------------------------------------------------------------------- odd environments (issue 15)

COMMANDS = [
    ("--version",), ("--help",), ("play", "--choices", "1"), ("play", str(LANTERN), "--choices", "1,1", "--plain"),
    ("saves",), ("glossary",), ("validate",), ("map",), ("analyze",), ("graph",), ("stats", "--runs", "50"),
    ("guide",), ("schema",),
]


def _odd(*args: str, env: dict[str, str] | None = None, stdout: object = subprocess.PIPE,
         close_stdin: bool = False) -> subprocess.CompletedProcess[str]:
    def prepare() -> None:
        _limit_memory()
        if close_stdin:
            os.close(0)

    return subprocess.run([sys.executable, "-m", "crossing", *args], stdin=None if close_stdin else subprocess.DEVNULL,
                          stdout=stdout, stderr=subprocess.PIPE, text=True, errors="replace", preexec_fn=prepare, timeout=60,  # type: ignore[arg-type]
                          env={**os.environ, **(env or {})})


@pytest.mark.parametrize("command", [("play",), ("class",), ("play", "--resume"), ("play", str(LANTERN), "--resume")])
def test_closed_standard_input_ends_the_run_quietly(command: tuple[str, ...]) -> None:
    if command[-1] == "--resume":
        saved_lantern_run()
    result = _odd(*command, close_stdin=True)
    assert "Traceback" not in result.stderr and result.returncode == 0, result.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="/dev/full is a Linux device")
def test_a_full_output_is_one_clean_message_from_every_command() -> None:
    for command in COMMANDS:
        with open("/dev/full", "w") as full:
            result = _odd(*command, stdout=full)
        assert result.returncode != 0, command
        assert result.stderr.strip().endswith("crossing: cannot write the output: No space left on device"), (command, result.stderr)
        assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, command


@pytest.mark.parametrize("encoding", [
    {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": ""},
    {"PYTHONIOENCODING": "latin-1"},
], ids=["ascii", "latin-1"])
def test_a_terminal_that_cannot_show_unicode_gets_question_marks(encoding: dict[str, str]) -> None:
    for command in COMMANDS:
        result = _odd(*command, env=encoding)
        assert "Traceback" not in result.stderr and "UnicodeEncodeError" not in result.stderr, (command, result.stderr[-800:])
        assert result.returncode == 0, (command, result.stderr[-800:])


def test_a_thousand_nested_folders_in_a_story_are_a_message(tmp_path: Path) -> None:
    """os.walk recursed once a folder (RecursionError); the walk is iterative now, with a depth limit."""
    root = write_story(tmp_path / "deep", {"story.yaml": SMALL_STORY})
    deep = root
    for _ in range(1000):
        deep = deep / "d"
        deep.mkdir()
    try:
        for command in ("validate", "play"):
            result, _ = crossing(command, str(root))
            assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-500:]
            assert "folders nested more than 32 deep are not read" in result.stdout + result.stderr
    finally:
        for path in [deep, *deep.parents][:1000]:  # deepest first: pytest's clean-up would recurse
            path.rmdir()
