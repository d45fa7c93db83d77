"""`crossing class`: a lesson on a projector, one scene at a time, the class voting at each choice."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from crossing.cli.app import PATH_HELP, app, console, fail, load_or_fail, wants_plain
from crossing.cli.reading import from_stdin

if TYPE_CHECKING:
    from crossing.transcript import TranscriptWriter


@app.command("class")
def class_mode(
    path: Annotated[Path | None, typer.Argument(help=PATH_HELP, show_default=False)] = None,
    seed: Annotated[int | None, typer.Option(help="Seed for every random draw: the same seed and votes give the same run.")] = None,
    transcript: Annotated[Path | None, typer.Option(help="Keep the class transcript, with the votes, in this file (.json or .md).")] = None,
    name: Annotated[str | None, typer.Option(help="A name for the class to put in the transcript, e.g. 10B.")] = None,
    plain: Annotated[bool, typer.Option("--plain", help="No colour and no box drawing. NO_COLOR does the same.")] = False,
    gentle: Annotated[bool, typer.Option("--gentle", help="Tell scenes with content warnings without the details (younger students).")] = False,
) -> None:
    """Play a story with a whole class on a projector: one scene at a time, a vote on each choice."""
    import secrets

    from crossing.diagnostics import CrossingError
    from crossing.engine import Engine
    from crossing.render.classroom import ClassOptions, run_class
    from crossing.transcript import TranscriptWriter

    chosen = load_or_fail(path)
    is_plain = wants_plain(plain)
    out = console(is_plain)
    run_seed = seed if seed is not None else secrets.randbelow(2**31)
    engine = Engine(chosen, run_seed)
    writer: TranscriptWriter | None = None
    try:
        writer = TranscriptWriter.start(transcript, engine, name=name, gentle=gentle, mode="class") if transcript else None
        read = from_stdin(out)
        outcome = run_class(engine, out, read, ClassOptions(gentle=gentle, plain=is_plain), writer)
    except KeyboardInterrupt:
        console(stderr=True).print(f"\nStopped (seed {run_seed}). {_kept(transcript, writer)}", markup=False, highlight=False,
                                   soft_wrap=True)
        raise typer.Exit(130) from None
    except CrossingError as exc:
        fail(str(exc))
    if outcome != "ending":
        out.print(f"\nThe lesson stopped before an ending (seed {run_seed}).", soft_wrap=True)
        if transcript is not None:
            out.print(_kept(transcript, writer), markup=False, highlight=False, soft_wrap=True)


def _kept(transcript: Path | None, writer: TranscriptWriter | None) -> str:
    """Whether a stopped lesson left a class transcript, and where."""
    if transcript is None:
        return "No class transcript was kept (add --transcript FILE to keep one next time)."
    if writer is None or not transcript.exists():
        return f"No class transcript was written to {transcript}: the lesson stopped before it began."
    return f"The transcript so far is in {transcript} (marked unfinished)."
