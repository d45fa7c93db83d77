"""The terminal map: outlines, routes, markers, labels and a legend composed into cells.

Pure: the result, a :class:`MapModel`, is rendered by ``crossing.render.map``."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from crossing.immutable import immutable
from crossing.maps.canvas import (
    ROUTE_TAG_PREFIX,
    TAG_BLANK,
    TAG_BORDER,
    TAG_COAST,
    TAG_COUNTRY,
    TAG_CURRENT,
    TAG_EDGE,
    TAG_LABEL,
    TAG_LEGEND,
    TAG_PLACE,
    BrailleCanvas,
    MapCell,
)
from crossing.maps.cells import ascii_text, fit_text, text_cells, text_width
from crossing.maps.countries import cell_countries, country_grid, place_country_names
from crossing.maps.distance import PlaceLike, RouteLike, short_name
from crossing.maps.glyphs import BRAILLE, ROUTE_ASCII, Glyphs
from crossing.maps.pointers import Pointer, label_order, off_map_pointers
from crossing.maps.projection import REGION, Projection, Viewport
from crossing.maps.region import Outline, Region, outline_lines

ROUTE_COLOURS = 6
"""Number of distinct route colours; a route's colour index is taken modulo this."""

MIN_COLS = 20
MIN_ROWS = 6
"""The smallest map worth drawing; callers show a list of places below this."""


@immutable
class LegendEntry:
    """A route in the legend (``colour`` is the route's colour index)."""

    name: str
    colour: int
    tag: str


@immutable
class MapLabel:
    """Text placed on the map: a place's (or a group's) name, or an arrow to a place off the map."""

    text: str
    col: int
    row: int
    width: int
    place_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)  # a default_factory field: made by dataclass itself
