"""The story's geography: journeys, route lines, `crossing map`, and place checks in validate."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest

from crossing.engine import Engine
from crossing.geo import format_km
from crossing.journeys import journey, route_moves, route_walks, story_routes
from crossing.loader import load_story
from crossing.model import Story
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
    """Great-circle distance by the spherical law of cosines (independent of the haversine in geo)."""
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
    assert walks == [("hoeryong", "yanji", "beijing", "yanji", "hoeryong"), ("seoul", "pyongyang", "seoul")]
    routes = story_routes(story)
    assert [(r.name, r.colour) for r in routes] == [("The river", 0), ("The river", 0)]
