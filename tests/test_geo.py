"""Tests for crossing.geo: outline data, distances, projection, braille canvas, map model, SVG."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from importlib import resources

import pytest

from crossing.geo import (
    CURRENT_MARK,
    PLACE_MARK,
    REGION,
    BrailleCanvas,
    MapPlace,
    MapRoute,
    Projection,
    Viewport,
    compose_map,
    fit_text,
    format_km,
    great_circle_km,
    journey_summary,
    load_region,
    svg_map,
    text_cells,
    viewport_for,
)
from helpers import MAP_COORDS

COORDS = MAP_COORDS
PLACES = {pid: MapPlace(pid, pid.replace("-", " ").title(), lat, lon) for pid, (lat, lon) in COORDS.items()}
ROUTES = [
    MapRoute("China", ("pyongyang", "hyesan", "musan", "yanji", "shenyang", "beijing"), 0),
    MapRoute("South-East Asia", ("beijing", "kunming", "jinghong", "chiang-saen", "bangkok"), 1),
    MapRoute("Siberia", ("pyongyang", "tynda", "chegdomyn", "khabarovsk", "moscow"), 2),
    MapRoute("DMZ", ("pyongyang", "panmunjom", "seoul"), 3),
]


# --------------------------------------------------------------------------- region data


def test_region_file_is_small_and_has_coasts_and_borders() -> None:
    resource = resources.files("crossing.data").joinpath("region.json")
    size = len(resource.read_bytes())
    assert size < 1_000_000
    assert size < 200_000  # the brief: well under 200 KB
    region = load_region()
    assert "Natural Earth" in region.origin
    assert "public domain" in region.licence.lower()
    assert region.of_kind("coast")
    assert region.of_kind("border")
    assert {line.kind for line in region.lines} == {"coast", "border"}
    pairs = {tuple(line.countries) for line in region.of_kind("border")}
    for pair in [
        ("China", "North Korea"),
        ("North Korea", "South Korea"),
        ("North Korea", "Russia"),
        ("China", "Mongolia"),
        ("Mongolia", "Russia"),
        ("China", "Russia"),
        ("China", "Laos"),
        ("Laos", "Thailand"),
        ("Myanmar", "Thailand"),
    ]:
        assert pair in pairs, pair
    lon_min, lat_min, lon_max, lat_max = region.bbox
    for line in region.lines:
        assert len(line.points) >= 2
        for lon, lat in line.points:
            assert lon_min <= lon <= lon_max and lat_min <= lat <= lat_max
            assert round(lon, 2) == lon and round(lat, 2) == lat


def test_load_region_is_cached() -> None:
    assert load_region() is load_region()


def test_every_test_place_but_moscow_is_in_the_default_viewport() -> None:
    for pid, (lat, lon) in COORDS.items():
        assert REGION.contains(lat, lon) == (pid != "moscow"), pid


# --------------------------------------------------------------------------- distances


def _chord_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Independent check: straight-line chord between unit vectors, turned into an arc."""

    def vec(lat: float, lon: float) -> tuple[float, float, float]:
        p, lam = math.radians(lat), math.radians(lon)
        return math.cos(p) * math.cos(lam), math.cos(p) * math.sin(lam), math.sin(p)

    a, b = vec(lat1, lon1), vec(lat2, lon2)
    chord = math.dist(a, b)
    return 2 * 6371.0088 * math.asin(chord / 2)


@pytest.mark.parametrize(
    ("a", "b", "published_km"),
    [
        # Published straight-line distances (e.g. distance calculators, news reports
        # "about 195 km" between the two capitals; Beijing-Bangkok about 3,290 km).
        ("seoul", "pyongyang", 195.0),
        ("beijing", "bangkok", 3290.0),
        ("pyongyang", "moscow", 6410.0),
    ],
)
def test_great_circle_matches_known_distances(a: str, b: str, published_km: float) -> None:
    (lat1, lon1), (lat2, lon2) = COORDS[a], COORDS[b]
    km = great_circle_km(lat1, lon1, lat2, lon2)
    assert km == pytest.approx(published_km, rel=0.01)
    # the vector/chord formula is algebraically independent of the haversine
    assert km == pytest.approx(_chord_km(lat1, lon1, lat2, lon2), rel=1e-9)
    assert great_circle_km(lat2, lon2, lat1, lon1) == pytest.approx(km)


