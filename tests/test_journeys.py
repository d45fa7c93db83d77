"""The story's geography: journeys, route lines, `crossing map`, and place checks in validate."""

from __future__ import annotations

import io
import itertools
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from crossing.cli import app
from crossing.engine import Engine
from crossing.journeys import journey, route_moves, route_walks, story_routes
from crossing.loader import load_story
from crossing.maps import format_km
from crossing.model import Story
from crossing.render.journey import journey_map, story_map
from crossing.validation import validate_path
from helpers import run_crossing, write_story

META = """\
title: Map test
start: home
routes:
  intro: {title: Intro}
  river: {title: The river}
  sea: {title: The sea}
places:
  pyongyang: {name: Pyongyang, lat: 39.02, lon: 125.75}
  hoeryong: {name: Hoeryong, lat: 42.44, lon: 129.75}
  yanji: {name: Yanji, lat: 42.90, lon: 129.51}
  beijing: {name: Beijing, lat: 39.90, lon: 116.40}
  seoul: {name: Seoul, lat: 37.566, lon: 126.978}
"""
NODES = """\
nodes:
  home:
    route: intro
    place: pyongyang
    text: Home.
    choices:
      - {text: River, goto: bank}
      - {text: Sea, goto: boat}
  bank:
    route: river
    place: hoeryong
    text: Bank.
    choices:
      - {text: Cross, goto: town}
  town:
    route: river
    place: yanji
    text: Town.
    choices:
      - {text: Stay, goto: town-2}
      - {text: Go, goto: city}
  town-2:
    route: river
    place: yanji
    text: Still town.
    choices:
      - {text: Go, goto: city}
  city:
    route: river
    place: beijing
    text: City.
    ending: {kind: hidden}
  boat:
    route: sea
    place: seoul
    text: Boat.
    ending: {kind: safety}
"""


def km(a: tuple[float, float], b: tuple[float, float]) -> str:
    """Great-circle distance by the spherical law of cosines (independent of the haversine in crossing.maps)."""
    (lat1, lon1), (lat2, lon2) = (tuple(map(math.radians, p)) for p in (a, b))
    angle = math.acos(math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(lon2 - lon1))
    return format_km(6371.0088 * angle)


HOERYONG, YANJI, BEIJING = (42.44, 129.75), (42.90, 129.51), (39.90, 116.40)


@pytest.fixture
def story(tmp_path: Path) -> Story:
    result = load_story(write_story(tmp_path / "m", {"story.yaml": META, "n.yaml": NODES}))
    assert result.story is not None and result.diagnostics == []
    return result.story


def test_journey_merges_repeated_places_and_adds_distances(story: Story) -> None:
    trip = journey(story, ["home", "bank", "town", "town-2", "city"])
    assert [p.id for p in trip.places] == ["hoeryong", "yanji", "beijing"]  # "home" only frames the story
    assert len(trip.legs) == 2
    assert format_km(trip.legs[0].km) == km(HOERYONG, YANJI)
    assert trip.km == pytest.approx(sum(leg.km for leg in trip.legs))


def test_route_walk_draws_every_move_and_only_moves(story: Story) -> None:
    moves = route_moves(story, "river")
    assert moves == [("hoeryong", "yanji"), ("yanji", "beijing")]
    walks = route_walks(story, "river")
    assert len(walks) == 1
    pairs = {tuple(sorted(p)) for p in itertools.pairwise(walks[0])}
    assert pairs == {tuple(sorted(m)) for m in moves}
    # The framing route of the start node is not drawn; a route without moves is not either.
    assert [r.name for r in story_routes(story)] == ["The river"]


def test_unknown_place_fails_validation_at_its_position(tmp_path: Path) -> None:
    nodes = NODES.replace("    place: hoeryong\n", "    place: hoeryongg\n")
    result = validate_path(write_story(tmp_path / "bad", {"story.yaml": META, "n.yaml": nodes}))
    found = [(Path(d.file).name, d.line, d.column, d.code, d.message) for d in result.errors]
    assert found == [("n.yaml", 11, 12, "unknown-place", "node 'bank' happens at the unknown place 'hoeryongg' (did you mean 'hoeryong'?)")]


