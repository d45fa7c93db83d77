"""`crossing play` in a real pseudo-terminal (pexpect): Ctrl-C, hang-up, SIGTERM, end of input and a
narrow window, the way a student meets them. Saves go to the test's CROSSING_DATA_DIR (conftest)."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from rich.cells import cell_len

pytestmark = [pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX only"), pytest.mark.slow]

LANTERN = Path(__file__).parent / "stories" / "lantern"
PROMPT = r"Choose 1-2 \(h for help\): "
ENDING_PROMPT = r"Enter: play again, f: facts, q: quit: "
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
SCENE_TEXT = {
    "lane": "The lane is frozen and silent. A dog barks somewhere behind the granary, then stops. Your breath "
            "hangs in the cold air like smoke above the path.",
    "truck": "Tarpaulin flaps over the crates in the back of the truck. The driver counts the banknotes twice, "
             "says nothing, and points to a gap between two sacks of cement where a person could lie flat until "
             "morning comes.",
    "truck-risk": "At a checkpoint the soldiers may search the back of the truck, sack by sack, with torches.",
    "stopped": "A patrol stops you on the road and sends you home.",
}


class Session:
    """One `crossing play` in a pseudo-terminal, with everything it wrote kept for the checks."""

    def __init__(self, *args: str, cols: int = 80, plain: bool = False, story: Path = LANTERN) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
        env["TERM"] = "xterm-256color"  # a real terminal: colour, boxes, and the size the pty reports
        if plain:
            env["NO_COLOR"] = "1"
        self.log = io.StringIO()
        self.child = pexpect.spawn(
            sys.executable, ["-m", "crossing", "play", str(story), *args], env=env, dimensions=(24, cols),
            encoding="utf-8", codec_errors="replace", timeout=20,
        )
        self.child.logfile_read = self.log

    def choose(self, key: str, then: str = PROMPT) -> None:
        self.child.sendline(key)
        self.child.expect(then)

    def first_scene(self) -> str:
        self.child.expect(PROMPT)
        return self.text()

    def play_two_scenes(self) -> None:
        assert "The kitchen" in self.first_scene()
        self.choose("1")
        assert "The lane" in self.text()
        self.choose("1")
        assert "The truck" in self.text()

    def text(self, since: int = 0) -> str:
        return ANSI.sub("", self.log.getvalue()[since:]).replace("\r", "")

    def finish(self) -> int:
        """Wait for the end; the exit status (a signal death would show as None and fail the checks)."""
        self.child.expect(pexpect.EOF)
        self.child.close()
        assert self.child.signalstatus is None, f"killed by signal {self.child.signalstatus}"
        status: int = self.child.exitstatus
        return status


def saved_scene() -> str:
    from crossing import persistence

    [path] = (Path(os.environ["CROSSING_DATA_DIR"]) / "saves").glob("*.json")
    run = persistence.read(path)  # the run whole on the first line, then a line a step
    assert run is not None
    return run.state.node


def assert_resumes_at_the_truck() -> None:
    again = Session("--resume")
    shown = again.first_scene()
    assert "The truck" in shown and "The kitchen" not in shown
    assert "Resuming run lantern-1" in shown
    again.child.sendline("q")
    assert again.finish() == 0
    assert "Traceback" not in again.text()


def test_ctrl_c_saves_exits_130_and_resume_brings_the_scene_back() -> None:
    session = Session()
    session.play_two_scenes()
    session.child.sendintr()
    assert session.finish() == 130
    out = session.text()
    assert "Traceback" not in out and "KeyboardInterrupt" not in out
    assert "Stopped. Your progress is saved as lantern-1" in " ".join(out.split())
    assert saved_scene() == "truck"
    assert_resumes_at_the_truck()


def test_hangup_saves_and_exits_129() -> None:
    session = Session()
    session.play_two_scenes()
    session.child.kill(signal.SIGHUP)
    assert session.finish() == 129
    assert "Traceback" not in session.text()
    assert saved_scene() == "truck"
    assert_resumes_at_the_truck()


def test_closing_the_terminal_keeps_the_save() -> None:
    """The window is closed: the master side of the pty goes away and the kernel sends SIGHUP."""
    session = Session()
    session.play_two_scenes()
    session.child.ptyproc.delayafterclose = 1.0  # time to save before pexpect would send signals itself
    session.child.close(force=False)
    assert session.child.exitstatus == 129
    assert saved_scene() == "truck"
    assert_resumes_at_the_truck()


def test_sigterm_saves_and_exits_143() -> None:
    session = Session()
    session.play_two_scenes()
    session.child.kill(signal.SIGTERM)
    assert session.finish() == 143
    assert "Traceback" not in session.text()
    assert saved_scene() == "truck"


def test_end_of_input_saves_and_exits_0() -> None:
    session = Session()
    session.play_two_scenes()
    session.child.sendeof()
    assert session.finish() == 0
    out = " ".join(session.text().split())
    assert "The run stopped before an ending" in out and "Your progress is saved as lantern-1" in out
    assert saved_scene() == "truck"


def test_ctrl_c_before_any_choice_saves_nothing_and_says_so() -> None:
    session = Session()
    session.first_scene()
    session.child.sendintr()
    assert session.finish() == 130
    assert "Traceback" not in session.text()
    assert not (Path(os.environ["CROSSING_DATA_DIR"]) / "saves").is_dir() or not list(
        (Path(os.environ["CROSSING_DATA_DIR"]) / "saves").glob("*.json"))


def test_keys_at_the_prompt() -> None:
    session = Session()
    session.first_scene()
    mark = len(session.log.getvalue())
    session.choose("h")
    assert "go back one choice" in session.text(mark) and "save and quit" in session.text(mark)
    session.choose("1")
    mark = len(session.log.getvalue())
    session.choose("?")
    assert "show your current state" in session.text(mark)
    session.choose("s")
    assert "Path so far: The kitchen -> The lane" in session.text(mark)
    session.choose("b")
    assert "Back one choice." in session.text(mark)
    assert saved_scene() == "kitchen"
    session.child.sendline("q")
    assert session.finish() == 0


@pytest.mark.parametrize("plain", [False, True], ids=["boxed", "plain"])
def test_a_40_column_window_cuts_nothing(plain: bool) -> None:
    session = Session(plain=plain)
    session.first_scene()
    session.child.setwinsize(24, 40)
    mark = len(session.log.getvalue())
    session.choose("1")  # the lane, drawn at the new width
    session.choose("s")
    session.choose("h")
    session.choose("1")  # the truck
    session.choose("2", then=ENDING_PROMPT)  # walk: an ending, with its panel and the run summary
    session.choose("q", then=pexpect.EOF)
    session.child.close()
    assert session.child.exitstatus == 0
    shown = session.text(mark)
    too_long = [line for line in shown.split("\n") if cell_len(line) > 40]
    assert too_long == [], too_long
    words = set(re.sub(r"[│┃║╭╮╰╯─━═╔╗╚╝┏┓┗┛]", " ", shown).split())
    for scene, text in SCENE_TEXT.items():
        missing = [word for word in text.split() if word not in words]
        assert missing == [], (scene, missing)


def test_a_reader_that_goes_away_gets_no_traceback() -> None:
    """`crossing play ... | head -1`: the pipe closes early; the program stops quietly."""
    process = subprocess.Popen(
        [sys.executable, "-m", "crossing", "play", str(LANTERN), "--choices", "1,1,1,1", "--plain"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # the reader leaves after one line
    stderr = process.stderr.read().decode()
    process.stderr.close()
    process.wait(timeout=20)
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr and "Exception ignored" not in stderr
    assert process.returncode in (0, 141)


def test_story_escapes_never_reach_a_real_terminal(tmp_path: Path) -> None:
    """Boxed and coloured (Rich writes its own colour codes here): still no story escape gets through."""
    from test_hostile import escapes_story

    session = Session(story=escapes_story(tmp_path / "evil"))
    session.child.expect(r"Press Enter to begin \(q to leave\): ")  # after the content note
    session.child.sendline("")
    session.child.expect(r"Press 1 to go on \(h for help\): ")
    for key in ("s", "g", "m"):
        session.child.sendline(key)
        session.child.expect(r"Press 1 to go on \(h for help\): ")
    session.child.sendline("1")
    session.child.expect(ENDING_PROMPT)
    session.child.sendline("q")
    session.child.expect(pexpect.EOF)
    session.child.close()
    # Crossing's own screen clear before each scene is the one exact sequence allowed: no story escape gets through.
    raw = session.log.getvalue().replace("\x1b[2J\x1b[H", "")
    assert "\x07" not in raw and "\x1b]" not in raw and "\x1b[2J" not in raw
    colours_only = re.sub(r"\x1b\[[0-9;]*m", "", raw)  # Rich's own styling: SGR codes and nothing else
    assert "\x1b" not in colours_only
    assert "PWNED" in raw and "[bold red]markup" in raw
    assert session.text().count("\\x1b]0;PWNED\\x07") >= 10  # shown as text, in boxes and panel titles
