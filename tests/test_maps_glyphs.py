"""crossing.maps.glyphs: braille where the output can show it, ASCII art elsewhere."""

from __future__ import annotations

import pytest

from crossing.maps import ASCII, BRAILLE, can_show_braille, glyphs_for


@pytest.mark.parametrize(("encoding", "braille"), [("utf-8", True), ("UTF-8", True), ("utf_16", True), (None, True),
                                                    ("ascii", False), ("ANSI_X3.4-1968", False), ("latin-1", False),
                                                    ("cp1252", False), ("no-such-codec", False)])
def test_can_show_braille(encoding: str | None, braille: bool) -> None:
    assert can_show_braille(encoding) is braille
    assert glyphs_for(encoding) is (BRAILLE if braille else ASCII)


def test_arrows_point_where_the_place_is() -> None:
    # y grows downwards on the plane
    assert [BRAILLE.arrow(dx, dy) for dx, dy in ((1, 0), (1, -1), (0, -1), (-1, -1), (-1, 0), (-1, 1), (0, 1), (1, 1))] == list("→↗↑↖←↙↓↘")
    assert [ASCII.arrow(dx, dy) for dx, dy in ((1, 0), (0, -1), (-1, 0), (0, 1), (-5, 1))] == list(">^<v<")


def test_ascii_glyphs_are_ascii() -> None:
    assert all(s.isascii() for s in (ASCII.place, ASCII.current, ASCII.ellipsis, *ASCII.arrows, ASCII.bar(0), ASCII.bar(7)))
    assert ASCII.bar(0) != ASCII.bar(1)