def test_great_circle_basics() -> None:
    assert great_circle_km(40.0, 120.0, 40.0, 120.0) == 0.0
    # one degree along a meridian is R * pi / 180
    assert great_circle_km(10.0, 100.0, 11.0, 100.0) == pytest.approx(6371.0088 * math.pi / 180)
    # antipodes: half the circumference
    assert great_circle_km(0.0, 0.0, 0.0, 180.0) == pytest.approx(6371.0088 * math.pi)


def test_format_km() -> None:
    assert format_km(193.97) == "194 km"
    assert format_km(3295.02) == "3,300 km"
    assert format_km(6413.0) == "6,410 km"


def test_journey_summary() -> None:
    stops = [PLACES[p] for p in ("pyongyang", "pyongyang", "sinuiju", "shenyang", "beijing")]
    legs, total = journey_summary(stops)
    assert [(leg.start_id, leg.end_id) for leg in legs] == [
        ("pyongyang", "sinuiju"),
        ("sinuiju", "shenyang"),
        ("shenyang", "beijing"),
    ]
    assert total == pytest.approx(sum(leg.km for leg in legs))
    assert legs[0].km == pytest.approx(great_circle_km(*COORDS["pyongyang"], *COORDS["sinuiju"]))
    assert journey_summary([]) == ([], 0.0)
    assert journey_summary([PLACES["seoul"]]) == ([], 0.0)


# --------------------------------------------------------------------------- projection


def test_projection_exact_cells_for_a_fixed_viewport() -> None:
    # Viewport lon 120..130, lat 35..45 on 20 x 10 cells = 40 x 40 dots.
    # mid latitude 40 deg, cos 40 = 0.766044; projected width 10 * 0.766044 = 7.66 units,
    # height 10 units: scale = min(40 / 7.66, 40 / 10) = 4 dots per degree of latitude,
    # x offset = (40 - 7.66044 * 4) / 2 = 4.6791, y offset 0.
    # Pyongyang: x = 4.6791 + 5.75 * 0.766044 * 4 = 22.30 -> dot 22 -> col 11;
    #            y = (45 - 39.02) * 4 = 23.92 -> dot 23 -> row 5.
    # Seoul:     x = 4.6791 + 6.978 * 3.064178 = 26.06 -> col 13; y = 7.434 * 4 = 29.74 -> row 7.
    # Hoeryong:  x = 4.6791 + 9.75 * 3.064178 = 34.55 -> col 17; y = 2.56 * 4 = 10.24 -> row 2.
    # Sinuiju:   x = 4.6791 + 4.4 * 3.064178 = 18.16 -> col 9;  y = 4.9 * 4 = 19.6 -> row 4.
    proj = Projection.for_canvas(Viewport(120.0, 130.0, 35.0, 45.0), 20, 10)
    assert proj.scale == pytest.approx(4.0)
    assert proj.dot(*COORDS["pyongyang"]) == (22, 23)
    assert proj.cell(*COORDS["pyongyang"]) == (11, 5)
    assert proj.cell(*COORDS["seoul"]) == (13, 7)
    assert proj.cell(*COORDS["hoeryong"]) == (17, 2)
    assert proj.cell(*COORDS["sinuiju"]) == (9, 4)
    # corners: the north-west corner is on the first row, the south-east on the last
    assert proj.cell(45.0, 120.0) == (2, 0)
    assert proj.cell(35.0, 130.0) == (17, 9)
    lat, lon = proj.unproject(*proj.project(39.02, 125.75))
    assert lat == pytest.approx(39.02)
    assert lon == pytest.approx(125.75)


