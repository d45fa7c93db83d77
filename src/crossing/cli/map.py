"""`crossing map`: every route of a story on one map."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from crossing.cli.common import PATH_HELP, app, console, load_or_fail, wants_plain


@app.command(name="map")
def map_(
    path: Annotated[Path | None, typer.Argument(help=PATH_HELP, show_default=False)] = None,
    plain: Annotated[bool, typer.Option("--plain", help="A text list of places and distances instead of a drawn map.")] = False,
) -> None:
    """Show every route of the story on a map of the region, each in its own colour, with a legend."""
    from crossing.render.journey import story_map

    story = load_or_fail(path)
    out = console(plain)
    height = min(30, max(10, out.height - 2))
    out.print(story_map(story, is_plain=wants_plain(plain), width=out.width, height=height, encoding=out.encoding))
