"""The `crossing` command: a Typer app whose commands live one per module in this package.

Command modules import the heavy parts (the loader, PyYAML, rendering) inside their functions, so that
`crossing --help` stays as quick as a bare Typer app.
"""

from __future__ import annotations

import importlib

from crossing.cli.app import app

# Each module registers its commands when imported; the order here is the order of `crossing --help`:
# what a student needs first, then a teacher, then a story author.
for _module in ("play", "saves", "map", "classroom", "serve", "report", "guide", "analyze", "validate"):
    importlib.import_module(f"crossing.cli.{_module}")


def main() -> None:
    from crossing.cli.app import run

    run()  # the app, with a full disk or an ASCII terminal handled at the edge


__all__ = ["app", "main"]