def test_projection_puts_cities_in_the_right_part_of_the_region() -> None:
    cols, rows = 40, 24
    proj = Projection.for_canvas(REGION, cols, rows)
    cell = {pid: proj.cell(lat, lon) for pid, (lat, lon) in COORDS.items() if pid != "moscow"}
    for col, row in cell.values():
        assert 0 <= col < cols and 0 <= row < rows
    assert cell["seoul"][1] > cell["pyongyang"][1]  # Seoul south of Pyongyang
    assert cell["seoul"][0] >= cell["pyongyang"][0]
    assert cell["bangkok"][0] < cols // 3 and cell["bangkok"][1] >= rows - 3  # bottom left
    assert cell["tynda"][1] <= 2  # top
    assert cell["khabarovsk"][0] == max(c for c, _ in cell.values())  # furthest east
    assert cell["beijing"][0] < cell["shenyang"][0] < cell["pyongyang"][0]
    assert not proj.on_plane(*proj.project(*COORDS["moscow"]))


def test_viewport_for() -> None:
    places = [PLACES[p] for p in ("seoul", "pyongyang", "beijing")]
    vp = viewport_for(places, margin=1.0)
    assert vp.lon_min == pytest.approx(115.4) and vp.lon_max == pytest.approx(127.978)
    for place in places:
        assert vp.contains(place.lat, place.lon)
    assert vp.lat_min == pytest.approx(36.566) and vp.lat_max == pytest.approx(40.9)
    single = viewport_for([(39.0, 125.0)], margin=0.0)
    assert single.lat_max > single.lat_min and single.lon_max > single.lon_min
    with pytest.raises(ValueError):
        viewport_for([])
    with pytest.raises(ValueError):
        Viewport(10.0, 10.0, 0.0, 1.0)


# --------------------------------------------------------------------------- braille canvas


def test_braille_dots_and_lines() -> None:
    canvas = BrailleCanvas(3, 2)
    assert canvas.width == 6 and canvas.height == 8
    assert canvas.text_rows() == ["   ", "   "]
    canvas.set_dot(0, 0, "coast")
    canvas.set_dot(1, 3, "coast")
    assert canvas.text_rows()[0][0] == chr(0x2800 + 0x01 + 0x80)  # dots 1 and 8
    canvas.set_dot(99, 99, "coast")  # off the canvas: ignored
    full = BrailleCanvas(1, 1)
    for x in range(2):
        for y in range(4):
            full.set_dot(x, y)
    assert full.text_rows() == ["⣿"]
    line = BrailleCanvas(4, 1)
    line.line(0, 0, 7, 0, "border")
    assert line.text_rows() == ["⠉⠉⠉⠉"]
    diagonal = BrailleCanvas(2, 2)
    diagonal.line(0, 0, 3, 7, "border")
    assert diagonal.is_set(0, 0) and diagonal.is_set(3, 7)
    # a line far off the canvas draws nothing and does not loop for long
    diagonal.line(-1e6, -1e6, -1e6 + 5, -2e6, "border")
    assert all(len(row) == 2 for row in diagonal.text_rows())


def test_canvas_tags_and_text() -> None:
    canvas = BrailleCanvas(10, 2)
    canvas.line(0, 1, 19, 1, "coast")
    canvas.line(0, 2, 9, 2, "route:China")
    assert canvas.cell_tag(0, 0) == "route:China"  # a route outranks the coast
    assert canvas.cell_tag(9, 0) == "coast"
    assert canvas.cell_tag(0, 1) == ""
    assert set(canvas.cell_tags(0, 0)) == {"coast", "route:China"}
    assert canvas.put_text(2, 1, "Seoul", "label")
    assert not canvas.put_text(4, 1, "X", "label")  # overlaps
    assert not canvas.put_text(8, 1, "long", "label")  # off the edge
    assert canvas.text_rows()[1] == "  Seoul   "
    assert canvas.cell_tag(3, 1) == "label"
    assert canvas.put_text(0, 0, "평양", "label")  # wide characters take two cells
    assert canvas.text_rows()[0].startswith("평양")
    assert [len(text_cells(row)) for row in canvas.text_rows()] == [10, 10]


def test_text_cells_and_fit() -> None:
    assert text_cells("ab") == ["a", "b"]
    assert text_cells("평") == ["평", ""]
    assert text_cells("e\u0301x") == ["e\u0301", "x"]
    assert text_cells("a\nb") == ["a", " ", "b"]
    assert fit_text("Vladivostok", 6) == "Vladi…"
    assert fit_text("Seoul", 6) == "Seoul"
    assert len(text_cells(fit_text("평양평양", 4))) <= 4


