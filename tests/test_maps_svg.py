"""crossing.maps.svg: the guide's SVG map: escaped, well formed, readable, on one page."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

from crossing.journeys import story_routes
from crossing.maps import MapPlace, MapRoute, load_region, plan_svg, svg_map
from crossing.maps.labels import segments_cross
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
