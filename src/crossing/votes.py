"""A class vote as the teacher types it: hands per choice ('12 5 3') or the winning number ('2').

Pure: no Rich, no Typer. ``parse_vote`` holds the tie rule (a tie goes to the choice listed first).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from crossing.engine import OfferedChoice
from crossing.immutable import immutable
from crossing.transcript import VoteCount

TIE_RULE = "A tie goes to the choice listed first."
# More hands than any class has: a typing slip (an extra digit), not a count.
MAX_HANDS = 1000
VOTE_HELP = "Type the hands for each choice in order (e.g. '12 5 3'), or just the winning number (e.g. '2')."


class VoteError(ValueError):
    """What the teacher typed is not a vote; the message says what to type."""


@immutable
class Vote:
    winner: int  # the choice number on screen, from 1
    hands: tuple[int, ...] | None  # None: only the winning number was typed
    tie: bool = False  # the top count was shared and the tie rule decided


def parse_vote(text: str, count: int) -> Vote:
    """Hands per choice ('12 5 3', commas allowed) or the winning number ('2'). Ties go to the choice
    listed first (the lowest number), as TIE_RULE says on screen."""
    words = [w for w in re.split(r"[\s,;]+", text.strip()) if w]
    if not words:
        raise VoteError(VOTE_HELP)
    if len(words) == 1:
        word = words[0]
        if not re.fullmatch(r"-?[0-9]+", word):
            raise VoteError(f"Only whole numbers, please. {VOTE_HELP}")
        if len(word) <= 6 and 1 <= int(word) <= count:
            return Vote(int(word), None)
        shown = word if len(word) <= 12 else word[:12] + "…"
        raise VoteError(f"There is no choice {shown}: type a number from 1 to {count}, or the hands for all {count} choices.")
    if any(re.fullmatch(r"-[0-9]+", w) for w in words):
        raise VoteError(f"Counts cannot be negative: type how many hands went up for each choice (0 or more). {VOTE_HELP}")
    if not all(re.fullmatch(r"[0-9]+", w) for w in words):  # [0-9], not isdigit(): int() raises on '²'
        raise VoteError(f"Only whole numbers, please. {VOTE_HELP}")
    # the length first: a runaway string of digits is no count (and int() refuses 4,300 digits)
    if any(len(w.lstrip("0")) > len(str(MAX_HANDS)) or int(w) > MAX_HANDS for w in words):
        raise VoteError(f"That is more hands than a class has: each count goes up to {MAX_HANDS}. Type the counts again.")
    numbers = [int(w) for w in words]
    if len(numbers) != count:
        raise VoteError(f"{len(numbers)} counts for {count} choices: type one count per choice, or just the winning number.")
    top = max(numbers)
    if top == 0:
        raise VoteError("No hands counted: type the counts again, or just the winning number.")
    leaders = [number for number, hands in enumerate(numbers, 1) if hands == top]
    return Vote(leaders[0], tuple(numbers), tie=len(leaders) > 1)


def vote_counts(offered: Sequence[OfferedChoice], vote: Vote) -> list[VoteCount]:
    return [
        VoteCount(o.number, o.index, o.text, vote.hands[i] if vote.hands is not None else None) for i, o in enumerate(offered)
    ]
