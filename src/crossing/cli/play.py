"""`crossing play` and `crossing glossary`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from crossing.cli.app import PATH_HELP, app, console, fail, load_or_fail, stdin_is_terminal, wants_plain

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


def _scripted(answers: Iterator[str], out: Console) -> object:
    """Answers from --choices or piped input, echoed after the prompt so the output reads like a session."""

    def read(prompt: Text) -> str | None:
        answer = next(answers, None)
        if answer is None:
            return None
        out.print(prompt, end="")
        out.print(answer, markup=False, highlight=False)
        return answer

    return read


def _interactive(out: Console) -> object:
    def read(prompt: Text) -> str | None:
        try:
            return out.input(prompt)
        except EOFError:
            return None

    return read


def _stdin_lines() -> Iterator[str]:
    for line in sys.stdin:
        yield line.rstrip("\r\n")


def parse_choices(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


@app.command()
def play(
    path: Annotated[Path | None, typer.Argument(help=PATH_HELP, show_default=False)] = None,
    seed: Annotated[int | None, typer.Option(help="Seed for every random draw: the same seed and choices give the same run.")] = None,
    choices: Annotated[str | None, typer.Option(help="Take these choices in order, e.g. 2,1,3; the run stops when they run out.")] = None,
    plain: Annotated[bool, typer.Option("--plain", help="No colour and no box drawing (screen readers, logs). NO_COLOR does the same.")] = False,
    gentle: Annotated[bool, typer.Option("--gentle", help="Tell scenes with content warnings without the details (younger students).")] = False,
) -> None:
    """Play a story in the terminal (the story that ships with Crossing by default)."""
    import secrets

    from crossing.diagnostics import CrossingError
    from crossing.engine import Engine
    from crossing.session import SessionOptions
    from crossing.session import play as run_session

    story = load_or_fail(path)
    is_plain = wants_plain(plain)
    out = console(is_plain)
    run_seed = seed if seed is not None else secrets.randbelow(2**31)
    engine = Engine(story, run_seed)
    if choices is not None:
        read = _scripted(iter(parse_choices(choices)), out)
    elif not stdin_is_terminal():
        read = _scripted(_stdin_lines(), out)
    else:
        read = _interactive(out)
    try:
        outcome = run_session(engine, out, read, SessionOptions(gentle=gentle, plain=is_plain))  # type: ignore[arg-type]
    except KeyboardInterrupt:
        console(stderr=True).print("\nStopped.")
        raise typer.Exit(130) from None
    except CrossingError as exc:
        fail(str(exc))
    if outcome == "input-ended":
        out.print(f"\nThe run stopped before an ending (seed {run_seed}).")
    elif outcome == "quit":
        out.print("\nStopped.")


@app.command()
def glossary(
    path: Annotated[Path | None, typer.Argument(help=PATH_HELP, show_default=False)] = None,
    plain: Annotated[bool, typer.Option("--plain", help="No colour and no box drawing.")] = False,
) -> None:
    """Show the glossary of terms a student meets in the story."""
    from crossing.render.scene import glossary as glossary_view

    story = load_or_fail(path)
    console(plain).print(glossary_view(story, wants_plain(plain)))
