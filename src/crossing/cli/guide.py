"""`crossing guide`: a teacher's guide to a story, and a student handout."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from crossing.cli.app import PATH_HELP, app, console, load_or_fail
from crossing.cli.output import write_or_echo

if TYPE_CHECKING:
    from crossing.model import Story


class GuideFormat(StrEnum):
    markdown = "markdown"
    html = "html"


def map_svg(story: Story) -> str | None:
    """The story's routes as an SVG map for the HTML guide; None when the story declares no places."""
    if not story.places:
        return None
    from crossing import maps
    from crossing.journeys import story_routes

    return maps.svg_map(maps.load_region(), list(story.places.values()), story_routes(story), title=f"Routes in {story.title}")


@app.command()
def guide(
    path: Annotated[Path | None, typer.Argument(help=PATH_HELP, show_default=False)] = None,
    format: Annotated[GuideFormat, typer.Option("--format", "-f", help="markdown, or html (a printable page).")] = GuideFormat.markdown,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the guide to this file instead of printing it.")] = None,
    no_map: Annotated[bool, typer.Option("--no-map", help="Leave the route map out of the HTML guide.")] = False,
) -> None:
    """Write a teacher's guide to a story: routes, a 45-minute lesson, debrief questions, content
    warnings by scene, every fact with its source, and the glossary."""
    from crossing.guide import guide as make_guide

    chosen = load_or_fail(path)
    svg = map_svg(chosen) if format is GuideFormat.html and not no_map else None
    write_or_echo(make_guide(chosen, format.value, svg), output)
    if output is not None:
        console(stderr=True).print(f"Wrote the teacher's guide to {output}", markup=False, highlight=False)
