"""Where a story happens: the places of a run, and the geography of each route (pure; for the map)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crossing.geo import Leg, MapRoute, journey_summary
from crossing.model import Place, Story


@dataclass(frozen=True, slots=True)
class Journey:
    places: list[Place]
    legs: list[Leg]
    km: float


def framing_route(story: Story) -> str | None:
    """The route the story starts in when it only frames the others (its choices lead into other
    routes): its scenes set the stage rather than move anyone, so they are not part of a journey."""
    names = set(story.routes) or {n.route for n in story.nodes.values() if n.route}
    start = story.nodes.get(story.start)
    return start.route if start is not None and len(names) > 1 else None


def journey(story: Story, path: Sequence[str]) -> Journey:
    """The places of the scenes shown, in order (a place repeated back to back counts once)."""
    places: list[Place] = []
    framing = framing_route(story)
    for node_id in path:
        node = story.nodes.get(node_id)
        if node is None or node.place is None or node.place not in story.places:
            continue
        if framing is not None and node.route == framing:
            continue
        place = story.places[node.place]
        if not places or places[-1].id != place.id:
            places.append(place)
    legs, km = journey_summary(places)
    return Journey(places, legs, km)


def route_moves(story: Story, route: str) -> list[tuple[str, str]]:
    """Every move between two different places that a choice in this route can make, in story order."""
    moves: list[tuple[str, str]] = []
    for node in story.nodes.values():
        if node.route != route or node.place is None:
            continue
        for choice in node.choices:
            for target_id in choice.targets:
                target = story.nodes.get(target_id)
                if target is None or target.place is None or target.place == node.place:
                    continue
                move = (node.place, target.place)
                if move not in moves and move[0] in story.places and move[1] in story.places:
                    moves.append(move)
    return moves


def route_walk(story: Story, route: str) -> tuple[str, ...]:
    """One line through every move of a route: a depth-first walk that retraces its steps on the way
    back, so a single polyline draws every branch without inventing a journey between branches."""
    moves = route_moves(story, route)
    if not moves:
        return ()
    following: dict[str, list[str]] = {}
    for start, end in moves:
        following.setdefault(start, []).append(end)
    starts = {start for start, _ in moves}
    ends = {end for _, end in moves}
    root = next((start for start, _ in moves if start not in ends), moves[0][0])
    walk: list[str] = [root]
    seen = {root}

    def visit(place: str) -> None:
        for nxt in following.get(place, []):
            if nxt in seen:
                continue
            seen.add(nxt)
            walk.append(nxt)
            visit(nxt)
            walk.append(place)

    visit(root)
    for start in starts - seen:  # parts of the route not reached from its first place
        walk.append(start)
        seen.add(start)
        visit(start)
    return tuple(walk)


def travelling_routes(story: Story) -> list[str]:
    """Routes to draw: all but the one the story starts in when that one only frames the others
    (its choices lead into other routes: lines from it would show journeys nobody makes)."""
    names = list(story.routes) or sorted({n.route for n in story.nodes.values() if n.route})
    framing = framing_route(story)
    return [name for name in names if name != framing]


def story_routes(story: Story) -> list[MapRoute]:
    """A map line for every route that moves between places, coloured in the order routes are declared."""
    routes: list[MapRoute] = []
    for route in travelling_routes(story):
        walk = route_walk(story, route)
        if len(walk) > 1:
            title = story.route_title(route)
            routes.append(MapRoute(title, walk, len(routes)))
    return routes
