"""From longitude and latitude to a plane: the view box, the projection, and clipping."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from crossing.immutable import immutable

Box = tuple[float, float, float, float]
"""(xmin, ymin, xmax, ymax) on a plane whose y grows downwards."""


@immutable
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
    def x_scale(self) -> float:
        """cos(mid latitude): shrinks longitude so that shapes are right near the middle."""
        return math.cos(math.radians((self.lat_min + self.lat_max) / 2))

    @property
    def aspect(self) -> float:
        """Width over height of the projected box."""
        return (self.lon_max - self.lon_min) * self.x_scale / (self.lat_max - self.lat_min)

    def contains(self, lat: float, lon: float) -> bool:
        return self.lat_min <= lat <= self.lat_max and self.lon_min <= lon <= self.lon_max


REGION = Viewport(lon_min=98.0, lon_max=138.0, lat_min=12.0, lat_max=57.0)
"""Default view: the Korean peninsula, China, Mongolia, the Russian Far East and mainland
South-East Asia down to Bangkok (Moscow is off to the west)."""


def fitted_viewport(points: Iterable[tuple[float, float]], margin: float = 1.0, min_span: float = 4.0) -> Viewport:
    """A view of ``(lat, lon)`` points with ``margin`` degrees round them, at least ``min_span``
    degrees each way (so two towns 50 km apart are not drawn across the whole screen); the
    default view (REGION) when that box would be as tall or as wide as REGION, or for no points."""
    pts = list(points)
    if not pts:
        return REGION
    lats, lons = [p[0] for p in pts], [p[1] for p in pts]

    def span(lo: float, hi: float, least: float) -> tuple[float, float]:
        lo, hi = lo - margin, hi + margin
        if hi - lo < least:
            mid = (lo + hi) / 2
            lo, hi = mid - least / 2, mid + least / 2
        return lo, hi

    lat_lo, lat_hi = span(min(lats), max(lats), min_span)
    lon_lo, lon_hi = span(min(lons), max(lons), min_span)
    if (lat_hi - lat_lo) >= REGION.lat_max - REGION.lat_min or (lon_hi - lon_lo) >= REGION.lon_max - REGION.lon_min:
        return REGION
    return Viewport(lon_lo, lon_hi, max(lat_lo, -90.0), min(lat_hi, 90.0))


@immutable
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
        return min(self.width / ((vp.lon_max - vp.lon_min) * vp.x_scale), self.height / (vp.lat_max - vp.lat_min))

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
        """(lat, lon) of a point on the plane (the inverse of :meth:`project`)."""
        vp = self.viewport
        s = self.scale
        ox, oy = self.offset
        return vp.lat_max - (y - oy) / s, vp.lon_min + (x - ox) / (vp.x_scale * s)

    def unprojector(self) -> Callable[[float, float], tuple[float, float]]:
        """:meth:`unproject` with the scale worked out once, for many points."""
        vp = self.viewport
        s = self.scale
        ox, oy = self.offset
        xs = vp.x_scale * s

        def unproject(x: float, y: float) -> tuple[float, float]:
            return vp.lat_max - (y - oy) / s, vp.lon_min + (x - ox) / xs

        return unproject

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


def clip_segment(x0: float, y0: float, x1: float, y1: float, box: Box) -> Box | None:
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
