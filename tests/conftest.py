"""A fixed terminal for every test: width, no colour, no user config, saves in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer

REPO = Path(__file__).resolve().parents[1]
STORIES = Path(__file__).resolve().parent / "stories"


@pytest.fixture(autouse=True, scope="session")
def one_click_command_per_app() -> Iterator[None]:
    """Typer's CliRunner turns the app into a Click command on every invoke: the parameters of all
    fourteen commands, their type hints evaluated, about 40 ms each time, which was half of the fast tests'
    time. A Click command is reusable (each run gets a new context), so it is built once per app and set of
    commands; the real `crossing` process builds it once too."""
    import typer.testing

    build = getattr(typer.testing, "_get_command", None)
    if build is None:  # a Typer that builds it another way: the tests run as they are, only slower
        yield
        return
    built: dict[tuple[int, int], object] = {}

    def once(app: typer.Typer) -> object:
        key = (id(app), len(app.registered_commands))
        if key not in built:
            built[key] = build(app)
        return built[key]

    typer.testing._get_command = once  # type: ignore[assignment]
    yield
    typer.testing._get_command = build


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
