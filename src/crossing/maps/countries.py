"""Which country a point lies in, and where a country's name fits on a grid of cells.

The region data has outlines, not areas: coasts and borders as open lines.  The areas are
recovered once by drawing every line onto a fine grid (``STEP`` degrees a cell) and filling
outwards from a hand-kept point inside each country (:data:`COUNTRIES`) up to its lines.  A
cell crossed by a line belongs to no country, so a point found inside a country is on that
country's side of every line, to within one grid cell.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Sequence
from functools import lru_cache

from crossing.immutable import immutable
from crossing.maps.region import Region


@immutable
class Country:
    """A country to name on a map: its ``names`` longest first (a map uses the first that fits),
    its name in the region data, and a point (lat, lon) well inside its main land."""

    region_name: str
    names: tuple[str, ...]
    lat: float
    lon: float


# Points are inland and far from every coast and border, picked by hand on the Natural Earth
# outlines (tests/test_maps_countries.py checks that each fills its own country and no other).
# Small countries first: they have the fewest spots for a name.
COUNTRIES: tuple[Country, ...] = (
    Country("North Korea", ("NORTH KOREA", "N. KOREA"), 40.3, 126.9),  # South Hamgyong, inland of Hamhung
    Country("South Korea", ("SOUTH KOREA", "S. KOREA"), 36.4, 128.0),  # North Gyeongsang, west of Andong
    Country("Taiwan", ("TAIWAN",), 23.7, 121.0),  # the Central Range
    Country("Cambodia", ("CAMBODIA",), 12.8, 104.8),  # north of the Tonle Sap
    Country("Laos", ("LAOS",), 19.5, 102.8),  # between Luang Prabang and Phonsavan
    Country("Mongolia", ("MONGOLIA",), 46.5, 103.5),  # the Khangai, west of Ulaanbaatar
    Country("Vietnam", ("VIETNAM",), 21.3, 105.2),  # the north, west of Hanoi
    Country("Thailand", ("THAILAND",), 16.0, 101.5),  # Phetchabun, the middle of the country
    Country("Myanmar", ("MYANMAR",), 21.0, 96.3),  # the dry zone, south of Mandalay
    Country("Japan", ("JAPAN",), 36.3, 138.3),  # Nagano, the middle of Honshu
    Country("Philippines", ("PHILIPPINES",), 16.5, 121.0),  # northern Luzon
    Country("China", ("CHINA",), 33.0, 106.0),  # Gansu-Sichuan-Shaanxi, the middle of the country
    Country("Russia", ("RUSSIA",), 54.0, 124.0),  # Amur oblast, north of the Mongolian border
)

STEP = 0.1
"""Grid cell size of the country areas, in degrees."""

_LINE = 255  # a grid cell crossed by a line


@immutable
class CountryGrid:
    """The region on a ``STEP``-degree grid: each cell holds 0 (sea, or land of no listed
    country), ``_LINE`` (crossed by a coast or border) or the index into ``COUNTRIES`` plus 1."""

    lon_min: float
    lat_min: float
    cols: int
    rows: int
    cells: bytes

    def index(self, lat: float, lon: float) -> int | None:
        col = math.floor((lon - self.lon_min) / STEP)
        row = math.floor((lat - self.lat_min) / STEP)
        if not (0 <= col < self.cols and 0 <= row < self.rows):
            return None
        return row * self.cols + col

    def country_at(self, lat: float, lon: float) -> Country | None:
        """The country a point is inside (None: the sea, a line, off the grid, or an unlisted country)."""
        i = self.index(lat, lon)
        if i is None:
            return None
        value = self.cells[i]
        return COUNTRIES[value - 1] if 0 < value <= len(COUNTRIES) else None


@lru_cache(maxsize=2)
def country_grid(region: Region) -> CountryGrid:
    """The countries of ``region`` on a grid (built once per region: about a tenth of a second)."""
    lon_min, lat_min, lon_max, lat_max = region.bbox
    cols = max(1, math.ceil((lon_max - lon_min) / STEP))
    rows = max(1, math.ceil((lat_max - lat_min) / STEP))
    cells = bytearray(cols * rows)

    def mark(lon: float, lat: float) -> None:
        col = min(max(math.floor((lon - lon_min) / STEP), 0), cols - 1)
        row = min(max(math.floor((lat - lat_min) / STEP), 0), rows - 1)
        cells[row * cols + col] = _LINE

    for line in region.lines:
        for (lon0, lat0), (lon1, lat1) in zip(line.points, line.points[1:], strict=False):
            # steps under half a cell: the marked cells touch at least corner to corner, which
            # a fill that moves only up, down, left and right cannot slip through
            steps = max(1, math.ceil(max(abs(lon1 - lon0), abs(lat1 - lat0)) / (STEP / 2)))
            for k in range(steps + 1):
                t = k / steps
                mark(lon0 + t * (lon1 - lon0), lat0 + t * (lat1 - lat0))
    for number, country in enumerate(COUNTRIES, start=1):
        grid = CountryGrid(lon_min, lat_min, cols, rows, bytes(cells))
        start = grid.index(country.lat, country.lon)
        if start is None or cells[start] != 0:
            continue
        cells[start] = number
        queue = deque([start])
        while queue:
            i = queue.popleft()
            row, col = divmod(i, cols)
            for j, ok in ((i - 1, col > 0), (i + 1, col < cols - 1), (i - cols, row > 0), (i + cols, row < rows - 1)):
                if ok and cells[j] == 0:
                    cells[j] = number
                    queue.append(j)
    return CountryGrid(lon_min, lat_min, cols, rows, bytes(cells))


def cell_countries(
    grid: CountryGrid,
    unproject: Callable[[float, float], tuple[float, float]],
    cols: int,
    rows: int,
    cell_w: float,
    cell_h: float,
    origin: tuple[float, float] = (0.0, 0.0),
) -> list[list[Country | None]]:
    """For each cell of a ``cols`` x ``rows`` grid laid on a plane (cells ``cell_w`` x ``cell_h``
    from ``origin``), the country the whole cell is in: its middle and points near its four
    corners all in that country (``unproject`` maps a plane point to (lat, lon)); else None."""
    ox, oy = origin
    out: list[list[Country | None]] = []
    for r in range(rows):
        row: list[Country | None] = []
        for c in range(cols):
            x0, y0 = ox + c * cell_w, oy + r * cell_h
            found: Country | None = None
            for fx, fy in ((0.5, 0.5), (0.05, 0.05), (0.95, 0.05), (0.05, 0.95), (0.95, 0.95)):
                country = grid.country_at(*unproject(x0 + fx * cell_w, y0 + fy * cell_h))
                if country is None or (found is not None and country is not found):
                    found = None
                    break
                found = country
            row.append(found)
        out.append(row)
    return out


@immutable
class GridSpot:
    """Where a country's name goes on a grid of cells: ``width`` cells from (col, row)."""

    country: Country
    text: str
    col: int
    row: int
    width: int


