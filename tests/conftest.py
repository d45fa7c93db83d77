"""A fixed terminal for every test: width, no colour, no user config, saves in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
STORIES = Path(__file__).resolve().parent / "stories"


@pytest.fixture(autouse=True)
def fixed_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "40")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("CROSSING_DATA_DIR", str(tmp_path / "crossing-data"))
    monkeypatch.setenv("CROSSING_CACHE_DIR", str(tmp_path / "crossing-cache"))
    yield
