"""The map in play and in `crossing map`: braille for the eyes, a list of places for screen readers."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from crossing.engine import RunState
from crossing.geo import MapRoute, compose_map, format_km, great_circle_km, load_region
from crossing.journeys import journey, route_moves, story_routes, travelling_routes
from crossing.model import Story
from crossing.render.map import render_map, render_map_plain
from crossing.render.safe import plain
from crossing.textsafety import plural

NO_MAP = "This story has no map (it declares no places)."


def journey_map(story: Story, state: RunState, *, is_plain: bool, width: int, height: int = 22) -> RenderableType:
    """The journey so far as a line, the current place marked, with the distance travelled."""
    if not story.places:
        return Text(NO_MAP, style="crossing.hint")
    trip = journey(story, state.path)
    current = trip.places[-1].id if trip.places else None
    if is_plain:
        return plain(render_map_plain(trip.places, current))
    line = [MapRoute("Your journey", tuple(p.id for p in trip.places), 0)] if len(trip.places) > 1 else []
    model = compose_map(load_region(), trip.places, line, current, cols=width, rows=height)
    summary = f"{plural(len(trip.places), 'place')} so far, {format_km(trip.km)} as the crow flies." if trip.places else "No place shown yet."
    return Group(render_map(model), Text(summary, style="crossing.hint"))


def story_map(story: Story, *, is_plain: bool, width: int, height: int = 22) -> RenderableType:
    """Every route of the story at once, each in its own colour, with a legend."""
    if not story.places:
        return Text(NO_MAP, style="crossing.hint")
    if is_plain:
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
        return plain("\n".join(lines).rstrip() or "No scene of this story moves between places.")
    routes = story_routes(story)
    used = {place_id for route in routes for place_id in route.place_ids}
    places = [p for p in story.places.values() if p.id in used]
    return render_map(compose_map(load_region(), places, routes, None, cols=width, rows=height))
