"""What a run reads: words of scene text and narrated outcomes, in the telling chosen.

Reading time is estimated at WORDS_PER_MINUTE, a common figure for a young reader reading for meaning.
"""

from __future__ import annotations

from collections.abc import Container, Mapping

from crossing.expressions import Value
from crossing.model import Story
from crossing.rules import Rule

WORDS_PER_MINUTE = 200


def count_words(text: str) -> int:
    return len(text.split())


class Words:
    """Words per scene and per narrated outcome; a scene whose text cannot change is counted once."""

    def __init__(self, story: Story, gentle: bool) -> None:
        self.story = story
        self.gentle = gentle
        # node id -> its words, for every scene whose text does not depend on the state
        self.fixed: dict[str, int] = {n.id: count_words(n.text_for(gentle)) for n in story.nodes.values()}

    def scene(self, node_id: str, env: Mapping[str, Value], visited: Container[str]) -> int:
        """Words of a scene whose text depends on the state (none until conditional text exists)."""
        return self.fixed[node_id]

    def outcome(self, node_id: str, rule: Rule, index: int) -> int:
        """Words narrated when outcome ``index`` of a choice is drawn (none until outcomes narrate)."""
        return 0
