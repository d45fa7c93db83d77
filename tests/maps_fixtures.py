"""Places and routes shared by the map tests (the default story's coordinates)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from crossing.maps import MapPlace, MapRoute
from crossing.model import Story
from helpers import MAP_COORDS

REPO = Path(__file__).resolve().parents[1]
COORDS = MAP_COORDS
PLACES = {pid: MapPlace(pid, pid.replace("-", " ").title(), lat, lon) for pid, (lat, lon) in COORDS.items()}
ROUTES = [
    MapRoute("China", ("pyongyang", "hyesan", "musan", "yanji", "shenyang", "beijing"), 0),
    MapRoute("South-East Asia", ("beijing", "kunming", "jinghong", "chiang-saen", "bangkok"), 1),
    MapRoute("Siberia", ("pyongyang", "tynda", "chegdomyn", "khabarovsk", "moscow"), 2),
    MapRoute("DMZ", ("pyongyang", "panmunjom", "seoul"), 3),
]


@lru_cache(maxsize=1)
def default_story() -> Story:
    from crossing.loader import load_story

    story = load_story(REPO / "story").story
    assert story is not None
    return story


def boxes_intersect(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Whether two (x0, y0, x1, y1) boxes share any area (written here, apart from the code under test)."""
    return max(a[0], b[0]) < min(a[2], b[2]) and max(a[1], b[1]) < min(a[3], b[3])