# --------------------------------------------------------------------------- map model


@pytest.mark.parametrize(("cols", "rows"), [(40, 20), (80, 24), (120, 30), (24, 10)])
def test_compose_map_fits(cols: int, rows: int) -> None:
    model = compose_map(load_region(), PLACES.values(), ROUTES, current="musan", cols=cols, rows=rows)
    assert model.width <= cols and model.height <= rows
    for row in model.rows:
        assert len(row) == model.width
    text = "\n".join(model.text_rows())
    assert CURRENT_MARK in text
    assert "moscow" in model.off_map and "moscow" not in model.shown
    assert set(model.shown) == set(PLACES) - {"moscow"}
    assert {entry.name for entry in model.legend} <= {route.name for route in ROUTES}


def test_off_map_place_gets_an_edge_arrow_with_computed_distance() -> None:
    model = compose_map(load_region(), PLACES.values(), ROUTES, current="pyongyang", cols=80, rows=24)
    rows = model.text_rows()
    km = format_km(great_circle_km(*COORDS["pyongyang"], *COORDS["moscow"]))
    assert km == "6,410 km"
    arrow_rows = [row for row in rows if f"Moscow {km}" in row]
    assert len(arrow_rows) == 1
    assert arrow_rows[0].startswith("← Moscow")  # at the left (west) edge
    # without a current place, the distance is from the place the route comes from
    model = compose_map(load_region(), PLACES.values(), ROUTES, cols=80, rows=24)
    km = format_km(great_circle_km(*COORDS["khabarovsk"], *COORDS["moscow"]))
    assert any(f"← Moscow {km}" in row for row in model.text_rows())


def test_labels_do_not_overlap_and_keep_the_current_marker() -> None:
    model = compose_map(load_region(), PLACES.values(), ROUTES, current="musan", cols=80, rows=24)
    proj = Projection.for_canvas(model.viewport, model.map_cols, model.map_rows)
    col, row = proj.cell(*COORDS["musan"])
    assert model.rows[row][col].char == CURRENT_MARK
    assert model.rows[row][col].tag == "current"
    text = "\n".join(model.text_rows())
    assert "Musan" in text  # the current place is always labelled first
    for place in PLACES.values():
        assert text.count(place.name) <= 1
    # every marker of another place is still visible (labels never cover markers)
    for pid in model.shown:
        if pid == "musan":
            continue
        c, r = proj.cell(*COORDS[pid])
        assert model.rows[r][c].char in (PLACE_MARK, CURRENT_MARK)


def test_markup_in_names_is_plain_text_in_the_model() -> None:
    odd = MapPlace("odd", "[bold]x[/]", 39.02, 125.75)
    model = compose_map(load_region(), [odd], [], current="odd", cols=60, rows=20)
    assert any("[bold]x[/]" in row for row in model.text_rows())


# --------------------------------------------------------------------------- SVG


def test_svg_escapes_text_and_has_a_polyline_per_route() -> None:
    places = [*PLACES.values(), MapPlace("odd", 'Sin<uiju & "co"', 40.5, 124.8)]
    routes = [*ROUTES, MapRoute("<script>", ("odd", "seoul"), 4)]
    svg = svg_map(load_region(), places, routes, current="seoul", title="A <map>")
    assert "Sin&lt;uiju &amp; &quot;co&quot;" in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "Sin<uiju" not in svg
    root = ET.fromstring(svg)  # well-formed XML
    ns = "{http://www.w3.org/2000/svg}"
    route_lines = [el for el in root.iter(f"{ns}polyline") if "route" in el.get("class", "").split()]
    assert len(route_lines) == len(routes)
    assert {el.get("class") for el in route_lines} == {f"route route-{r.colour}" for r in routes}
    outlines = [el for el in root.iter(f"{ns}polyline") if "route" not in el.get("class", "").split()]
    assert len(outlines) > 20
    texts = "".join(el.text or "" for el in root.iter(f"{ns}text"))
    assert "Moscow" in texts and "←" in texts  # the off-map arrow
    assert "Seoul" in texts
