"""crossing.maps.distance: great-circle distances, legs of a journey, label names."""

from __future__ import annotations

import math

import pytest

from crossing.maps import format_km, great_circle_km, journey_summary
from crossing.maps.distance import short_name
from maps_fixtures import COORDS, PLACES


def _chord_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Independent check: straight-line chord between unit vectors, turned into an arc."""

    def vec(lat: float, lon: float) -> tuple[float, float, float]:
        p, lam = math.radians(lat), math.radians(lon)
        return math.cos(p) * math.cos(lam), math.cos(p) * math.sin(lam), math.sin(p)

    return 2 * 6371.0088 * math.asin(math.dist(vec(lat1, lon1), vec(lat2, lon2)) / 2)


@pytest.mark.parametrize(("a", "b", "published_km"), [("seoul", "pyongyang", 195.0), ("beijing", "bangkok", 3290.0),
                                                      ("pyongyang", "moscow", 6410.0)])
def test_great_circle_matches_known_distances(a: str, b: str, published_km: float) -> None:
    (lat1, lon1), (lat2, lon2) = COORDS[a], COORDS[b]
    km = great_circle_km(lat1, lon1, lat2, lon2)
    assert km == pytest.approx(published_km, rel=0.01)
    assert km == pytest.approx(_chord_km(lat1, lon1, lat2, lon2), rel=1e-9)
    assert great_circle_km(lat2, lon2, lat1, lon1) == pytest.approx(km)


def test_great_circle_basics() -> None:
    assert great_circle_km(40.0, 120.0, 40.0, 120.0) == 0.0
    assert great_circle_km(10.0, 100.0, 11.0, 100.0) == pytest.approx(6371.0088 * math.pi / 180)
    assert great_circle_km(0.0, 0.0, 0.0, 180.0) == pytest.approx(6371.0088 * math.pi)


def test_format_km() -> None:
    assert format_km(193.97) == "194 km"
    assert format_km(3295.02) == "3,300 km"
    assert format_km(6413.0) == "6,410 km"


def test_journey_summary_skips_repeats() -> None:
    stops = [PLACES[p] for p in ("pyongyang", "pyongyang", "sinuiju", "shenyang", "beijing")]
    legs, total = journey_summary(stops)
    assert [(leg.start_id, leg.end_id) for leg in legs] == [("pyongyang", "sinuiju"), ("sinuiju", "shenyang"), ("shenyang", "beijing")]
    assert total == pytest.approx(sum(leg.km for leg in legs))
    assert legs[0].km == pytest.approx(great_circle_km(*COORDS["pyongyang"], *COORDS["sinuiju"]))
    assert journey_summary([]) == ([], 0.0)
    assert journey_summary([PLACES["seoul"]]) == ([], 0.0)


def test_short_name_drops_a_trailing_remark_only() -> None:
    assert short_name("Chiang Saen (Mekong, Laos-Thailand border)") == "Chiang Saen"
    assert short_name("Tumen (China)") == "Tumen"
    assert short_name("Seoul") == "Seoul"
    assert short_name("(odd)") == "(odd)"
    assert short_name("A (b) c") == "A (b) c"
