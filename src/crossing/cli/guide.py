"""`crossing guide`: a teacher's guide to a story, and a student handout."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from crossing.cli.common import PATH_HELP, app, console, load_or_fail
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
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the guide to this file instead of printing it (.html picks the HTML format).")] = None,
    no_map: Annotated[bool, typer.Option("--no-map", help="Leave the route map out of the HTML guide.")] = False,
    handout: Annotated[bool, typer.Option("--handout", help="Write the student worksheet instead (1-2 pages: what to notice, one fact and its source, three questions).")] = False,
) -> None:
    """Write a teacher's guide to a story (at most about twelve printed pages, then an appendix): overview,
    routes on a map, a lesson plan from measured run lengths, starter questions, content warnings with the
    scenes' own words, students with a personal connection, the debrief questions; every fact with its
    source and the glossary in the appendix. --handout writes the student worksheet."""
    from crossing import guide as guides

    chosen = load_or_fail(path)
    fmt = format
    if output is not None and format is GuideFormat.markdown and output.suffix.lower() in (".html", ".htm"):
        fmt = GuideFormat.html
    if handout:
        text = guides.handout(chosen, fmt.value)
    else:
        svg = map_svg(chosen) if fmt is GuideFormat.html and not no_map else None
        text = guides.guide(chosen, fmt.value, svg)
    write_or_echo(text, output)
    if output is not None:
        what = "student worksheet" if handout else "teacher's guide"
        console(stderr=True).print(f"Wrote the {what} to {output}", markup=False, highlight=False)
