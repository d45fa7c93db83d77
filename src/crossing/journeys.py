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


def route_walks(story: Story, route: str) -> list[tuple[str, ...]]:
    """Lines through every move of a route: depth-first walks that retrace their steps on the way back,
    so each line draws every branch without inventing a journey between branches. A part of the route
    not reached from the first place gets a line of its own. Deterministic: story order throughout."""
    moves = route_moves(story, route)
    following: dict[str, list[str]] = {}
    for begin, end in moves:
        following.setdefault(begin, []).append(end)
    ends = {end for _, end in moves}
    roots = [begin for begin, _ in moves if begin not in ends] + [begin for begin, _ in moves]
    seen: set[str] = set()
    walks: list[tuple[str, ...]] = []
    for root in roots:
        if root in seen:
            continue
        seen.add(root)
        walk = [root]
        stack = [(root, iter(following.get(root, [])))]
        while stack:  # iterative, so a long chain of places cannot exhaust the stack
            _place, rest = stack[-1]
            nxt = next((p for p in rest if p not in seen), None)
            if nxt is None:
                stack.pop()
                if stack:
                    walk.append(stack[-1][0])
                continue
            seen.add(nxt)
            walk.append(nxt)
            stack.append((nxt, iter(following.get(nxt, []))))
        if len(walk) > 1:
            walks.append(tuple(walk))
    return walks


def travelling_routes(story: Story) -> list[str]:
    """Routes to draw: all but the one the story starts in when that one only frames the others
    (its choices lead into other routes: lines from it would show journeys nobody makes)."""
    names = list(story.routes) or sorted({n.route for n in story.nodes.values() if n.route})
    framing = framing_route(story)
    return [name for name in names if name != framing]


def story_routes(story: Story) -> list[MapRoute]:
    """A map line for every route that moves between places, coloured in the order routes are declared."""
    routes: list[MapRoute] = []
    for colour, route in enumerate(r for r in travelling_routes(story) if route_moves(story, r)):
        title = story.route_title(route)
        routes.extend(MapRoute(title, walk, colour) for walk in route_walks(story, route))
    return routes
