"""Labels on a plane (the SVG map): beside their place, or further out on a leader line,
never over another label, another place's marker or another leader line."""

from __future__ import annotations

import math
from collections.abc import Sequence

from crossing.immutable import immutable
from crossing.maps.projection import Box, clip_segment

Segment = tuple[float, float, float, float]

CHAR_W = 7.0
"""Estimated width of one character of 12 px sans-serif text."""
LABEL_H = 14.0

# Directions to try, best first (degrees, y down: -90 is up): beside, then diagonals, then above and below,
# then everything between.
_ANGLES = (0, 180, -35, 35, 145, -145, -90, 90, -60, 60, -120, 120, -15, 15, 165, -165, -75, 75, -105, 105, -45, 45, -135, 135)
_DISTANCES = (0.0, 10.0, 22.0, 36.0, 52.0, 70.0, 90.0, 115.0)


@immutable
class LabelRequest:
    """A label wanted for the marker at (x, y) of ``radius``."""

    text: str
    place_ids: tuple[str, ...]
    x: float
    y: float
    radius: float
    leaders: bool = True  # whether it may be moved away on a leader line


@immutable
class PlacedLabel:
    """Where a label went: ``x``/``y`` and ``anchor`` as SVG text attributes, its ``box``, and
    the ``leader`` line from its marker to the box (None when it sits beside the marker)."""

    text: str
    place_ids: tuple[str, ...]
    x: float
    y: float
    anchor: str  # start | middle | end
    box: Box
    leader: Segment | None = None


def label_width(text: str) -> float:
    return CHAR_W * len(text) + 4


def boxes_meet(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def segment_meets_box(segment: Segment, box: Box) -> bool:
    return clip_segment(*segment, box) is not None


def segments_cross(a: Segment, b: Segment) -> bool:
    """Whether two segments properly cross (touching at an end does not count)."""

    def side(x0: float, y0: float, x1: float, y1: float, px: float, py: float) -> float:
        return (x1 - x0) * (py - y0) - (y1 - y0) * (px - x0)

    d1, d2 = side(*a, b[0], b[1]), side(*a, b[2], b[3])
    d3, d4 = side(*b, a[0], a[1]), side(*b, a[2], a[3])
    return d1 * d2 < 0 and d3 * d4 < 0


def _candidate(request: LabelRequest, angle: float, distance: float) -> PlacedLabel:
    """The label put in direction ``angle`` from its marker, ``distance`` beyond the marker's edge."""
    w, h = label_width(request.text), LABEL_H
    ux, uy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    gap = request.radius + 2 + distance
    px, py = request.x + ux * gap, request.y + uy * gap
    x0 = px if ux > 0.3 else px - w if ux < -0.3 else px - w / 2
    y0 = py if uy > 0.3 else py - h if uy < -0.3 else py - h / 2
    anchor = "start" if ux > 0.3 else "end" if ux < -0.3 else "middle"
    tx = {"start": x0 + 2, "end": x0 + w - 2, "middle": x0 + w / 2}[anchor]
    leader = (request.x + ux * request.radius, request.y + uy * request.radius, px, py) if distance > 0 else None
    return PlacedLabel(request.text, request.place_ids, tx, y0 + h - 3.5, anchor, (x0, y0, x0 + w, y0 + h), leader)


class LabelBoard:
    """Labels placed so far, and what they must keep clear of."""

    def __init__(self, bounds: Box, markers: Sequence[tuple[str, Box]], routes: Sequence[Segment]) -> None:
        self.bounds = bounds
        self.markers = list(markers)  # (place id, box)
        self.routes = list(routes)
        self.placed: list[PlacedLabel] = []

    def free(self, label: PlacedLabel) -> bool:
        """Whether ``label`` is inside the bounds and clear of every label, leader and other marker."""
        b, box = self.bounds, label.box
        if box[0] < b[0] or box[1] < b[1] or box[2] > b[2] or box[3] > b[3]:
            return False
        for other in self.placed:
            if boxes_meet(box, other.box):
                return False
            if other.leader is not None and segment_meets_box(other.leader, box):
                return False
            if label.leader is not None and (
                segment_meets_box(label.leader, other.box) or (other.leader is not None and segments_cross(label.leader, other.leader))
            ):
                return False
        for place_id, marker in self.markers:
            if place_id in label.place_ids:
                continue
            if boxes_meet(box, marker) or (label.leader is not None and segment_meets_box(label.leader, marker)):
                return False
        return True

    def add(self, label: PlacedLabel) -> None:
        self.placed.append(label)

    def place_all(self, requests: Sequence[LabelRequest], first: int = 0) -> list[PlacedLabel]:
        """Place labels: the first ``first`` requests in order, then the rest most crowded first
        (a place hemmed in by others has the fewest spots left, so it chooses before its
        neighbours take them), ties in the order given.  Labels with no room are left out."""
        def crowd(request: LabelRequest) -> int:
            return -sum(1 for pid, box in self.markers if pid not in request.place_ids and
                        abs((box[0] + box[2]) / 2 - request.x) < 30 and abs((box[1] + box[3]) / 2 - request.y) < 30)

        ordered = [*requests[:first], *sorted(requests[first:], key=lambda r: (not r.leaders, crowd(r)))]
        return [label for request in ordered if (label := self.place(request)) is not None]

    def place(self, request: LabelRequest) -> PlacedLabel | None:
        """The best free spot for a label (near its marker, over few route lines), placed; or None."""
        best: tuple[float, PlacedLabel] | None = None
        for step, distance in enumerate(_DISTANCES if request.leaders else _DISTANCES[:1]):
            for turn, angle in enumerate(_ANGLES):
                label = _candidate(request, angle, distance)
                if not self.free(label):
                    continue
                crossings = sum(1 for segment in self.routes if segment_meets_box(segment, label.box))
                x0, y0, x1, y1 = label.box
                near = (x0 - 10, y0 - 10, x1 + 10, y1 + 10)  # space another crowded marker's label may need
                crowding = sum(1 for pid, box in self.markers if pid not in label.place_ids and boxes_meet(near, box))
                score = step * 10 + crossings * 6 + crowding * 3 + turn * 0.1
                if best is None or score < best[0]:
                    best = (score, label)
            if best is not None and best[0] < (step + 1) * 10:
                break  # nothing further out can beat a spot over no route line at this distance
        if best is None:
            return None
        self.add(best[1])
        return best[1]