class MapModel:
    """A composed map, ready to render: ``rows`` of cells, each with a char and a tag.

    Tags: ``""``, ``coast``, ``border``, ``place``, ``current``, ``label``, ``edge``
    (arrow to a place off the map), ``country`` (a country's name), ``legend`` (legend text),
    ``route:<name>``.  ``route_colours`` maps a route name to its colour index; ``labels`` are
    the names of places and the arrows, ``countries`` the names of countries.
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
    labels: tuple[MapLabel, ...] = ()
    countries: tuple[MapLabel, ...] = ()

    def text_rows(self) -> list[str]:
        return ["".join(cell.char for cell in row) for row in self.rows]

    def colour_of(self, tag: str) -> int | None:
        """Colour index of a ``route:<name>`` tag, else None."""
        if not tag.startswith(ROUTE_TAG_PREFIX):
            return None
        return self.route_colours.get(tag[len(ROUTE_TAG_PREFIX) :], 0) % ROUTE_COLOURS


def compose_map(
    outlines: Region | Iterable[Outline],
    places: Iterable[PlaceLike],
    routes: Sequence[RouteLike] = (),
    current: str | None = None,
    cols: int = 80,
    rows: int = 22,
    viewport: Viewport | None = None,
    legend: bool = True,
    glyphs: Glyphs = BRAILLE,
    countries: bool = True,
) -> MapModel:
    """Compose a map at most ``cols`` x ``rows`` cells, legend included.

    ``places`` are all the places to mark; ``routes`` are drawn in order as lines joining
    consecutive places (unknown ids are skipped); ``current`` is the id of the place to
    highlight.  Places that fall in the same or neighbouring cells share one label; places
    off the map get an arrow at the edge (see :func:`off_map_pointers`).  The legend goes
    to the right of the map when there is room, otherwise below.  ``glyphs`` chooses
    braille or ASCII art (see :func:`crossing.maps.glyphs_for`).  With ``countries`` and the
    shipped :class:`Region`, countries are named inside their land where a name fits on blank
    cells (never over a label, marker, route or outline), after every place is labelled.
    """
    if cols < 1 or rows < 1:
        raise ValueError("map needs at least one cell")
    vp = viewport or REGION
    by_id: dict[str, PlaceLike] = {}
    for place in places:
        by_id.setdefault(place.id, place)
    current_place = by_id.get(current) if current is not None else None
    colours = {route.name: route.colour for route in routes}
    show_legend = legend and (bool(routes) or current_place is not None)
    key = _legend_lines(colours, current_place is not None and show_legend, glyphs)
    layout, map_cols, map_rows = _plan_size(vp, outlines, cols, rows, key if show_legend else [])
    canvas = BrailleCanvas(map_cols, map_rows)
    proj = Projection.for_canvas(vp, map_cols, map_rows)
    _draw_lines(canvas, proj, outline_lines(outlines), routes, by_id)
    marker_cell = _draw_markers(canvas, proj, by_id.values(), current_place, glyphs)
    labels = _draw_pointers(canvas, off_map_pointers(by_id, routes, current_place, proj, glyphs), current_place, glyphs)
    order = label_order(list(by_id.values()), routes, current_place)
    groups = _groups([p for p in order if p.id in marker_cell], marker_cell)
    place_labels, notes = _draw_labels(canvas, groups, marker_cell, current_place, glyphs)
    labels += place_labels
    country_labels = _draw_countries(canvas, proj, outlines) if countries and isinstance(outlines, Region) else []
    if layout != "none" and notes:
        key += [[], *_note_lines(notes, cols - map_cols - 2 if layout == "right" else cols)]
    dot_char = None if glyphs.braille else _ascii_dots(colours)
    grid = _assemble(canvas.cells(dot_char), layout, key, cols, rows, glyphs.ellipsis)
    return MapModel(
        rows=tuple(tuple(row) for row in grid),
        width=len(grid[0]),
        height=len(grid),
        map_cols=map_cols,
        map_rows=map_rows,
        viewport=vp,
        legend=tuple(LegendEntry(n, c % ROUTE_COLOURS, ROUTE_TAG_PREFIX + n) for n, c in colours.items()) if layout != "none" else (),
        route_colours=colours,
        shown=tuple(marker_cell),
        off_map=tuple(pid for pid in by_id if pid not in marker_cell),
        labels=tuple(labels),
        countries=tuple(country_labels),
    )


def _legend_lines(colours: Mapping[str, int], with_current: bool, glyphs: Glyphs) -> list[list[MapCell]]:
    """One line per route name (a route drawn as several lines has one entry), then the marker."""
    lines: list[list[MapCell]] = []
    for name, colour in colours.items():
        tag = ROUTE_TAG_PREFIX + name
        text = name if glyphs.braille else ascii_text(name)
        lines.append([MapCell(ch, tag) for ch in glyphs.bar(colour)] + _text_cells(" " + text, TAG_LEGEND))
    if with_current:
        lines.append([MapCell(glyphs.current, TAG_CURRENT), MapCell(" ", TAG_LEGEND), *_text_cells(" you are here", TAG_LEGEND)])
    return lines


def _text_cells(text: str, tag: str) -> list[MapCell]:
    return [MapCell(ch, tag) for ch in text_cells(text)]


def _natural_cols(vp: Viewport, rows: int, pad_lon: float) -> int:
    """Columns a map ``rows`` high needs to show the viewport's width plus ``pad_lon`` degrees."""
    scale = 4.0 * rows / (vp.lat_max - vp.lat_min)
    return max(1, math.ceil((vp.lon_max - vp.lon_min + pad_lon) * vp.x_scale * scale / 2))


def _natural_rows(vp: Viewport, cols: int) -> int:
    scale = 2.0 * cols / ((vp.lon_max - vp.lon_min) * vp.x_scale)
    return max(1, math.ceil((vp.lat_max - vp.lat_min) * scale / 4))


