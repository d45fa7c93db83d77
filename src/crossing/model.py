"""The story as authored: frozen dataclasses, each carrying where in which file it was written."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import field
from pathlib import Path
from typing import Protocol, runtime_checkable

from crossing.expressions import Expression, Value
from crossing.immutable import immutable, immutable_ordered

RISK_LEVELS = ("low", "moderate", "high", "extreme")
CONTENT_WARNINGS = ("violence", "sexual-violence", "torture", "death")
# How each content warning reads in a sentence ("some scenes describe violence and sexual violence").
WARNING_NAMES = {"violence": "violence", "sexual-violence": "sexual violence", "torture": "torture", "death": "death"}
# Ending kinds that count as reaching safety when a story does not say otherwise.
DEFAULT_SAFE_KINDS = frozenset({"safety", "resettled", "safe"})


@immutable_ordered
class Location:
    """A position in a story file; line and column count from 1."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


NOWHERE = Location("", 0, 0)


@immutable
class Paragraph:
    """One paragraph of text. With a condition it is shown only while the condition holds, and its
    ``otherwise`` (the author's ``else``), if any, is shown when it does not."""

    text: str
    condition: Expression | None = None
    otherwise: str | None = None
    loc: Location = NOWHERE
    condition_loc: Location = NOWHERE


@immutable
class Passage:
    """Text as authored: one or more paragraphs, some of which may depend on the state of the run.
    Which paragraphs a reader sees is decided by ``crossing.telling`` on arrival."""

    paragraphs: tuple[Paragraph, ...]

    @classmethod
    def of(cls, text: str, loc: Location = NOWHERE) -> Passage:
        """A passage with no conditions (paragraphs split on blank lines are still one entry)."""
        return cls((Paragraph(text, loc=loc),))

    @property
    def conditional(self) -> bool:
        return any(p.condition is not None for p in self.paragraphs)

    def strings(self) -> Iterator[str]:
        """Every text a reader could be shown, whatever the state: for lints, searches and guides."""
        for paragraph in self.paragraphs:
            yield paragraph.text
            if paragraph.otherwise is not None:
                yield paragraph.otherwise

    def unconditional(self) -> str:
        """The paragraphs shown in every state, joined by blank lines: the passage as far as it is fixed."""
        return "\n\n".join(p.text for p in self.paragraphs if p.condition is None)

    def conditions(self) -> Iterator[tuple[Expression, Location]]:
        for paragraph in self.paragraphs:
            if paragraph.condition is not None:
                yield paragraph.condition, paragraph.condition_loc


@immutable
class Source:
    """A published source that facts cite: publisher, title and year (and a gentler title where the real one is
    graphic)."""

    id: str
    title: str
    publisher: str
    year: int
    url: str | None
    loc: Location = NOWHERE
    gentle_title: str | None = None  # a title fit for younger readers, where the real one is graphic
    note: str | None = None  # e.g. that the title is descriptive, not the publisher's headline

    def citation(self, gentle: bool = False) -> str:
        """Publisher, title, year: how the classroom material cites a source."""
        title = self.gentle_title if gentle and self.gentle_title else self.title
        return f"{self.publisher}, {title}, {self.year}"


@immutable
class Fact:
    """A claim in a scene's record, with the id of the source it rests on."""

    claim: str
    source: str
    loc: Location = NOWHERE
    gentle_claim: str | None = None  # the same truth in words fit for younger readers


@immutable
class Risk:
    """How dangerous a scene is (one of RISK_LEVELS) and why, in a sentence."""

    level: str
    note: str
    loc: Location = NOWHERE


@immutable
class Assignment:
    """A change to a variable when a choice is taken or an outcome drawn: ``variable = expression``."""

    variable: str
    expression: Expression
    loc: Location = NOWHERE


@immutable
class Outcome:
    """One weighted branch of a random choice."""

    weight: float
    goto: str
    assignments: tuple[Assignment, ...] = ()
    loc: Location = NOWHERE
    text: str | None = None  # narrated when this branch is drawn, before the next scene
    gentle_text: str | None = None


@immutable
class Choice:
    """A choice as the author wrote it (what the engine offers now is an OfferedChoice)."""

    text: str
    goto: str | None
    outcomes: tuple[Outcome, ...] = ()
    condition: Expression | None = None
    assignments: tuple[Assignment, ...] = ()
    loc: Location = NOWHERE
    condition_loc: Location = NOWHERE

    @property
    def targets(self) -> tuple[str, ...]:
        if self.goto is not None:
            return (self.goto,)
        return tuple(outcome.goto for outcome in self.outcomes)

    @property
    def is_random(self) -> bool:
        return bool(self.outcomes)


@immutable
class Debrief:
    """What an ending explains: why it happened, the wider record, and questions for discussion."""

    why: Passage
    context: Passage
    questions: tuple[str, ...]
    gentle_why: Passage | None = None
    gentle_context: Passage | None = None


@immutable
class Ending:
    """What makes a node an ending: its kind (safe or not), its title and its debrief."""

    kind: str
    title: str
    debrief: Debrief | None = None
    loc: Location = NOWHERE
    title_given: bool = True  # False when the author wrote no title and the kind stands in for it


