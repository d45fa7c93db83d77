"""The Typer application object and what every command shares: consoles, story loading, exit codes."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

import typer

from crossing.textsafety import inert

if TYPE_CHECKING:
    from rich.console import Console

    from crossing.model import Story

app = typer.Typer(
    name="crossing",
    help="Crossing: walk the routes people take to escape North Korea, and learn from sourced facts "
    "what each step risks and costs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

PATH_HELP = "Story folder (or its story.yaml). Default: the story that ships with Crossing."


def _show_version(value: bool) -> None:
    if value:
        from crossing import __version__

        typer.echo(f"crossing {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", help="Show Crossing's version and exit.", callback=_show_version, is_eager=True),
) -> None:
    """Crossing: walk the routes people take to escape North Korea, and learn from sourced facts what each
    step risks and costs."""


def wants_plain(plain: bool) -> bool:
    """--plain, or the NO_COLOR convention: no colour and no box drawing."""
    return plain or bool(os.environ.get("NO_COLOR"))


# Spaces (and the style codes after them) at the end of a line: Rich pads tables and panels to the width.
_TRAILING = re.compile(r" +((?:\x1b\[[0-9;]*m)*)(?=\r?\n)")


class TrimmedLines:
    """A text stream that drops the spaces Rich pads lines with, so that no line of ours ends in spaces
    (copied text, transcripts of a terminal and screen readers are the better for it). A prompt, which
    ends in a space but not a line, is left as it is."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(_TRAILING.sub(r"\1", text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)  # isatty, fileno, encoding, flush: the real stream's


MIN_WIDTH = 20
"""The narrowest console anything is laid out for; a narrower terminal wraps what it cannot show."""


def console_width() -> int | None:
    """The width to lay output out for: None (Rich finds the terminal's), except where COLUMNS says
    0 (unknown: Rich's default of 80) or fewer than MIN_WIDTH columns (MIN_WIDTH), where Rich would
    print nothing or a column of single letters."""
    columns = os.environ.get("COLUMNS", "").strip()
    if not columns.isdigit():
        return None
    return 80 if int(columns) == 0 else max(int(columns), MIN_WIDTH) if int(columns) < MIN_WIDTH else None


def console(plain: bool = False, stderr: bool = False) -> Console:
    from rich.console import Console

    from crossing.render.theme import crossing_theme

    is_plain = wants_plain(plain)
    return Console(
        file=TrimmedLines(sys.stderr if stderr else sys.stdout),  # type: ignore[arg-type]
        width=console_width(),
        theme=crossing_theme(),
        no_color=is_plain,
        color_system=None if is_plain else "auto",  # plain: no escape codes at all, not even bold
        stderr=stderr,
        highlight=False,
        emoji=False,
        markup=False,
        safe_box=True,
    )


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a short message to stderr and exit: how every command reports a problem."""
    err = console(stderr=True)
    from rich.text import Text

    err.print(Text(inert(f"crossing: {message}"), style="crossing.error"), soft_wrap=True)  # messages quote story text
    raise typer.Exit(code)


def story_path(path: Path | None) -> Path:
    from crossing.paths import default_story_path

    return path if path is not None else default_story_path()


def load_or_fail(path: Path | None) -> Story:
    """The story at path, or exit 1 with every error in it (the same list `validate` prints)."""
    from crossing.storecache import load_checked

    target = story_path(path)
    result = load_checked(target)
    if result.errors or result.story is None:
        err = console(stderr=True)
        from rich.text import Text

        for diagnostic in result.errors[:20]:
            err.print(Text(inert(diagnostic.format()), style="crossing.diagnostic.error"), soft_wrap=True)
        more = len(result.errors) - 20
        if more > 0:
            err.print(Text(f"... and {more} more errors", style="crossing.diagnostic.error"), soft_wrap=True)
        fail(f"the story at {target} has errors; run `crossing validate {target}` to see them all")
    return result.story


def stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


# ----------------------------------------------------------------------------- the process's edges

# Errors of writing the output itself: a full disk or /dev/full, a quota, a file grown too large, a
# device gone. (A reader that went away, EPIPE, is Click's and play's own business.)
_OUTPUT_ERRORS = frozenset(
    code for code in (getattr(errno, name, None) for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO", "EROFS"))
    if code is not None
)


def tolerant_output() -> None:
    """Standard output and error that never fail on a character they cannot show: on an ASCII or
    Latin-1 terminal (LC_ALL=C, PYTHONIOENCODING=latin-1) each such character becomes '?' instead of a
    UnicodeEncodeError. UTF-8 output is left exactly as it is."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if stream is None or encoding in ("utf-8", "utf8"):
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a stream already closed or detached
                reconfigure(errors="replace")


def _say_output_failed(exc: OSError) -> None:
    """One line on stderr (written directly: the streams' buffers may hold what cannot be written), then
    standard output pointed at the null device so that Python's own flush at exit stays quiet."""
    message = f"crossing: cannot write the output: {exc.strerror or exc}\n".encode("utf-8", "replace")
    with contextlib.suppress(OSError):
        os.write(2, message)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass


def run() -> None:
    """The `crossing` command: the app, with output errors turned into one clean message and exit 1
    (`crossing --version > /dev/full` included) and output that degrades to '?' where it must."""
    tolerant_output()
    code: int = 0
    try:
        app()
    except SystemExit as done:
        if done.code is not None and not isinstance(done.code, int):
            raise
        code = done.code or 0
    except OSError as exc:
        if exc.errno not in _OUTPUT_ERRORS:
            raise
        _say_output_failed(exc)
        raise SystemExit(1) from None
    try:
        if sys.stdout is not None:
            sys.stdout.flush()  # what is still buffered fails here, not in Python's exit (a traceback)
    except OSError as exc:
        if exc.errno not in _OUTPUT_ERRORS:
            raise
        _say_output_failed(exc)
        code = code or 1
    except ValueError:  # stdout was closed by the command
        pass
    raise SystemExit(code)
