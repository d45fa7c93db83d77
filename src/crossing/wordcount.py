"""What a run reads: words of scene text and narrated outcomes, in the telling chosen (crossing.telling).

A scene without conditional paragraphs is counted once; one with them is counted once per state of what
its conditions read (the variables they name and the visits they ask about), so random runs stay fast.
Reading time is estimated at WORDS_PER_MINUTE, a common figure for a young reader reading for meaning.
"""

from __future__ import annotations

from collections.abc import Container, Mapping

from crossing import telling
from crossing.errors import StoryRuntimeError
from crossing.expressions import Value
from crossing.model import Story
from crossing.rules import RuntimeProblem, StepError

WORDS_PER_MINUTE = 200
# Scene texts remembered per state of their conditions; past this, counted afresh every time.
MAX_REMEMBERED = 100_000
MAX_REMEMBERED_CHARS = 20_000_000  # text held by their keys: a text that grows must not fill memory


def count_words(text: str) -> int:
    return telling.word_count(text)


class Words:
    """Words per scene and per narrated outcome."""

    def __init__(self, story: Story, gentle: bool) -> None:
        self.story = story
        self.gentle = gentle
        # node id -> its words, for every scene whose text does not depend on the state
        self.fixed: dict[str, int] = {}
        # node id -> (variables, visited ids) its paragraph conditions read, for the others
        self.reads: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        for node in story.nodes.values():
            passage = node.text_for(gentle)
            if not passage.conditional:
                self.fixed[node.id] = count_words(telling.passage_text(passage, {}, (), node.id))
                continue
            names = sorted({n.name for expr, _ in passage.conditions() for n in expr.names()})
            ids = sorted({r.node_id for expr, _ in passage.conditions() for r in expr.visited_ids()})
            self.reads[node.id] = (tuple(names), tuple(ids))
        self._remembered: dict[tuple[object, ...], int] = {}
        self._chars = 0

    def scene(self, node_id: str, env: Mapping[str, Value], visited: Container[str]) -> int:
        """Words of a scene whose text depends on the state; raises StepError if a condition fails."""
        names, ids = self.reads[node_id]
        key = (node_id, *(env.get(n) for n in names), *(i in visited for i in ids))
        found = self._remembered.get(key)
        if found is None:
            try:
                text = telling.scene_text(self.story, self.story.nodes[node_id], env, visited, self.gentle)
            except StoryRuntimeError as exc:
                raise StepError(RuntimeProblem(exc.node_id, exc.expression, "scene text", str(exc))) from None
            found = count_words(text)
            if len(self._remembered) < MAX_REMEMBERED and self._chars < MAX_REMEMBERED_CHARS:
                self._remembered[key] = found
                self._chars += sum([len(v) for v in key if isinstance(v, str)])
        return found

    def narrated(self) -> dict[tuple[str, int], tuple[int, ...]]:
        """(node id, choice index) -> words narrated by each outcome of that choice when drawn."""
        out: dict[tuple[str, int], tuple[int, ...]] = {}
        for node in self.story.nodes.values():
            for index, choice in enumerate(node.choices):
                if choice.outcomes:
                    out[(node.id, index)] = tuple(
                        count_words(telling.narration(self.story, choice, i, self.gentle) or "")
                        for i in range(len(choice.outcomes)))
        return out
