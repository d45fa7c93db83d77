"""What a transcript holds, and how a run adds to it. Each ``record_*`` takes the engine as it is right
after the event. Pure data: no files, no printing."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from crossing import telling
from crossing.engine import Engine, Step
from crossing.immutable import immutable
from crossing.model import Node, Story

Mode = Literal["play", "class"]
MODES: tuple[Mode, ...] = ("play", "class")

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC)


def stamp(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


def new_run_id() -> str:
    """A unique id for a run: how copies of one transcript are recognised."""
    return uuid.uuid4().hex


@immutable
class FactRecord:
    """A fact as shown, with the source it cites (so a student can note one fact with its source)."""

    claim: str
    source: str
    citation: str
    url: str | None = None


@immutable
class SceneRecord:
    """A scene as it was shown. ``after_steps`` counts the step records that existed then, which places
    the scene between the choices in the order things happened (going back shows a scene again)."""

    node: str
    title: str | None
    text: str
    after_steps: int
    facts: tuple[FactRecord, ...] = ()


@immutable
class VoteCount:
    """One choice in a class vote: its number on screen and the hands raised (None when the teacher
    typed only the winning number)."""

    number: int
    choice_index: int
    text: str
    hands: int | None


@dataclass(slots=True)
class StepRecord:
    node: str
    choice_index: int
    choice_text: str
    target: str
    draw: float | None = None
    outcome_index: int | None = None
    undone: bool = False
    votes: tuple[VoteCount, ...] | None = None
    tie: bool = False
    at: str | None = None  # when the choice was taken (None in transcripts written before version 2)
    narration: str | None = None  # what the story said of the outcome drawn, when it says anything


@immutable
class DebriefRecord:
    why: str
    context: str
    questions: tuple[str, ...]


@immutable
class EndingRecord:
    node: str
    kind: str
    kind_label: str
    title: str
    safe: bool
    text: str
    debrief: DebriefRecord | None = None
    at: str | None = None


def facts_shown(story: Story, node: Node, gentle: bool) -> tuple[FactRecord, ...]:
    """The facts of a scene as the reader saw them (gentle wording, or left out under --gentle)."""
    out: list[FactRecord] = []
    for claim, fact in telling.shown_facts(story, node, gentle):
        source = story.sources.get(fact.source)
        citation = source.citation() if source is not None else fact.source
        out.append(FactRecord(claim, fact.source, citation, source.url if source is not None and source.url else None))
    return tuple(out)


@dataclass
class Transcript:
    story_title: str
    story_version: str
    story_digest: str
    seed: int
    started: str
    mode: Mode = "play"
    name: str | None = None
    gentle: bool = False
    scenes: list[SceneRecord] = field(default_factory=list)
    steps: list[StepRecord] = field(default_factory=list)
    ending: EndingRecord | None = None
    run: str | None = None  # None only in transcripts written before version 2
    version: int = 2
    clock: Clock = field(default=_now, repr=False, compare=False)

    @classmethod
    def begin(
        cls,
        story: Story,
        seed: int,
        *,
        started: datetime | None = None,
        name: str | None = None,
        gentle: bool = False,
        mode: Mode = "play",
        run: str | None = None,
        clock: Clock | None = None,
    ) -> Transcript:
        tick = clock or _now
        when = stamp(started or tick())
        alias = name.strip() if name is not None and name.strip() else None
        return cls(story.title, story.version, story.digest, seed, when, mode, alias, gentle,
                   run=run or new_run_id(), clock=tick)

    @property
    def finished(self) -> bool:
        return self.ending is not None

    @property
    def path_steps(self) -> list[StepRecord]:
        """The choices that stand: those not taken back."""
        return [s for s in self.steps if not s.undone]

    @property
    def path(self) -> list[str]:
        """The scenes of the path that stands, from the first to where the run is now."""
        stood = self.path_steps
        if stood:
            return [stood[0].node, *(s.target for s in stood)]
        return [self.scenes[0].node] if self.scenes else []

    @property
    def facts(self) -> list[FactRecord]:
        """Every fact shown, once each, in the order first shown."""
        seen: dict[tuple[str, str], FactRecord] = {}
        for scene in self.scenes:
            for fact in scene.facts:
                seen.setdefault((fact.claim, fact.source), fact)
        return list(seen.values())

    @property
    def last_time(self) -> str | None:
        times = [s.at for s in self.steps if s.at] + ([self.ending.at] if self.ending and self.ending.at else [])
        return max(times) if times else None

    # -- as files (crossing.transcript.codec and .markdown)

    def to_dict(self) -> dict[str, Any]:
        from crossing.transcript.codec import to_dict

        return to_dict(self)

    def to_json(self) -> str:
        from crossing.transcript.codec import to_json

        return to_json(self)

    def to_markdown(self) -> str:
        from crossing.transcript.markdown import to_markdown

        return to_markdown(self)

    @classmethod
    def from_json(cls, text: str) -> Transcript:
        from crossing.transcript.codec import from_json

        return from_json(text)

    @classmethod
    def from_dict(cls, data: object, *, scenes: bool = True) -> Transcript:
        from crossing.transcript.codec import from_dict

        return from_dict(data, scenes=scenes)

    # -- recording

    def _scene(self, engine: Engine, node: Node, text: str) -> SceneRecord:
        return SceneRecord(node.id, node.title, text, len(self.steps), facts_shown(engine.story, node, self.gentle))

    def _earlier(self, engine: Engine, index: int) -> None:
        """The scene where the index-th choice of the history was taken, as told then, and the choice."""
        step = engine.state.history[index]
        node = engine.story.nodes.get(step.node)  # where the choice was taken (the path can be longer)
        if node is not None:
            self.scenes.append(self._scene(engine, node, engine.earlier_scene_text(index, self.gentle)))
        self.record_step(engine, step, when=None, narration=engine.narration(step, self.gentle))

    def record_history(self, engine: Engine) -> None:
        """A resumed run: the scenes and choices that stand from before, so the record is the whole run."""
        for index in range(len(engine.state.history)):
            self._earlier(engine, index)

    def record_scene(self, engine: Engine) -> None:
        last = self.scenes[-1] if self.scenes else None
        if last is not None and last.node == engine.node.id and last.after_steps == len(self.steps):
            return  # shown again with nothing in between (a resumed run): one record
        self.scenes.append(self._scene(engine, engine.node, engine.scene_text(self.gentle)))

    def record_step(self, engine: Engine, step: Step, votes: Sequence[VoteCount] | None = None, *, tie: bool = False,
                    when: datetime | Literal["now"] | None = "now", narration: str | None = None) -> None:
        at = stamp(self.clock()) if when == "now" else (stamp(when) if isinstance(when, datetime) else None)
        self.steps.append(
            StepRecord(step.node, step.choice_index, step.choice_text, step.target, step.draw, step.outcome_index,
                       votes=tuple(votes) if votes is not None else None, tie=tie, at=at, narration=narration)
        )

    def record_back(self, engine: Engine | None = None) -> None:
        """The last choice that stood was taken back; it stays in the record, marked undone."""
        for step in reversed(self.steps):
            if not step.undone:
                step.undone = True
                return

    def record_ending(self, engine: Engine) -> None:
        node, story = engine.node, engine.story
        if node.ending is None:
            raise ValueError(f"scene '{node.id}' is not an ending")
        end = node.ending
        debrief = None
        if end.debrief is not None:
            why, context = engine.debrief_text(self.gentle)
            debrief = DebriefRecord(why, context, tuple(end.debrief.questions))
        self.ending = EndingRecord(node.id, end.kind, story.kind_label(end.kind), node.display_title,
                                   story.is_safe_kind(end.kind), engine.scene_text(self.gentle), debrief, stamp(self.clock()))

    def catch_up(self, engine: Engine) -> None:
        """Bring the record in line with the engine's history (a resumed run whose transcript missed the
        last step or two): choices that no longer stand are marked undone, missing ones added."""
        stood = self.path_steps
        history = engine.state.history
        same = 0
        while same < min(len(stood), len(history)) and (stood[same].node, stood[same].choice_index) == (
                history[same].node, history[same].choice_index):
            same += 1
        for record in stood[same:]:
            record.undone = True
        for index in range(same, len(history)):
            self._earlier(engine, index)
        if self.ending is not None and (not engine.finished or self.ending.node != engine.node.id):
            self.ending = None
