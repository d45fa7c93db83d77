"""`crossing validate` and `crossing schema`: check a story folder; print the format's JSON Schema."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from crossing.cli.common import PATH_HELP, app, fail, story_path, wants_plain
from crossing.textsafety import inert, plural


class Format(StrEnum):
    text = "text"
    json = "json"


@app.command()
def validate(
    path: Annotated[Path | None, typer.Argument(help=PATH_HELP, show_default=False)] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="text (one line per problem) or json.")] = Format.text,
    plain: Annotated[bool, typer.Option("--plain", help="No colour.")] = False,
) -> None:
    """Report every problem in a story as FILE:LINE:COL: error|warning: message. Exit 1 on errors."""
    # Plain lines through Typer's echo: no Rich import, so validating stays close to the bare parse time.
    from crossing.diagnostics import summary
    from crossing.storecache import load_checked

    if path is not None and not path.exists():
        typer.echo(f"crossing: no such file or folder: {path}", err=True)
        raise typer.Exit(2)
    target = story_path(path)
    result = load_checked(target, explore=True)  # a story unchanged since it validated clean: from the cache
    if format is Format.json:
        typer.echo(json.dumps([d.as_dict() for d in result.diagnostics], indent=2, ensure_ascii=False))
    else:
        colour = not wants_plain(plain)
        for diagnostic in result.diagnostics:
            tint = "red" if diagnostic.severity == "error" else "yellow"
            typer.secho(inert(diagnostic.format()), fg=tint if colour else None)
        files = len(result.story.files) if result.story is not None else 0
        nodes = len(result.story.nodes) if result.story is not None else 0
        typer.echo(f"{summary(result.diagnostics)} in {target} ({plural(nodes, 'node')}, {plural(files, 'file')})")
    raise typer.Exit(1 if result.errors else 0)


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of printing.")] = None,
) -> None:
    """Print a JSON Schema of the story format, for editors with a YAML language server."""
    from crossing.schema import story_schema

    text = json.dumps(story_schema(), indent=2)
    if output is None:
        typer.echo(text)
    else:
        try:
            output.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            fail(f"cannot write the schema to {output}: {exc.strerror or exc}")
