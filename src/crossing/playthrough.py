"""A run as a stream of events (ink's onMakeChoice / onDidContinue): the engine moves, and whoever cares
(the screen, the autosave, a transcript, a browser) listens instead of guessing what happened.

Pure: no Rich, no input, no printing. Play, class mode and `crossing serve` all drive a Playthrough.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crossing import telling
from crossing.engine import Engine, OfferedChoice, Step
from crossing.immutable import immutable
from crossing.model import Node

if TYPE_CHECKING:
    from crossing.transcript.records import VoteCount


@immutable
class SceneShown:
    """The reader arrives at a scene (an ending too): its text as told in this state."""

    node: Node
    text: str
    offered: tuple[OfferedChoice, ...]
    narration: str | None  # what the draw that led here narrated, told before the scene


@immutable
class ChoiceTaken:
    """A choice was taken: the step (with its draw), chance's narration, and a class's votes if it voted."""

    step: Step
    narration: str | None
    decision: bool  # the scene offered more than one choice
    votes: tuple[VoteCount, ...] | None = None  # a class's votes for each choice offered (class mode), if voted
    tie: bool = False  # the vote was a tie, won by the choice listed first


@immutable
class WentBack:
    """The reader took a step back."""

    step: Step  # the step taken back


@immutable
class Ended:
    """The run reached an ending: the ending's node and its debrief as told."""

    node: Node
    why: str
    context: str


Event = SceneShown | ChoiceTaken | WentBack | Ended
Listener = Callable[["Playthrough", Event], None]


@dataclass
class Playthrough:
    """An engine, the telling chosen, and the listeners told of everything that happens."""

    engine: Engine
    gentle: bool = False
    listeners: list[Listener] = field(default_factory=list)
    _narration: str | None = None

    def listen(self, *listeners: Listener) -> None:
        self.listeners.extend(listeners)

    def _emit(self, event: Event) -> None:
        for listener in self.listeners:
            listener(self, event)

    def arrive(self) -> SceneShown:
        """Show the current scene: emits SceneShown, and Ended after it when the scene is an ending."""
        engine = self.engine
        node = engine.node
        offered = () if node.is_ending else tuple(engine.offered())
        shown = SceneShown(node, engine.scene_text(self.gentle), offered, self._narration)
        self._narration = None
        self._emit(shown)
        if node.is_ending:
            why, context = engine.debrief_text(self.gentle)
            self._emit(Ended(node, why, context))
        return shown

    def choose(self, number: int, votes: Sequence[VoteCount] | None = None, *, tie: bool = False) -> ChoiceTaken:
        """Take choice ``number``: emits ChoiceTaken, with the class's votes when a class voted for it."""
        offered = len(self.engine.offered())
        step = self.engine.choose(number)
        taken = ChoiceTaken(step, self.engine.narration(step, self.gentle), offered > 1,
                            tuple(votes) if votes is not None else None, tie)
        self._narration = taken.narration
        self._emit(taken)
        return taken

    def back(self) -> WentBack | None:
        """Undo the last choice; None (and no event) at the start of the run."""
        history = self.engine.state.history
        if not history:
            return None
        step = history[-1]
        self.engine.back()
        self._narration = None
        went = WentBack(step)
        self._emit(went)
        return went


def decisions(engine: Engine) -> int:
    """Steps taken at scenes that offered more than one choice: a scene with one choice is a step, not a
    decision. Counted from the history, each step in the state it was taken in."""
    from crossing.engine import offered_choices

    state, story = engine.state, engine.story
    count = 0
    for index, step in enumerate(state.history):
        node = story.nodes.get(step.node)
        if node is not None and len(offered_choices(node, step.variables_before, set(state.path[: index + 1]))) > 1:
            count += 1
    return count


def met_terms(glossary: Iterable[str], texts: Iterable[str]) -> list[str]:
    """The glossary terms that occur in the texts a reader was shown (whole words, any case)."""
    import re

    seen = " ".join(texts).lower()
    return [term for term in glossary if re.search(rf"(?<!\w){re.escape(term.lower())}(?!\w)", seen)]


def shown_texts(engine: Engine, gentle: bool) -> list[str]:
    """The text of every scene on the path, as it was told when the reader arrived."""
    texts = [engine.earlier_scene_text(i, gentle) for i in range(len(engine.state.history))]
    texts.append(engine.scene_text(gentle))
    return texts


__all__ = ["ChoiceTaken", "Ended", "Event", "Listener", "Playthrough", "SceneShown", "WentBack", "decisions",
           "met_terms", "shown_texts", "telling"]
