"""What a key press means during play: a pure function from the player's answer to a command, or to the
reason it is not one (Rich's prompt shape: read, parse, show the error, loop). Play, class mode and the
browser all parse with it."""

from __future__ import annotations

from typing import Literal

from crossing.immutable import immutable

# Each command a player can give besides taking a choice. "more" is Enter on a paged scene.
Action = Literal["back", "quit", "help", "state", "glossary", "glossary-all", "map", "facts", "more"]

_ACTIONS: dict[str, Action] = {
    "b": "back",
    "q": "quit",
    "h": "help",
    "?": "help",
    "s": "state",
    "g": "glossary",
    "g all": "glossary-all",
    "m": "map",
    "f": "facts",
}

# int() accepts '²' and digit strings past Python's conversion limit: only short ASCII digits are numbers.
_MAX_DIGITS = 9


@immutable
class Choose:
    """The reader picked a numbered choice."""

    number: int


@immutable
class Do:
    """The reader asked for something other than a choice (facts, status, glossary, back...)."""

    action: Action


@immutable
class Invalid:
    """Not a command here; ``message`` says what would be."""

    message: str


Command = Choose | Do | Invalid


def parse_key(answer: str, choices: int, *, paged: bool = False) -> Command:
    """The command an answer stands for at a scene offering ``choices`` choices (0 at an ending).
    On a paged scene (more text to come) an empty answer means "show the rest"."""
    key = " ".join(answer.strip().lower().split())
    if not key:
        if paged:
            return Do("more")
        expected = _expected(choices, "or h for help")
        return Invalid(f"{expected[0].upper()}{expected[1:]}.")
    if key.isascii() and key.isdigit():
        if len(key) <= _MAX_DIGITS and 1 <= int(key) <= choices:
            return Choose(int(key))
        if choices == 0:
            return Invalid("There are no choices here: the story has ended.")
        return Invalid(f"There is no choice {key[:12]} here: {_expected(choices)}.")
    action = _ACTIONS.get(key)
    if action is not None:
        return Do(action)
    return Invalid(f"'{answer.strip()[:20]}' is not a key here: {_expected(choices, 'or h for help')}.")


def _expected(choices: int, tail: str = "") -> str:
    if choices == 0:
        wanted = "press Enter for more, f for the facts, or q to leave"
    elif choices == 1:
        wanted = "type 1 to go on"
    else:
        wanted = f"type a number from 1 to {choices}"
    return f"{wanted}, {tail}" if tail and choices else wanted
