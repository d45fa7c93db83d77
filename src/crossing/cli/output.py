"""Writing a command's output to a file (or the terminal) for report and guide: atomically over a regular
file or a new path; streamed to a device such as /dev/stdout or /dev/null; refused for anything else."""

from __future__ import annotations

from pathlib import Path

import typer

from crossing.cli.common import fail
from crossing.textsafety import inert


def _blocked_by(output: Path) -> str | None:
    """Why output cannot be a file to write, when the path itself says so: it is a folder, or something
    on the way to it is a file. None when it looks writable (the write itself may still fail)."""
    if output.is_dir():
        return "it is a folder; give the name of a file to write"
    for parent in output.parents:
        if parent.exists() or parent.is_symlink():
            if not parent.is_dir():
                return f"{parent} is not a folder (it is a file)"
            return None
    return None


def write_or_echo(text: str, output: Path | None) -> None:
    """The text on standard output, or written to ``output`` by the one rule for outputs
    (crossing.atomic.write_output: replace a regular file atomically, stream to a device, refuse the rest)."""
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    from crossing.atomic import OutputRefused, write_output

    shown = inert(str(output))
    blocked = _blocked_by(output)
    if blocked is not None:
        fail(f"cannot write {shown}: {blocked}")
    try:
        write_output(output, text)
    except OutputRefused as exc:
        fail(f"cannot write {shown}: {exc}")
    except OSError as exc:
        fail(f"cannot write {shown}: {exc.strerror or exc}")
