"""The Typer application object and what every command shares: consoles, story loading, exit codes."""

from __future__ import annotations

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
