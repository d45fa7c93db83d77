"""`crossing saves`: list the saved runs, or delete one with --delete ID."""

from __future__ import annotations

from typing import Annotated

import typer

from crossing.cli.app import app, console, fail, wants_plain


@app.command()
def saves(
    delete: Annotated[str | None, typer.Option("--delete", metavar="ID", help="Remove the saved run with this id.")] = None,
    plain: Annotated[bool, typer.Option("--plain", help="No colour and no box drawing.")] = False,
) -> None:
    """List saved runs (id, story, scene, when, finished or not); `crossing play --resume` continues one."""
    from datetime import datetime

    from rich.table import Table
    from rich.text import Text

    from crossing import persistence
    from crossing.render.safe import plain as safe_text

    if delete is not None:
        try:
            persistence.delete(delete)
        except persistence.SaveError as exc:
            fail(str(exc))
        console(plain).print(Text(f"Deleted the saved run {delete}."))
        return
    is_plain = wants_plain(plain)
    out, err = console(is_plain), console(is_plain, stderr=True)
    try:
        found = persistence.scan()
    except OSError as exc:
        fail(f"cannot read the saved runs in {persistence.saves_dir()}: {exc.strerror or exc}")
    for damaged in found.corrupt:
        err.print(safe_text(f"crossing: {damaged}", "crossing.warning"))
    for _, problem in found.unsupported:
        err.print(safe_text(f"crossing: {problem}", "crossing.warning"))
    if not found.runs:
        out.print(Text(f"No saved runs (they are kept in {persistence.saves_dir()}).", style="crossing.hint"))
        return
    table = Table(box=None, show_edge=False, pad_edge=False, header_style="" if is_plain else "crossing.heading")
    for column in ("id", "story", "scene", "saved", "status"):
        table.add_column(column, no_wrap=column in ("id", "saved"), overflow="fold")
    for run in found.runs:
        try:
            when = datetime.fromisoformat(run.updated).astimezone().strftime("%Y-%m-%d %H:%M")
        except ValueError:
            when = run.updated
        status = "finished" if run.finished else f"{run.steps} choices in"
        table.add_row(safe_text(run.id), safe_text(run.story_title), safe_text(run.scene_title), when, status)
    out.print(table)
    out.print(Text("Continue the latest unfinished run of a story with: crossing play STORY --resume", style="crossing.hint"))
