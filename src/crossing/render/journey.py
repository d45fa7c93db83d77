"""The map in play and in `crossing map`: braille for the eyes, a list of places for screen readers."""

from __future__ import annotations

import sys

from rich.console import Group, RenderableType
from rich.text import Text

from crossing.engine import RunState
from crossing.journeys import journey, route_moves, story_routes, travelling_routes
from crossing.maps import (
    MIN_COLS,
    MIN_ROWS,
    MapRoute,
    compose_map,
    fitted_viewport,
    format_km,
    glyphs_for,
    great_circle_km,
    load_region,
)
from crossing.model import Story
from crossing.render.map import render_map, render_map_plain
from crossing.render.safe import literal
from crossing.textsafety import plural

NO_MAP = "This story has no map (it declares no places)."


def too_small(width: int, height: int) -> str | None:
    """Why a map cannot be drawn in ``width`` x ``height`` cells, or None when it can."""
    if width >= MIN_COLS and height >= MIN_ROWS:
        return None
    return (
        f"The terminal is too small to draw the map ({max(width, 0)} x {max(height, 0)}; "
        f"it needs at least {MIN_COLS} x {MIN_ROWS}), so here is the list instead."
    )


def _encoding(encoding: str | None) -> str | None:
    return encoding if encoding is not None else getattr(sys.stdout, "encoding", None)


def journey_map(
    story: Story, state: RunState, *, is_plain: bool, width: int, height: int = 22, encoding: str | None = None
) -> RenderableType:
    """The journey so far as a line, the current place marked, with the distance travelled.

    ``encoding`` is the output's (by default ``sys.stdout``'s): without braille in it the
    map is drawn in ASCII art.  Below the smallest map worth drawing, the list of places."""
    if not story.places:
        return Text(NO_MAP, style="crossing.hint")
    trip = journey(story, state.path)
    current = trip.places[-1].id if trip.places else None
    small = None if is_plain else too_small(width, height)
    if is_plain or small is not None:
        listing = literal(render_map_plain(trip.places, current))
        return listing if small is None else Group(Text(small, style="crossing.hint"), listing)
    line = [MapRoute("Your journey", tuple(p.id for p in trip.places), 0)] if len(trip.places) > 1 else []
    glyphs = glyphs_for(_encoding(encoding))
    view = fitted_viewport((p.lat, p.lon) for p in trip.places)  # the journey so far, as large as it fits
    model = compose_map(load_region(), trip.places, line, current, cols=width, rows=height, viewport=view, glyphs=glyphs)
    summary = f"{plural(len(trip.places), 'place')} so far, {format_km(trip.km)} as the crow flies." if trip.places else "No place shown yet."
    return Group(render_map(model), Text(summary, style="crossing.hint"))


def _route_list(story: Story) -> Text:
    lines: list[str] = []
    for route in travelling_routes(story):
        moves = route_moves(story, route)
        if not moves:
            continue
        lines.append(f"{story.route_title(route)}:")
        for start, end in moves:
            a, b = story.places[start], story.places[end]
            lines.append(f"  {a.name} to {b.name}: {format_km(great_circle_km(a.lat, a.lon, b.lat, b.lon))}")
        lines.append("")
    return literal("\n".join(lines).rstrip() or "No scene of this story moves between places.")


def story_map(story: Story, *, is_plain: bool, width: int, height: int = 22, encoding: str | None = None) -> RenderableType:
    """Every route of the story at once, each in its own colour, with a legend (ASCII art when
    ``encoding`` cannot carry braille; the list of moves when the terminal is too small)."""
    if not story.places:
        return Text(NO_MAP, style="crossing.hint")
    small = None if is_plain else too_small(width, height)
    if is_plain or small is not None:
        return _route_list(story) if small is None else Group(Text(small, style="crossing.hint"), _route_list(story))
    routes = story_routes(story)
    used = {place_id for route in routes for place_id in route.place_ids}
    places = [p for p in story.places.values() if p.id in used]
    glyphs = glyphs_for(_encoding(encoding))
    return render_map(compose_map(load_region(), places, routes, None, cols=width, rows=height, glyphs=glyphs))


__all__ = ["NO_MAP", "journey_map", "story_map", "too_small"]
