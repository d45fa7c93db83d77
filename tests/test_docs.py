"""Every command and option has help text and appears in the README (sqlite-utils' test_docs habit)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main

from crossing.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
# Typer carries its own copy of click, so the command objects are inspected by shape, not by class.
COMMANDS: list[tuple[str, Any]] = sorted(typer.main.get_command(app).commands.items())  # type: ignore[attr-defined]


def test_every_command_is_registered() -> None:
    assert {name for name, _ in COMMANDS} >= {"play", "validate", "schema", "glossary", "map", "analyze", "stats",
                                               "graph", "report", "class", "guide", "saves"}


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_command_is_documented(name: str, command: Any) -> None:
    assert command.help and command.help.strip(), f"{name} has no help text"
    assert re.search(rf"`crossing {re.escape(name)}\b", README), f"README does not document `crossing {name}`"
    for param in command.params:
        if param.param_type_name == "option":
            assert param.help and param.help.strip(), f"{name} {param.opts} has no help"
            for opt in param.opts:
                if opt.startswith("--"):
                    assert opt in README, f"README does not mention {opt} of `crossing {name}`"


def test_quick_start_has_the_two_commands() -> None:
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", quick, re.S)
    assert len(blocks) == 2
    assert "crossing play" in blocks[0] and "pytest" in blocks[1]
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1].strip() in ci, ".ci/run must run the README's test command"
