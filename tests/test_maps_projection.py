"""crossing.maps.projection: cities land in hand-computed cells; segments are clipped."""

from __future__ import annotations

import pytest

from crossing.maps import REGION, Projection, Viewport, fitted_viewport
from crossing.maps.projection import clip_segment
from maps_fixtures import COORDS


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


def test_projection_puts_cities_in_the_right_part_of_the_region() -> None:
    cols, rows = 40, 24
    proj = Projection.for_canvas(REGION, cols, rows)
    cell = {pid: proj.cell(lat, lon) for pid, (lat, lon) in COORDS.items() if pid != "moscow"}
    for col, row in cell.values():
        assert 0 <= col < cols and 0 <= row < rows
    assert cell["seoul"][1] > cell["pyongyang"][1]
    assert cell["bangkok"][0] < cols // 3 and cell["bangkok"][1] >= rows - 3
    assert cell["tynda"][1] <= 2
    assert cell["khabarovsk"][0] == max(c for c, _ in cell.values())
    assert cell["beijing"][0] < cell["shenyang"][0] < cell["pyongyang"][0]
    assert not proj.on_plane(*proj.project(*COORDS["moscow"]))


def test_every_test_place_but_moscow_is_in_the_default_viewport() -> None:
    for pid, (lat, lon) in COORDS.items():
        assert REGION.contains(lat, lon) == (pid != "moscow"), pid


def test_empty_viewport_is_refused() -> None:
    with pytest.raises(ValueError, match="empty viewport"):
        Viewport(10.0, 10.0, 0.0, 1.0)


def test_clip_segment() -> None:
    box = (0.0, 0.0, 10.0, 10.0)
    assert clip_segment(-5, 5, 15, 5, box) == (0.0, 5.0, 10.0, 5.0)
    assert clip_segment(2, 2, 3, 3, box) == (2, 2, 3, 3)
    assert clip_segment(-5, -5, -1, 20, box) is None
    assert clip_segment(11, 0, 11, 10, box) is None


def test_fitted_viewport_frames_a_journey() -> None:
    # Hoeryong to Yanji: 0.46 deg of latitude, 0.24 of longitude: framed at the least span, centred
    vp = fitted_viewport([COORDS["hoeryong"], COORDS["yanji"]])
    assert vp.lat_max - vp.lat_min == pytest.approx(4.0) and vp.lon_max - vp.lon_min == pytest.approx(4.0)
    assert (vp.lat_min + vp.lat_max) / 2 == pytest.approx((42.44 + 42.90) / 2)
    assert (vp.lon_min + vp.lon_max) / 2 == pytest.approx((129.75 + 129.51) / 2)
    # Pyongyang to Beijing: the box plus 1 degree each side
    vp = fitted_viewport([COORDS["pyongyang"], COORDS["beijing"]])
    assert (vp.lon_min, vp.lon_max) == pytest.approx((115.4, 126.75))
    assert (vp.lat_min, vp.lat_max) == pytest.approx((37.46, 41.46))  # 0.88 + 2 < 4: widened to 4 round the middle
    # a journey as wide as the region, or none: the whole region
    assert fitted_viewport([COORDS["bangkok"], COORDS["moscow"]]) == REGION  # Moscow becomes an arrow at the edge
    assert fitted_viewport([]) == REGION
