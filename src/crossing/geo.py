"""Geography for the map: outlines, distances, projection, a braille canvas and an SVG map.

Pure: no Rich, no printing, no third-party imports.  The Rich renderer lives in
``crossing.render.map`` and only turns a :class:`MapModel` into styled text.
"""

from __future__ import annotations

import itertools
import json
import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from typing import Protocol, runtime_checkable

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), used by :func:`great_circle_km`."""

ROUTE_COLOURS = 6
"""Number of distinct route colours; a route's colour index is taken modulo this."""

ROUTE_COLOURS_HEX = ("#d62728", "#2ca02c", "#9467bd", "#e08a00", "#1f9fb4", "#1f5fd6")
"""SVG colours of routes 0..5 (the terminal styles are in ``crossing.render.map``)."""

PLACE_MARK = "•"
CURRENT_MARK = "●"

# Tags of canvas cells; a route's tag is ``ROUTE_TAG_PREFIX + route name``.
TAG_BLANK = ""
TAG_COAST = "coast"
TAG_BORDER = "border"
TAG_PLACE = "place"
TAG_CURRENT = "current"
TAG_LABEL = "label"
TAG_EDGE = "edge"
TAG_LEGEND = "legend"
ROUTE_TAG_PREFIX = "route:"

LonLat = tuple[float, float]


# --------------------------------------------------------------------------- outlines


@dataclass(frozen=True, slots=True)
class Outline:
    """One polyline of the backdrop: a stretch of coast or of land border."""

    kind: str  # "coast" | "border"
    countries: tuple[str, ...]
    points: tuple[LonLat, ...]  # (lon, lat) pairs, as in GeoJSON


@dataclass(frozen=True, slots=True)
class Region:
    """The outline data shipped in ``crossing/data/region.json``."""

    origin: str
    licence: str
    bbox: tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max
    lines: tuple[Outline, ...]

    def of_kind(self, kind: str) -> tuple[Outline, ...]:
        return tuple(line for line in self.lines if line.kind == kind)


def parse_region(text: str) -> Region:
    """Parse the JSON text of a region file (see ``crossing/data/README.md``)."""
    raw = json.loads(text)
    lines = tuple(
        Outline(
            kind=str(item["kind"]),
            countries=tuple(str(c) for c in item.get("countries", [])),
            points=tuple((float(p[0]), float(p[1])) for p in item["points"]),
        )
        for item in raw["lines"]
    )
    b = [float(v) for v in raw["bbox"]]
    return Region(
        origin=str(raw["origin"]),
        licence=str(raw["licence"]),
        bbox=(b[0], b[1], b[2], b[3]),
        lines=lines,
    )


@lru_cache(maxsize=1)
def load_region() -> Region:
    """The shipped outlines (read once, then cached)."""
    from importlib import resources  # only when a map is drawn: it is slow to import

    text = resources.files("crossing.data").joinpath("region.json").read_text(encoding="utf-8")
    return parse_region(text)


# --------------------------------------------------------------------------- places and distances