def place_country_names(
    inside: Sequence[Sequence[Country | None]],
    free: Callable[[int, int], bool],
    width_of: Callable[[str], int],
    *,
    min_depth: int = 1,
) -> list[GridSpot]:
    """Names for the countries of a grid of cells (``inside[row][col]``: the country the whole cell
    is in, or None), one per country, each on one row of cells that are all inside it and all
    ``free``; the longest name that fits, as deep inside the country as it goes (every cell at
    least ``min_depth`` cells from the country's edge, counting diagonals), nearest the middle of
    the country's cells on the grid among the deepest.  Names do not touch one another (a cell
    apart at least); a country with no room is left out.  ``width_of`` is a name's width in cells."""
    rows = len(inside)
    cols = len(inside[0]) if rows else 0
    is_free = [[free(c, r) for c in range(cols)] for r in range(rows)]
    taken: set[tuple[int, int]] = set()
    spots: list[GridSpot] = []
    for country in COUNTRIES:
        cells = [(c, r) for r in range(rows) for c in range(cols) if inside[r][c] is country]
        if not cells:
            continue
        depth = _depths(inside, country, cells, cols, rows)
        mid_c = sum(c for c, _ in cells) / len(cells)
        mid_r = sum(r for _, r in cells) / len(cells)
        usable = {
            (c, r) for (c, r), d in depth.items() if d >= min_depth and is_free[r][c] and not _near(taken, c, r)
        }
        for text in country.names:
            w = width_of(text)
            best: tuple[float, float, int, int] | None = None
            for c0, r in usable:
                if (c0 - 1, r) in usable:
                    continue  # not the start of a run
                end = c0
                while (end, r) in usable:
                    end += 1
                for c in range(c0, end - w + 1):
                    deepest = min(depth[(c + k, r)] for k in range(w))
                    score = (-min(deepest, 3), math.hypot(c + (w - 1) / 2 - mid_c, (r - mid_r) * 2), c, r)
                    best = score if best is None or score < best else best
            if best is not None:
                c, r = best[2], best[3]
                spots.append(GridSpot(country, text, c, r, w))
                taken.update((c + k, r) for k in range(w))
                break
    return spots


def _near(taken: set[tuple[int, int]], col: int, row: int) -> bool:
    return any((col + dc, row + dr) in taken for dc in (-1, 0, 1) for dr in (-1, 0, 1))


def _depths(
    inside: Sequence[Sequence[Country | None]], country: Country, cells: list[tuple[int, int]], cols: int, rows: int
) -> dict[tuple[int, int], int]:
    """How many cells each of a country's cells is from the nearest cell not in it (the grid's
    edge counts as outside only where the country's land meets it: a map's frame cuts countries)."""
    depth: dict[tuple[int, int], int] = {}
    queue: deque[tuple[int, int]] = deque()
    for c, r in cells:
        for dc in (-1, 0, 1):
            for dr in (-1, 0, 1):
                cc, rr = c + dc, r + dr
                if 0 <= cc < cols and 0 <= rr < rows and inside[rr][cc] is not country:
                    depth[(c, r)] = 1
                    queue.append((c, r))
                    break
            if (c, r) in depth:
                break
    own = set(cells)
    while queue:
        c, r = queue.popleft()
        for dc in (-1, 0, 1):
            for dr in (-1, 0, 1):
                cell = (c + dc, r + dr)
                if cell in own and cell not in depth:
                    depth[cell] = depth[(c, r)] + 1
                    queue.append(cell)
    for cell in own:
        depth.setdefault(cell, max(cols, rows))  # a country filling the whole grid
    return depth


__all__ = ["COUNTRIES", "STEP", "Country", "CountryGrid", "GridSpot", "cell_countries", "country_grid", "place_country_names"]
