"""The map as a standalone SVG document, for the HTML teacher's guide.

:func:`plan_svg` lays the map out (pure geometry, testable); :func:`svg_map` writes it."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from html import escape

from crossing.immutable import immutable
from crossing.maps.countries import cell_countries, country_grid, place_country_names
from crossing.maps.distance import PlaceLike, RouteLike, short_name
from crossing.maps.glyphs import BRAILLE
from crossing.maps.labels import LABEL_H, LabelBoard, LabelRequest, PlacedLabel, boxes_meet, label_width
from crossing.maps.pointers import Pointer, label_order, off_map_pointers
from crossing.maps.projection import REGION, Box, Projection, Viewport, clip_segment
from crossing.maps.region import Outline, Region, outline_lines

ROUTE_COLOURS_HEX = ("#d62728", "#2ca02c", "#9467bd", "#e08a00", "#1f9fb4", "#1f5fd6")
"""SVG colours of routes 0..5 (the terminal styles are in ``crossing.render.map``)."""

SAME_SPOT_PX = 8.0
"""Places closer than this on the SVG share one marker label ("Kaesong / Panmunjom")."""

_LINE_H = 20
_SEA = "#eef4fa"

Point = tuple[float, float]


@immutable
class Marker:
    place: PlaceLike
    x: float
    y: float
    kind: str  # current | place (on a route) | context (on no route)

    @property
    def radius(self) -> float:
        return {"current": 6.0, "place": 3.5}.get(self.kind, 2.5)

    @property
    def box(self) -> Box:
        r = self.radius + 1
        return (self.x - r, self.y - r, self.x + r, self.y + r)


@immutable
class Ring:
    """A ring round a route too short to see at a panel's scale (centre, radius), in its colour."""

    name: str
    colour: int
    x: float
    y: float
    radius: float

    @property
    def box(self) -> Box:
        r = self.radius + 2
        return (self.x - r, self.y - r, self.x + r, self.y + r)


@immutable
class Panel:
    """One map drawn at (x, y), ``width`` x ``height``: the whole region, or an enlarged inset.

    ``routes`` join consecutive places; in an inset, ``stubs`` are the first part of each leg to a
    place outside it, stopping short of its frame; ``rings`` circle routes too short to see;
    ``countries`` are country names, inside their land and clear of everything else drawn."""

    x: float
    y: float
    width: float
    height: float
    viewport: Viewport
    outlines: tuple[tuple[str, tuple[tuple[Point, ...], ...]], ...]  # (kind, runs), panel coordinates
    routes: tuple[tuple[str, int, tuple[tuple[Point, ...], ...]], ...]  # (name, colour, runs)
    markers: tuple[Marker, ...]
    labels: tuple[PlacedLabel, ...]  # place labels
    pointers: tuple[PlacedLabel, ...]  # arrows to places off the map
    stubs: tuple[tuple[str, int, tuple[tuple[Point, ...], ...]], ...] = ()
    rings: tuple[Ring, ...] = ()
    countries: tuple[PlacedLabel, ...] = ()


@immutable
class SvgPlan:
    """Everything the SVG shows: the main panel, an optional inset with the crowded places
    enlarged (``inset_source`` is the area it enlarges, in main-panel coordinates), the legend."""

    width: float
    map_h: float
    height: float
    main: Panel
    inset: Panel | None
    inset_source: Box | None
    legend: tuple[tuple[str, int], ...]  # (route name, colour)
    current_name: str | None
    caption: str | None
    ringed: bool = False  # whether a route is ringed (the legend then says what a ring means)

    @property
    def panels(self) -> tuple[Panel, ...]:
        return (self.main,) if self.inset is None else (self.main, self.inset)