def test_implausible_coordinates_fail_validation(tmp_path: Path) -> None:
    meta = META.replace("lat: 39.90, lon: 116.40", "lat: 139.90, lon: 416.40")
    result = validate_path(write_story(tmp_path / "bad", {"story.yaml": meta, "n.yaml": NODES}))
    assert [(d.line, d.column, d.code) for d in result.errors] == [(11, 33, "bad-coordinates"), (11, 46, "bad-coordinates")]
    assert result.errors[0].message == "latitude 139.9 of 'beijing' is outside -90..90"
    assert result.errors[1].message == "longitude 416.4 of 'beijing' is outside -180..180"


def test_map_command_plain_lists_places_and_distances(story: Story) -> None:
    result = run_crossing("map", str(story.root), "--plain")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["The river:", f"  Hoeryong to Yanji: {km(HOERYONG, YANJI)}",
                                          f"  Yanji to Beijing: {km(YANJI, BEIJING)}"]


@pytest.mark.parametrize("width", [40, 80, 120])
def test_map_command_fits_the_terminal(story: Story, width: int) -> None:
    result = run_crossing("map", str(story.root), env={"COLUMNS": str(width), "LINES": "24"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines and max(len(line) for line in lines) <= width
    assert "The river" in result.stdout


def test_ending_summary_and_map_key_in_play(story: Story) -> None:
    result = run_crossing("play", str(story.root), "--plain", "--choices", "1,1,m,2")
    assert result.returncode == 0, result.stderr
    # The intro scene at home only frames the story: the journey starts at the river.
    assert f"Your journey so far:\n  1. Hoeryong\n  2. Yanji (you are here), {km(HOERYONG, YANJI)} from Hoeryong" in result.stdout
    flat = " ".join(result.stdout.split())
    assert "Hoeryong -> Yanji -> Beijing, " in flat and " km as the crow flies" in flat
    engine = Engine(story, 1)
    engine.choose(1)
    assert journey(story, engine.state.path).places[-1].name == "Hoeryong"


def test_disconnected_parts_get_lines_of_their_own(tmp_path: Path) -> None:
    nodes = NODES + """\
  far-1:
    route: river
    place: seoul
    text: Elsewhere.
    choices:
      - {text: Go, goto: far-2}
  far-2:
    route: river
    place: pyongyang
    text: Elsewhere again.
    ending: {kind: hidden}
"""
    story = load_story(write_story(tmp_path / "d", {"story.yaml": META, "n.yaml": nodes})).story
    assert story is not None
    walks = route_walks(story, "river")
    assert walks == [("hoeryong", "yanji", "beijing"), ("seoul", "pyongyang")]  # never back over a leg
    routes = story_routes(story)
    assert [(r.name, r.colour) for r in routes] == [("The river", 0), ("The river", 0)]


# --------------------------------------------------------------------------- which moves are a route's legs

LEGS_META = META.replace("  sea: {title: The sea}\n", "  sea: {title: The sea}\n  back: {title: Sent back}\n")
LEGS_NODES = """\
nodes:
  home:
    route: intro
    place: pyongyang
    text: Home.
    choices:
      - {text: River, goto: bank}
  bank:
    route: river
    place: hoeryong
    text: Bank.
    choices:
      - text: Cross
        outcomes:
          - {weight: 3, goto: town}
          - {weight: 1, goto: caught}
  town:
    route: river
    place: yanji
    text: Town.
    choices:
      - {text: Fly south, goto: boat}
      - {text: Hand yourself in, goto: sent}
  caught:
    route: river
    place: beijing
    text: Caught and taken to Beijing.
    choices:
      - {text: Go, goto: sent}
  sent:
    route: back
    place: pyongyang
    text: Sent back.
    ending: {kind: imprisoned}
  boat:
    route: sea
    place: seoul
    text: Safe.
    ending: {kind: safety}
"""


def test_route_legs_leave_out_arrests_and_hand_overs(tmp_path: Path) -> None:
    story = load_story(write_story(tmp_path / "legs", {"story.yaml": LEGS_META, "n.yaml": LEGS_NODES})).story
    assert story is not None
    # bank -> caught loses every way to safety (an arrest); town -> boat and town -> sent hand over to
    # other routes: none of them is a leg of the river route.
    assert route_moves(story, "river") == [("hoeryong", "yanji")]
    assert route_walks(story, "river") == [("hoeryong", "yanji")]


def test_default_story_route_lines_join_only_legs() -> None:
    story = load_story(Path(__file__).resolve().parents[1] / "story").story
    assert story is not None
    for route in story.routes:
        moves = {frozenset(m) for m in route_moves(story, route)}
        drawn = [frozenset(pair) for walk in route_walks(story, route) for pair in itertools.pairwise(walk)]
        assert set(drawn) == moves  # every leg drawn, nothing else
        assert len(drawn) == len(moves)  # and each once
    lines = {r.name: r.place_ids for r in story_routes(story)}
    assert all("seoul" not in ids for name, ids in lines.items() if name.startswith("Across the Tumen"))


# --------------------------------------------------------------------------- odd terminals

runner = CliRunner()


@pytest.mark.parametrize(("columns", "width"), [("0", 80), ("5", 20)])
def test_map_with_no_or_few_columns_is_drawn_at_a_sensible_width(story: Story, columns: str, width: int) -> None:
    result = runner.invoke(app, ["map", str(story.root)], env={"COLUMNS": columns, "LINES": "24", "NO_COLOR": None})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines and max(len(line) for line in lines) <= width
    assert any("\u2800" <= ch <= "\u28ff" for ch in result.output)  # drawn, in braille
    assert "Hoeryong" in result.output


def test_map_key_in_play_with_no_columns(story: Story) -> None:
    result = runner.invoke(app, ["play", str(story.root), "--choices", "1,1,m,2"], env={"COLUMNS": "0", "LINES": "24", "NO_COLOR": None})
    assert result.exit_code == 0, result.output
    assert "2 places so far" in result.output


def test_journey_map_too_small_says_so_and_lists_the_places(story: Story) -> None:
    engine = Engine(story, 1)
    engine.choose(1)
    engine.choose(1)
    console = Console(width=80, file=io.StringIO(), record=True, color_system=None)
    console.print(journey_map(story, engine.state, is_plain=False, width=12, height=22))
    out = " ".join(console.export_text().split())
    assert "too small to draw the map (12 x 22; it needs at least 20 x 6)" in out
    assert "2. Yanji (you are here)" in out


@pytest.mark.slow
@pytest.mark.parametrize("env", [{"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": ""},
                                 {"PYTHONIOENCODING": "latin-1"}], ids=["ascii", "latin-1"])
def test_map_in_a_terminal_without_braille_draws_ascii_art(story: Story, env: dict[str, str]) -> None:
    # The encoding of the process's own stdout matters here, so this runs a real process.
    base = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    result = subprocess.run([sys.executable, "-m", "crossing", "map", str(story.root)], capture_output=True,
                            env={**base, "COLUMNS": "80", "LINES": "24", **env}, timeout=60)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    out = result.stdout.decode("ascii")  # nothing but ASCII
    assert "## The river" in out and "o" in out and "Hoeryong" in out
    assert "Traceback" not in result.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_journey_and_story_maps_draw_ascii_art_for_an_output_without_braille(story: Story, encoding: str) -> None:
    engine = Engine(story, 1)
    engine.choose(1)
    engine.choose(1)
    for renderable in (journey_map(story, engine.state, is_plain=False, width=60, encoding=encoding),
                       story_map(story, is_plain=False, width=60, encoding=encoding)):
        console = Console(width=60, file=io.StringIO(), record=True, color_system=None)
        console.print(renderable)
        out = console.export_text()
        out.encode("ascii")  # nothing but ASCII
        assert "Yanji" in out and ("@" in out or "o" in out)
    braille = Console(width=60, file=io.StringIO(), record=True, color_system=None)
    braille.print(story_map(story, is_plain=False, width=60, encoding="utf-8"))
    assert any("\u2800" <= ch <= "\u28ff" for ch in braille.export_text())
