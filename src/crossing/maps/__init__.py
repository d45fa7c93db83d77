"""Maps of a story's places: pure geometry and layout, no Rich, no printing.

- :mod:`~crossing.maps.region`: the shipped coasts and borders;
- :mod:`~crossing.maps.countries`: which country a point is in, and where a country's name fits;
- :mod:`~crossing.maps.distance`: places, routes, great-circle distances;
- :mod:`~crossing.maps.projection`: view box, projection, clipping;
- :mod:`~crossing.maps.canvas` and :mod:`~crossing.maps.cells`: the braille grid and text in cells;
- :mod:`~crossing.maps.glyphs`: braille or ASCII art, by what the output can show;
- :mod:`~crossing.maps.pointers`: arrows to places off the map (one rule for both maps);
- :mod:`~crossing.maps.layout`: the terminal map (rendered by ``crossing.render.map``);
- :mod:`~crossing.maps.labels` and :mod:`~crossing.maps.svg`: the SVG map for the teacher's guide.
"""

from crossing.maps.canvas import (
    TAG_BORDER,
    TAG_COAST,
    TAG_COUNTRY,
    TAG_CURRENT,
    TAG_EDGE,
    TAG_LABEL,
    TAG_LEGEND,
    TAG_PLACE,
    MapCell,
)
from crossing.maps.distance import (
    Leg,
    MapPlace,
    MapRoute,
    PlaceLike,
    RouteLike,
    format_km,
    great_circle_km,
    journey_summary,
)
from crossing.maps.glyphs import ASCII, BRAILLE, Glyphs, can_show_braille, glyphs_for
from crossing.maps.layout import MIN_COLS, MIN_ROWS, LegendEntry, MapLabel, MapModel, compose_map
from crossing.maps.projection import REGION, Projection, Viewport, fitted_viewport
from crossing.maps.region import Outline, Region, load_region
from crossing.maps.svg import plan_svg, svg_map

__all__ = [
    "ASCII",
    "BRAILLE",
    "MIN_COLS",
    "MIN_ROWS",
    "REGION",
    "TAG_BORDER",
    "TAG_COAST",
    "TAG_COUNTRY",
    "TAG_CURRENT",
    "TAG_EDGE",
    "TAG_LABEL",
    "TAG_LEGEND",
    "TAG_PLACE",
    "Glyphs",
    "Leg",
    "LegendEntry",
    "MapCell",
    "MapLabel",
    "MapModel",
    "MapPlace",
    "MapRoute",
    "Outline",
    "PlaceLike",
    "Projection",
    "Region",
    "RouteLike",
    "Viewport",
    "can_show_braille",
    "compose_map",
    "fitted_viewport",
    "format_km",
    "glyphs_for",
    "great_circle_km",
    "journey_summary",
    "load_region",
    "plan_svg",
    "svg_map",
]
