"""crossing.maps.pointers: one rule for arrows to places off the map (terminal and SVG alike)."""

from __future__ import annotations

import pytest

from crossing.maps import BRAILLE, REGION, MapPlace, MapRoute, Projection, format_km, great_circle_km
from crossing.maps.pointers import edge_point, label_order, off_map_pointers
from maps_fixtures import COORDS, PLACES, ROUTES


def test_edge_point() -> None:
    assert edge_point(5, 5, 20, 5, 10, 10) == (10, 5, "right")
    assert edge_point(5, 5, -20, 5, 10, 10) == (0, 5, "left")
    assert edge_point(5, 5, 5, -1, 10, 10) == (5, 0, "top")
    assert edge_point(2, 8, 2, 30, 10, 10) == (2, 10, "bottom")
    assert edge_point(5, 5, 5, 5, 10, 10) == (5, 5, "left")  # no direction: stays put


def test_reference_is_current_then_route_predecessor_then_nearest() -> None:
    proj = Projection(REGION, 400.0, 450.0)
    by_id = {pid: PLACES[pid] for pid in ("pyongyang", "khabarovsk", "seoul", "moscow")}
    moscow_from = {pid: format_km(great_circle_km(*COORDS[pid], *COORDS["moscow"])) for pid in by_id}
    (ptr,) = off_map_pointers(by_id, ROUTES, PLACES["pyongyang"], proj, BRAILLE)
    assert (ptr.place.id, ptr.text, ptr.side) == ("moscow", f"← Moscow {moscow_from['pyongyang']}", "left")
    (ptr,) = off_map_pointers(by_id, ROUTES, None, proj, BRAILLE)
    assert ptr.text == f"← Moscow {moscow_from['khabarovsk']}"  # Siberia reaches Moscow from Khabarovsk
    (ptr,) = off_map_pointers(by_id, [], None, proj, BRAILLE)
    assert ptr.text == f"← Moscow {moscow_from['khabarovsk']}"  # the nearest place on the map
    (ptr,) = off_map_pointers({"moscow": PLACES["moscow"]}, [], None, proj, BRAILLE)
    assert ptr.text == "← Moscow"  # nothing on the map: no distance
    assert 0 <= ptr.x <= proj.width and 0 <= ptr.y <= proj.height


def test_a_place_east_of_the_map_points_right() -> None:
    proj = Projection(REGION, 400.0, 450.0)
    far = MapPlace("far", "Far Isle (Pacific)", 35.0, 160.0)
    by_id = {"seoul": PLACES["seoul"], "far": far}
    (ptr,) = off_map_pointers(by_id, [MapRoute("Sea", ("seoul", "far"), 0)], None, proj, BRAILLE)
    assert ptr.side == "right" and ptr.text == f"Far Isle {format_km(great_circle_km(*COORDS['seoul'], 35.0, 160.0))} →"


@pytest.mark.parametrize("current", [None, "bangkok"])
def test_label_order_current_first_then_places_on_more_routes(current: str | None) -> None:
    order = [p.id for p in label_order(list(PLACES.values()), ROUTES, PLACES[current] if current else None)]
    if current:
        assert order[0] == current
    # Pyongyang is on three routes, Beijing on two: both before places on one route, and places on none last
    assert order.index("pyongyang") < order.index("beijing") < order.index("hyesan")
    assert order[-1] in ("sinuiju", "ulaanbaatar", "hoeryong", "vladivostok")