def _plan_size(
    vp: Viewport, outlines: Region | Iterable[Outline], cols: int, rows: int, key: list[list[MapCell]]
) -> tuple[str, int, int]:
    """Where the legend goes (``right``, ``below`` or ``none``) and the map's size in cells."""
    if isinstance(outlines, Region):
        data_lon_min, data_lon_max = outlines.bbox[0], outlines.bbox[2]
    else:
        data_lon_min, data_lon_max = vp.lon_min, vp.lon_max
    pad_lon = 2 * max(0.0, min(vp.lon_min - data_lon_min, data_lon_max - vp.lon_max, 6.0))

    def size_for(avail_cols: int, avail_rows: int) -> tuple[int, int]:
        if avail_cols < 1 or avail_rows < 1:
            return 0, 0
        map_cols = min(avail_cols, _natural_cols(vp, avail_rows, pad_lon))
        return map_cols, min(avail_rows, _natural_rows(vp, map_cols))

    map_cols, map_rows = size_for(cols, rows)
    if not key:
        return "none", map_cols, map_rows
    natural_w = max(len(line) for line in key)
    if cols - map_cols - 2 >= min(natural_w, 16) and len(key) <= rows:
        return "right", map_cols, map_rows
    below = size_for(cols, rows - len(key))
    if below[0] > 0:
        return "below", below[0], below[1]
    return "none", map_cols, map_rows


def _draw_lines(
    canvas: BrailleCanvas, proj: Projection, lines: list[Outline], routes: Sequence[RouteLike], by_id: Mapping[str, PlaceLike]
) -> None:
    """Coasts, then borders, then each route in order (a route joins consecutive places only)."""
    for kind, tag in (("coast", TAG_COAST), ("border", TAG_BORDER)):
        for outline in lines:
            if outline.kind == kind:
                canvas.polyline([proj.project(lat, lon) for lon, lat in outline.points], tag)
    for route in routes:
        stops = [by_id[pid] for pid in route.place_ids if pid in by_id]
        canvas.polyline([proj.project(p.lat, p.lon) for p in stops], ROUTE_TAG_PREFIX + route.name)


def _draw_markers(
    canvas: BrailleCanvas, proj: Projection, places: Iterable[PlaceLike], current: PlaceLike | None, glyphs: Glyphs
) -> dict[str, tuple[int, int]]:
    """A marker in the cell of every place on the map (the current place's marker wins its cell)."""
    marker_cell: dict[str, tuple[int, int]] = {}
    for place in places:
        if proj.on_plane(*proj.project(place.lat, place.lon)):
            col, row = proj.cell(place.lat, place.lon)
            marker_cell[place.id] = (col, row)
            if place is not current and not canvas.is_text(col, row):
                canvas.set_char(col, row, glyphs.place, TAG_PLACE)
    if current is not None and current.id in marker_cell:
        canvas.set_char(*marker_cell[current.id], glyphs.current, TAG_CURRENT)
    return marker_cell


