"""Every error the core raises on purpose, in one place. The CLI turns each into a message and an exit
code; nothing in the core prints or exits."""

from __future__ import annotations


class CrossingError(Exception):
    """Every error the core raises on purpose; the CLI turns it into a message and an exit code."""

    exit_code = 1


class StoryRuntimeError(CrossingError):
    """An expression failed while playing (a type mismatch, division by zero)."""

    def __init__(self, node_id: str, expression: str, where: str, problem: str) -> None:
        super().__init__(f"{where}: in node '{node_id}', expression '{expression}': {problem}")
        self.node_id = node_id
        self.expression = expression


class NoChoicesError(CrossingError):
    """A scene that is not an ending offers no choice now: every condition is false."""


class ChoiceNotOfferedError(CrossingError):
    """A choice number that the scene does not offer now."""
