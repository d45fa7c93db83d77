"""Where a story happens: the places of a run, and the geography of each route (pure; for the map)."""

from __future__ import annotations

from collections.abc import Sequence

from crossing.immutable import immutable
from crossing.maps import Leg, MapRoute, journey_summary
from crossing.model import Place, Story


@immutable
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


def hopeful_scenes(story: Story) -> set[str]:
    """Scenes from which some ending that counts as safety can still be reached."""
    sources: dict[str, set[str]] = {}
    for node in story.nodes.values():
        for choice in node.choices:
            for target in choice.targets:
                sources.setdefault(target, set()).add(node.id)
    found = {n.id for n in story.nodes.values() if n.ending is not None and story.is_safe_kind(n.ending.kind)}
    frontier = list(found)
    while frontier:
        for source in sources.get(frontier.pop(), ()):
            if source not in found:
                found.add(source)
                frontier.append(source)
    return found


def route_moves(story: Story, route: str) -> list[tuple[str, str]]:
    """The legs of a route: every move between two different places that a choice in this route
    can make to another scene of the same route, in story order, except a move that ends all hope
    of safety (an arrest, being turned back: the scene it leaves could still lead to safety, the
    one it reaches cannot).  Such a move, and a hand-over to another route (arriving in the South,
    being sent back), is something that happens to the traveller, not a way travelled: a line for
    it would join the route to a place it does not go to (a forced return to Pyongyang from Laos,
    an arrest in Kunming shown as a journey to Yanji)."""
    hopeful = hopeful_scenes(story)
    moves: list[tuple[str, str]] = []
    for node in story.nodes.values():
        if node.route != route or node.place is None:
            continue
        for choice in node.choices:
            for target_id in choice.targets:
                target = story.nodes.get(target_id)
                if target is None or target.place is None or target.place == node.place:
                    continue
                if (target.route is not None and target.route != route) or (node.id in hopeful and target_id not in hopeful):
                    continue
                move = (node.place, target.place)
                if move not in moves and move[0] in story.places and move[1] in story.places:
                    moves.append(move)
    return moves


def route_walks(story: Story, route: str) -> list[tuple[str, ...]]:
    """Lines that draw every move of a route once and nothing else: each pair of consecutive
    places in a line is a move (in one direction or the other), and no line goes back over a
    move or jumps between places no move joins.  A line starts where the route starts (a place
    no move reaches), else at a loose end, and runs on while an unused move leads on.
    Deterministic: story order throughout."""
    edges: list[tuple[str, str]] = []
    for begin, end in route_moves(story, route):
        if (end, begin) not in edges:
            edges.append((begin, end))
    touching: dict[str, list[int]] = {}
    for index, (begin, end) in enumerate(edges):
        touching.setdefault(begin, []).append(index)
        touching.setdefault(end, []).append(index)
    reached = {end for _, end in edges}
    places = list(touching)
    starts = [p for p in places if p not in reached] + [p for p in places if len(touching[p]) % 2] + places
    used: set[int] = set()
    walks: list[tuple[str, ...]] = []
    for start in starts:
        walk = [start]
        while True:
            here = walk[-1]
            step = next((i for i in touching[here] if i not in used), None)
            if step is None:
                break
            used.add(step)
            begin, end = edges[step]
            walk.append(end if begin == here else begin)
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
