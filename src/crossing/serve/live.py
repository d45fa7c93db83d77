"""`crossing class --live`: the projector shows the scene, students vote from their own devices.

``LiveLesson`` starts the web server in vote mode and hands class mode two functions: ``read`` (the
teacher's keys, as class mode reads them anyway) and ``votes``, the vote source class mode calls instead
of asking for a typed tally. ``votes`` opens the vote on the students' devices, shows the anonymous tally
live on the projector, and when the teacher presses Enter closes the vote and answers with the hands per
choice, exactly as a teacher would have typed them, so class mode's own rules (ties to the choice listed
first, at least one vote) decide. Typing a tally or the winning number before Enter still works, as does
q to stop.
"""

from __future__ import annotations

import queue
import socket
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from crossing.engine import Engine, OfferedChoice
from crossing.model import Story
from crossing.render.classroom import margin
from crossing.render.safe import literal
from crossing.serve.room import Room

_END = object()


class Keys:
    """The teacher's lines from standard input, read by one thread so the tally can redraw while
    waiting. ``get`` returns a line, None on timeout, or raises EOFError once input has ended."""

    def __init__(self, stream: TextIO | None = None, lines: Iterator[str] | None = None) -> None:
        self._queue: queue.Queue[object] = queue.Queue()
        source = lines if lines is not None else self._lines(stream or sys.stdin)
        self._thread = threading.Thread(target=self._pump, args=(source,), name="crossing-keys", daemon=True)
        self._thread.start()

    @staticmethod
    def _lines(stream: TextIO) -> Iterator[str]:
        for line in stream:
            yield line.rstrip("\r\n")

    def _pump(self, source: Iterator[str]) -> None:
        try:
            for line in source:
                self._queue.put(line)
        finally:
            self._queue.put(_END)

    def get(self, timeout: float | None) -> str | None:
        try:
            item = self._queue.get(timeout=timeout)
        except queue.Empty:
            return None
        if item is _END:
            self._queue.put(_END)  # stays ended for every later call
            raise EOFError
        assert isinstance(item, str)
        return item


def tally_view(title: str, choices: Sequence[str], counts: Sequence[int], message: str, side: int,
               joining: str = "") -> RenderableType:
    """The anonymous tally for the projector: each choice with its votes and a bar (no names, ever)."""
    total = sum(counts)
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", no_wrap=True)
    table.add_column(ratio=3)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(ratio=2, no_wrap=True)
    top = max(counts, default=0)
    for number, (text, count) in enumerate(zip(choices, counts, strict=True), 1):
        leading = count == top and top > 0
        table.add_row(Text(str(number), style="crossing.class.number"), literal(text, "crossing.class.choice"),
                      Text(str(count), style="bold" if leading else ""),
                      Text("#" * round(20 * count / top) if top else "", style="crossing.class.winner" if leading else ""))
    head = Text("Votes from the class's devices: ", style="crossing.class.text")
    head.append(f"{total}", style="bold")
    head.append_text(literal(f"  ({title})", "crossing.hint"))
    parts: list[RenderableType] = [head, Text(""), table, Text(""), Text(message, style="crossing.hint")]
    if joining:
        parts.append(Text(joining, style="crossing.hint"))
    return Padding(Group(*parts), (1, side))


class LiveVotes:
    """The vote source: ``(engine, offered) -> answer``, the answer as a teacher would type it."""

    def __init__(self, room: Room, console: Console, keys: Keys, *, every: float = 0.25, joining: str = "") -> None:
        self.room = room
        self.joining = joining
        self.console = console
        self.keys = keys
        self.every = every
        self._step = -1

    def __call__(self, engine: Engine, offered: Sequence[OfferedChoice]) -> str | None:
        node = engine.node
        step = len(engine.state.history)
        title = node.title or node.id
        choices = [o.text for o in offered]
        current = self.room.vote
        if self._step != step or current is None:
            self.room.open_vote(title, choices)
            self._step = step
        else:
            with self.room.lock:
                current.open = True  # the answer was refused (a typing slip): the same vote goes on
        message = "Enter closes the vote. Or type the hands for each choice, or the winning number, then Enter. q stops."
        typed = ""

        def view(note: str) -> RenderableType:
            return tally_view(title, choices, self.room.tally(), note, margin(self.console), self.joining)

        with Live(view(message), console=self.console, auto_refresh=False, transient=False) as live:
            while True:
                try:
                    line = self.keys.get(self.every)
                except EOFError:
                    return None
                if line is None:
                    live.update(view(message), refresh=True)
                    continue
                typed = line.strip()
                if typed.lower() == "q":
                    return "q"
                if typed:
                    self.room.close_vote()
                    return typed
                counts = self.room.tally()
                if sum(counts) == 0:
                    message = "No votes yet: wait for the class's votes, or type the winning number. q stops."
                    live.update(view(message), refresh=True)
                    continue
                counts = self.room.close_vote()
                live.update(view("The vote is closed."), refresh=True)
                return " ".join(str(c) for c in counts)

    def read(self, prompt: Text) -> str | None:
        """class mode's ReadKey over the same lines (one reader of standard input for the whole lesson)."""
        self.console.print(prompt, end="")
        try:
            while True:
                line = self.keys.get(1.0)
                if line is not None:
                    self.console.print()
                    return line
        except EOFError:
            return None


class LiveLesson:
    """The web server in vote mode for one class lesson; ``stop`` when the lesson ends."""

    def __init__(self, story: Story, console: Console, *, sock: socket.socket, lan: bool, join_code: str | None,
                 gentle: bool, is_plain: bool, folder: Path, keys: Keys | None = None,
                 max_students: int = 60) -> None:
        from crossing.serve import network
        from crossing.serve.room import new_join_code
        from crossing.serve.server import LessonServer
        from crossing.serve.terminal import join_banner

        host = str(sock.getsockname()[0])
        self.room = Room(story, folder, code=join_code or new_join_code(), gentle=gentle, mode="vote",
                         max_students=max_students)
        self.server = LessonServer(self.room, sock)
        self.server.start()
        self.url = network.url_for(host, self.server.port)
        self.console = console
        console.print(join_banner(self.url, self.room.code, lan=lan, is_plain=is_plain or console.color_system is None, qr=network.qr_rows(self.url),
                                  what="Each device votes once per scene; the projector shows only the tally."))
        self.keys = keys or Keys()
        self.votes = LiveVotes(self.room, console, self.keys, joining=f"Late? Open {self.url} and type {self.room.code}.")
        self.read = self.votes.read

    def gather(self, every: float = 0.5) -> bool:
        """Keep the address and code on screen while the class joins, counting the devices, until the
        teacher presses Enter (True); False for q or the end of input."""
        def count() -> Text:
            joined = len(self.room.snapshot().students)
            return Text(f"{joined} device{'' if joined == 1 else 's'} joined. Press Enter when the class is in (q to stop).",
                        style="crossing.hint")

        with Live(count(), console=self.console, auto_refresh=False, transient=False) as live:
            while True:
                try:
                    line = self.keys.get(every)
                except EOFError:
                    return False
                if line is None:
                    live.update(count(), refresh=True)
                    continue
                return line.strip().lower() != "q"

    def stop(self) -> None:
        self.room.show("The lesson has ended")
        self.server.stop()
