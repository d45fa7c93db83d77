"""crossing.maps.layout: the terminal map fits, labels never overlap, ASCII art where braille cannot be shown."""

from __future__ import annotations

import itertools

import pytest

from crossing.journeys import story_routes
from crossing.maps import (
    ASCII,
    TAG_COUNTRY,
    Glyphs,
    MapModel,
    MapPlace,
    MapRoute,
    Projection,
    compose_map,
    fitted_viewport,
    format_km,
    great_circle_km,
    load_region,
)
from crossing.maps.countries import country_grid
from crossing.maps.glyphs import BRAILLE
from maps_fixtures import COORDS, PLACES, ROUTES, boxes_intersect, default_story


@pytest.mark.parametrize(("cols", "rows"), [(40, 20), (80, 24), (120, 30), (24, 10)])
def test_compose_map_fits(cols: int, rows: int) -> None:
    model = compose_map(load_region(), PLACES.values(), ROUTES, current="musan", cols=cols, rows=rows)
    assert model.width <= cols and model.height <= rows
    assert all(len(row) == model.width for row in model.rows)
    assert BRAILLE.current in "\n".join(model.text_rows())
    assert "moscow" in model.off_map and "moscow" not in model.shown
    assert set(model.shown) == set(PLACES) - {"moscow"}


def test_map_needs_a_cell() -> None:
    with pytest.raises(ValueError, match="at least one cell"):
        compose_map(load_region(), PLACES.values(), ROUTES, cols=0, rows=10)


def test_current_place_is_marked_in_its_cell_and_labelled() -> None:
    model = compose_map(load_region(), PLACES.values(), ROUTES, current="bangkok", cols=80, rows=24)
    proj = Projection.for_canvas(model.viewport, model.map_cols, model.map_rows)
    col, row = proj.cell(*COORDS["bangkok"])
    assert (model.rows[row][col].char, model.rows[row][col].tag) == (BRAILLE.current, "current")
    assert any(label.text.startswith("Bangkok") and label.place_ids[0] == "bangkok" for label in model.labels)


@pytest.mark.parametrize(("cols", "rows"), [(40, 22), (80, 22), (120, 28)])
def test_default_story_labels_never_overlap_and_every_place_is_named(cols: int, rows: int) -> None:
    story = default_story()
    routes = story_routes(story)
    used = {pid for route in routes for pid in route.place_ids}
    places = [p for p in story.places.values() if p.id in used]
    model = compose_map(load_region(), places, routes, cols=cols, rows=rows)
    assert model.width <= cols and model.height <= rows
    boxes = [(label.col, label.row, label.col + label.width, label.row + 1) for label in model.labels]
    for a, b in itertools.combinations(boxes, 2):
        assert not boxes_intersect(a, b), (a, b)
    # every label is where the model says, and no label covers a marker
    proj = Projection.for_canvas(model.viewport, model.map_cols, model.map_rows)
    for label in model.labels:
        assert "".join(c.char for c in model.rows[label.row][label.col : label.col + label.width]) == label.text
        for pid in model.shown:
            col, row = proj.cell(story.places[pid].lat, story.places[pid].lon)
            assert not boxes_intersect((col, row, col + 1, row + 1), boxes[model.labels.index(label)])
    # every place on the map is named by a label (or by the note that a shortened label points to)
    named = {pid for label in model.labels for pid in label.place_ids}
    assert named >= set(model.shown)
    text = "\n".join(model.text_rows())
    for label in model.labels:
        if " +" in label.text and cols >= 80:
            assert f"{label.text}: " in text.replace("\n", " ") or label.text + ":" in text


def test_places_in_neighbouring_cells_share_one_label() -> None:
    # Kaesong and Panmunjom are 11 km apart: on any terminal map they share a cell or touch.
    places = [MapPlace("kaesong", "Kaesong", 37.97, 126.55), MapPlace("panmunjom", "Panmunjom", 37.956, 126.677),
              MapPlace("beijing", "Beijing", 39.9, 116.4)]
    model = compose_map(load_region(), places, [MapRoute("DMZ", ("kaesong", "panmunjom"), 0)], cols=80, rows=22)
    shared = [label for label in model.labels if set(label.place_ids) == {"kaesong", "panmunjom"}]
    assert [label.text for label in shared] in (["Kaesong/Panmunjom"], ["Panmunjom/Kaesong"])
    assert "\n".join(model.text_rows()).count("Kaesong") == 1


def test_off_map_place_gets_an_edge_arrow_with_computed_distance() -> None:
    model = compose_map(load_region(), PLACES.values(), ROUTES, current="pyongyang", cols=80, rows=24)
    km = format_km(great_circle_km(*COORDS["pyongyang"], *COORDS["moscow"]))
    assert km == "6,410 km"
    arrow_rows = [row for row in model.text_rows() if f"Moscow {km}" in row]
    assert len(arrow_rows) == 1 and arrow_rows[0].startswith("← Moscow")  # at the left (west) edge
    # without a current place, the distance is from the place the route comes from
    model = compose_map(load_region(), PLACES.values(), ROUTES, cols=80, rows=24)
    km = format_km(great_circle_km(*COORDS["khabarovsk"], *COORDS["moscow"]))
    assert any(f"← Moscow {km}" in row for row in model.text_rows())


def test_markup_in_names_is_plain_text_in_the_model() -> None:
    odd = MapPlace("odd", "[bold]x[/]", 39.02, 125.75)
    model = compose_map(load_region(), [odd], [], current="odd", cols=60, rows=20)
    assert any("[bold]x[/]" in row for row in model.text_rows())


