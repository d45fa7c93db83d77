"""The outline data shipped in ``crossing/data/region.json``: coasts and land borders."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache

from crossing.immutable import immutable

LonLat = tuple[float, float]


@immutable
class Outline:
    """One polyline of the backdrop: a stretch of coast or of land border."""

    kind: str  # "coast" | "border"
    countries: tuple[str, ...]
    points: tuple[LonLat, ...]  # (lon, lat) pairs, as in GeoJSON


@immutable
class Region:
    """The outlines of the region and the box they cover."""

    origin: str
    licence: str
    bbox: tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max
    lines: tuple[Outline, ...]


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
    return Region(origin=str(raw["origin"]), licence=str(raw["licence"]), bbox=(b[0], b[1], b[2], b[3]), lines=lines)


@lru_cache(maxsize=1)
def load_region() -> Region:
    """The shipped outlines (read once, then cached)."""
    from importlib import resources  # only when a map is drawn: it is slow to import

    text = resources.files("crossing.data").joinpath("region.json").read_text(encoding="utf-8")
    return parse_region(text)


def outline_lines(outlines: Region | Iterable[Outline]) -> list[Outline]:
    """The polylines of a region, or the outlines given."""
    return list(outlines.lines if isinstance(outlines, Region) else outlines)
