"""The teacher's terminal during `crossing serve` (and the opening of `class --live`): where to join,
as text and a QR code, then the room live: who has joined, where each student is, who has finished and
with which ending. Rich only here (and in ``live``)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from rich import box
from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.table import Table
from rich.text import Text

from crossing.render.safe import literal
from crossing.serve.room import Room, RoomView
from crossing.textsafety import plural


def qr_code(rows: list[list[bool]], is_plain: bool) -> Text:
    """Two rows of modules per line with half blocks, dark on light whatever the terminal's colours
    (plain: light modules as blocks, which reads right on the usual light-on-dark terminal)."""
    out = Text(no_wrap=True, overflow="ignore")
    bottoms = rows[1::2] + ([[False] * len(rows[0])] if len(rows) % 2 else [])  # an odd last row: light below
    for top, bottom in zip(rows[::2], bottoms, strict=True):
        for upper, lower in zip(top, bottom, strict=True):
            if is_plain:
                out.append({(False, False): "█", (True, True): " ", (True, False): "▄", (False, True): "▀"}[(upper, lower)])
            else:
                out.append("▀", style=f"{'black' if upper else 'white'} on {'black' if lower else 'white'}")
        out.append("\n")
    out.rstrip()
    return out


def join_banner(url: str, code: str, *, lan: bool, what: str, is_plain: bool, qr: list[list[bool]] | None) -> RenderableType:
    parts: list[RenderableType] = []
    if qr is not None:
        parts.append(qr_code(qr, is_plain))
    line = Text("Students open ", style="crossing.text")
    line.append(url, style="bold")
    line.append("  and type the join code ")
    line.append(code, style="bold")
    parts.append(line)
    if lan:
        parts.append(Text(f"Listening on this computer's network address ({url}): anyone on the same network "
                          "who has the code can join.", style="crossing.hint"))
    else:
        parts.append(Text("Listening on this computer only (127.0.0.1): students on other devices cannot reach it. "
                          "Add --lan to open the lesson to your classroom's network.", style="crossing.warning"))
    parts.append(Text(what, style="crossing.hint"))
    return Group(*parts)


def room_view(room: Room, view: RoomView, *, height: int, is_plain: bool) -> RenderableType:
    joined = len(view.students)
    head = Text(f"{plural(joined, 'student')} joined", style="crossing.heading" if not is_plain else "")
    head.append(f" · {view.active} active · {view.finished} finished · limit {room.max_students}")
    if room.errors:
        head.append(f" · {plural(room.errors, 'request')} failed (see {room.folder / '.server.log'})", style="crossing.warning")
    table = Table(box=None if is_plain else box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Student", ratio=2, overflow="fold")
    table.add_column("Where", ratio=4, overflow="fold")
    table.add_column("Steps", justify="right", no_wrap=True)
    table.add_column("Ending", ratio=3, overflow="fold")
    room_for = max(3, height - 10)
    rows = view.students
    hidden = max(0, len(rows) - room_for)
    for row in rows[hidden:]:
        where = " · ".join(x for x in (row.route, row.scene) if x)
        style = "dim" if row.idle and row.ending is None else ""
        ending = literal(row.ending, "crossing.ending" if row.safe else "crossing.warning") if row.ending else Text("")
        name = literal(row.name)
        if row.life > 1:
            name.append(f" (life {row.life})", style="crossing.hint")
        table.add_row(str(row.number), name, literal(where), str(row.steps), ending, style=style)
    parts: list[RenderableType] = [head]
    if hidden:
        parts.append(Text(f"(the first {plural(hidden, 'student')} scrolled out of view)", style="crossing.hint"))
    parts.append(table if rows else Text("Nobody has joined yet.", style="crossing.hint"))
    if view.endings:
        line = Text("Endings so far: ", style="crossing.heading" if not is_plain else "")
        line.append_text(literal(", ".join(f"{title} ({count})" for title, count in view.endings)))
        parts.append(line)
    parts.append(Text("Ctrl-C ends the lesson (every run is saved).", style="crossing.hint"))
    return Group(*parts)


def watch(room: Room, console: Console, *, is_plain: bool, stop: threading.Event | None = None,
          every: float = 1.0, on_tick: Callable[[], None] | None = None) -> None:
    """Show the room until Ctrl-C (KeyboardInterrupt, left to the caller) or until stop is set."""
    stop = stop or threading.Event()

    def render() -> RenderableType:
        return room_view(room, room.snapshot(), height=console.height, is_plain=is_plain)

    if not console.is_terminal:
        # piped output (a log): no redrawing, a line whenever the counts change
        last = ""
        while not stop.wait(every):
            view = room.snapshot()
            line = f"{len(view.students)} joined, {view.active} active, {view.finished} finished"
            if line != last:
                console.print(line, markup=False, highlight=False)
                last = line
            if on_tick is not None:
                on_tick()
        return
    with Live(render(), console=console, refresh_per_second=2, transient=False, auto_refresh=False) as live:
        while not stop.wait(every):
            live.update(render(), refresh=True)
            if on_tick is not None:
                on_tick()


def ended(folder: Path, count: int, finished: int, report_command: str) -> Text:
    text = Text(f"The lesson has ended. {plural(count, 'run')} saved ({finished} finished), transcripts in {folder}\n")
    text.append("For the class's results: ")
    text.append(report_command, style="bold")
    return text