def plan_svg(
    outlines: Region | Iterable[Outline],
    places: Iterable[PlaceLike],
    routes: Sequence[RouteLike] = (),
    current: str | None = None,
    *,
    width: int = 720,
    viewport: Viewport | None = None,
    caption: str | None = None,
) -> SvgPlan:
    """Lay the SVG map out: see :func:`svg_map`."""
    vp = viewport or REGION
    map_w, map_h = float(width), float(round(width / vp.aspect))
    lines = outline_lines(outlines)
    by_id: dict[str, PlaceLike] = {}
    for place in places:
        by_id.setdefault(place.id, place)
    current_place = by_id.get(current) if current is not None else None
    scene = _Scene(lines, by_id, routes, current_place, outlines if isinstance(outlines, Region) else None)
    proj = Projection(vp, map_w, map_h)
    markers = scene.markers(proj)
    inset = _plan_inset(scene, proj, markers)
    hidden = inset[1] if inset is not None else None
    main = scene.panel(proj, 0.0, 0.0, pointers=True, unlabelled=hidden, keep_clear=inset[0] if inset else None)
    legend = tuple(dict((route.name, route.colour % len(ROUTE_COLOURS_HEX)) for route in routes).items())
    ringed = any(panel.rings for panel in ((main,) if inset is None else (main, inset[0])))
    rows = len(legend) + ringed + (current_place is not None) + (caption is not None)
    return SvgPlan(
        width=map_w,
        map_h=map_h,
        height=map_h + rows * _LINE_H + (12 if rows else 0),
        main=main,
        inset=inset[0] if inset is not None else None,
        inset_source=hidden,
        legend=legend,
        current_name=current_place.name if current_place is not None else None,
        caption=caption,
        ringed=ringed,
    )


class _Scene:
    """What is drawn, before it is projected onto a panel."""

    def __init__(
        self,
        lines: list[Outline],
        by_id: dict[str, PlaceLike],
        routes: Sequence[RouteLike],
        current: PlaceLike | None,
        region: Region | None = None,
    ) -> None:
        self.region = region
        self.lines = lines
        self.by_id = by_id
        self.routes = routes
        self.current = current
        self.routed = {pid for route in routes for pid in route.place_ids if pid in by_id}

    def markers(self, proj: Projection) -> list[Marker]:
        """Markers of the places on the panel, in label order."""
        return [
            Marker(p, *proj.project(p.lat, p.lon), "current" if p is self.current else "place" if p.id in self.routed else "context")
            for p in label_order(list(self.by_id.values()), self.routes, self.current)
            if proj.on_plane(*proj.project(p.lat, p.lon))
        ]

    def panel(
        self,
        proj: Projection,
        x: float,
        y: float,
        *,
        pointers: bool,
        unlabelled: Box | None = None,
        keep_clear: Panel | None = None,
        labels_wanted: bool = True,
    ) -> Panel:
        """The scene projected onto a panel at (x, y), labels placed (unless not ``labels_wanted``;
        none for markers inside ``unlabelled``; none over the panel ``keep_clear``, and no route
        line either).  A panel without ``pointers`` is an inset: legs to places outside it are
        stubs that stop short of its frame, and a leg between two places outside it is not drawn."""
        box = (-2.0, -2.0, proj.width + 2.0, proj.height + 2.0)
        stubs: tuple[tuple[str, int, tuple[tuple[Point, ...], ...]], ...] = ()
        if pointers:
            routes = tuple(
                (route.name, route.colour % len(ROUTE_COLOURS_HEX), _route_runs(route, self.by_id, proj, box)) for route in self.routes
            )
        else:
            parts = [(route, *_inset_route_runs(route, self.by_id, proj)) for route in self.routes]
            routes = tuple((route.name, route.colour % len(ROUTE_COLOURS_HEX), runs) for route, runs, _ in parts)
            stubs = tuple((route.name, route.colour % len(ROUTE_COLOURS_HEX), cut) for route, _, cut in parts if cut)
        frame = None if keep_clear is None else (keep_clear.x - 4, keep_clear.y - 4, keep_clear.x + keep_clear.width + 4, keep_clear.y + keep_clear.height + 4)
        if frame is not None:
            routes = tuple((name, colour, tuple(_runs_outside(runs, frame))) for name, colour, runs in routes)
        rings = _rings(self.routes, self.by_id, proj)
        markers = self.markers(proj)
        segments = [(*a, *b) for _, _, runs in (*routes, *stubs) for run in runs for a, b in itertools.pairwise(run) if a != b]
        segments += [segment for ring in rings for segment in _ring_segments(ring)]
        clear = [] if frame is None else [("", frame)]
        ring_boxes = [(pid, ring.box) for ring, route in rings.items() for pid in route.place_ids]
        board = LabelBoard((0.0, 0.0, proj.width, proj.height), [(m.place.id, m.box) for m in markers] + clear + ring_boxes, segments)
        placed_pointers = _place_pointers(board, off_map_pointers(self.by_id, self.routes, self.current, proj, BRAILLE), proj.width, proj.height) if pointers else []
        labelled = [m for m in markers if unlabelled is None or not _inside(m, unlabelled)]
        requests = _label_requests(labelled) if labels_wanted else []
        labels = board.place_all(requests, first=1 if requests and self.current is not None and self.current.id in requests[0].place_ids else 0)
        countries: list[PlacedLabel] = []
        if labels_wanted and self.region is not None:
            taken = [m.box for m in markers] + [label.box for label in board.placed] + [ring.box for ring in rings]
            taken += [] if frame is None else [frame]
            taken += [] if unlabelled is None else [unlabelled]
            taken += [] if pointers else [(0.0, proj.height - 20.0, 70.0, proj.height)]  # the inset's "Enlarged"
            leaders = [label.leader for label in board.placed if label.leader is not None]
            countries = _place_countries(self.region, proj, taken, segments + leaders)
        return Panel(
            x, y, proj.width, proj.height, proj.viewport, _plan_outlines(self.lines, proj), routes, tuple(markers), tuple(labels),
            tuple(placed_pointers), stubs, tuple(rings), tuple(countries),
        )