def _draw_pointers(canvas: BrailleCanvas, pointers: list[Pointer], current: PlaceLike | None, glyphs: Glyphs) -> list[MapLabel]:
    """Each arrow at its edge of the map, moved along the edge until it fits."""
    placed: list[MapLabel] = []
    for pointer in pointers:
        text = fit_text(pointer.text if glyphs.braille else ascii_text(pointer.text), canvas.cols, glyphs.ellipsis)
        w = text_width(text)
        ecol = min(max(math.floor(pointer.x / 2), 0), canvas.cols - 1)
        erow = min(max(math.floor(pointer.y / 4), 0), canvas.rows - 1)
        start = {"left": 0, "right": canvas.cols - w}.get(pointer.side, min(max(ecol - w // 2, 0), canvas.cols - w))
        for shift in (0, 1, -1, 2, -2, 3, -3):
            if pointer.side in ("left", "right"):
                c, r = start, erow + shift
            else:
                c, r = min(max(start + shift * 3, 0), canvas.cols - w), erow
            if canvas.fits(c, r, w, gap=True):
                canvas.put_text(c, r, text, TAG_CURRENT if pointer.place is current else TAG_EDGE)
                placed.append(MapLabel(text, c, r, w, (pointer.place.id,)))
                break
    return placed


def _groups(order: list[PlaceLike], marker_cell: Mapping[str, tuple[int, int]]) -> list[list[PlaceLike]]:
    """Places whose markers touch (same or neighbouring cells), chained, in label order."""
    parent = list(range(len(order)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(order):
        for j in range(i):
            (ca, ra), (cb, rb) = marker_cell[a.id], marker_cell[order[j].id]
            if abs(ca - cb) <= 1 and abs(ra - rb) <= 1:
                parent[root(i)] = root(j)
    groups: dict[int, list[PlaceLike]] = {}
    for i, place in enumerate(order):
        groups.setdefault(root(i), []).append(place)
    return list(groups.values())


def _label_texts(names: list[str], longest: int, ellipsis: str) -> list[tuple[str, list[str]]]:
    """Ways to label a group, best first, each with the names it leaves out: every name; the first
    names and how many more; the first name cut short and how many more.  None over ``longest``."""
    options: list[tuple[str, list[str]]] = [("/".join(names), [])] + [("/".join(names[:k]) + f" +{len(names) - k}", names[k:]) for k in range(len(names) - 1, 0, -1)]
    texts = [(text, rest) for text, rest in options if text_width(text) <= longest]
    more = f" +{len(names) - 1}" if len(names) > 1 else ""
    for n in range(min(text_width(names[0]), longest) - 1, 3, -1):
        texts.append((fit_text(names[0], n, ellipsis) + more, names))
    return texts


def _label_spots(cells: list[tuple[int, int]], w: int) -> list[tuple[int, int]]:
    """Where a label ``w`` wide may go around a group of marker cells, best first."""
    c0, c1 = min(c for c, _ in cells), max(c for c, _ in cells)
    r0, r1 = min(r for _, r in cells), max(r for _, r in cells)
    first_row = cells[0][1]
    spots: list[tuple[int, int]] = []
    for r in sorted(range(r0, r1 + 1), key=lambda r: abs(r - first_row)):
        spots += [(c1 + 1, r), (c0 - w, r)]
    for r in (r0 - 1, r1 + 1):  # above and below: any start that keeps the label touching the group
        starts = sorted(range(c0 - w, c1 + 2), key=lambda c: (abs(c + w // 2 - (c0 + c1) // 2), c))
        spots += [(c, r) for c in starts]
    return spots


def _best_spot(canvas: BrailleCanvas, cells: list[tuple[int, int]], w: int) -> tuple[int, int] | None:
    """The free spot for a label ``w`` wide by a group's cells that covers the fewest route cells."""
    best: tuple[int, int, int, int] | None = None  # (route cells covered, rank, col, row)
    for rank, (c, r) in enumerate(_label_spots(cells, w)):
        if canvas.fits(c, r, w, gap=True):
            score = (canvas.count_tagged(c, r, w, ROUTE_TAG_PREFIX), rank, c, r)
            best = score if best is None or score < best else best
    return None if best is None else (best[2], best[3])


def _draw_labels(
    canvas: BrailleCanvas,
    groups: list[list[PlaceLike]],
    marker_cell: Mapping[str, tuple[int, int]],
    current: PlaceLike | None,
    glyphs: Glyphs,
) -> tuple[list[MapLabel], list[str]]:
    """One label per group, beside its markers, covering as little of the routes as possible;
    and a note naming the places a shortened label leaves out ("Hoeryong +2: Musan, Yanji")."""
    placed: list[MapLabel] = []
    notes: list[str] = []
    for group in groups:
        names = list(dict.fromkeys(short_name(p.name) for p in group))
        if not glyphs.braille:
            names = [ascii_text(n) for n in names]
        cells = list(dict.fromkeys(marker_cell[p.id] for p in group))
        longest = max(12, canvas.cols // 2)  # a longer label would hide too much of the map
        for text, left_out in _label_texts(names, longest, glyphs.ellipsis):
            w = text_width(text)
            spot = _best_spot(canvas, cells, w)
            if spot is not None:
                tag = TAG_CURRENT if current is not None and group[0] is current else TAG_LABEL
                canvas.put_text(spot[0], spot[1], text, tag)
                placed.append(MapLabel(text, spot[0], spot[1], w, tuple(p.id for p in group)))
                if left_out:
                    notes.append(f"{text}: {', '.join(left_out)}")
                break
    return placed, notes


def _draw_countries(canvas: BrailleCanvas, proj: Projection, region: Region) -> list[MapLabel]:
    """Country names on blank cells inside each country, with a blank cell (or the map's edge) on
    each side, so that a name never runs into a line, a marker or another label."""
    inside = cell_countries(country_grid(region), proj.unprojector(), canvas.cols, canvas.rows, 2.0, 4.0)

    def blank(col: int, row: int) -> bool:
        return canvas.is_blank(col, row) or not 0 <= col < canvas.cols

    def free(col: int, row: int) -> bool:
        return canvas.is_blank(col, row) and blank(col - 1, row) and blank(col + 1, row)

    placed: list[MapLabel] = []
    for spot in place_country_names(inside, free, text_width):
        if canvas.put_text(spot.col, spot.row, spot.text, TAG_COUNTRY):
            placed.append(MapLabel(spot.text, spot.col, spot.row, spot.width, ()))
    return placed


def _note_lines(notes: list[str], width: int) -> list[list[MapCell]]:
    """The notes wrapped to ``width`` cells, continuation lines indented."""
    import textwrap

    lines: list[list[MapCell]] = []
    for note in notes:
        for line in textwrap.wrap(note, max(width, 8), subsequent_indent="  "):
            lines.append(_text_cells(line, TAG_LEGEND))
    return lines


def _ascii_dots(colours: Mapping[str, int]) -> Callable[[str], str]:
    """How a cell of dots looks in ASCII art, by its tag."""

    def dot_char(tag: str) -> str:
        if tag.startswith(ROUTE_TAG_PREFIX):
            return ROUTE_ASCII[colours.get(tag[len(ROUTE_TAG_PREFIX) :], 0) % len(ROUTE_ASCII)]
        return ":" if tag == TAG_BORDER else "."

    return dot_char


def _assemble(
    grid: list[list[MapCell]], layout: str, key: list[list[MapCell]], cols: int, rows: int, ellipsis: str
) -> list[list[MapCell]]:
    """The map's cells with the legend beside or below (as much as fits in ``cols`` x ``rows``),
    every row as wide as the widest."""
    blank = MapCell(" ", TAG_BLANK)
    map_cols = len(grid[0])
    if layout == "right":
        key = key[: max(rows, len(grid))]
        while len(grid) < len(key):  # a legend taller than a short, wide map
            grid.append([blank] * map_cols)
        for r, line in enumerate(key):
            grid[r] = [*grid[r], blank, blank, *_fit_cells(line, cols - map_cols - 2, ellipsis)]
    elif layout == "below":
        grid += [_fit_cells(line, cols, ellipsis) for line in key[: max(rows - len(grid), 0)]]
    width = max(len(row) for row in grid)
    return [row + [blank] * (width - len(row)) for row in grid]


def _fit_cells(line: list[MapCell], width: int, ellipsis: str) -> list[MapCell]:
    """A legend line cut to ``width`` cells, ending in an ellipsis when cut."""
    if len(line) <= width:
        return line
    kept = line[: max(width - 1, 0)]
    while kept and kept[-1].char == "":
        kept.pop()  # not half a wide character
    return kept + [MapCell(ellipsis, TAG_LEGEND)][: max(width, 0)]
