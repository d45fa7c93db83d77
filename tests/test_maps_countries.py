"""crossing.maps.countries: the area of each country, and where its name fits."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from crossing.maps import load_region
from crossing.maps.countries import COUNTRIES, STEP, Country, country_grid, place_country_names
from crossing.maps.region import Outline, Region


def _line_countries(region: Region) -> dict[tuple[int, int], set[str]]:
    """Every grid cell a line passes through, with the countries of the lines there (drawn here
    with a finer step than the code under test, so a cell it marks is marked here too)."""
    lon_min, lat_min = region.bbox[0], region.bbox[1]
    found: dict[tuple[int, int], set[str]] = {}
    for line in region.lines:
        for (lon0, lat0), (lon1, lat1) in zip(line.points, line.points[1:], strict=False):
            steps = max(1, math.ceil(max(abs(lon1 - lon0), abs(lat1 - lat0)) / (STEP / 8)))
            for k in range(steps + 1):
                t = k / steps
                col = math.floor((lon0 + t * (lon1 - lon0) - lon_min) / STEP)
                row = math.floor((lat0 + t * (lat1 - lat0) - lat_min) / STEP)
                found.setdefault((col, row), set()).update(line.countries)
    return found


def test_each_label_point_fills_its_own_country_and_no_other() -> None:
    """Fill out from a country's point: the lines the fill stops at are (all but a handful of cells
    where two lines meet) that country's coasts and borders, so the point is inside its outline."""
    region = load_region()
    grid = country_grid(region)
    lines = _line_countries(region)
    sizes = Counter(grid.cells)
    for number, country in enumerate(COUNTRIES, start=1):
        assert grid.country_at(country.lat, country.lon) is country, country
        assert sizes[number] > 200, country  # a real area, not a speck
        edge = Counter[bool]()
        for i, value in enumerate(grid.cells):
            if value != number:
                continue
            row, col = divmod(i, grid.cols)
            for cc, rr in ((col - 1, row), (col + 1, row), (col, row - 1), (col, row + 1)):
                if (cc, rr) in lines:
                    edge[country.region_name in lines[(cc, rr)]] += 1
        assert edge[True] > 0, country
        assert edge[False] <= 0.01 * edge[True], (country, edge)


def test_countries_are_where_the_atlas_says() -> None:
    grid = country_grid(load_region())
    cities = {  # (lat, lon) of capitals and towns well inside their countries
        "North Korea": [(39.03, 125.75), (42.0, 129.0)],
        "South Korea": [(37.55, 127.0), (35.9, 128.6)],
        "China": [(39.9, 116.4), (25.04, 102.7), (41.8, 123.4), (43.9, 125.3)],
        "Russia": [(48.5, 135.1), (52.0, 113.5)],
        "Mongolia": [(47.9, 106.9), (45.0, 110.0)],
        "Thailand": [(15.0, 100.5)],
        "Laos": [(18.0, 102.6)],
    }
    for name, points in cities.items():
        for lat, lon in points:
            found = grid.country_at(lat, lon)
            assert found is not None and found.region_name == name, (name, lat, lon, found)
    for lat, lon in [(38.0, 124.0), (40.0, 134.0), (35.0, 123.0), (12.0, 101.0)]:  # Yellow Sea, Sea of Japan, Gulf of Thailand
        assert grid.country_at(lat, lon) is None


def test_names_go_inside_free_cells_deep_in_the_country() -> None:
    a, b = COUNTRIES[-1], COUNTRIES[-2]
    inside: list[list[Country | None]] = [[a] * 20 for _ in range(7)] + [[b] * 20 for _ in range(7)]
    blocked = {(c, 3) for c in range(20)}  # a route along the middle of country a
    spots = place_country_names(inside, lambda c, r: (c, r) not in blocked, len)
    by_country = {spot.country: spot for spot in spots}
    assert set(by_country) == {a, b}
    for spot in spots:
        for k in range(spot.width):
            assert inside[spot.row][spot.col + k] is spot.country
            assert (spot.col + k, spot.row) not in blocked
    assert by_country[a].row in (1, 2, 4, 5)  # not on the country's edge row 0, 6 or the route


@pytest.mark.parametrize("width", [3, 4])
def test_a_country_with_no_room_is_left_out(width: int) -> None:
    country = COUNTRIES[-1]
    inside: list[list[Country | None]] = [[None] * 8, [None, *[country] * width, *[None] * (7 - width)], [None] * 8]
    assert place_country_names(inside, lambda c, r: True, len) == []


def test_a_made_up_region_has_no_country_areas() -> None:
    region = Region("o", "l", (0.0, 0.0, 10.0, 10.0), (Outline("coast", ("X",), ((1.0, 1.0), (9.0, 9.0))),))
    grid = country_grid(region)
    assert grid.country_at(5.0, 2.0) is None
