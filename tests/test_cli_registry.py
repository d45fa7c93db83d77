"""The command line registers only the module of the command it runs; the table that says which module
holds which command must name every command the app has."""

from __future__ import annotations

import subprocess
import sys

import pytest

from crossing import cli


def test_the_table_names_every_registered_command_and_its_module() -> None:
    app = cli.register()
    registered = {}
    for info in app.registered_commands:
        name = info.name or info.callback.__name__.replace("_", "-")
        registered[name] = info.callback.__module__.rsplit(".", 1)[-1]  # type: ignore[union-attr]
    assert registered == cli.COMMANDS
    assert set(cli.COMMANDS.values()) == set(cli.MODULES)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["play", "--plain"], ("play",)),
        (["stats", "story"], ("analyze",)),
        (["class"], ("classroom",)),
        ([], cli.MODULES),
        (["--help"], cli.MODULES),
        (["--version"], cli.MODULES),
        (["pla"], cli.MODULES),  # a typo: every command, so Click can suggest the right one
    ],
)
def test_a_command_line_needs_the_module_of_its_command(argv: list[str], expected: tuple[str, ...]) -> None:
    assert cli.modules_for(argv) == expected


@pytest.mark.slow
def test_running_play_imports_no_other_command_module(tmp_path) -> None:  # type: ignore[no-untyped-def]
    code = (
        "import sys; sys.argv = ['crossing', 'play', '--help']\n"
        "from crossing.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('crossing.cli.')), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert "Play a story" in done.stdout
    loaded = done.stderr.strip().splitlines()[-1]
    assert "crossing.cli.play" in loaded
    for other in set(cli.MODULES) - {"play"}:
        assert f"crossing.cli.{other}'" not in loaded