def _inside(marker: Marker, box: Box) -> bool:
    return box[0] <= marker.x <= box[2] and box[1] <= marker.y <= box[3]


def _route_runs(route: RouteLike, by_id: dict[str, PlaceLike], proj: Projection, box: Box) -> tuple[tuple[Point, ...], ...]:
    points = [proj.project(by_id[p].lat, by_id[p].lon) for p in route.place_ids if p in by_id]
    if len(points) == 1:
        points *= 2
    return tuple(_clipped_runs(points, box))


MIN_ROUTE_PX = 12.0
"""A route whose places all lie within this distance of one another on a panel is ringed."""

STUB_GAP_PX = 12.0
STUB_PX = 36.0
"""In an inset, a leg to a place outside it is a stub at most ``STUB_PX`` long that stops at least
``STUB_GAP_PX`` inside the frame: it shows the way the leg goes without running into the frame."""

COUNTRY_CELL = (8.0, 16.0)
"""Width of one letter of a country's name (11 px capitals, spaced) and the height of a line of them."""


def _inset_route_runs(
    route: RouteLike, by_id: dict[str, PlaceLike], proj: Projection
) -> tuple[tuple[tuple[Point, ...], ...], tuple[tuple[Point, ...], ...]]:
    """An inset's route: runs joining places both in it, and stubs of the legs to places outside it
    (from the place inside towards the other: see ``STUB_PX``)."""
    box = (-2.0, -2.0, proj.width + 2.0, proj.height + 2.0)
    inner = (STUB_GAP_PX, STUB_GAP_PX, proj.width - STUB_GAP_PX, proj.height - STUB_GAP_PX)
    points = [proj.project(by_id[p].lat, by_id[p].lon) for p in route.place_ids if p in by_id]
    if len(points) == 1:
        points *= 2
    runs: list[list[Point]] = []
    stubs: list[tuple[Point, ...]] = []
    for a, b in itertools.pairwise(points):
        in_a, in_b = proj.on_plane(*a), proj.on_plane(*b)
        if in_a and in_b:
            clipped = clip_segment(*a, *b, box)
            if clipped is None:
                continue
            p, q = (clipped[0], clipped[1]), (clipped[2], clipped[3])
            if runs and runs[-1][-1] == p:
                runs[-1].append(q)
            else:
                runs.append([p, q])
        elif in_a or in_b:
            start, end = (a, b) if in_a else (b, a)
            length = ((end[0] - start[0]) ** 2 + (end[1] - start[1]) ** 2) ** 0.5
            t = min(1.0, STUB_PX / length) if length else 0.0
            cut = clip_segment(*start, start[0] + t * (end[0] - start[0]), start[1] + t * (end[1] - start[1]), inner)
            if cut is not None and (cut[0], cut[1]) != (cut[2], cut[3]):
                stubs.append(((cut[0], cut[1]), (cut[2], cut[3])))
    return tuple(tuple(run) for run in runs), tuple(stubs)


