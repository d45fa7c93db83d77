"""The `crossing` command: a Typer app whose commands live one per module in this package.

Command modules import the heavy parts (the loader, PyYAML, rendering) inside their functions, so that
`crossing --help` stays as quick as a bare Typer app. And a command's module is imported only when that
command is run: Typer builds the parameters of every registered command before it runs one, so
`crossing play` registers `play`'s module alone. Anything else (no command, `--help`, `--version`, a
mistyped command) registers them all, so help lists every command and a typo gets its suggestion.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

# The modules in the order of `crossing --help`: what a student needs first, then a teacher, then a
# story author. tests/test_cli_registry.py checks that COMMANDS names every registered command.
MODULES = ("play", "saves", "map", "classroom", "serve", "report", "guide", "analyze", "validate")
COMMANDS = {
    "play": "play", "glossary": "play", "show": "play",
    "saves": "saves",
    "map": "map",
    "class": "classroom",
    "serve": "serve",
    "report": "report",
    "guide": "guide",
    "analyze": "analyze", "stats": "analyze", "graph": "analyze",
    "validate": "validate", "schema": "validate",
}


def modules_for(argv: Sequence[str]) -> tuple[str, ...]:
    """The command modules a command line needs: the one that holds its command, or all of them."""
    if argv and argv[0] in COMMANDS:
        return (COMMANDS[argv[0]],)
    return MODULES


def register(modules: Sequence[str] = MODULES) -> typer.Typer:
    """The app with the commands of these modules registered (each module registers itself once)."""
    from crossing.cli.common import app

    for module in MODULES:  # in help's order, whatever order was asked for
        if module in modules:
            importlib.import_module(f"crossing.cli.{module}")
    return app


def __getattr__(name: str) -> object:
    # `from crossing.cli import app` (tests, embedding): the whole app, every command registered.
    if name == "app":
        return register()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    from crossing.cli.common import run

    register(modules_for(sys.argv[1:]))
    run()  # the app, with a full disk or an ASCII terminal handled at the edge


__all__ = ["app", "main", "register"]
