"""A grid of terminal cells, each holding 2 x 4 braille dots or one cell of text."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

from crossing.immutable import immutable
from crossing.maps.cells import text_cells
from crossing.maps.projection import clip_segment

# Tags of canvas cells; a route's tag is ``ROUTE_TAG_PREFIX + route name``.
TAG_BLANK = ""
TAG_COAST = "coast"
TAG_BORDER = "border"
TAG_PLACE = "place"
TAG_CURRENT = "current"
TAG_LABEL = "label"
TAG_EDGE = "edge"
TAG_LEGEND = "legend"
TAG_COUNTRY = "country"
ROUTE_TAG_PREFIX = "route:"

_BRAILLE_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # [dy][dx]


@immutable
class MapCell:
    """One terminal cell: its text (``""`` for the second half of a wide character) and tag."""

    char: str
    tag: str


def _tag_rank(tag: str) -> int:
    if tag.startswith(ROUTE_TAG_PREFIX):
        return 4
    return {TAG_CURRENT: 6, TAG_PLACE: 5, TAG_BORDER: 2, TAG_COAST: 1}.get(tag, 0)


class BrailleCanvas:
    """A grid of ``cols`` x ``rows`` character cells holding 2 x 4 braille dots each.

    Dots carry layer tags (``coast``, ``border``, ``route:<name>``...); a cell shows the
    tag of highest rank among its dots (place > route > border > coast; among routes,
    the one drawn last).  Text (markers, labels) can be put into cells; it hides the
    dots there and reserves the cells.
    """

    def __init__(self, cols: int, rows: int) -> None:
        if cols < 1 or rows < 1:
            raise ValueError("canvas needs at least one cell")
        self.cols = cols
        self.rows = rows
        self._bits = [[0] * cols for _ in range(rows)]
        self._tags: list[list[list[str]]] = [[[] for _ in range(cols)] for _ in range(rows)]
        self._text: dict[tuple[int, int], tuple[str, str]] = {}

    @property
    def width(self) -> int:
        """Width in dots."""
        return 2 * self.cols

    @property
    def height(self) -> int:
        """Height in dots."""
        return 4 * self.rows

    def set_dot(self, x: int, y: int, tag: str = "") -> None:
        """Set dot (x, y); dots off the canvas are ignored."""
        if not (0 <= x < self.width and 0 <= y < self.height):
            return
        col, row = x // 2, y // 4
        self._bits[row][col] |= _BRAILLE_BITS[y % 4][x % 2]
        if tag:
            tags = self._tags[row][col]
            if tag in tags:
                tags.remove(tag)
            tags.append(tag)

    def line(self, x0: float, y0: float, x1: float, y1: float, tag: str = "") -> None:
        """Bresenham line between dot positions (floats are floored), clipped to the canvas."""
        clipped = clip_segment(x0, y0, x1, y1, (0.0, 0.0, self.width - 1e-9, self.height - 1e-9))
        if clipped is None:
            return
        ax, ay = math.floor(clipped[0]), math.floor(clipped[1])
        bx, by = math.floor(clipped[2]), math.floor(clipped[3])
        dx, dy = abs(bx - ax), -abs(by - ay)
        sx = 1 if ax < bx else -1
        sy = 1 if ay < by else -1
        err = dx + dy
        while True:
            self.set_dot(ax, ay, tag)
            if ax == bx and ay == by:
                break
            e2 = 2 * err
            if e2 >= dy:
                err += dy
                ax += sx
            if e2 <= dx:
                err += dx
                ay += sy

    def polyline(self, points: Sequence[tuple[float, float]], tag: str = "") -> None:
        """Lines through dot positions in order (one point sets a single dot)."""
        if len(points) == 1:
            x, y = points[0]
            self.set_dot(math.floor(x), math.floor(y), tag)
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            self.line(x0, y0, x1, y1, tag)

    def is_blank(self, col: int, row: int) -> bool:
        """Whether a cell on the canvas holds neither dots nor text."""
        return 0 <= col < self.cols and 0 <= row < self.rows and not self._bits[row][col] and (col, row) not in self._text

    def is_text(self, col: int, row: int) -> bool:
        return (col, row) in self._text

    def cell_tag(self, col: int, row: int) -> str:
        """The tag the renderer colours the cell by."""
        if (col, row) in self._text:
            return self._text[(col, row)][1]
        best = TAG_BLANK
        for tag in self._tags[row][col]:
            if not best or _tag_rank(tag) >= _tag_rank(best):
                best = tag
        return best

    def cell_char(self, col: int, row: int) -> str:
        if (col, row) in self._text:
            return self._text[(col, row)][0]
        bits = self._bits[row][col]
        return chr(0x2800 + bits) if bits else " "

    def set_char(self, col: int, row: int, char: str, tag: str) -> None:
        """Put one cell of text (overwrites whatever was there)."""
        if 0 <= col < self.cols and 0 <= row < self.rows:
            self._text[(col, row)] = (char, tag)

    def fits(self, col: int, row: int, width: int, *, gap: bool = False) -> bool:
        """Whether ``width`` cells from (col, row) are on the canvas and free of text
        (with ``gap``, the cells just before and after must not hold a label either)."""
        if row < 0 or row >= self.rows or col < 0 or col + width > self.cols:
            return False
        if any((c, row) in self._text for c in range(col, col + width)):
            return False
        if gap:
            for c in (col - 1, col + width):
                entry = self._text.get((c, row))
                if entry is not None and entry[0].strip() and entry[1] not in (TAG_PLACE, TAG_CURRENT):
                    return False
        return True

    def put_text(self, col: int, row: int, text: str, tag: str) -> bool:
        """Write text into cells from (col, row), only where it fits (on the canvas,
        not over other text).  Returns whether it was written."""
        cells = text_cells(text)
        if not self.fits(col, row, len(cells)):
            return False
        for i, chunk in enumerate(cells):
            self.set_char(col + i, row, chunk, tag)
        return True

    def count_tagged(self, col: int, row: int, width: int, prefix: str) -> int:
        """How many of ``width`` cells from (col, row) have a dot tag starting with ``prefix``."""
        if not 0 <= row < self.rows:
            return 0
        return sum(
            1 for c in range(max(col, 0), min(col + width, self.cols)) if any(t.startswith(prefix) for t in self._tags[row][c])
        )

    def cells(self, dot_char: Callable[[str], str] | None = None) -> list[list[MapCell]]:
        """The grid as cells.  ``dot_char``, given a cell's tag, draws a cell of dots as one
        character instead of braille (ASCII art)."""
        grid: list[list[MapCell]] = []
        for r in range(self.rows):
            row: list[MapCell] = []
            for c in range(self.cols):
                char, tag = self.cell_char(c, r), self.cell_tag(c, r)
                if dot_char is not None and (c, r) not in self._text and char != " ":
                    char = dot_char(tag)
                row.append(MapCell(char, tag))
            grid.append(row)
        return grid
