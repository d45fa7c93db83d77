"""Places, routes and straight-line distances between places."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from crossing.immutable import immutable

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), used by :func:`great_circle_km`."""


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
    """A path drawn on the map: a name, place ids in order, and a colour index.

    Consecutive place ids are joined by a line; nothing else is."""

    @property
    def name(self) -> str: ...

    @property
    def place_ids(self) -> Sequence[str]: ...

    @property
    def colour(self) -> int: ...


@immutable
class MapPlace:
    """A plain place, for callers without a story model."""

    id: str
    name: str
    lat: float
    lon: float


@immutable
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


@immutable
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


def short_name(name: str) -> str:
    """A place's name for a map label: without a trailing remark in brackets
    (``Chiang Saen (Mekong, Laos-Thailand border)`` -> ``Chiang Saen``)."""
    cut = name.find(" (")
    return name[:cut] if cut > 0 and name.endswith(")") else name
