"""Tests for crossing.render.map: the Rich braille map, its styles, and the plain list."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.style import Style
from rich.text import Text
from rich.theme import Theme

from crossing.maps import MapPlace, MapRoute, compose_map, load_region
from crossing.render.map import MAP_STYLES, render_map, render_map_plain, style_for
from helpers import MAP_COORDS

COORDS = MAP_COORDS
PLACES = {pid: MapPlace(pid, pid.replace("-", " ").title(), lat, lon) for pid, (lat, lon) in COORDS.items()}
ROUTES = [
    MapRoute(
        "China and South-East Asia",
        (
            "pyongyang",
            "hyesan",
            "musan",
            "yanji",
            "shenyang",
            "beijing",
            "kunming",
            "jinghong",
            "chiang-saen",
            "bangkok",
        ),
        0,
    ),
    MapRoute("Siberia", ("pyongyang", "tynda", "chegdomyn", "khabarovsk", "moscow"), 1),
    MapRoute("DMZ", ("pyongyang", "panmunjom", "seoul"), 2),
    MapRoute("Via Vladivostok", ("hoeryong", "vladivostok"), 3),
    MapRoute("Dandong", ("sinuiju", "shenyang"), 4),
    MapRoute("Mongolia", ("beijing", "ulaanbaatar"), 5),
]


def _export(renderable: Text, width: int, theme: Theme | None = None) -> str:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO(), theme=theme)
    console.print(renderable)
    return console.export_text()


@pytest.mark.parametrize(("width", "rows"), [(40, 24), (80, 24), (120, 30)])
@pytest.mark.parametrize("current", [None, "musan", "moscow", "bangkok"])
def test_map_fits_the_width(width: int, rows: int, current: str | None) -> None:
    model = compose_map(load_region(), PLACES.values(), ROUTES, current=current, cols=width, rows=rows)
    out = _export(render_map(model), width)
    lines = out.rstrip("\n").split("\n")
    assert max(len(line) for line in lines) <= width
    assert len(lines) <= rows
    assert "Moscow" in out  # the edge arrow
    assert any(ch in out for ch in "⠁⠂⠄⡀⠈⠐⠠⢀")  # braille outlines are drawn


def test_map_fits_24_rows_at_80_columns_with_the_theme() -> None:
    model = compose_map(load_region(), PLACES.values(), ROUTES, current="seoul", cols=80, rows=24)
    out = _export(render_map(model), 80, Theme(MAP_STYLES))
    lines = out.rstrip("\n").split("\n")
    assert len(lines) <= 24 and max(len(line) for line in lines) <= 80
    for route in ROUTES:  # legend
        assert route.name in out


def test_markup_in_a_label_appears_literally() -> None:
    odd = MapPlace("odd", "[bold]x[/]", 39.02, 125.75)
    route = MapRoute("[red]route[/red]", ("odd", "seoul"), 0)
    model = compose_map(load_region(), [odd, PLACES["seoul"]], [route], current="odd", cols=80, rows=20)
    out = _export(render_map(model), 80, Theme(MAP_STYLES))
    assert "[bold]x[/]" in out
    assert "[red]route[/red]" in out
    plain = render_map_plain([odd, PLACES["seoul"]])
    assert "[bold]x[/]" in plain


def test_styles_are_named_and_valid() -> None:
    names = {
        "crossing.map.coast",
        "crossing.map.border",
        "crossing.map.place",
        "crossing.map.current",
        "crossing.map.label",
        "crossing.map.country",
        *(f"crossing.map.route.{i}" for i in range(6)),
    }
    assert names <= set(MAP_STYLES)
    for definition in MAP_STYLES.values():
        Style.parse(definition)
    model = compose_map(load_region(), PLACES.values(), ROUTES, current="musan", cols=80, rows=24)
    text = render_map(model)
    used = {str(span.style) for span in text.spans}
    assert used <= set(MAP_STYLES)
    assert {"crossing.map.coast", "crossing.map.border", "crossing.map.current", "crossing.map.country"} <= used
    assert {f"crossing.map.route.{i}" for i in range(6)} <= used
    assert style_for(model, "route:Siberia") == "crossing.map.route.1"
    # with colour on, the theme's colours reach the terminal
    buffer = io.StringIO()
    console = Console(width=80, file=buffer, color_system="truecolor", force_terminal=True, theme=Theme(MAP_STYLES))
    console.print(text)
    assert "\x1b[" in buffer.getvalue()


def test_plain_list_has_legs_and_total() -> None:
    stops = [PLACES[p] for p in ("pyongyang", "sinuiju", "shenyang", "beijing")]
    plain = render_map_plain(stops, current="beijing")
    lines = plain.splitlines()
    assert lines[1].strip() == "1. Pyongyang"
    assert "2. Sinuiju" in lines[2] and "from Pyongyang" in lines[2] and " km" in lines[2]
    assert "4. Beijing (you are here)" in lines[4]
    assert lines[-1].startswith("Total: ") and "3 legs" in lines[-1]
    assert not any(0x2800 <= ord(ch) <= 0x28FF for ch in plain)  # no braille
    assert "(no places yet)" in render_map_plain([])
    # Seoul-Pyongyang as one leg: 194 km (haversine, see test_maps_distance)
    assert "194 km" in render_map_plain([PLACES["pyongyang"], PLACES["seoul"]])
