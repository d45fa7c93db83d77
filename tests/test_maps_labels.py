"""crossing.maps.labels: labels on a plane keep clear of each other, of markers and of leader lines."""

from __future__ import annotations

import itertools
import math

from crossing.maps.labels import LabelBoard, LabelRequest, boxes_meet, label_width, segments_cross
from maps_fixtures import boxes_intersect


def test_geometry_helpers() -> None:
    assert boxes_meet((0, 0, 2, 2), (1, 1, 3, 3)) and not boxes_meet((0, 0, 1, 1), (1, 0, 2, 1))
    assert segments_cross((0, 0, 2, 2), (0, 2, 2, 0))
    assert not segments_cross((0, 0, 1, 1), (1, 1, 2, 0))  # touching at an end
    assert not segments_cross((0, 0, 1, 0), (0, 1, 1, 1))


def test_crowded_places_get_leader_lines_and_no_overlaps() -> None:
    # Eight places on a ring 12 px across and one in the middle: most labels cannot sit beside their dot.
    ring = [(200 + 12 * math.cos(math.radians(a)), 200 + 12 * math.sin(math.radians(a))) for a in range(0, 360, 45)]
    requests = [LabelRequest(f"Place {i}", (f"p{i}",), x, y, 3.5) for i, (x, y) in enumerate(ring)]
    markers = [(r.place_ids[0], (r.x - 4.5, r.y - 4.5, r.x + 4.5, r.y + 4.5)) for r in requests]
    board = LabelBoard((0, 0, 400, 400), markers, [])
    labels = board.place_all(requests)
    assert sorted(label.text for label in labels) == sorted(r.text for r in requests)
    assert any(label.leader is not None for label in labels)
    for a, b in itertools.combinations(labels, 2):
        assert not boxes_intersect(a.box, b.box)
        if a.leader and b.leader:
            assert not segments_cross(a.leader, b.leader)
    for label in labels:
        assert label.box[2] - label.box[0] == label_width(label.text)
        for place_id, box in markers:
            if place_id not in label.place_ids:
                assert not boxes_intersect(label.box, box)


def test_a_label_with_no_room_is_left_out_rather_than_overlapping() -> None:
    board = LabelBoard((0, 0, 60, 20), [], [])
    assert board.place(LabelRequest("A long name that cannot fit", ("a",), 30, 10, 3.5)) is None
    assert board.placed == []


def test_labels_prefer_spots_off_route_lines() -> None:
    # a route runs east from the place: the label goes elsewhere
    board = LabelBoard((0, 0, 400, 400), [], [(200, 200, 390, 200)])
    label = board.place(LabelRequest("Seoul", ("seoul",), 200, 200, 3.5))
    assert label is not None and not (label.box[1] < 200 < label.box[3] and label.box[2] > 200)
