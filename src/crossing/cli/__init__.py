"""The `crossing` command: a Typer app whose commands live one per module in this package.

Command modules import the heavy parts (the loader, PyYAML, rendering) inside their functions, so that
`crossing --help` stays as quick as a bare Typer app.
"""

from __future__ import annotations

from crossing.cli import analyze as _analyze  # noqa: F401  (each import registers its commands)
from crossing.cli import classroom as _classroom  # noqa: F401
from crossing.cli import map as _map  # noqa: F401
from crossing.cli import play as _play  # noqa: F401
from crossing.cli import saves as _saves  # noqa: F401
from crossing.cli import validate as _validate  # noqa: F401
from crossing.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
