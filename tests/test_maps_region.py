"""crossing.maps.region: the shipped outline data."""

from __future__ import annotations

from importlib import resources

from crossing.maps import load_region
from crossing.maps.region import parse_region


def test_region_file_is_small_and_has_coasts_and_borders() -> None:
    size = len(resources.files("crossing.data").joinpath("region.json").read_bytes())
    assert size < 200_000
    region = load_region()
    assert "Natural Earth" in region.origin
    assert "public domain" in region.licence.lower()
    assert {line.kind for line in region.lines} == {"coast", "border"}
    pairs = {tuple(line.countries) for line in region.lines if line.kind == "border"}
    for pair in [("China", "North Korea"), ("North Korea", "South Korea"), ("North Korea", "Russia"), ("China", "Mongolia"),
                 ("Mongolia", "Russia"), ("China", "Russia"), ("China", "Laos"), ("Laos", "Thailand"), ("Myanmar", "Thailand")]:
        assert pair in pairs, pair
    lon_min, lat_min, lon_max, lat_max = region.bbox
    for line in region.lines:
        assert len(line.points) >= 2
        for lon, lat in line.points:
            assert lon_min <= lon <= lon_max and lat_min <= lat <= lat_max


def test_load_region_is_read_once() -> None:
    assert load_region() is load_region()


def test_parse_region_reads_the_documented_format() -> None:
    text = ('{"origin": "o", "licence": "l", "bbox": [1, 2, 3, 4], '
            '"lines": [{"kind": "coast", "points": [[1, 2], [3, 4]]}, {"kind": "border", "countries": ["A", "B"], "points": [[1.5, 2.5], [2, 3]]}]}')
    region = parse_region(text)
    assert region.bbox == (1.0, 2.0, 3.0, 4.0)
    assert [(line.kind, line.countries, line.points) for line in region.lines] == [
        ("coast", (), ((1.0, 2.0), (3.0, 4.0))),
        ("border", ("A", "B"), ((1.5, 2.5), (2.0, 3.0))),
    ]