@pytest.mark.parametrize(("cols", "rows"), [(40, 20), (80, 24)])
def test_ascii_map_is_ascii_and_keeps_the_layout(cols: int, rows: int) -> None:
    places = [*PLACES.values(), MapPlace("odd", "Ürümqi 평양", 43.8, 87.6)]
    braille = compose_map(load_region(), places, ROUTES, current="musan", cols=cols, rows=rows)
    ascii_model = compose_map(load_region(), places, ROUTES, current="musan", cols=cols, rows=rows, glyphs=ASCII)
    text = "\n".join(ascii_model.text_rows())
    assert text.isascii()
    assert (ascii_model.width, ascii_model.height, ascii_model.shown) == (braille.width, braille.height, braille.shown)
    assert ASCII.current in text and "<- " not in text and "< Moscow" in text
    assert "## China" in text and "** South-East Asia" in text  # each route's own character in the legend
    proj = Projection.for_canvas(ascii_model.viewport, ascii_model.map_cols, ascii_model.map_rows)
    col, row = proj.cell(*COORDS["musan"])
    assert ascii_model.rows[row][col].char == "@"


def _story_map(cols: int, rows: int, glyphs: Glyphs = BRAILLE) -> MapModel:
    story = default_story()
    routes = story_routes(story)
    used = {pid for route in routes for pid in route.place_ids}
    return compose_map(load_region(), [p for p in story.places.values() if p.id in used], routes, cols=cols, rows=rows, glyphs=glyphs)


@pytest.mark.parametrize(("cols", "rows"), [(80, 22), (80, 24), (120, 28)])
def test_countries_are_named_inside_their_land_clear_of_every_label_and_line(cols: int, rows: int) -> None:
    model = _story_map(cols, rows)
    names = {label.text for label in model.countries}
    assert {"CHINA", "RUSSIA", "MONGOLIA"} <= names, names
    proj = Projection.for_canvas(model.viewport, model.map_cols, model.map_rows)
    grid = country_grid(load_region())
    place_boxes = [(label.col - 1, label.row, label.col + label.width + 1, label.row + 1) for label in model.labels]
    for label in model.countries:
        assert label.place_ids == ()
        cells = model.rows[label.row][label.col : label.col + label.width]
        assert "".join(c.char for c in cells) == label.text
        assert {c.tag for c in cells} == {TAG_COUNTRY}
        # a blank cell or the edge of the map on each side: no line, marker or label runs into it
        for col in (label.col - 1, label.col + label.width):
            assert col < 0 or col >= model.map_cols or model.rows[label.row][col].char == " "
        box = (label.col, label.row, label.col + label.width, label.row + 1)
        assert not any(boxes_intersect(box, other) for other in place_boxes)
        # every cell of the name, corners and middle, lies in the country it names
        for col in range(label.col, label.col + label.width):
            for fx, fy in ((0.5, 0.5), (0.1, 0.1), (0.9, 0.9)):
                country = grid.country_at(*proj.unproject(2 * (col + fx), 4 * (label.row + fy)))
                assert country is not None and label.text in country.names, (label.text, col, country)
    assert len(names) == len(model.countries)  # one name a country


def test_country_names_cover_no_route() -> None:
    with_names = _story_map(80, 24)
    without = compose_map(load_region(), [], [], cols=80, rows=24, countries=False)
    assert with_names.countries and not without.countries
    for label in with_names.countries:
        assert all(not cell.tag.startswith("route:") for cell in with_names.rows[label.row][label.col : label.col + label.width])
    # drawing the names changes no other cell of the map
    story = default_story()
    routes = story_routes(story)
    used = {pid for route in routes for pid in route.place_ids}
    plain = compose_map(load_region(), [p for p in story.places.values() if p.id in used], routes, cols=80, rows=24, countries=False)
    covered = {(label.row, col) for label in with_names.countries for col in range(label.col, label.col + label.width)}
    for r, (row_a, row_b) in enumerate(zip(with_names.rows, plain.rows, strict=True)):
        for c, (a, b) in enumerate(zip(row_a, row_b, strict=True)):
            if (r, c) in covered:
                assert b.char == " ", (r, c, b)
            else:
                assert a == b, (r, c, a, b)


def test_country_names_are_dropped_where_there_is_no_room() -> None:
    tiny = _story_map(24, 8)
    assert tiny.countries == ()
    narrow = _story_map(40, 22)  # only the biggest countries fit, if any
    assert {label.text for label in narrow.countries} <= {"CHINA", "RUSSIA", "MONGOLIA"}


def test_a_zoomed_journey_names_both_koreas() -> None:
    story = default_story()
    ids = ("kaesong", "dmz-zone", "panmunjom", "seoul")
    places = [story.places[i] for i in ids]
    view = fitted_viewport((p.lat, p.lon) for p in places)
    for cols in (80, 40):
        model = compose_map(load_region(), places, [MapRoute("Your journey", ids, 0)], "seoul", cols=cols, rows=22, viewport=view)
        names = {label.text for label in model.countries}
        assert {"NORTH KOREA", "SOUTH KOREA"} <= names or {"N. KOREA", "S. KOREA"} <= names, names


def test_ascii_map_names_countries_in_ascii() -> None:
    model = _story_map(80, 24, ASCII)
    assert model.countries
    for row in model.text_rows():
        assert row.isascii()
