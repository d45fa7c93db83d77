"""`crossing serve`: the story in students' browsers, the lesson on the teacher's terminal.

The web server and the QR library are imported only here, when the command runs (every other command
starts as fast as before).
"""

from __future__ import annotations

import socket
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from crossing.cli.common import PATH_HELP, app, console, fail, load_or_fail, wants_plain

if TYPE_CHECKING:
    from rich.console import Console

    from crossing.model import Story
    from crossing.serve.live import LiveLesson

DEFAULT_PORT = 8765
LAN_HELP = "Listen on this computer's network address so students' devices can join (default: this computer only)."
PORT_HELP = "The port to listen on (0 picks a free one)."
CODE_HELP = "The join code students type (4-12 letters or digits). Default: a fresh code for each lesson."


def lesson_folder(base: Path | None = None) -> Path:
    """The default folder for a lesson's transcripts: dated, in Crossing's data folder."""
    from crossing.persistence import data_dir

    stamp = datetime.now().strftime("%Y-%m-%d-%H%M%S")
    return (base or data_dir()) / "lessons" / stamp


def listen(lan: bool, port: int) -> socket.socket:
    """The lesson's listening socket, or exit saying why there is none."""
    from crossing.serve import network

    try:
        host = network.listen_address(lan)
    except network.NoNetworkError as exc:
        fail(f"--lan: {exc}")
    try:
        return network.bind(host, port)
    except OSError as exc:
        where = "a free port" if port == 0 else f"port {port}"
        fail(f"cannot listen on {where} of {host}: {exc.strerror or exc}" + ("" if port == 0 else " (try another --port)"))


def report_command(folder: Path, path: Path | None) -> str:
    import shlex

    command = f"crossing report {shlex.quote(str(folder))}"
    return command + (f" --story {shlex.quote(str(path))}" if path is not None else "")


@app.command()
def serve(
    path: Annotated[Path | None, typer.Argument(help=PATH_HELP, show_default=False)] = None,
    lan: Annotated[bool, typer.Option("--lan", help=LAN_HELP)] = False,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help=PORT_HELP)] = DEFAULT_PORT,
    join_code: Annotated[str | None, typer.Option("--join-code", help=CODE_HELP, show_default=False)] = None,
    gentle: Annotated[bool, typer.Option("--gentle", help="Tell every student's scenes with content warnings without the details.")] = False,
    transcripts: Annotated[Path | None, typer.Option("--transcripts", help="Folder for the students' transcripts. Default: a dated folder in Crossing's data folder.", show_default=False)] = None,
    max_students: Annotated[int, typer.Option("--max-students", min=1, max=1000, help="How many students may join.")] = 60,
    start: Annotated[str | None, typer.Option("--from", help="Start every run at this scene instead of the story's start.", show_default=False)] = None,
    plain: Annotated[bool, typer.Option("--plain", help="No colour and no box drawing on the teacher's terminal.")] = False,
) -> None:
    """Run a lesson in students' browsers: each student joins with a code and plays their own run on
    any device; the terminal shows the room live, and every run is saved as a transcript."""
    import signal

    from crossing.serve import network
    from crossing.serve.room import Room, check_join_code, new_join_code
    from crossing.serve.server import LessonServer
    from crossing.serve.terminal import ended, join_banner, watch

    chosen = load_or_fail(path)
    is_plain = wants_plain(plain)
    out = console(is_plain)
    try:
        code = check_join_code(join_code) if join_code is not None else new_join_code()
    except ValueError as problem:
        fail(f"--join-code: {problem}", 2)
    if start is not None and start not in chosen.nodes:
        fail(f"--from: the story has no scene '{start}'", 2)
    folder = transcripts if transcripts is not None else lesson_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"cannot use {folder} for transcripts: {exc.strerror or exc}")
    sock = listen(lan, port)
    host = str(sock.getsockname()[0])
    room = Room(chosen, folder, code=code, gentle=gentle, start=start, max_students=max_students)
    server = LessonServer(room, sock)
    try:
        server.start()
    except OSError as exc:
        fail(str(exc))
    url = network.url_for(host, server.port)

    def stop_on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_term)
    # Ctrl-C ends the lesson even when this process was started with SIGINT ignored (as a background job,
    # or from a parent that ignores it): ignoring is inherited, and Python would then never raise
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        out.print(join_banner(url, code, lan=lan, is_plain=is_plain or out.color_system is None, qr=network.qr_rows(url),
                              what=f"Transcripts go to {folder}" + (" (gentle telling)" if gentle else "")))
        out.print()
        watch(room, out, is_plain=is_plain)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    view = room.snapshot()
    out.print()
    out.print(ended(folder, len(view.students), view.finished, report_command(folder, path)), soft_wrap=True)


def start_live(story: Story, out: Console, *, lan: bool, port: int, join_code: str | None, gentle: bool,
               is_plain: bool) -> LiveLesson:
    """The web server for `crossing class --live` (students' devices vote), or exit with why not."""
    from crossing.serve.live import LiveLesson
    from crossing.serve.room import check_join_code

    try:
        code = check_join_code(join_code) if join_code is not None else None
    except ValueError as problem:
        fail(f"--join-code: {problem}", 2)
    try:
        lesson = LiveLesson(story, out, sock=listen(lan, port), lan=lan, join_code=code, gentle=gentle, is_plain=is_plain,
                            folder=lesson_folder())
    except OSError as exc:
        where = "a free port" if port == 0 else f"port {port}"
        fail(f"cannot listen on {where}: {exc.strerror or exc}" + ("" if port == 0 else " (try another --port)"))
    # the projector keeps the address and code while the class joins; class mode's screens come after
    try:
        gathered = lesson.gather()
    except BaseException:
        lesson.stop()
        raise
    if not gathered:
        lesson.stop()
        out.print("The lesson stopped before it began.", markup=False, highlight=False)
        raise typer.Exit(0)
    return lesson
