"""crossing.maps.canvas: braille dots, lines, tags and text cells."""

from __future__ import annotations

import pytest

from crossing.maps.canvas import BrailleCanvas
from crossing.maps.cells import text_cells


def rows(canvas: BrailleCanvas) -> list[str]:
    return ["".join(cell.char for cell in row) for row in canvas.cells()]


def test_braille_dots_and_lines() -> None:
    canvas = BrailleCanvas(3, 2)
    assert canvas.width == 6 and canvas.height == 8
    assert rows(canvas) == ["   ", "   "]
    canvas.set_dot(0, 0, "coast")
    canvas.set_dot(1, 3, "coast")
    assert rows(canvas)[0][0] == chr(0x2800 + 0x01 + 0x80)  # dots 1 and 8
    canvas.set_dot(99, 99, "coast")  # off the canvas: ignored
    full = BrailleCanvas(1, 1)
    for x in range(2):
        for y in range(4):
            full.set_dot(x, y)
    assert rows(full) == ["⣿"]
    line = BrailleCanvas(4, 1)
    line.line(0, 0, 7, 0, "border")
    assert rows(line) == ["⠉⠉⠉⠉"]
    diagonal = BrailleCanvas(2, 2)
    diagonal.line(0, 0, 3, 7, "border")
    # Bresenham from dot (0, 0) to (3, 7): dots (0,0) (0,1) (1,2) (1,3) | (2,4) (2,5) (3,6) (3,7)
    assert rows(diagonal) == [chr(0x2800 + 0x01 + 0x02 + 0x20 + 0x80) + " ", " " + chr(0x2800 + 0x01 + 0x02 + 0x20 + 0x80)]
    # a line far off the canvas draws nothing and does not loop for long
    before = rows(diagonal)
    diagonal.line(-1e6, -1e6, -1e6 + 5, -2e6, "border")
    assert rows(diagonal) == before


def test_canvas_tags_and_text() -> None:
    canvas = BrailleCanvas(10, 2)
    canvas.line(0, 1, 19, 1, "coast")
    canvas.line(0, 2, 9, 2, "route:China")
    assert canvas.cell_tag(0, 0) == "route:China"  # a route outranks the coast
    assert canvas.cell_tag(9, 0) == "coast"
    assert canvas.cell_tag(0, 1) == ""
    assert canvas.put_text(2, 1, "Seoul", "label")
    assert not canvas.put_text(4, 1, "X", "label")  # overlaps
    assert not canvas.put_text(8, 1, "long", "label")  # off the edge
    assert rows(canvas)[1] == "  Seoul   "
    assert canvas.cell_tag(3, 1) == "label"
    assert canvas.put_text(0, 0, "평양", "label")  # wide characters take two cells
    assert rows(canvas)[0].startswith("평양")
    assert [len(text_cells(row)) for row in rows(canvas)] == [10, 10]


def test_fits_keeps_a_gap_between_labels() -> None:
    canvas = BrailleCanvas(10, 1)
    canvas.put_text(0, 0, "Ab", "label")
    assert canvas.fits(2, 0, 2) and not canvas.fits(2, 0, 2, gap=True)
    assert canvas.fits(3, 0, 2, gap=True)


def test_ascii_art_cells_by_tag() -> None:
    canvas = BrailleCanvas(3, 1)
    canvas.set_dot(0, 0, "coast")
    canvas.set_dot(2, 0, "route:A")
    assert [c.char for c in canvas.cells(lambda tag: "#" if tag.startswith("route:") else ".")[0]] == [".", "#", " "]


def test_canvas_needs_a_cell() -> None:
    with pytest.raises(ValueError):
        BrailleCanvas(0, 3)
