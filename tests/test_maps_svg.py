"""crossing.maps.svg: the guide's SVG map: escaped, well formed, readable, on one page."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

from crossing.journeys import story_routes
from crossing.maps import MapPlace, MapRoute, Projection, load_region, plan_svg, svg_map
from crossing.maps.countries import country_grid
from crossing.maps.labels import segments_cross
from crossing.maps.projection import clip_segment
from crossing.maps.svg import ROUTE_COLOURS_HEX
from maps_fixtures import PLACES, ROUTES, boxes_intersect, default_story

NS = "{http://www.w3.org/2000/svg}"


def test_svg_escapes_text_and_is_well_formed() -> None:
    places = [*PLACES.values(), MapPlace("odd", 'Sin<uiju & "co"', 40.5, 124.8)]
    routes = [*ROUTES, MapRoute("<script>", ("odd", "seoul"), 4)]
    svg = svg_map(load_region(), places, routes, current="seoul", title="A <map>", caption="Lines & <notes>")
    assert "Sin&lt;uiju &amp; &quot;co&quot;" in svg and "Sin<uiju" not in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    root = ET.fromstring(svg)
    classes = {el.get("class") for el in root.iter(f"{NS}polyline") if "route" in (el.get("class") or "").split()}
    assert classes == {f"route route-{r.colour}" for r in routes}
    texts = "".join(el.text or "" for el in root.iter(f"{NS}text"))
    assert "Moscow" in texts and "←" in texts and "Lines & <notes>" in texts


def test_svg_fits_a_printed_page() -> None:
    root = ET.fromstring(svg_map(load_region(), PLACES.values(), ROUTES))
    x, y, w, h = (float(v) for v in (root.get("viewBox") or "").split())
    assert (x, y) == (0, 0) and w == float(root.get("width") or 0) and h == float(root.get("height") or 0)
    style = root.get("style") or ""
    assert "max-width:100%" in style and "max-height:23cm" in style and "height:auto" in style


def _default_plan():  # type: ignore[no-untyped-def]
    story = default_story()
    return story, plan_svg(load_region(), list(story.places.values()), story_routes(story))


def test_default_story_labels_never_overlap_in_any_panel() -> None:
    _story, plan = _default_plan()
    assert plan.inset is not None  # the crowded Korean border areas are enlarged
    for panel in plan.panels:
        boxes = [label.box for label in (*panel.labels, *panel.pointers)]
        for a, b in itertools.combinations(boxes, 2):
            assert not boxes_intersect(a, b), (a, b)
        for label in panel.labels:
            assert label.box[0] >= 0 and label.box[2] <= panel.width and label.box[1] >= 0 and label.box[3] <= panel.height
            for marker in panel.markers:
                if marker.place.id not in label.place_ids:
                    assert not boxes_intersect(label.box, marker.box), (label.text, marker.place.id)
        leaders = [label.leader for label in panel.labels if label.leader is not None]
        for a, b in itertools.combinations(leaders, 2):
            assert not segments_cross(a, b)
    # the main map's labels stay off the inset
    inset = plan.inset
    for label in plan.main.labels:
        assert not boxes_intersect(label.box, (inset.x, inset.y, inset.x + inset.width, inset.y + inset.height))


def test_every_place_on_a_route_is_named_once_somewhere() -> None:
    story, plan = _default_plan()
    routed = {pid for route in story_routes(story) for pid in route.place_ids}
    named: dict[str, int] = {}
    for panel in plan.panels:
        for label in (*panel.labels, *panel.pointers):
            for pid in label.place_ids:
                named[pid] = named.get(pid, 0) + 1
    assert routed <= set(named)
    assert all(count == 1 for count in named.values()), named
    # the labels the issue found on top of each other are apart, or one label
    texts = [label.text for panel in plan.panels for label in panel.labels]
    assert any("Kaesong" in text and "Panmunjom" in text for text in texts), texts


def test_route_segments_join_only_consecutive_places_of_a_route() -> None:
    story, plan = _default_plan()
    routes = story_routes(story)
    for panel in plan.panels:
        proj_points = {m.place.id: (round(m.x, 1), round(m.y, 1)) for m in panel.markers}
        allowed = set()
        for route in routes:
            for a, b in itertools.pairwise(route.place_ids):
                if a in proj_points and b in proj_points:
                    allowed.add(frozenset((proj_points[a], proj_points[b])))
        for _name, _colour, runs in panel.routes:
            for run in runs:
                for p, q in itertools.pairwise(run):
                    ends = frozenset(((round(p[0], 1), round(p[1], 1)), (round(q[0], 1), round(q[1], 1))))
                    inside = all(pt in proj_points.values() for pt in ends)
                    if inside:  # a segment between two places (not one clipped at the panel's edge)
                        assert ends in allowed


def test_no_route_line_from_south_east_asia_to_pyongyang() -> None:
    # The guide's map drew a green line from Vientiane to Pyongyang: a forced return, not the route.
    story = default_story()
    for route in story_routes(story):
        for a, b in itertools.pairwise(route.place_ids):
            assert {a, b} != {"vientiane", "pyongyang"}, route.name
            if route.name.startswith("Across the Tumen"):
                assert "seoul" not in (a, b)  # flights to Seoul are not the route either


def test_countries_are_named_inside_their_land_in_both_panels() -> None:
    _story, plan = _default_plan()
    assert plan.inset is not None
    grid = country_grid(load_region())
    main = {label.text for label in plan.main.countries}
    assert {"CHINA", "RUSSIA", "MONGOLIA"} <= main, main
    inset = {label.text for label in plan.inset.countries}
    assert {"CHINA"} <= inset and inset & {"NORTH KOREA", "N. KOREA"} and inset & {"SOUTH KOREA", "S. KOREA"}, inset
    for panel in plan.panels:
        proj = Projection(panel.viewport, panel.width, panel.height)
        texts = [label.text for label in panel.countries]
        assert len(texts) == len(set(texts))
        for label in panel.countries:
            x0, y0, x1, y1 = label.box
            assert x0 >= 0 and x1 <= panel.width and y0 >= 0 and y1 <= panel.height
            assert x1 - x0 >= 7 * len(label.text)  # room for every letter
            for fx in (0.02, 0.25, 0.5, 0.75, 0.98):
                for fy in (0.1, 0.5, 0.9):
                    country = grid.country_at(*proj.unproject(x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)))
                    assert country is not None and label.text in country.names, (label.text, fx, fy, country)


def test_country_names_keep_clear_of_labels_markers_and_routes() -> None:
    _story, plan = _default_plan()
    assert plan.inset is not None
    frame = (plan.inset.x, plan.inset.y, plan.inset.x + plan.inset.width, plan.inset.y + plan.inset.height)
    for panel in plan.panels:
        assert panel.countries
        for label in panel.countries:
            box = label.box
            for other in (*panel.labels, *panel.pointers):
                assert not boxes_intersect(box, other.box), (label.text, other.text)
                if other.leader is not None:
                    assert clip_segment(*other.leader, box) is None, (label.text, other.text)
            for marker in panel.markers:
                assert not boxes_intersect(box, marker.box), (label.text, marker.place.id)
            for _name, _colour, runs in (*panel.routes, *panel.stubs):
                for run in runs:
                    for a, b in itertools.pairwise(run):
                        assert clip_segment(*a, *b, box) is None, (label.text, _name)
            for ring in panel.rings:
                assert not boxes_intersect(box, ring.box)
            for a, b in itertools.combinations(panel.countries, 2):
                assert not boxes_intersect(a.box, b.box)
    for label in plan.main.countries:
        assert not boxes_intersect(label.box, frame), label.text
    root = ET.fromstring(svg_map(load_region(), list(default_story().places.values()), story_routes(default_story())))
    drawn = {el.text for el in root.iter(f"{NS}text") if el.get("class") == "country"}
    assert drawn == {label.text for panel in plan.panels for label in panel.countries}


def test_no_route_line_of_the_main_map_runs_under_the_inset() -> None:
    _story, plan = _default_plan()
    inset = plan.inset
    assert inset is not None
    frame = (inset.x - 2, inset.y - 2, inset.x + inset.width + 2, inset.y + inset.height + 2)
    for _name, _colour, runs in plan.main.routes:
        for run in runs:
            for a, b in itertools.pairwise(run):
                assert clip_segment(*a, *b, frame) is None, (_name, a, b)
    # a line across the corner the inset takes is cut at its frame (the made-up line from Bangkok to Vladivostok
    # runs under where the inset would go, so the inset goes elsewhere or the line stops at its frame)
    story = default_story()
    routes = [*story_routes(story), MapRoute("Across", ("bangkok", "vladivostok"), 5)]
    crossing = plan_svg(load_region(), list(story.places.values()), routes)
    if crossing.inset is not None:
        box = (crossing.inset.x, crossing.inset.y, crossing.inset.x + crossing.inset.width, crossing.inset.y + crossing.inset.height)
        for _name, _colour, runs in crossing.main.routes:
            for run in runs:
                for a, b in itertools.pairwise(run):
                    assert clip_segment(*a, *b, box) is None


def test_inset_legs_to_places_outside_it_stop_short_of_its_frame() -> None:
    _story, plan = _default_plan()
    inset = plan.inset
    assert inset is not None and inset.stubs  # Yanji and Tumen have legs to Beijing, Shenyang, Erenhot, Jinghong
    for _name, _colour, runs in inset.stubs:
        for run in runs:
            (ax, ay), (bx, by) = run[0], run[-1]
            assert ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5 <= 36.0 + 1e-6
            for x, y in run:
                assert 12.0 - 1e-6 <= x <= inset.width - 12.0 + 1e-6 and 12.0 - 1e-6 <= y <= inset.height - 12.0 + 1e-6
    # every full line in the inset joins two places in it
    places = {(round(m.x, 1), round(m.y, 1)) for m in inset.markers}
    for _name, _colour, runs in inset.routes:
        for run in runs:
            for point in (run[0], run[-1]):
                assert (round(point[0], 1), round(point[1], 1)) in places, (_name, point)


def test_a_route_too_short_to_see_is_ringed_and_kept_in_the_legend() -> None:
    _story, plan = _default_plan()
    assert ("Across the DMZ", 0) in plan.legend
    for panel in plan.panels:
        rings = [ring for ring in panel.rings if ring.name == "Across the DMZ"]
        assert rings, "the DMZ route, a few km long, is ringed"
        for ring in rings:
            assert ring.radius >= 9 and ring.colour == 0
    assert plan.ringed
    long_routes = {ring.name for panel in plan.panels for ring in panel.rings}
    assert long_routes == {"Across the DMZ"}
    svg = svg_map(load_region(), list(default_story().places.values()), story_routes(default_story()))
    root = ET.fromstring(svg)
    circles = [el for el in root.iter(f"{NS}circle") if (el.get("class") or "").startswith("route-ring")]
    assert circles and all(el.get("stroke") == ROUTE_COLOURS_HEX[0] for el in circles)
    assert "too short to see at this scale" in svg


def test_lines_are_cut_at_a_box() -> None:
    from crossing.maps.svg import _runs_outside

    box = (10.0, 10.0, 20.0, 20.0)
    runs = _runs_outside([((0.0, 15.0), (30.0, 15.0), (30.0, 0.0)), ((0.0, 0.0), (5.0, 5.0))], box)
    assert runs == [((0.0, 15.0), (10.0, 15.0)), ((20.0, 15.0), (30.0, 15.0), (30.0, 0.0)), ((0.0, 0.0), (5.0, 5.0))]
    for run in runs:
        for a, b in itertools.pairwise(run):
            inside = clip_segment(*a, *b, box)
            assert inside is None or (inside[0], inside[1]) == (inside[2], inside[3])  # at most a touch of the frame


def test_a_main_map_line_under_an_inset_is_cut_at_its_frame() -> None:
    """Whatever corner the inset takes, no line of the main map is drawn under it: here an inset is
    put by hand in the middle of the map, across the lines from China to the Korean border."""
    import dataclasses

    from crossing.maps.svg import _Scene

    story, plan = _default_plan()
    assert plan.inset is not None
    region = load_region()
    scene = _Scene(list(region.lines), dict(story.places), story_routes(story), None, region)
    proj = Projection(plan.main.viewport, plan.main.width, plan.main.height)
    moved = dataclasses.replace(plan.inset, x=200.0, y=300.0)
    frame = (moved.x, moved.y, moved.x + moved.width, moved.y + moved.height)
    before = scene.panel(proj, 0.0, 0.0, pointers=True)
    crossed = [(a, b) for _n, _c, runs in before.routes for run in runs for a, b in itertools.pairwise(run) if clip_segment(*a, *b, frame)]
    assert crossed  # the lines do run there
    after = scene.panel(proj, 0.0, 0.0, pointers=True, keep_clear=moved)
    for _name, _colour, runs in after.routes:
        for run in runs:
            for a, b in itertools.pairwise(run):
                inside = clip_segment(*a, *b, frame)
                assert inside is None, (_name, a, b)
    for label in after.countries:
        assert not boxes_intersect(label.box, frame)
