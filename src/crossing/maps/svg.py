"""The map as a standalone SVG document, for the HTML teacher's guide.

:func:`plan_svg` lays the map out (pure geometry, testable); :func:`svg_map` writes it."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Panel:
    """One map drawn at (x, y), ``width`` x ``height``: the whole region, or an enlarged inset."""

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


@dataclass(frozen=True, slots=True)
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
    scene = _Scene(lines, by_id, routes, current_place)
    proj = Projection(vp, map_w, map_h)
    markers = scene.markers(proj)
    inset = _plan_inset(scene, proj, markers)
    hidden = inset[1] if inset is not None else None
    main = scene.panel(proj, 0.0, 0.0, pointers=True, unlabelled=hidden, keep_clear=inset[0] if inset else None)
    legend = tuple(dict((route.name, route.colour % len(ROUTE_COLOURS_HEX)) for route in routes).items())
    rows = len(legend) + (current_place is not None) + (caption is not None)
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
    )


class _Scene:
    """What is drawn, before it is projected onto a panel."""

    def __init__(
        self, lines: list[Outline], by_id: dict[str, PlaceLike], routes: Sequence[RouteLike], current: PlaceLike | None
    ) -> None:
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
        none for markers inside ``unlabelled``; none over the panel ``keep_clear``)."""
        box = (-2.0, -2.0, proj.width + 2.0, proj.height + 2.0)
        routes = tuple(
            (route.name, route.colour % len(ROUTE_COLOURS_HEX), _route_runs(route, self.by_id, proj, box)) for route in self.routes
        )
        markers = self.markers(proj)
        segments = [(*a, *b) for _, _, runs in routes for run in runs for a, b in itertools.pairwise(run) if a != b]
        clear = [] if keep_clear is None else [("", (keep_clear.x - 4, keep_clear.y - 4, keep_clear.x + keep_clear.width + 4, keep_clear.y + keep_clear.height + 4))]
        board = LabelBoard((0.0, 0.0, proj.width, proj.height), [(m.place.id, m.box) for m in markers] + clear, segments)
        placed_pointers = _place_pointers(board, off_map_pointers(self.by_id, self.routes, self.current, proj, BRAILLE), proj.width, proj.height) if pointers else []
        labelled = [m for m in markers if unlabelled is None or not _inside(m, unlabelled)]
        requests = _label_requests(labelled) if labels_wanted else []
        labels = board.place_all(requests, first=1 if requests and self.current is not None and self.current.id in requests[0].place_ids else 0)
        return Panel(x, y, proj.width, proj.height, proj.viewport, _plan_outlines(self.lines, proj), routes, tuple(markers), tuple(labels), tuple(placed_pointers))


def _inside(marker: Marker, box: Box) -> bool:
    return box[0] <= marker.x <= box[2] and box[1] <= marker.y <= box[3]


def _route_runs(route: RouteLike, by_id: dict[str, PlaceLike], proj: Projection, box: Box) -> tuple[tuple[Point, ...], ...]:
    points = [proj.project(by_id[p].lat, by_id[p].lon) for p in route.place_ids if p in by_id]
    if len(points) == 1:
        points *= 2
    return tuple(_clipped_runs(points, box))


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
    places are shown again, enlarged, in an inset where the map has room for one; places off
    the map are arrows at the edge; the legend (and ``caption``) below.  Scales with its
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
    for name, colour, route_runs in panel.routes:
        for run in route_runs:
            out.append(
                f'<polyline class="route route-{colour}" fill="none" stroke="{ROUTE_COLOURS_HEX[colour]}" '
                f'stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round" points="{_points_attr(run)}">'
                f"<title>{_xml_text(name)}</title></polyline>"
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
    if plan.current_name is not None:
        out.append(f'<circle cx="22" cy="{y - 4:.0f}" r="6" fill="#111111" stroke="#ffd400" stroke-width="3"/>')
        out.append(f'<text x="44" y="{y:.0f}">{_xml_text("You are here: " + plan.current_name)}</text>')
        y += _LINE_H
    if plan.caption is not None:
        out.append(f'<text x="8" y="{y:.0f}" font-style="italic">{_xml_text(plan.caption)}</text>')
    return out


__all__ = ["ROUTE_COLOURS_HEX", "Marker", "Panel", "SvgPlan", "plan_svg", "svg_map"]
