"""Rich rendering of the braille map (the only module with Rich code for maps).

Everything is built from :class:`rich.text.Text` with explicit styles: place and
route names from the story are never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from crossing.maps import (
    TAG_BORDER,
    TAG_COAST,
    TAG_COUNTRY,
    TAG_CURRENT,
    TAG_EDGE,
    TAG_LABEL,
    TAG_LEGEND,
    TAG_PLACE,
    MapModel,
    PlaceLike,
    format_km,
    journey_summary,
)
from crossing.render.theme import MAP_STYLES

STYLE_COAST = "crossing.map.coast"
STYLE_BORDER = "crossing.map.border"
STYLE_PLACE = "crossing.map.place"
STYLE_CURRENT = "crossing.map.current"
STYLE_LABEL = "crossing.map.label"
STYLE_COUNTRY = "crossing.map.country"


__all__ = ["MAP_STYLES", "render_map", "render_map_plain", "route_style", "style_for"]


def route_style(colour: int) -> str:
    """Style name of route colour ``colour`` (0..5, taken modulo 6)."""
    return f"crossing.map.route.{colour % 6}"


# The styles themselves live in the one theme (crossing.render.theme); imported here for callers.


_TAG_STYLES = {
    TAG_COAST: STYLE_COAST,
    TAG_BORDER: STYLE_BORDER,
    TAG_PLACE: STYLE_PLACE,
    TAG_CURRENT: STYLE_CURRENT,
    TAG_LABEL: STYLE_LABEL,
    TAG_EDGE: STYLE_LABEL,
    TAG_COUNTRY: STYLE_COUNTRY,
    TAG_LEGEND: STYLE_LABEL,
}


def style_for(model: MapModel, tag: str) -> str:
    """Style name for a cell tag ('' for a blank cell)."""
    colour = model.colour_of(tag)
    if colour is not None:
        return route_style(colour)
    return _TAG_STYLES.get(tag, "")


def render_map(model: MapModel) -> Text:
    """The map (legend included) as Rich text, one line per model row.

    Each line is exactly ``model.width`` cells wide, so the map fits any console
    at least that wide; ``no_wrap`` and cropping guard narrower ones.
    """
    text = Text(no_wrap=True, overflow="crop", end="\n")
    for index, row in enumerate(model.rows):
        if index:
            text.append("\n")
        run: list[str] = []
        run_style = ""
        for cell in row:
            style = style_for(model, cell.tag)
            if style != run_style and run:
                text.append("".join(run), style=run_style or None)
                run = []
            run_style = style
            run.append(cell.char)
        if run:
            tail = "".join(run)
            text.append(tail if run_style else tail.rstrip(), style=run_style or None)
    return text


def render_map_plain(
    places_in_order: Sequence[PlaceLike],
    current: str | None = None,
    title: str = "Your journey so far",
) -> str:
    """A screen-reader friendly list: each place in order, the straight-line distance
    of each leg, and the total.  No braille, no markup."""
    legs, total = journey_summary(places_in_order)
    lines = [f"{title}:"]
    if not places_in_order:
        lines.append("  (no places yet)")
        return "\n".join(lines)
    number = 0
    previous_id: str | None = None
    leg_iter = iter(legs)
    for place in places_in_order:
        if place.id == previous_id:
            continue
        number += 1
        here = " (you are here)" if current is not None and place.id == current else ""
        if previous_id is None:
            lines.append(f"  {number}. {place.name}{here}")
        else:
            leg = next(leg_iter)
            lines.append(f"  {number}. {place.name}{here}, {format_km(leg.km)} from {leg.start_name}")
        previous_id = place.id
    noun = "leg" if len(legs) == 1 else "legs"
    lines.append(f"Total: {format_km(total)} in {len(legs)} {noun}, as the crow flies.")
    return "\n".join(lines)
