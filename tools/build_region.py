#!/usr/bin/env python3
"""Build src/crossing/data/region.json from Natural Earth 1:50m TopoJSON.

Kept for reproducibility; not used at run time and needs nothing beyond the
standard library.

Source: the npm package ``world-atlas`` 2.0.2 (a redistribution of Natural
Earth 4.1.0 Admin 0 country boundaries as TopoJSON; Natural Earth is in the
public domain).  To rebuild::

    cd "$(mktemp -d)" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/build_region.py "$PWD/package/countries-50m.json"

What the script does:

1. decodes the quantised, delta-encoded TopoJSON arcs;
2. classifies each arc by how many countries use it: an arc shared by two
   countries is a land *border* (and records both names), an arc used by one
   country is *coast*;
3. clips every arc to the region box (lon 95..145 E, lat 8..58 N);
4. simplifies each piece with Douglas-Peucker (tolerance ``TOLERANCE``
   degrees), rounds coordinates to 2 decimals and drops islands smaller than
   ``MIN_EXTENT`` degrees;
5. joins pieces of the same kind and countries end to end, and writes JSON.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path
from typing import Any

BBOX = (95.0, 8.0, 145.0, 58.0)  # lon_min, lat_min, lon_max, lat_max
TOLERANCE = 0.02  # degrees, Douglas-Peucker
MIN_EXTENT = 0.25  # degrees: coast pieces smaller than this are dropped
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "src" / "crossing" / "data" / "region.json"

Point = tuple[float, float]


def decode_arcs(topo: dict[str, Any]) -> list[list[Point]]:
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs: list[list[Point]] = []
    for arc in topo["arcs"]:
        x = y = 0
        pts: list[Point] = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def arc_users(topo: dict[str, Any]) -> dict[int, set[str]]:
    users: dict[int, set[str]] = {}
    for geom in topo["objects"]["countries"]["geometries"]:
        name = geom.get("properties", {}).get("name", "")
        if geom["type"] == "Polygon":
            polygons = [geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            polygons = geom["arcs"]
        else:
            continue
        for polygon in polygons:
            for ring in polygon:
                for index in ring:
                    real = index if index >= 0 else ~index
                    users.setdefault(real, set()).add(name)
    return users


def clip_segment(a: Point, b: Point) -> tuple[Point, Point, float, float] | None:
    """Liang-Barsky clip of segment a-b to BBOX; returns the clipped ends and t0, t1."""
    x0, y0 = a
    dx, dy = b[0] - a[0], b[1] - a[1]
    t0, t1 = 0.0, 1.0
    for p, q in (
        (-dx, x0 - BBOX[0]),
        (dx, BBOX[2] - x0),
        (-dy, y0 - BBOX[1]),
        (dy, BBOX[3] - y0),
    ):
        if p == 0:
            if q < 0:
                return None
            continue
        r = q / p
        if p < 0:
            if r > t1:
                return None
            t0 = max(t0, r)
        else:
            if r < t0:
                return None
            t1 = min(t1, r)
    return (x0 + t0 * dx, y0 + t0 * dy), (x0 + t1 * dx, y0 + t1 * dy), t0, t1


def clip_polyline(points: list[Point]) -> list[list[Point]]:
    pieces: list[list[Point]] = []
    current: list[Point] = []
    for a, b in itertools.pairwise(points):
        clipped = clip_segment(a, b)
        if clipped is None:
            if current:
                pieces.append(current)
                current = []
            continue
        p, q, t0, t1 = clipped
        if current and t0 == 0.0:
            current.append(q)
        else:
            if current:
                pieces.append(current)
            current = [p, q]
        if t1 < 1.0:
            pieces.append(current)
            current = []
    if current:
        pieces.append(current)
    return [piece for piece in pieces if len(piece) >= 2]


def _distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return float(((p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2) ** 0.5)
    return float(abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / (dx * dx + dy * dy) ** 0.5)


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, best_index = 0.0, -1
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > best:
                best, best_index = d, i
        if best_index >= 0 and best > tolerance:
            keep[best_index] = True
            stack.append((first, best_index))
            stack.append((best_index, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def rounded(points: list[Point]) -> list[list[float]]:
    out: list[list[float]] = []
    for lon, lat in points:
        p = [round(lon, 2), round(lat, 2)]
        if not out or out[-1] != p:
            out.append(p)
    return out


def join_pieces(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chain lines of the same kind and countries whose ends meet."""
    result: list[dict[str, Any]] = []
    pending = list(lines)
    while pending:
        line = pending.pop(0)
        changed = True
        while changed:
            changed = False
            for other in pending:
                if other["kind"] != line["kind"] or other["countries"] != line["countries"]:
                    continue
                a, b = line["points"], other["points"]
                if a[-1] == b[0]:
                    line["points"] = a + b[1:]
                elif a[-1] == b[-1]:
                    line["points"] = a + b[::-1][1:]
                elif a[0] == b[-1]:
                    line["points"] = b + a[1:]
                elif a[0] == b[0]:
                    line["points"] = b[::-1] + a[1:]
                else:
                    continue
                pending.remove(other)
                changed = True
                break
        result.append(line)
    return result


def extent(points: list[list[float]]) -> float:
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    return max(max(lons) - min(lons), max(lats) - min(lats))


def build(source: Path) -> dict[str, Any]:
    topo = json.loads(source.read_text(encoding="utf-8"))
    arcs = decode_arcs(topo)
    users = arc_users(topo)
    lines: list[dict[str, Any]] = []
    for index, arc in enumerate(arcs):
        names = sorted(users.get(index, set()))
        if not names:
            continue
        kind = "border" if len(names) >= 2 else "coast"
        for piece in clip_polyline(arc):
            points = rounded(douglas_peucker(piece, TOLERANCE))
            if len(points) < 2:
                continue
            lines.append({"kind": kind, "countries": names, "points": points})
    lines = join_pieces(lines)
    lines = [
        line
        for line in lines
        if len(line["points"]) >= 2 and (line["kind"] == "border" or extent(line["points"]) >= MIN_EXTENT)
    ]
    for line in lines:
        if line["kind"] == "coast":
            line["countries"] = line["countries"][:1]
    lines.sort(key=lambda line: (line["kind"], line["countries"], line["points"][0]))
    return {
        "origin": (
            "Natural Earth 1:50m Admin 0 countries (v4.1.0), via the world-atlas 2.0.2 TopoJSON; "
            f"clipped to the region, Douglas-Peucker simplified at {TOLERANCE} degrees, "
            "coordinates rounded to 2 decimals; built by tools/build_region.py"
        ),
        "licence": "Public domain (Natural Earth, https://www.naturalearthdata.com/about/terms-of-use/)",
        "bbox": [BBOX[0], BBOX[1], BBOX[2], BBOX[3]],
        "lines": lines,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="path to world-atlas countries-50m.json")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    region = build(args.source)
    text = json.dumps(region, separators=(",", ":"), ensure_ascii=False)
    # one line per outline keeps diffs readable
    text = text.replace(',{"kind"', ',\n{"kind"')
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text + "\n", encoding="utf-8")
    coast = sum(1 for line in region["lines"] if line["kind"] == "coast")
    border = len(region["lines"]) - coast
    points = sum(len(line["points"]) for line in region["lines"])
    print(
        f"wrote {args.output}: {len(text)} bytes, {coast} coast lines, {border} border lines, {points} points",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
