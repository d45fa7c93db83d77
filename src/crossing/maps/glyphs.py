"""What a map is drawn with: braille and arrows where the output can show them, ASCII art otherwise."""

from __future__ import annotations

import math

from crossing.immutable import immutable

# Everything a braille map may print besides the story's own names.
_UNICODE_SAMPLE = "⠀⣿•●━→↗↑↖←↙↓↘…"

ROUTE_ASCII = ("#", "*", "+", "%", "&", "=")
"""Characters of routes 0..5 on an ASCII map (a route's colour index picks one)."""


def can_show_braille(encoding: str | None) -> bool:
    """Whether text in ``encoding`` (an output stream's ``encoding``) can carry a braille map.

    ``None`` (a text stream with no byte encoding, such as ``io.StringIO``) can carry anything."""
    if not encoding:
        return True
    try:
        _UNICODE_SAMPLE.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


@immutable
class Glyphs:
    """The characters of one way of drawing a map."""

    braille: bool
    place: str
    current: str
    ellipsis: str
    arrows: tuple[str, ...]  # east, then counter-clockwise in equal steps

    def arrow(self, dx: float, dy: float) -> str:
        """Arrow for a direction on the plane (y down)."""
        angle = math.degrees(math.atan2(-dy, dx)) % 360  # 0 = east, 90 = north
        step = 360 / len(self.arrows)
        return self.arrows[int(((angle + step / 2) % 360) // step)]

    def bar(self, colour: int) -> str:
        """Two cells showing a route's line in the legend."""
        return "━━" if self.braille else ROUTE_ASCII[colour % len(ROUTE_ASCII)] * 2


BRAILLE = Glyphs(True, "•", "●", "…", ("→", "↗", "↑", "↖", "←", "↙", "↓", "↘"))
ASCII = Glyphs(False, "o", "@", "~", (">", "^", "<", "v"))


def glyphs_for(encoding: str | None) -> Glyphs:
    """Braille glyphs when ``encoding`` can carry them, else ASCII art."""
    return BRAILLE if can_show_braille(encoding) else ASCII
