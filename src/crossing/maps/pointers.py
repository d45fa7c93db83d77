"""Places off the map: an arrow at the map's edge, in their direction, with their distance."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

from crossing.immutable import immutable
from crossing.maps.distance import PlaceLike, RouteLike, format_km, place_distance_km, short_name
from crossing.maps.glyphs import Glyphs
from crossing.maps.projection import Projection


@immutable
class Pointer:
    """An arrow to a place off the map: its text, the side of the map it sits on and
    the point (x, y) where the line from its reference place leaves the plane."""

    place: PlaceLike
    text: str
    side: str  # left | right | top | bottom
    x: float
    y: float


def edge_point(cx: float, cy: float, tx: float, ty: float, width: float, height: float) -> tuple[float, float, str]:
    """Where the ray from (cx, cy) towards (tx, ty) leaves the ``width`` x ``height`` box,
    and which side (left, right, top, bottom)."""
    dx, dy = tx - cx, ty - cy
    exits = []
    if dx < 0:
        exits.append((-cx / dx, "left"))
    if dx > 0:
        exits.append(((width - cx) / dx, "right"))
    if dy < 0:
        exits.append((-cy / dy, "top"))
    if dy > 0:
        exits.append(((height - cy) / dy, "bottom"))
    if not exits:
        return cx, cy, "left"
    t, side = min(exits, key=lambda e: e[0])
    return cx + t * dx, cy + t * dy, side


def _predecessors(routes: Sequence[RouteLike], by_id: Mapping[str, PlaceLike], on_map: set[str]) -> dict[str, PlaceLike]:
    """For each place off the map, the place on the map that a route reaches it from."""
    found: dict[str, PlaceLike] = {}
    for route in routes:
        ids = [pid for pid in route.place_ids if pid in by_id]
        for a, b in itertools.pairwise(ids):
            if b not in on_map and a in on_map:
                found.setdefault(b, by_id[a])
    return found


def off_map_pointers(
    by_id: Mapping[str, PlaceLike],
    routes: Sequence[RouteLike],
    current: PlaceLike | None,
    proj: Projection,
    glyphs: Glyphs,
) -> list[Pointer]:
    """An arrow for every place that falls off the plane, in ``by_id`` order.

    The distance is measured from the current place when it is on the map; failing that,
    from the place on the map a route reaches it from; failing that, from the nearest
    place on the map (with no place on the map: no distance, direction from the centre)."""
    on_map = [p for p in by_id.values() if proj.on_plane(*proj.project(p.lat, p.lon))]
    on_ids = {p.id for p in on_map}
    reference = current if current is not None and current.id in on_ids else None
    predecessor = _predecessors(routes, by_id, on_ids)
    pointers: list[Pointer] = []
    for place in by_id.values():
        if place.id in on_ids:
            continue
        ref = reference or predecessor.get(place.id)
        if ref is None and on_map:
            ref = min(on_map, key=lambda p: place_distance_km(p, place))
        tx, ty = proj.project(place.lat, place.lon)
        cx, cy = proj.project(ref.lat, ref.lon) if ref is not None else (proj.width / 2, proj.height / 2)
        ex, ey, side = edge_point(cx, cy, tx, ty, proj.width, proj.height)
        distance = f" {format_km(place_distance_km(ref, place))}" if ref is not None else ""
        arrow = glyphs.arrow(tx - cx, ty - cy)
        name = short_name(place.name)
        text = f"{name}{distance} {arrow}" if side == "right" else f"{arrow} {name}{distance}"
        pointers.append(Pointer(place, text, side, min(max(ex, 0.0), proj.width), min(max(ey, 0.0), proj.height)))
    return pointers


def label_order(places: Sequence[PlaceLike], routes: Sequence[RouteLike], current: PlaceLike | None) -> list[PlaceLike]:
    """Places in the order their labels are placed: the current place, then places on more
    routes, then in route order, then the rest (in the order given)."""
    names: dict[str, set[str]] = {}
    first: dict[str, int] = {}
    for route in routes:
        for pid in route.place_ids:
            names.setdefault(pid, set()).add(route.name)
            first.setdefault(pid, len(first))
    return sorted(places, key=lambda p: (p is not current, -len(names.get(p.id, ())), first.get(p.id, math.inf)))