@runtime_checkable
class PlaceLike(Protocol):
    """Anything with an id, a display name and a position (e.g. ``crossing.model.Place``)."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def lat(self) -> float: ...

    @property
    def lon(self) -> float: ...


class RouteLike(Protocol):
    """A path drawn on the map: a name, place ids in order, and a colour index."""

    @property
    def name(self) -> str: ...

    @property
    def place_ids(self) -> Sequence[str]: ...

    @property
    def colour(self) -> int: ...


@dataclass(frozen=True, slots=True)
class MapPlace:
    """A plain place, for callers without a story model (and for tests)."""

    id: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class MapRoute:
    """A route to draw: ``colour`` picks ``crossing.map.route.<colour % 6>``."""

    name: str
    place_ids: tuple[str, ...]
    colour: int = 0


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points (haversine, R = 6371.0088 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def place_distance_km(a: PlaceLike, b: PlaceLike) -> float:
    return great_circle_km(a.lat, a.lon, b.lat, b.lon)


def format_km(km: float) -> str:
    """``195 km``, ``3,290 km``: whole km below 1,000, nearest 10 km above."""
    value = round(km) if km < 1000 else round(km / 10.0) * 10
    return f"{value:,} km"


@dataclass(frozen=True, slots=True)
class Leg:
    """One leg of a journey, as the crow flies."""

    start_id: str
    start_name: str
    end_id: str
    end_name: str
    km: float


def journey_summary(places_in_order: Sequence[PlaceLike]) -> tuple[list[Leg], float]:
    """Legs between consecutive places (repeats of the same place skipped) and the total km."""
    legs: list[Leg] = []
    previous: PlaceLike | None = None
    for place in places_in_order:
        if previous is not None and place.id != previous.id:
            legs.append(Leg(previous.id, previous.name, place.id, place.name, place_distance_km(previous, place)))
        previous = place
    return legs, sum(leg.km for leg in legs)


# --------------------------------------------------------------------------- viewport and projection


@dataclass(frozen=True, slots=True)
class Viewport:
    """A lon/lat box to show."""

    lon_min: float
    lon_max: float
    lat_min: float
    lat_max: float

    def __post_init__(self) -> None:
        if not (self.lon_max > self.lon_min and self.lat_max > self.lat_min):
            raise ValueError(f"empty viewport: {self}")

    @property
    def mid_lat(self) -> float:
        return (self.lat_min + self.lat_max) / 2

    @property
    def mid_lon(self) -> float:
        return (self.lon_min + self.lon_max) / 2

    @property
    def x_scale(self) -> float:
        """cos(mid latitude): shrinks longitude so that shapes are right near the middle."""
        return math.cos(math.radians(self.mid_lat))

    @property
    def aspect(self) -> float:
        """Width over height of the projected box."""
        return (self.lon_max - self.lon_min) * self.x_scale / (self.lat_max - self.lat_min)

    def contains(self, lat: float, lon: float) -> bool:
        return self.lat_min <= lat <= self.lat_max and self.lon_min <= lon <= self.lon_max


REGION = Viewport(lon_min=98.0, lon_max=138.0, lat_min=12.0, lat_max=57.0)
"""Default view: the Korean peninsula, China, Mongolia, the Russian Far East and mainland
South-East Asia down to Bangkok (Moscow is off to the west)."""


def viewport_for(points: Iterable[PlaceLike | tuple[float, float]], margin: float = 1.0) -> Viewport:
    """The smallest box holding every point (a place, or a ``(lat, lon)`` pair), plus ``margin`` degrees."""
    lats: list[float] = []
    lons: list[float] = []
    for point in points:
        if isinstance(point, tuple):
            lat, lon = point
        else:
            lat, lon = point.lat, point.lon
        lats.append(lat)
        lons.append(lon)
    if not lats:
        raise ValueError("viewport_for needs at least one point")
    margin = max(margin, 0.0)
    lat_lo, lat_hi = min(lats) - margin, max(lats) + margin
    lon_lo, lon_hi = min(lons) - margin, max(lons) + margin
    # never a zero-size box (a single place)
    if lat_hi - lat_lo < 0.5:
        lat_lo, lat_hi = (lat_lo + lat_hi) / 2 - 0.25, (lat_lo + lat_hi) / 2 + 0.25
    if lon_hi - lon_lo < 0.5:
        lon_lo, lon_hi = (lon_lo + lon_hi) / 2 - 0.25, (lon_lo + lon_hi) / 2 + 0.25
    return Viewport(lon_lo, lon_hi, max(lat_lo, -90.0), min(lat_hi, 90.0))


@dataclass(frozen=True, slots=True)
class Projection:
    """Equirectangular projection of a viewport onto a ``width`` x ``height`` plane.

    Longitude is scaled by cos(mid latitude); the viewport is scaled uniformly to fit
    and centred, so the plane may show a little more than the viewport on two sides.
    y grows downwards (north is up).
    """

    viewport: Viewport
    width: float
    height: float

    @classmethod
    def for_canvas(cls, viewport: Viewport, cols: int, rows: int) -> Projection:
        """Projection onto the braille dots of ``cols`` x ``rows`` cells (2 x 4 dots each)."""
        return cls(viewport, 2.0 * cols, 4.0 * rows)

    @property
    def scale(self) -> float:
        """Plane units per degree of latitude."""
        vp = self.viewport
        return min(
            self.width / ((vp.lon_max - vp.lon_min) * vp.x_scale),
            self.height / (vp.lat_max - vp.lat_min),
        )

    @property
    def offset(self) -> tuple[float, float]:
        vp = self.viewport
        s = self.scale
        return (
            (self.width - (vp.lon_max - vp.lon_min) * vp.x_scale * s) / 2,
            (self.height - (vp.lat_max - vp.lat_min) * s) / 2,
        )

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        """(x, y) on the plane; may lie outside ``[0, width) x [0, height)``."""
        vp = self.viewport
        s = self.scale
        ox, oy = self.offset
        return ox + (lon - vp.lon_min) * vp.x_scale * s, oy + (vp.lat_max - lat) * s

    def unproject(self, x: float, y: float) -> tuple[float, float]:
        """(lat, lon) of a plane point."""
        vp = self.viewport
        s = self.scale
        ox, oy = self.offset
        return vp.lat_max - (y - oy) / s, vp.lon_min + (x - ox) / (vp.x_scale * s)

    def on_plane(self, x: float, y: float) -> bool:
        return 0.0 <= x < self.width and 0.0 <= y < self.height

    def dot(self, lat: float, lon: float) -> tuple[int, int]:
        """Integer dot (x, y); a point on the far edge of the viewport lands on the last dot."""
        x, y = self.project(lat, lon)
        eps = 1e-9
        if self.width <= x < self.width + eps:
            x = self.width - eps
        if self.height <= y < self.height + eps:
            y = self.height - eps
        return math.floor(x), math.floor(y)

    def cell(self, lat: float, lon: float) -> tuple[int, int]:
        """(col, row) of the braille cell holding a point (for a ``for_canvas`` projection)."""
        x, y = self.dot(lat, lon)
        return x // 2, y // 4


def clip_segment(
    x0: float, y0: float, x1: float, y1: float, box: tuple[float, float, float, float]
) -> tuple[float, float, float, float] | None:
    """Liang-Barsky: the part of a segment inside ``box = (xmin, ymin, xmax, ymax)``, or None."""
    xmin, ymin, xmax, ymax = box
    dx, dy = x1 - x0, y1 - y0
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x0 - xmin), (dx, xmax - x0), (-dy, y0 - ymin), (dy, ymax - y0)):
        if p == 0:
            if q < 0:
                return None
            continue
        r = q / p
        if p < 0:
            if r > t1:
                return None
            t0 = max(t0, r)
        elif r < t0:
            return None
        else:
            t1 = min(t1, r)
    return x0 + t0 * dx, y0 + t0 * dy, x0 + t1 * dx, y0 + t1 * dy


# --------------------------------------------------------------------------- text cells


def text_cells(text: str) -> list[str]:
    """Split text into terminal cells: a wide (CJK) character takes two cells, the second
    holding ``""``; combining marks join the previous cell; control characters become spaces."""
    cells: list[str] = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Mn", "Me") or ch in ("\u200d", "\ufe0f", "\ufe0e"):
            if cells:
                cells[-1 if cells[-1] else -2] += ch
            continue
        if category in ("Cc", "Cf", "Zl", "Zp"):
            cells.append(" ")
            continue
        cells.append(ch)
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            cells.append("")
    return cells


def text_width(text: str) -> int:
    return len(text_cells(text))


def fit_text(text: str, width: int) -> str:
    """Text cut to ``width`` cells, with an ellipsis when cut."""
    cells = text_cells(text)
    if len(cells) <= width:
        return text
    if width <= 0:
        return ""
    kept = cells[: width - 1]
    if cells[width - 1] == "" and kept:
        kept = kept[:-1]  # do not keep the first half of a wide character
    return "".join(kept) + "…"


# --------------------------------------------------------------------------- braille canvas

_BRAILLE_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # [dy][dx]


def _tag_rank(tag: str) -> int:
    if tag == TAG_CURRENT:
        return 6
    if tag == TAG_PLACE:
        return 5
    if tag.startswith(ROUTE_TAG_PREFIX):
        return 4
    if tag == TAG_BORDER:
        return 2
    if tag == TAG_COAST:
        return 1
    return 0


class BrailleCanvas:
    """A grid of ``cols`` x ``rows`` character cells holding 2 x 4 braille dots each.

    Dots carry layer tags (``coast``, ``border``, ``route:<name>``, ``current``...);
    a cell shows the tag of highest rank among its dots (current > place > route >
    border > coast; among routes, the one drawn last).  Text (markers, labels) can be
    put into cells; it hides the dots there and reserves the cells.
    """

    def __init__(self, cols: int, rows: int) -> None:
        if cols < 1 or rows < 1:
            raise ValueError("canvas needs at least one cell")
        self.cols = cols
        self.rows = rows
        self._bits = [[0] * cols for _ in range(rows)]
        self._tags: list[list[list[str]]] = [[[] for _ in range(cols)] for _ in range(rows)]
        self._text: dict[tuple[int, int], tuple[str, str]] = {}

    @property
    def width(self) -> int:
        """Width in dots."""
        return 2 * self.cols

    @property
    def height(self) -> int:
        """Height in dots."""
        return 4 * self.rows

    # dots
    def set_dot(self, x: int, y: int, tag: str = "") -> None:
        """Set dot (x, y); dots off the canvas are ignored."""
        if not (0 <= x < self.width and 0 <= y < self.height):
            return
        col, row = x // 2, y // 4
        self._bits[row][col] |= _BRAILLE_BITS[y % 4][x % 2]
        if tag:
            tags = self._tags[row][col]
            if tag in tags:
                tags.remove(tag)
            tags.append(tag)

    def is_set(self, x: int, y: int) -> bool:
        if not (0 <= x < self.width and 0 <= y < self.height):
            return False
        return bool(self._bits[y // 4][x // 2] & _BRAILLE_BITS[y % 4][x % 2])

    def line(self, x0: float, y0: float, x1: float, y1: float, tag: str = "") -> None:
        """Bresenham line between dot positions (floats are floored), clipped to the canvas."""
        clipped = clip_segment(x0, y0, x1, y1, (0.0, 0.0, self.width - 1e-9, self.height - 1e-9))
        if clipped is None:
            return
        ax, ay = math.floor(clipped[0]), math.floor(clipped[1])
        bx, by = math.floor(clipped[2]), math.floor(clipped[3])
        dx, dy = abs(bx - ax), -abs(by - ay)
        sx = 1 if ax < bx else -1
        sy = 1 if ay < by else -1
        err = dx + dy
        while True:
            self.set_dot(ax, ay, tag)
            if ax == bx and ay == by:
                break
            e2 = 2 * err
            if e2 >= dy:
                err += dy
                ax += sx
            if e2 <= dx:
                err += dx
                ay += sy

    def polyline(self, points: Sequence[tuple[float, float]], tag: str = "") -> None:
        """Lines through dot positions in order (one point sets a single dot)."""
        if len(points) == 1:
            x, y = points[0]
            self.set_dot(math.floor(x), math.floor(y), tag)
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            self.line(x0, y0, x1, y1, tag)

    # cells
    def in_bounds(self, col: int, row: int) -> bool:
        return 0 <= col < self.cols and 0 <= row < self.rows

    def is_text(self, col: int, row: int) -> bool:
        return (col, row) in self._text

    def cell_tags(self, col: int, row: int) -> tuple[str, ...]:
        """Tags of the dots in a cell, in drawing order."""
        return tuple(self._tags[row][col])

    def cell_tag(self, col: int, row: int) -> str:
        """The tag the renderer colours the cell by."""
        if (col, row) in self._text:
            return self._text[(col, row)][1]
        tags = self._tags[row][col]
        if not tags:
            return TAG_BLANK
        best = tags[0]
        for tag in tags[1:]:
            if _tag_rank(tag) >= _tag_rank(best):
                best = tag
        return best

    def cell_char(self, col: int, row: int) -> str:
        if (col, row) in self._text:
            return self._text[(col, row)][0]
        bits = self._bits[row][col]
        return chr(0x2800 + bits) if bits else " "

    def set_char(self, col: int, row: int, char: str, tag: str) -> None:
        """Put one cell of text (overwrites whatever was there)."""
        if self.in_bounds(col, row):
            self._text[(col, row)] = (char, tag)

    def fits(self, col: int, row: int, width: int, *, gap: bool = False) -> bool:
        """Whether ``width`` cells from (col, row) are on the canvas and free of text
        (with ``gap``, the cells just before and after must not hold a label either)."""
        if row < 0 or row >= self.rows or col < 0 or col + width > self.cols:
            return False
        if any((c, row) in self._text for c in range(col, col + width)):
            return False
        if gap:
            for c in (col - 1, col + width):
                entry = self._text.get((c, row))
                if entry is not None and entry[0].strip() and entry[1] not in (TAG_PLACE, TAG_CURRENT):
                    return False
        return True

    def put_text(self, col: int, row: int, text: str, tag: str, *, force: bool = False) -> bool:
        """Write text into cells from (col, row); unless ``force``, only where it fits
        (on the canvas, not over other text).  Returns whether it was written."""
        cells = text_cells(text)
        if not force and not self.fits(col, row, len(cells)):
            return False
        for i, chunk in enumerate(cells):
            self.set_char(col + i, row, chunk, tag)
        return True

    def count_tagged(self, col: int, row: int, width: int, prefix: str) -> int:
        """How many of ``width`` cells from (col, row) have a dot tag starting with ``prefix``."""
        total = 0
        for c in range(max(col, 0), min(col + width, self.cols)):
            if 0 <= row < self.rows and any(t.startswith(prefix) for t in self._tags[row][c]):
                total += 1
        return total

    def text_rows(self) -> list[str]:
        """The canvas as strings, one per row (braille, spaces and text)."""
        return ["".join(self.cell_char(c, r) for c in range(self.cols)) for r in range(self.rows)]

    def cells(self) -> tuple[tuple[MapCell, ...], ...]:
        return tuple(
            tuple(MapCell(self.cell_char(c, r), self.cell_tag(c, r)) for c in range(self.cols))
            for r in range(self.rows)
        )


# --------------------------------------------------------------------------- map model


@dataclass(frozen=True, slots=True)
class MapCell:
    """One terminal cell: its text (``""`` for the second half of a wide character) and tag."""

    char: str
    tag: str


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """A route in the legend (``colour`` is the route's colour index)."""

    name: str
    colour: int
    tag: str


@dataclass(frozen=True, slots=True)
class MapModel:
    """A composed map, ready to render: ``rows`` of cells, each with a char and a tag.

    Tags: ``""``, ``coast``, ``border``, ``place``, ``current``, ``label``, ``edge``
    (arrow to a place off the map), ``legend`` (legend text), ``route:<name>``.
    ``route_colours`` maps a route name to its colour index.
    """

    rows: tuple[tuple[MapCell, ...], ...]
    width: int
    height: int
    map_cols: int
    map_rows: int
    viewport: Viewport
    legend: tuple[LegendEntry, ...]
    route_colours: Mapping[str, int] = field(default_factory=dict)
    shown: tuple[str, ...] = ()  # ids of places on the map
    off_map: tuple[str, ...] = ()  # ids of places shown as edge arrows

    def text_rows(self) -> list[str]:
        return ["".join(cell.char for cell in row) for row in self.rows]

    def colour_of(self, tag: str) -> int | None:
        """Colour index of a ``route:<name>`` tag, else None."""
        if not tag.startswith(ROUTE_TAG_PREFIX):
            return None
        return self.route_colours.get(tag[len(ROUTE_TAG_PREFIX) :], 0) % ROUTE_COLOURS


def _arrow(dx: float, dy: float) -> str:
    """Arrow for a direction on the plane (y down)."""
    angle = math.degrees(math.atan2(-dy, dx)) % 360  # 0 = east, 90 = north
    arrows = ("→", "↗", "↑", "↖", "←", "↙", "↓", "↘")
    return arrows[int(((angle + 22.5) % 360) // 45)]


def _edge_point(cx: float, cy: float, tx: float, ty: float, width: float, height: float) -> tuple[float, float, str]:
    """Where the ray from (cx, cy) towards (tx, ty) leaves the ``width`` x ``height`` box,
    and which side (left, right, top, bottom)."""
    dx, dy = tx - cx, ty - cy
    best_t = math.inf
    side = "left"
    if dx < 0:
        t = -cx / dx
        if t < best_t:
            best_t, side = t, "left"
    if dx > 0:
        t = (width - cx) / dx
        if t < best_t:
            best_t, side = t, "right"
    if dy < 0:
        t = -cy / dy
        if t < best_t:
            best_t, side = t, "top"
    if dy > 0:
        t = (height - cy) / dy
        if t < best_t:
            best_t, side = t, "bottom"
    if best_t is math.inf:
        return cx, cy, side
    return cx + best_t * dx, cy + best_t * dy, side


def _predecessors(
    routes: Sequence[RouteLike], by_id: Mapping[str, PlaceLike], on_map: set[str]
) -> dict[str, PlaceLike]:
    """For each place off the map, the place on the map that a route reaches it from."""
    found: dict[str, PlaceLike] = {}
    for route in routes:
        ids = [pid for pid in route.place_ids if pid in by_id]
        for a, b in itertools.pairwise(ids):
            if b not in on_map and a in on_map:
                found.setdefault(b, by_id[a])
    return found


def _outline_lines(outlines: Region | Iterable[Outline]) -> list[Outline]:
    return list(outlines.lines if isinstance(outlines, Region) else outlines)


def _natural_cols(viewport: Viewport, rows: int, pad_lon: float) -> int:
    """Columns a map ``rows`` high needs to show the viewport's width plus ``pad_lon`` degrees."""
    scale = 4.0 * rows / (viewport.lat_max - viewport.lat_min)
    dots = (viewport.lon_max - viewport.lon_min + pad_lon) * viewport.x_scale * scale
    return max(1, math.ceil(dots / 2))


def _natural_rows(viewport: Viewport, cols: int) -> int:
    scale = 2.0 * cols / ((viewport.lon_max - viewport.lon_min) * viewport.x_scale)
    return max(1, math.ceil((viewport.lat_max - viewport.lat_min) * scale / 4))


def _legend_lines(routes: Sequence[RouteLike], current_name: str | None, width: int) -> list[list[MapCell]]:
    lines: list[list[MapCell]] = []
    for route in {r.name: r for r in routes}.values():  # one line per route name
        tag = ROUTE_TAG_PREFIX + route.name
        name = fit_text(route.name, max(width - 3, 1))
        cells = [MapCell("━", tag), MapCell("━", tag), MapCell(" ", TAG_LEGEND)]
        cells += [MapCell(ch, TAG_LEGEND) for ch in text_cells(name)]
        lines.append(cells[:width])
    if current_name is not None:
        text = fit_text("you are here", max(width - 3, 1))
        cells = [MapCell(CURRENT_MARK, TAG_CURRENT), MapCell(" ", TAG_LEGEND), MapCell(" ", TAG_LEGEND)]
        cells += [MapCell(ch, TAG_LEGEND) for ch in text_cells(text)]
        lines.append(cells[:width])
    return lines


def compose_map(
    outlines: Region | Iterable[Outline],
    places: Iterable[PlaceLike],
    routes: Sequence[RouteLike] = (),
    current: str | None = None,
    cols: int = 80,
    rows: int = 22,
    viewport: Viewport | None = None,
    legend: bool = True,
) -> MapModel:
    """Compose a braille map at most ``cols`` x ``rows`` cells, legend included.

    ``places`` are all the places to mark (each labelled where its name fits);
    ``routes`` are drawn in order as lines through their places (unknown ids are
    skipped); ``current`` is the id of the place to highlight.  Places that fall
    off the map get an arrow at the map's edge in their direction with their
    distance from the current place (or, failing that, from the place on the map
    a route reaches them from, else from the nearest place on the map).  The
    legend goes to the right of the map when there is room beside it, otherwise
    below (the map then shrinks to leave the rows).
    """
    if cols < 1 or rows < 1:
        raise ValueError("map needs at least one cell")
    vp = viewport or REGION
    lines = _outline_lines(outlines)
    place_list = list(places)
    by_id: dict[str, PlaceLike] = {}
    for place in place_list:
        by_id.setdefault(place.id, place)
    current_place = by_id.get(current) if current is not None else None
    route_colours = {route.name: route.colour for route in routes}
    # A route drawn as several lines (parts not joined to each other) has one legend entry.
    entries = tuple(
        LegendEntry(name, colour % ROUTE_COLOURS, ROUTE_TAG_PREFIX + name)
        for name, colour in dict((route.name, route.colour) for route in routes).items()
    )

    # ---- layout: legend right or below
    if isinstance(outlines, Region):
        data_lon_min, data_lon_max = outlines.bbox[0], outlines.bbox[2]
    else:
        data_lon_min, data_lon_max = vp.lon_min, vp.lon_max
    pad_lon = 2 * max(0.0, min(vp.lon_min - data_lon_min, data_lon_max - vp.lon_max, 6.0))

    def size_for(avail_cols: int, avail_rows: int) -> tuple[int, int, float]:
        if avail_cols < 1 or avail_rows < 1:
            return 0, 0, 0.0
        map_cols = min(avail_cols, _natural_cols(vp, avail_rows, pad_lon))
        map_rows = min(avail_rows, _natural_rows(vp, map_cols))
        return map_cols, map_rows, Projection.for_canvas(vp, map_cols, map_rows).scale

    want_legend = legend and (bool(routes) or current_place is not None)
    current_name = current_place.name if current_place else None
    natural_legend_w = max((len(line) for line in _legend_lines(routes, current_name, 10**6)), default=0)
    layout = "none"
    map_cols, map_rows, _ = size_for(cols, rows)
    legend_right: list[list[MapCell]] = []
    below_lines: list[list[MapCell]] = []
    if want_legend:
        room = cols - map_cols - 2
        legend_right = _legend_lines(routes, current_name, max(room, 1))
        below_lines = _legend_lines(routes, current_name, cols)
        below = size_for(cols, rows - len(below_lines))
        if room >= min(natural_legend_w, 16) and len(legend_right) <= rows:
            layout = "right"
        elif below[2] > 0:
            layout = "below"
            map_cols, map_rows = below[0], below[1]
    canvas = BrailleCanvas(map_cols, map_rows)
    proj = Projection.for_canvas(vp, map_cols, map_rows)

    # ---- outlines, then routes
    for kind, tag in (("coast", TAG_COAST), ("border", TAG_BORDER)):
        for outline in lines:
            if outline.kind == kind:
                canvas.polyline([proj.project(lat, lon) for lon, lat in outline.points], tag)
    for route in routes:
        stops = [by_id[pid] for pid in route.place_ids if pid in by_id]
        canvas.polyline([proj.project(p.lat, p.lon) for p in stops], ROUTE_TAG_PREFIX + route.name)

    # ---- markers
    on_map: list[PlaceLike] = []
    off_map: list[PlaceLike] = []
    for place in by_id.values():
        (on_map if proj.on_plane(*proj.project(place.lat, place.lon)) else off_map).append(place)
    marker_cell: dict[str, tuple[int, int]] = {}
    for place in on_map:
        col, row = proj.cell(place.lat, place.lon)
        marker_cell[place.id] = (col, row)
        if place is not current_place and not canvas.is_text(col, row):
            canvas.set_char(col, row, PLACE_MARK, TAG_PLACE)
    if current_place is not None and current_place.id in marker_cell:
        col, row = marker_cell[current_place.id]
        canvas.set_char(col, row, CURRENT_MARK, TAG_CURRENT)

    # ---- label priority: current, then places along routes, then the rest
    order: list[PlaceLike] = []
    seen: set[str] = set()
    if current_place is not None:
        order.append(current_place)
        seen.add(current_place.id)
    for route in routes:
        for pid in route.place_ids:
            if pid in by_id and pid not in seen:
                order.append(by_id[pid])
                seen.add(pid)
    for place in place_list:
        if place.id not in seen:
            order.append(place)
            seen.add(place.id)

    # ---- arrows to places off the map
    reference = current_place if current_place is not None and current_place.id in marker_cell else None
    predecessor = _predecessors(routes, by_id, set(marker_cell))
    for place in order:
        if place.id in marker_cell:
            continue
        ref = reference or predecessor.get(place.id)
        if ref is None and on_map:
            ref = min(on_map, key=lambda p: place_distance_km(p, place))
        tx, ty = proj.project(place.lat, place.lon)
        if ref is not None:
            cx, cy = proj.project(ref.lat, ref.lon)
            distance = f" {format_km(place_distance_km(ref, place))}"
        else:
            cx, cy = canvas.width / 2, canvas.height / 2
            distance = ""
        ex, ey, side = _edge_point(cx, cy, tx, ty, canvas.width, canvas.height)
        arrow = _arrow(tx - cx, ty - cy)
        text = f"{arrow} {place.name}{distance}" if side != "right" else f"{place.name}{distance} {arrow}"
        tag = TAG_CURRENT if place is current_place else TAG_EDGE
        if text_width(text) > canvas.cols:
            text = fit_text(text, canvas.cols)
        w = text_width(text)
        ecol = min(max(math.floor(ex / 2), 0), canvas.cols - 1)
        erow = min(max(math.floor(ey / 4), 0), canvas.rows - 1)
        if side == "left":
            start = 0
        elif side == "right":
            start = canvas.cols - w
        else:
            start = min(max(ecol - w // 2, 0), canvas.cols - w)
        for shift in (0, 1, -1, 2, -2, 3, -3):
            if side in ("left", "right"):
                c, r = start, erow + shift
            else:
                c, r = min(max(start + shift * 3, 0), canvas.cols - w), erow
            if canvas.fits(c, r, w, gap=True):
                canvas.put_text(c, r, text, tag)
                break

    # ---- labels
    for place in order:
        if place.id not in marker_cell:
            continue
        col, row = marker_cell[place.id]
        name = place.name
        w = text_width(name)
        candidates = [
            (col + 1, row),
            (col - w, row),
            (col + 1, row - 1),
            (col + 1, row + 1),
            (col - w, row - 1),
            (col - w, row + 1),
            (col - w // 2, row - 1),
            (col - w // 2, row + 1),
        ]
        best: tuple[int, int, int, int] | None = None  # (route cells covered, rank, col, row)
        for rank, (c, r) in enumerate(candidates):
            if not canvas.fits(c, r, w, gap=True):
                continue
            score = (canvas.count_tagged(c, r, w, ROUTE_TAG_PREFIX), rank, c, r)
            if best is None or score < best:
                best = score
        if best is not None:
            tag = TAG_CURRENT if place is current_place else TAG_LABEL
            canvas.put_text(best[2], best[3], name, tag)

    # ---- assemble with the legend
    grid = [list(row) for row in canvas.cells()]
    if layout == "right":
        while len(grid) < len(legend_right):  # a legend taller than a short, wide map
            grid.append([MapCell(" ", TAG_BLANK)] * map_cols)
        for r in range(len(grid)):
            grid[r] += [MapCell(" ", TAG_BLANK)] * 2
            if r < len(legend_right):
                grid[r] += legend_right[r]
    elif layout == "below":
        grid += [list(line) for line in below_lines]
    width = max(len(row) for row in grid)
    for row_cells in grid:
        row_cells += [MapCell(" ", TAG_BLANK)] * (width - len(row_cells))
    return MapModel(
        rows=tuple(tuple(row) for row in grid),
        width=width,
        height=len(grid),
        map_cols=map_cols,
        map_rows=map_rows,
        viewport=vp,
        legend=entries if layout != "none" else (),
        route_colours=route_colours,
        shown=tuple(marker_cell),
        off_map=tuple(p.id for p in off_map),
    )


# --------------------------------------------------------------------------- SVG


def _xml_text(text: str) -> str:
    """Escape text for XML and drop characters XML 1.0 does not allow."""
    cleaned = "".join(
        ch
        for ch in text
        if ch in "\t\n\r" or (ord(ch) >= 0x20 and not 0xD800 <= ord(ch) <= 0xDFFF and ch not in "\ufffe\uffff")
    )
    return escape(cleaned, quote=True)


def _points_attr(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _clipped_runs(
    points: Sequence[tuple[float, float]], box: tuple[float, float, float, float]
) -> list[list[tuple[float, float]]]:
    """Split a polyline into the runs that lie inside ``box``."""
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
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
    return runs


def svg_map(
    outlines: Region | Iterable[Outline],
    places: Iterable[PlaceLike],
    routes: Sequence[RouteLike] = (),
    current: str | None = None,
    *,
    width: int = 720,
    viewport: Viewport | None = None,
    title: str | None = None,
) -> str:
    """The map as a standalone SVG document (for the HTML teacher's guide).

    Outlines are polylines, each route one polyline in its colour (``class="route
    route-N"``), places labelled dots, places off the map arrows at the edge, and a
    legend below.  All text is XML-escaped.
    """
    vp = viewport or REGION
    map_w = float(width)
    map_h = float(round(width / vp.aspect))
    proj = Projection(vp, map_w, map_h)
    place_list = list(places)
    by_id: dict[str, PlaceLike] = {}
    for place in place_list:
        by_id.setdefault(place.id, place)
    current_place = by_id.get(current) if current is not None else None
    legend_items = list(routes)
    line_h = 20
    legend_h = (len(legend_items) + (1 if current_place else 0)) * line_h + (12 if legend_items or current_place else 0)
    total_h = map_h + legend_h
    box = (-2.0, -2.0, map_w + 2.0, map_h + 2.0)
    out: list[str] = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total_h:.0f}" '
            f'viewBox="0 0 {width} {total_h:.0f}" font-family="sans-serif" font-size="12" role="img">'
        )
    ]
    if title:
        out.append(f"<title>{_xml_text(title)}</title>")
    out.append(f'<svg x="0" y="0" width="{width}" height="{map_h:.0f}" overflow="hidden">')
    out.append(f'<rect width="{width}" height="{map_h:.0f}" fill="#eef4fa"/>')
    styles = {
        "coast": 'fill="none" stroke="#4a7ab0" stroke-width="0.8"',
        "border": 'fill="none" stroke="#8a8a8a" stroke-width="0.8" stroke-dasharray="3 2"',
    }
    for kind in ("coast", "border"):
        out.append(f'<g class="{kind}" {styles[kind]}>')
        for outline in _outline_lines(outlines):
            if outline.kind != kind:
                continue
            projected = [proj.project(lat, lon) for lon, lat in outline.points]
            for run in _clipped_runs(projected, box):
                out.append(f'<polyline points="{_points_attr(run)}"/>')
        out.append("</g>")
    for route in routes:
        colour = route.colour % ROUTE_COLOURS
        stops = [by_id[pid] for pid in route.place_ids if pid in by_id]
        pts = [proj.project(p.lat, p.lon) for p in stops]
        if len(pts) == 1:
            pts = pts * 2
        out.append(
            f'<polyline class="route route-{colour}" fill="none" stroke="{ROUTE_COLOURS_HEX[colour]}" '
            f'stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round" points="{_points_attr(pts)}">'
            f"<title>{_xml_text(route.name)}</title></polyline>"
        )
    # places and labels (greedy: first candidate spot not overlapping a label already placed)
    taken: list[tuple[float, float, float, float]] = []

    def overlaps(rect: tuple[float, float, float, float]) -> int:
        x0, y0, x1, y1 = rect
        return sum(1 for a0, b0, a1, b1 in taken if x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1)

    def outside(rect: tuple[float, float, float, float]) -> bool:
        return rect[0] < 0 or rect[1] < 0 or rect[2] > map_w or rect[3] > map_h

    on_map = [p for p in by_id.values() if proj.on_plane(*proj.project(p.lat, p.lon))]
    for place in on_map:
        x, y = proj.project(place.lat, place.lon)
        taken.append((x - 4, y - 4, x + 4, y + 4))
    ordered = sorted(on_map, key=lambda p: (p is not current_place,))
    for place in ordered:
        x, y = proj.project(place.lat, place.lon)
        is_current = place is current_place
        radius = 6 if is_current else 3.5
        fill = "#111111" if is_current else "#333333"
        extra = ' stroke="#ffd400" stroke-width="3"' if is_current else ""
        out.append(
            f'<circle class="{"current" if is_current else "place"}" cx="{x:.1f}" cy="{y:.1f}" '
            f'r="{radius}" fill="{fill}"{extra}/>'
        )
    for place in ordered:
        x, y = proj.project(place.lat, place.lon)
        tw = 7.0 * text_width(place.name) + 4
        spots = [
            (x + 7, y + 4, "start", (x + 5, y - 8, x + 7 + tw, y + 6)),
            (x - 7, y + 4, "end", (x - 7 - tw, y - 8, x - 5, y + 6)),
            (x + 5, y - 8, "start", (x + 3, y - 20, x + 5 + tw, y - 6)),
            (x + 5, y + 16, "start", (x + 3, y + 4, x + 5 + tw, y + 18)),
        ]
        chosen = min(spots, key=lambda s: (outside(s[3]), overlaps(s[3]), spots.index(s)))
        taken.append(chosen[3])
        weight = ' font-weight="bold"' if place is current_place else ""
        out.append(
            f'<text x="{chosen[0]:.1f}" y="{chosen[1]:.1f}" text-anchor="{chosen[2]}"{weight} '
            f'paint-order="stroke" stroke="#eef4fa" stroke-width="3">{_xml_text(place.name)}</text>'
        )
    # arrows to places off the map
    on_ids = {p.id for p in on_map}
    reference = current_place if current_place is not None and current_place.id in on_ids else None
    predecessor = _predecessors(routes, by_id, on_ids)
    edge_slots: list[float] = []
    for place in by_id.values():
        if place.id in on_ids:
            continue
        ref = reference or predecessor.get(place.id)
        if ref is None and on_map:
            ref = min(on_map, key=lambda p: place_distance_km(p, place))
        tx, ty = proj.project(place.lat, place.lon)
        cx, cy = proj.project(ref.lat, ref.lon) if ref else (map_w / 2, map_h / 2)
        ex, ey, side = _edge_point(cx, cy, tx, ty, map_w, map_h)
        distance = f" {format_km(place_distance_km(ref, place))}" if ref else ""
        arrow = _arrow(tx - cx, ty - cy)
        label = f"{arrow} {place.name}{distance}" if side != "right" else f"{place.name}{distance} {arrow}"
        anchor = {"left": "start", "right": "end"}.get(side, "middle")
        lx = {"left": 4.0, "right": map_w - 4}.get(side, min(max(ex, 80.0), map_w - 80))
        ly = min(max(ey + 4, 16.0), map_h - 6)
        while any(abs(ly - s) < 14 for s in edge_slots):
            ly += 14
        edge_slots.append(ly)
        out.append(
            f'<text class="edge" x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" font-style="italic" '
            f'paint-order="stroke" stroke="#eef4fa" stroke-width="3">{_xml_text(label)}</text>'
        )
    out.append("</svg>")
    # legend
    y = map_h + 20
    for route in legend_items:
        colour = route.colour % ROUTE_COLOURS
        out.append(
            f'<line x1="8" y1="{y - 4:.0f}" x2="36" y2="{y - 4:.0f}" stroke="{ROUTE_COLOURS_HEX[colour]}" stroke-width="3"/>'
        )
        out.append(f'<text x="44" y="{y:.0f}">{_xml_text(route.name)}</text>')
        y += line_h
    if current_place is not None:
        out.append(f'<circle cx="22" cy="{y - 4:.0f}" r="6" fill="#111111" stroke="#ffd400" stroke-width="3"/>')
        out.append(f'<text x="44" y="{y:.0f}">{_xml_text("You are here: " + current_place.name)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
