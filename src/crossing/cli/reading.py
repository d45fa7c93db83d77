"""Where a player's (or a teacher's) answers come from: the terminal, piped lines, or a script."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from crossing.cli.common import stdin_is_terminal

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from crossing.session import ReadKey


def scripted(answers: Iterator[str], out: Console) -> ReadKey:
    """Answers from --choices or piped input, echoed after the prompt so the output reads like a session."""

    def read(prompt: Text) -> str | None:
        answer = next(answers, None)
        if answer is None:
            return None
        out.print(prompt, end="")
        out.print(answer, markup=False, highlight=False)
        return answer

    return read


def interactive(out: Console) -> ReadKey:
    def read(prompt: Text) -> str | None:
        try:
            return out.input(prompt)
        except EOFError:
            return None

    return read


def stdin_lines() -> Iterator[str]:
    if sys.stdin is None:  # started with standard input closed (`<&-`): no answers at all
        return
    try:
        for line in sys.stdin:
            yield line.rstrip("\r\n")
    except (OSError, ValueError):  # closed or unreadable under us: input has ended
        return


def from_stdin(out: Console) -> ReadKey:
    """The terminal when there is one, else one answer per line of standard input."""
    return interactive(out) if stdin_is_terminal() else scripted(stdin_lines(), out)
