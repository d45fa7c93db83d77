"""Class mode in a real pseudo-terminal at projector sizes (80x24 and 100x30), read through a terminal
emulator (pyte): when the class is asked to read a scene, the scene's title and the first line of its
text are on screen, and no page ever needs scrolling."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from crossing.engine import Engine
from crossing.paths import default_story_path
from crossing.storecache import load_checked

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")

CLASSROOM = Path(__file__).parent / "stories" / "classroom"
SRC = Path(__file__).resolve().parents[1] / "src"


class Terminal:
    def __init__(self, story: Path, rows: int, cols: int, tmp: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(SRC), "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows),
               "CROSSING_DATA_DIR": str(tmp / "data"), "CROSSING_CACHE_DIR": str(tmp / "cache")}
        env.pop("NO_COLOR", None)
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(sys.executable, ["-m", "crossing", "class", str(story), "--seed", "3"],
                                   dimensions=(rows, cols), env=env, timeout=20)

    def settle(self) -> str:
        """Read until the program waits for a key (nothing more comes for a moment); the screen as text."""
        deadline = time.monotonic() + 30  # a busy machine may pause in the middle of drawing a page
        while time.monotonic() < deadline:
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.4))
                continue
            except pexpect.EOF:
                break
            except pexpect.TIMEOUT:
                pass
            if self.prompt().endswith(":") or not self.child.isalive():
                break  # quiet, and waiting at a prompt (or gone): the page is whole
        return "\n".join(self.screen.display)

    def prompt(self) -> str:
        return self.screen.display[self.screen.cursor.y].strip()

    def send(self, text: str) -> None:
        self.child.send(text + "\r")


def _words(text: str, count: int = 4) -> str:
    return " ".join(text.split()[:count])


@pytest.mark.slow
@pytest.mark.parametrize(("rows", "cols"), [(24, 80), (30, 100)])
@pytest.mark.parametrize("story_path", [CLASSROOM, None], ids=["classroom", "default"])
def test_each_scene_starts_on_screen_when_the_class_reads_it(tmp_path: Path, rows: int, cols: int,
                                                            story_path: Path | None) -> None:
    path = story_path or default_story_path()
    story = load_checked(path).story
    assert story is not None
    mirror = Engine(story, 3)
    term = Terminal(path, rows, cols, tmp_path)
    new_scene, scenes_checked = False, 0
    try:
        for _ in range(400):
            shown = term.settle()
            if not term.child.isalive():
                break
            prompt = term.prompt()
            lines = [line.rstrip() for line in term.screen.display]
            assert len(lines) == rows
            if prompt.startswith("Press Enter to begin"):
                new_scene = True
                term.send("")
            elif prompt.startswith("Votes for"):
                term.send("1")
            elif prompt.startswith(("Press Enter for the next scene", "Press Enter to go on this way")):
                mirror.choose(1)
                new_scene = True
                term.send("")
            elif prompt.startswith("Press Enter to continue"):
                assert "Content warning" in shown, f"a warning's own screen, before the scene:\n{shown}"
                term.send("")  # the scene comes next: still new
            elif prompt.startswith("Press Enter to go on"):
                if new_scene and not mirror.finished:
                    title = mirror.node.title or mirror.node.id
                    first = _words(mirror.scene_text(False))
                    flat = " ".join(shown.split())
                    assert title in flat, f"the scene's title is on screen:\n{shown}"
                    assert first in flat, f"the first line of '{title}' is on screen when the class reads it:\n{shown}"
                    scenes_checked += 1
                new_scene = False
                term.send("")
            else:
                pytest.fail(f"unexpected prompt {prompt!r}:\n{shown}")
            if scenes_checked >= 8:
                break
    finally:
        term.child.terminate(force=True)
    assert scenes_checked >= 2