def _runs_outside(runs: Iterable[tuple[Point, ...]], box: Box) -> list[tuple[Point, ...]]:
    """The parts of polylines outside ``box``."""
    out: list[tuple[Point, ...]] = []
    for run in runs:
        current: list[Point] = []
        for a, b in itertools.pairwise(run):
            inside = clip_segment(*a, *b, box)
            pieces: list[tuple[Point, Point] | None]
            if inside is None or (inside[0], inside[1]) == (inside[2], inside[3]):
                pieces = [(a, b)]  # outside, or touching the box at one point
            else:
                p, q = (inside[0], inside[1]), (inside[2], inside[3])
                pieces = [(a, p), None, (q, b)]  # None: the cut
            for piece in pieces:
                if piece is None:
                    if len(current) > 1:
                        out.append(tuple(current))
                    current = []
                elif piece[0] == piece[1]:
                    continue
                elif current and current[-1] == piece[0]:
                    current.append(piece[1])
                else:
                    if len(current) > 1:
                        out.append(tuple(current))
                    current = [piece[0], piece[1]]
        if len(current) > 1:
            out.append(tuple(current))
    return out


def _rings(routes: Sequence[RouteLike], by_id: dict[str, PlaceLike], proj: Projection) -> dict[Ring, RouteLike]:
    """A ring round each route whose places are all on the panel within ``MIN_ROUTE_PX`` of one
    another (one ring for lines of the same route at the same spot)."""
    rings: dict[Ring, RouteLike] = {}
    for route in routes:
        points = [proj.project(by_id[p].lat, by_id[p].lon) for p in dict.fromkeys(route.place_ids) if p in by_id]
        if len(points) < 2 or not all(proj.on_plane(*p) for p in points):
            continue
        span = max(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 for a, b in itertools.combinations(points, 2))
        if span >= MIN_ROUTE_PX:
            continue
        cx, cy = sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
        ring = Ring(route.name, route.colour % len(ROUTE_COLOURS_HEX), round(cx, 1), round(cy, 1), round(span / 2 + 9.0, 1))
        rings.setdefault(ring, route)
    return rings


def _ring_segments(ring: Ring) -> list[tuple[float, float, float, float]]:
    """A ring as eight chords (what labels are scored against)."""
    corners = [(ring.x + ring.radius * math.cos(k * math.pi / 4), ring.y + ring.radius * math.sin(k * math.pi / 4)) for k in range(9)]
    return [(*a, *b) for a, b in itertools.pairwise(corners)]