@immutable
class Node:
    """One scene of the story: its text, record (facts, risk, place) and either choices or an ending."""

    id: str
    text: Passage
    title: str | None = None
    route: str | None = None
    place: str | None = None
    risk: Risk | None = None
    facts: tuple[Fact, ...] = ()
    choices: tuple[Choice, ...] = ()
    ending: Ending | None = None
    content_warnings: tuple[str, ...] = ()
    gentle_text: Passage | None = None
    loc: Location = NOWHERE
    place_loc: Location = NOWHERE

    @property
    def is_ending(self) -> bool:
        return self.ending is not None

    @property
    def display_title(self) -> str:
        """How the scene is named to people (graph, analysis, stats): an ending by its ending's title,
        any other scene by its title, else by its id."""
        if self.ending is not None and (self.ending.title_given or not self.title):
            return self.ending.title  # the kind stands in when the author named neither
        return self.title or self.id

    def passages(self) -> Iterator[Passage]:
        """Every passage of the node that may hold conditions: its text, gentle text and debrief."""
        yield self.text
        if self.gentle_text is not None:
            yield self.gentle_text
        debrief = self.ending.debrief if self.ending is not None else None
        if debrief is not None:
            yield from (p for p in (debrief.why, debrief.context, debrief.gentle_why, debrief.gentle_context) if p is not None)

    def text_for(self, gentle: bool) -> Passage:
        """The telling to show: the gentler one for younger readers when the scene has one."""
        return self.gentle_text if gentle and self.gentle_text is not None else self.text


@immutable
class Variable:
    """A value a run keeps (money, trust...): where it starts, its bounds and how it is labelled."""

    name: str
    initial: Value
    minimum: float | None = None
    maximum: float | None = None
    label: str | None = None
    loc: Location = NOWHERE

    def clamp(self, value: Value) -> Value:
        """Keep a number within the declared bounds (a plain default declares none)."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            return value
        if self.minimum is not None and value < self.minimum:
            value = type(value)(self.minimum)
        if self.maximum is not None and value > self.maximum:
            value = type(value)(self.maximum)
        return value


@immutable
class Place:
    """A named point on the map, where scenes happen."""

    id: str
    name: str
    lat: float
    lon: float
    loc: Location = NOWHERE


@immutable
class Route:
    """One of the story's routes out (DMZ, China, Siberia): its id, title and description."""

    id: str
    title: str
    description: str = ""
    loc: Location = NOWHERE


@immutable
class EndingKind:
    """A kind of ending the story declares, and whether it counts as reaching safety."""

    id: str
    label: str
    safe: bool = False


@runtime_checkable
class KnowsContentWarnings(Protocol):
    """A mapping of nodes that can list its scenes' content warnings without building every node (the
    story cache's lazily read nodes)."""

    def content_warnings(self) -> set[str]: ...


@immutable
class Story:
    """A whole story: its nodes by id, variables, sources, glossary, places and routes, and where it was read from."""

    title: str
    start: str
    root: Path
    version: str = ""
    description: str = ""
    variables: Mapping[str, Variable] = field(default_factory=dict)
    sources: Mapping[str, Source] = field(default_factory=dict)
    nodes: Mapping[str, Node] = field(default_factory=dict)
    glossary: Mapping[str, str] = field(default_factory=dict)
    gentle_glossary: Mapping[str, str] = field(default_factory=dict)  # term -> definition for younger readers
    places: Mapping[str, Place] = field(default_factory=dict)
    routes: Mapping[str, Route] = field(default_factory=dict)
    ending_kinds: Mapping[str, EndingKind] = field(default_factory=dict)
    files: tuple[Path, ...] = ()
    digest: str = ""
    start_loc: Location = NOWHERE

    def is_safe_kind(self, kind: str) -> bool:
        declared = self.ending_kinds.get(kind)
        return declared.safe if declared is not None else kind in DEFAULT_SAFE_KINDS

    def kind_label(self, kind: str) -> str:
        declared = self.ending_kinds.get(kind)
        return declared.label if declared is not None else kind

    def route_title(self, route: str | None) -> str:
        if route is None:
            return ""
        declared = self.routes.get(route)
        return declared.title if declared is not None else route

    def reading_order(self) -> list[Node]:
        """Nodes in the order a reader meets them (breadth first from the start), then any unreachable."""
        seen: dict[str, None] = {}
        queue = deque([self.start] if self.start in self.nodes else [])
        while queue:
            node_id = queue.popleft()
            if node_id in seen:
                continue
            seen[node_id] = None
            for choice in self.nodes[node_id].choices:
                queue.extend(t for t in choice.targets if t in self.nodes and t not in seen)
        for node_id in self.nodes:
            seen.setdefault(node_id, None)
        return [self.nodes[n] for n in seen]

    def endings(self) -> list[Node]:
        return [node for node in self.nodes.values() if node.ending is not None]

    def content_warnings(self) -> list[str]:
        """Every content warning any scene carries, in the fixed order of CONTENT_WARNINGS."""
        if isinstance(self.nodes, KnowsContentWarnings):  # nodes read lazily: no need to build them all
            found = self.nodes.content_warnings()
        else:
            found = {w for node in self.nodes.values() for w in node.content_warnings}
        return [w for w in CONTENT_WARNINGS if w in found]
