"""`crossing saves`: list the saved runs, or delete one (--delete ID), all (--delete --all) or the
finished ones (--delete --finished)."""

from __future__ import annotations

from typing import Annotated

import typer

from crossing.cli.common import app, console, fail, wants_plain

BULK = {"--all": "all", "--finished": "finished"}


def _delete_many(which: str, plain: bool) -> None:
    """`--delete --all` or `--delete --finished`: every save (or every finished one) not open elsewhere."""
    from rich.text import Text

    from crossing import persistence
    from crossing.render.safe import literal as safe_text

    try:
        found = persistence.scan(persistence.saves_dir())
    except persistence.SaveError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot read the saved runs: {exc.strerror or exc}")
    out, err = console(plain), console(plain, stderr=True)
    deleted = 0
    for run in found.runs:
        if which == "finished" and not run.finished:
            continue
        try:
            persistence.delete(run.id, run.path.parent)
            deleted += 1
        except persistence.SaveError as exc:
            err.print(safe_text(f"crossing: {exc}", "crossing.warning"))
    kind = "finished " if which == "finished" else ""
    out.print(Text(f"Deleted {deleted} {kind}saved run{'' if deleted == 1 else 's'}."))


@app.command()
def saves(
    delete: Annotated[str | None, typer.Option("--delete", metavar="ID", help="Remove the saved run with this id; `--delete --all` removes every saved run, `--delete --finished` every run that reached an ending.")] = None,
    all_runs: Annotated[bool, typer.Option("--all", help="With --delete: every saved run.")] = False,
    finished: Annotated[bool, typer.Option("--finished", help="With --delete: every run that reached an ending.")] = False,
    plain: Annotated[bool, typer.Option("--plain", help="No colour and no box drawing.")] = False,
) -> None:
    """List saved runs (id, story, scene, when, finished or not); `crossing play --resume` continues one."""
    from datetime import datetime

    from rich.console import Group
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from crossing import persistence
    from crossing.render.safe import literal as safe_text

    if delete is not None and delete not in BULK and (all_runs or finished):
        fail("give either one id to --delete, or --delete --all / --delete --finished", 2)
    which = BULK.get(delete or "") or ("all" if all_runs else "finished" if finished else None)
    if which is not None:
        if delete is None:
            fail("--all and --finished go with --delete: `crossing saves --delete --all`", 2)
        _delete_many(which, wants_plain(plain))
        return
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
        folder = persistence.saves_dir()
        found = persistence.scan(folder)
    except persistence.SaveError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot read the saved runs in {folder}: {exc.strerror or exc}")
    for damaged in found.corrupt:
        err.print(safe_text(f"crossing: {damaged}", "crossing.warning"))
    for _, problem in found.unsupported:
        err.print(safe_text(f"crossing: {problem}", "crossing.warning"))
    if not found.runs:
        out.print(Text(f"No saved runs (they are kept in {folder}).", style="crossing.hint"))
        return
    rows = []
    for run in found.runs:
        try:
            when = datetime.fromisoformat(run.updated).astimezone().strftime("%Y-%m-%d %H:%M")
        except ValueError:
            when = run.updated
        status = "finished" if run.finished else f"{run.steps} choice{'' if run.steps == 1 else 's'} in"
        rows.append((run.id, run.story_title, run.scene_title, when, status))
    # A table where it fits with room for the titles; else one run to a few lines. Ids stay whole either
    # way: they are what `--delete` takes.
    fixed = sum(max(len(row[column]) for row in rows) for column in (0, 3)) + max(6, *(len(row[4]) for row in rows))
    hint = "Continue the latest unfinished run of a story with: crossing play STORY --resume"
    if out.width >= fixed + 4 * 2 + 2 * 12:
        table = Table(box=None, show_edge=False, pad_edge=False, header_style="" if is_plain else "crossing.heading")
        for column in ("id", "story", "scene", "saved", "status"):
            table.add_column(column, no_wrap=column in ("id", "saved", "status"), overflow="fold")
        for run_id, story, scene, when, status in rows:
            table.add_row(safe_text(run_id), safe_text(story), safe_text(scene), when, status)
        out.print(table)
        out.print(Text(hint, style="crossing.hint"))
    else:
        for run_id, story, scene, when, status in rows:
            out.print(Text(run_id, style="" if is_plain else "crossing.heading", no_wrap=True, overflow="ignore"), crop=False)
            out.print(Padding(Group(safe_text(story), safe_text(f"scene: {scene}"), Text(f"saved {when}, {status}")), (0, 0, 0, 2)))
        # the command on a line of its own, so it is never split
        first, command = hint.split(": ")
        out.print(Text(f"{first}:", style="crossing.hint"))
        out.print(Text(command, style="crossing.hint"), soft_wrap=True)