def _place_countries(region: Region, proj: Projection, taken: Sequence[Box], segments: Sequence[tuple[float, float, float, float]]) -> list[PlacedLabel]:
    """Country names on a grid of letter-sized cells over the panel: each inside its country, on
    cells clear (by 3 px) of every box in ``taken`` and every line in ``segments``."""
    cw, ch = COUNTRY_CELL
    cols, rows = int(proj.width // cw), int(proj.height // ch)
    if cols < 1 or rows < 1:
        return []
    ox, oy = (proj.width - cols * cw) / 2, (proj.height - rows * ch) / 2
    inside = cell_countries(country_grid(region), proj.unprojector(), cols, rows, cw, ch, (ox, oy))
    blocked = [[False] * cols for _ in range(rows)]
    pad = 3.0

    def cell_range(x0: float, y0: float, x1: float, y1: float) -> tuple[range, range]:
        c0, c1 = int((x0 - pad - ox) // cw), int((x1 + pad - ox) // cw)
        r0, r1 = int((y0 - pad - oy) // ch), int((y1 + pad - oy) // ch)
        return range(max(r0, 0), min(r1, rows - 1) + 1), range(max(c0, 0), min(c1, cols - 1) + 1)

    for box in taken:
        row_range, col_range = cell_range(*box)
        for r in row_range:
            for c in col_range:
                blocked[r][c] = True
    for x0, y0, x1, y1 in segments:
        row_range, col_range = cell_range(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        for r in row_range:
            for c in col_range:
                if not blocked[r][c]:
                    cell = (ox + c * cw - pad, oy + r * ch - pad, ox + (c + 1) * cw + pad, oy + (r + 1) * ch + pad)
                    blocked[r][c] = clip_segment(x0, y0, x1, y1, cell) is not None
    placed: list[PlacedLabel] = []
    for spot in place_country_names(inside, lambda c, r: not blocked[r][c], len):
        x0, y0 = ox + spot.col * cw, oy + spot.row * ch
        box = (x0, y0, x0 + spot.width * cw, y0 + ch)
        placed.append(PlacedLabel(spot.text, (), (box[0] + box[2]) / 2, box[3] - 4.0, "middle", box))
    return placed


CROWDED_PX = 24.0
"""Route places with another within this distance on the main map are shown again, enlarged, in an inset."""


def _plan_inset(scene: _Scene, proj: Projection, markers: list[Marker]) -> tuple[Panel, Box] | None:
    """An enlarged inset of the crowded places, in a corner of the map where it covers no place,
    route or arrow; with the area it enlarges (in main-map coordinates).  None when nothing is
    crowded or no corner is free."""
    routed = [m for m in markers if m.kind != "context"]
    crowded = [m for m in routed if any(o is not m and abs(o.x - m.x) < CROWDED_PX and abs(o.y - m.y) < CROWDED_PX for o in routed)]
    if len(crowded) < 3:
        return None
    margin = 0.6
    lats = [m.place.lat for m in crowded]
    lons = [m.place.lon for m in crowded]
    inset_vp = Viewport(min(lons) - margin, max(lons) + margin, min(lats) - margin, max(lats) + margin)
    w = proj.width * 0.45
    h = w / inset_vp.aspect
    if h > proj.height * 0.5:
        h = proj.height * 0.5
        w = h * inset_vp.aspect
    x0, y1 = proj.project(inset_vp.lat_min, inset_vp.lon_min)
    x1, y0 = proj.project(inset_vp.lat_max, inset_vp.lon_max)
    source = (x0, y0, x1, y1)
    full = scene.panel(proj, 0.0, 0.0, pointers=True, labels_wanted=False)  # where the places and arrows are
    taken = [m.box for m in full.markers] + [p.box for p in full.pointers] + [source]
    segments = [(*a, *b) for _, _, runs in full.routes for run in runs for a, b in itertools.pairwise(run)]
    pad = 6.0
    for x, y in ((proj.width - w - pad, proj.height - h - pad), (pad, proj.height - h - pad), (proj.width - w - pad, pad), (pad, pad)):
        panel_box = (x - pad, y - pad, x + w + pad, y + h + pad)
        if any(boxes_meet(panel_box, b) for b in taken) or any(clip_segment(*s, panel_box) for s in segments):
            continue
        return scene.panel(Projection(inset_vp, w, h), x, y, pointers=False), source
    return None


def _plan_outlines(lines: list[Outline], proj: Projection) -> tuple[tuple[str, tuple[tuple[Point, ...], ...]], ...]:
    box = (-2.0, -2.0, proj.width + 2.0, proj.height + 2.0)
    planned = []
    for kind in ("coast", "border"):
        runs: list[tuple[Point, ...]] = []
        for outline in lines:
            if outline.kind == kind:
                runs += _clipped_runs([proj.project(lat, lon) for lon, lat in outline.points], box)
        planned.append((kind, tuple(runs)))
    return tuple(planned)


def _clipped_runs(points: Sequence[Point], box: Box) -> list[tuple[Point, ...]]:
    """Split a polyline into the runs that lie inside ``box``."""
    runs: list[list[Point]] = []
    current: list[Point] = []
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        clipped = clip_segment(x0, y0, x1, y1, box)
        if clipped is None:
            if current:
                runs.append(current)
                current = []
            continue
        a, b = (clipped[0], clipped[1]), (clipped[2], clipped[3])
        if current and current[-1] == a:
            current.append(b)
        else:
            if current:
                runs.append(current)
            current = [a, b]
        if b != (x1, y1):
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [tuple(run) for run in runs]


def _label_requests(markers: Sequence[Marker]) -> list[LabelRequest]:
    """One label per spot: places closer than ``SAME_SPOT_PX`` share the first one's label.
    Places on no route are labelled last, and only where there is room beside them."""
    requests: list[LabelRequest] = []
    taken: set[str] = set()
    for marker in markers:
        if marker.place.id in taken:
            continue
        close = [
            m for m in markers if m.place.id not in taken and m.kind != "context"
            and abs(m.x - marker.x) < SAME_SPOT_PX and abs(m.y - marker.y) < SAME_SPOT_PX
        ] if marker.kind != "context" else [marker]
        taken.update(m.place.id for m in close)
        names = " / ".join(dict.fromkeys(short_name(m.place.name) for m in close))
        requests.append(LabelRequest(names, tuple(m.place.id for m in close), marker.x, marker.y, max(m.radius for m in close), marker.kind != "context"))
    return sorted(requests, key=lambda r: not r.leaders)


def _place_pointers(board: LabelBoard, pointers: list[Pointer], map_w: float, map_h: float) -> list[PlacedLabel]:
    """Each arrow at its edge of the map, moved along the edge until it is clear of the others."""
    placed: list[PlacedLabel] = []
    for pointer in pointers:
        w = label_width(pointer.text)
        anchor = {"left": "start", "right": "end"}.get(pointer.side, "middle")
        x0 = {"left": 2.0, "right": map_w - 2 - w}.get(pointer.side, min(max(pointer.x - w / 2, 2.0), map_w - 2 - w))
        y0 = min(max(pointer.y - LABEL_H / 2, 2.0), map_h - 2 - LABEL_H)
        box = (x0, y0, x0 + w, y0 + LABEL_H)
        while any(boxes_meet(box, other.box) for other in board.placed) and box[3] + LABEL_H < map_h:
            box = (box[0], box[1] + LABEL_H, box[2], box[3] + LABEL_H)
        tx = {"start": box[0] + 2, "end": box[2] - 2, "middle": (box[0] + box[2]) / 2}[anchor]
        label = PlacedLabel(pointer.text, (pointer.place.id,), tx, box[3] - 3.5, anchor, box)
        board.add(label)
        placed.append(label)
    return placed


def _xml_text(text: str) -> str:
    """Escape text for XML and drop characters XML 1.0 does not allow."""
    cleaned = "".join(
        ch for ch in text if ch in "\t\n\r" or (ord(ch) >= 0x20 and not 0xD800 <= ord(ch) <= 0xDFFF and ch not in "\ufffe\uffff")
    )
    return escape(cleaned, quote=True)


def _points_attr(points: Sequence[Point]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def svg_map(
    outlines: Region | Iterable[Outline],
    places: Iterable[PlaceLike],
    routes: Sequence[RouteLike] = (),
    current: str | None = None,
    *,
    width: int = 720,
    viewport: Viewport | None = None,
    title: str | None = None,
    caption: str | None = None,
) -> str:
    """The map as a standalone SVG document (for the HTML teacher's guide).

    Outlines are polylines; each route is drawn in its colour (``class="route route-N"``)
    joining its consecutive places only; places on a route are labelled dots (places on no
    route small grey dots, labelled where there is room); labels never overlap, and move out on
    a leader line when their place is crowded; places that share a spot share a label; crowded
    places are shown again, enlarged, in an inset where the map has room for one (no line of the
    main map runs under it; in it, legs to places outside it are dashed stubs that stop short of
    its frame); a route too short to see is ringed in its colour; countries are named in grey
    inside their land where a name fits clear of everything else; places off the map are
    arrows at the edge; the legend (and ``caption``) below.  Scales with its
    viewBox to the width of the page, at most 23 cm high, so it prints on one page.  All text
    is XML-escaped.
    """
    plan = plan_svg(outlines, places, routes, current, width=width, viewport=viewport, caption=caption)
    w, h = plan.width, plan.height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h:.0f}" viewBox="0 0 {w:.0f} {h:.0f}" '
        f'style="max-width:100%;max-height:23cm;height:auto" font-family="sans-serif" font-size="12" role="img">'
    ]
    if title:
        out.append(f"<title>{_xml_text(title)}</title>")
    out += _svg_panel(plan.main, "map")
    if plan.inset is not None and plan.inset_source is not None:
        x0, y0, x1, y1 = plan.inset_source
        out.append(f'<rect class="inset-area" x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" fill="none" stroke="#555555" stroke-width="0.8"/>')
        out += _svg_panel(plan.inset, "inset")
    out += _svg_legend(plan)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _svg_panel(panel: Panel, kind: str) -> list[str]:
    out = [
        f'<svg class="{kind}" x="{panel.x:.1f}" y="{panel.y:.1f}" width="{panel.width:.1f}" height="{panel.height:.1f}" overflow="hidden">',
        f'<rect width="{panel.width:.1f}" height="{panel.height:.1f}" fill="{_SEA}"' + (' stroke="#555555" stroke-width="1.5"' if kind == "inset" else "") + "/>",
    ]
    out += _svg_backdrop(panel)
    out += _svg_places(panel)
    if kind == "inset":
        out.append(f'<text x="6" y="{panel.height - 6:.1f}" font-style="italic" fill="#555555">Enlarged</text>')
    out.append("</svg>")
    return out


def _svg_backdrop(panel: Panel) -> list[str]:
    styles = {
        "coast": 'fill="none" stroke="#4a7ab0" stroke-width="0.8"',
        "border": 'fill="none" stroke="#8a8a8a" stroke-width="0.8" stroke-dasharray="3 2"',
    }
    out: list[str] = []
    for kind, runs in panel.outlines:
        out.append(f'<g class="{kind}" {styles[kind]}>')
        out += [f'<polyline points="{_points_attr(run)}"/>' for run in runs]
        out.append("</g>")
    for label in panel.countries:
        out.append(
            f'<text class="country" x="{label.x:.1f}" y="{label.y:.1f}" text-anchor="middle" font-size="11" '
            f'letter-spacing="1" fill="#7a7a7a">{_xml_text(label.text)}</text>'
        )
    for name, colour, route_runs in panel.routes:
        for run in route_runs:
            out.append(
                f'<polyline class="route route-{colour}" fill="none" stroke="{ROUTE_COLOURS_HEX[colour]}" '
                f'stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round" points="{_points_attr(run)}">'
                f"<title>{_xml_text(name)}</title></polyline>"
            )
    for name, colour, stub_runs in panel.stubs:
        for run in stub_runs:
            out.append(
                f'<polyline class="route-stub route-{colour}" fill="none" stroke="{ROUTE_COLOURS_HEX[colour]}" '
                f'stroke-width="2" stroke-dasharray="4 3" stroke-opacity="0.6" points="{_points_attr(run)}">'
                f"<title>{_xml_text(name)} (continues outside the enlarged area)</title></polyline>"
            )
    for ring in panel.rings:
        out.append(
            f'<circle class="route-ring route-{ring.colour}" cx="{ring.x:.1f}" cy="{ring.y:.1f}" r="{ring.radius:.1f}" fill="none" '
            f'stroke="{ROUTE_COLOURS_HEX[ring.colour]}" stroke-width="2.5"><title>{_xml_text(ring.name)}</title></circle>'
        )
    return out


def _svg_places(panel: Panel) -> list[str]:
    out: list[str] = []
    for label in panel.labels:
        if label.leader is not None:
            x0, y0, x1, y1 = label.leader
            out.append(f'<line class="leader" x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="#555555" stroke-width="0.8"/>')
    fills = {"current": "#111111", "place": "#333333", "context": "#8a8a8a"}
    for m in panel.markers:
        extra = ' stroke="#ffd400" stroke-width="3"' if m.kind == "current" else ""
        out.append(f'<circle class="{m.kind}" cx="{m.x:.1f}" cy="{m.y:.1f}" r="{m.radius}" fill="{fills[m.kind]}"{extra}/>')
    current_ids = {m.place.id for m in panel.markers if m.kind == "current"}
    # Each label on a pale patch of its own box (not a stroked halo: that would print every name twice
    # in a PDF's text), so lines under it do not cross the letters.
    for label, kind in [*((label, "label") for label in panel.labels), *((label, "edge") for label in panel.pointers)]:
        x0, y0, x1, y1 = label.box
        style = ' font-style="italic"' if kind == "edge" else ' font-weight="bold"' if current_ids & set(label.place_ids) else ""
        out.append(f'<rect class="label-patch" x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" rx="2" fill="{_SEA}" fill-opacity="0.85"/>')
        out.append(f'<text class="{kind}" x="{label.x:.1f}" y="{label.y:.1f}" text-anchor="{label.anchor}"{style}>{_xml_text(label.text)}</text>')
    return out


def _svg_legend(plan: SvgPlan) -> list[str]:
    out: list[str] = []
    y = plan.map_h + 20
    for name, colour in plan.legend:
        out.append(f'<line x1="8" y1="{y - 4:.0f}" x2="36" y2="{y - 4:.0f}" stroke="{ROUTE_COLOURS_HEX[colour]}" stroke-width="3"/>')
        out.append(f'<text x="44" y="{y:.0f}">{_xml_text(name)}</text>')
        y += _LINE_H
    if plan.ringed:
        out.append(f'<circle cx="22" cy="{y - 4:.0f}" r="6" fill="none" stroke="#555555" stroke-width="2"/>')
        out.append(f'<text x="44" y="{y:.0f}">{_xml_text("A ring in a route’s colour: a route too short to see at this scale")}</text>')
        y += _LINE_H
    if plan.current_name is not None:
        out.append(f'<circle cx="22" cy="{y - 4:.0f}" r="6" fill="#111111" stroke="#ffd400" stroke-width="3"/>')
        out.append(f'<text x="44" y="{y:.0f}">{_xml_text("You are here: " + plan.current_name)}</text>')
        y += _LINE_H
    if plan.caption is not None:
        out.append(f'<text x="8" y="{y:.0f}" font-style="italic">{_xml_text(plan.caption)}</text>')
    return out


__all__ = ["ROUTE_COLOURS_HEX", "Marker", "Panel", "Ring", "SvgPlan", "plan_svg", "svg_map"]
