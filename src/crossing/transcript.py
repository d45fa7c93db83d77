"""A record of one run, for handing in and for class reports: every scene shown, every choice taken
(with its random draw), the ending and its debrief questions.

``Transcript`` is plain data (to_json / from_json / to_markdown). ``TranscriptWriter`` rewrites its file
atomically after every record, so a run cut short at any moment still leaves a complete, valid file
(marked unfinished). Nothing personal is recorded: no user name, host or path, only the name or alias a
student chooses to give.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from crossing.atomic import write_atomic
from crossing.diagnostics import CrossingError
from crossing.engine import Engine, Step
from crossing.model import Story

if TYPE_CHECKING:
    from crossing.playthrough import Event, Listener, Playthrough

TRANSCRIPT_FORMAT = "crossing-transcript"
TRANSCRIPT_VERSION = 1

Mode = Literal["play", "class"]
MODES: tuple[Mode, ...] = ("play", "class")


class TranscriptError(CrossingError):
    """A transcript file that cannot be read or written; the message says why."""


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class SceneRecord:
    """A scene as it was shown. ``after_steps`` counts the step records that existed then, which places
    the scene between the choices in the order things happened (going back shows a scene again)."""

    node: str
    title: str | None
    text: str
    after_steps: int


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class DebriefRecord:
    why: str
    context: str
    questions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EndingRecord:
    node: str
    kind: str
    kind_label: str
    title: str
    safe: bool
    text: str
    debrief: DebriefRecord | None = None


# --------------------------------------------------------------------------- the transcript


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
    ) -> Transcript:
        when = (started or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
        alias = name.strip() if name is not None and name.strip() else None
        return cls(story.title, story.version, story.digest, seed, when, mode, alias, gentle)

    @property
    def finished(self) -> bool:
        return self.ending is not None

    @property
    def path_steps(self) -> list[StepRecord]:
        """The choices that stand: those not taken back."""
        return [s for s in self.steps if not s.undone]

    # -- recording (each takes the engine as it is right after the event)

    def record_history(self, engine: Engine) -> None:
        """A resumed run: the scenes and choices that stand from before, so the record is the whole run."""
        state, story = engine.state, engine.story
        for index, step in enumerate(state.history):
            node = story.nodes.get(step.node)  # where the choice was taken (the path can be longer)
            if node is not None:
                self.scenes.append(SceneRecord(node.id, node.title, engine.earlier_scene_text(index, self.gentle), len(self.steps)))
            self.record_step(engine, step)

    def record_scene(self, engine: Engine) -> None:
        node = engine.node
        self.scenes.append(SceneRecord(node.id, node.title, engine.scene_text(self.gentle), len(self.steps)))

    def record_step(self, engine: Engine, step: Step, votes: Sequence[VoteCount] | None = None, *, tie: bool = False) -> None:
        self.steps.append(
            StepRecord(step.node, step.choice_index, step.choice_text, step.target, step.draw, step.outcome_index,
                       votes=tuple(votes) if votes is not None else None, tie=tie)
        )

    def record_back(self, engine: Engine) -> None:
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
        self.ending = EndingRecord(node.id, end.kind, story.kind_label(end.kind), story.ending_title(node), story.is_safe_kind(end.kind),
                                   engine.scene_text(self.gentle), debrief)

    # -- JSON

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": TRANSCRIPT_FORMAT,
            "version": TRANSCRIPT_VERSION,
            "mode": self.mode,
            "story": {"title": self.story_title, "version": self.story_version, "digest": self.story_digest},
            "seed": self.seed,
            "started": self.started,
            "name": self.name,
            "gentle": self.gentle,
            "finished": self.finished,
            "scenes": [
                {"node": s.node, "title": s.title, "text": s.text, "after_steps": s.after_steps} for s in self.scenes
            ],
            "steps": [_step_dict(s) for s in self.steps],
            "ending": None if self.ending is None else _ending_dict(self.ending),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Transcript:
        """Read a transcript written by to_json; raises TranscriptError saying what is wrong."""
        if not text.strip():
            raise TranscriptError("the file is empty")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise TranscriptError(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
        except RecursionError:
            raise TranscriptError("not valid JSON (nested too deeply)") from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: object) -> Transcript:
        try:
            return _parse(data)
        except _Bad as exc:
            raise TranscriptError(str(exc)) from None

    # -- Markdown, for reading and handing in

    def to_markdown(self) -> str:
        out: list[str] = [f"# {md_text(self.story_title)}: transcript", ""]
        facts = [("Story", md_text(self.story_title) + (f" (version {md_text(self.story_version)})" if self.story_version else ""))]
        if self.name:
            facts.append(("Name", md_text(self.name)))
        facts.append(("Mode", "class vote" if self.mode == "class" else "solo play"))
        facts.append(("Started", self.started))
        facts.append(("Seed", str(self.seed)))
        if self.gentle:
            facts.append(("Telling", "gentle"))
        out.extend(f"- **{label}:** {value}" for label, value in facts)
        out.append("")
        if not self.finished:
            out.extend(["> **Unfinished:** this run stopped before an ending.", ""])
        for index, scene in enumerate(self.scenes):
            later = self.scenes[index + 1].after_steps if index + 1 < len(self.scenes) else len(self.steps)
            if self.ending is not None and index == len(self.scenes) - 1 and scene.node == self.ending.node:
                break  # the ending is written below, with its debrief
            out.extend([f"## {md_text(scene.title or scene.node)}", ""])
            out.extend(md_paragraphs(scene.text))
            taken = self.steps[scene.after_steps:later]
            for step in taken:
                out.append(_markdown_step(step))
                out.append("")
            if not taken and index + 1 < len(self.scenes):
                out.extend(["*Went back one choice.*", ""])
        if self.ending is not None:
            end = self.ending
            out.extend([f"## Ending: {md_text(end.title)}", "", f"*{md_text(end.kind_label)}*", ""])
            out.extend(md_paragraphs(end.text))
            if end.debrief is not None:
                out.extend(["### What happened, and why", ""])
                out.extend(md_paragraphs(end.debrief.why))
                out.extend(["### The real world", ""])
                out.extend(md_paragraphs(end.debrief.context))
                out.extend(["### To discuss", ""])
                out.extend(f"{n}. {md_text(q)}" for n, q in enumerate(end.debrief.questions, 1))
                out.append("")
        out.extend(["## Path", ""])
        stood = self.path_steps
        if stood:
            out.extend(f"{n}. {md_text(s.choice_text)}" for n, s in enumerate(stood, 1))
        else:
            out.append("No choice taken yet.")
        out.append("")
        return "\n".join(out)


def _markdown_step(step: StepRecord) -> str:
    line = f"> **Choice:** {md_text(step.choice_text)}"
    if step.draw is not None and step.outcome_index is not None:
        line += f" (chance decided: draw {step.draw:.3f}, outcome {step.outcome_index + 1})"
    if step.votes is not None:
        if all(v.hands is not None for v in step.votes):
            tally = ", ".join(f"{v.number}: {v.hands}" for v in step.votes)
            line += f"  \n> Class vote, hands per choice: {tally}"
            if step.tie:
                line += " (a tie: it went to the choice listed first)"
        else:
            line += "  \n> Class vote: winning choice given without a count"
    if step.undone:
        line += "  \n> *Taken back.*"
    return line


def _step_dict(step: StepRecord) -> dict[str, Any]:
    out: dict[str, Any] = {
        "node": step.node,
        "choice_index": step.choice_index,
        "choice_text": step.choice_text,
        "target": step.target,
        "draw": step.draw,
        "outcome_index": step.outcome_index,
        "undone": step.undone,
    }
    if step.votes is not None:
        out["votes"] = [{"number": v.number, "choice_index": v.choice_index, "text": v.text, "hands": v.hands} for v in step.votes]
        out["tie"] = step.tie
    return out


def _ending_dict(end: EndingRecord) -> dict[str, Any]:
    return {
        "node": end.node,
        "kind": end.kind,
        "kind_label": end.kind_label,
        "title": end.title,
        "safe": end.safe,
        "text": end.text,
        "debrief": None if end.debrief is None else {
            "why": end.debrief.why, "context": end.debrief.context, "questions": list(end.debrief.questions),
        },
    }


# --------------------------------------------------------------------------- reading, with reasons


class _Bad(Exception):
    pass


def _obj(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _Bad(f"{what} is not a JSON object")
    return value


def _get(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], what: str, *, optional: bool = False) -> Any:
    if key not in data:
        if optional:
            return None
        raise _Bad(f"{what} has no '{key}'")
    value = data[key]
    if value is None and optional:
        return None
    # bool is an int in Python: a count or index must not be true/false
    if (isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,))) or not isinstance(value, kind):
        raise _Bad(f"'{key}' in {what} has the wrong type")
    return value


def _index(data: Mapping[str, Any], key: str, what: str, *, optional: bool = False) -> int | None:
    value: int | None = _get(data, key, int, what, optional=optional)
    if value is not None and value < 0:
        raise _Bad(f"'{key}' in {what} is negative")
    return value


def _parse(data: object) -> Transcript:
    top = _obj(data, "the transcript")
    if top.get("format") != TRANSCRIPT_FORMAT:
        raise _Bad("not a Crossing transcript (no \"format\": \"crossing-transcript\")")
    version = top.get("version")
    if version != TRANSCRIPT_VERSION:
        raise _Bad(f"transcript format version {version!r} is not supported (this Crossing reads version {TRANSCRIPT_VERSION})")
    mode = _get(top, "mode", str, "the transcript")
    if mode not in MODES:
        raise _Bad(f"unknown mode {mode!r}")
    story = _obj(_get(top, "story", dict, "the transcript"), "'story'")
    name = _get(top, "name", str, "the transcript", optional=True)
    transcript = Transcript(
        story_title=_get(story, "title", str, "'story'"),
        story_version=_get(story, "version", str, "'story'"),
        story_digest=_get(story, "digest", str, "'story'"),
        seed=_get(top, "seed", int, "the transcript"),
        started=_get(top, "started", str, "the transcript"),
        mode=mode,
        name=name,
        gentle=_get(top, "gentle", bool, "the transcript"),
    )
    for number, raw in enumerate(_get(top, "scenes", list, "the transcript"), 1):
        what = f"scene {number}"
        scene = _obj(raw, what)
        transcript.scenes.append(SceneRecord(
            _get(scene, "node", str, what), _get(scene, "title", str, what, optional=True),
            _get(scene, "text", str, what), _index(scene, "after_steps", what) or 0,
        ))
    for number, raw in enumerate(_get(top, "steps", list, "the transcript"), 1):
        transcript.steps.append(_parse_step(_obj(raw, f"step {number}"), f"step {number}"))
    raw_ending = _get(top, "ending", dict, "the transcript", optional=True)
    if raw_ending is not None:
        transcript.ending = _parse_ending(raw_ending)
    if _get(top, "finished", bool, "the transcript") != transcript.finished:
        raise _Bad("'finished' does not agree with 'ending'")
    _check_consistent(transcript)
    return transcript


def _parse_step(step: Mapping[str, Any], what: str) -> StepRecord:
    draw = _get(step, "draw", (int, float), what, optional=True)
    outcome = _index(step, "outcome_index", what, optional=True)
    if (draw is None) != (outcome is None):
        raise _Bad(f"{what} has a random draw without an outcome, or an outcome without a draw")
    if draw is not None and not (math.isfinite(draw) and 0.0 <= draw < 1.0):
        raise _Bad(f"{what} has a random draw outside [0, 1)")
    votes: tuple[VoteCount, ...] | None = None
    raw_votes = _get(step, "votes", list, what, optional=True)
    if raw_votes is not None:
        parsed = []
        for n, raw in enumerate(raw_votes, 1):
            vote = _obj(raw, f"vote {n} of {what}")
            parsed.append(VoteCount(_index(vote, "number", f"vote {n} of {what}") or 0,
                                    _index(vote, "choice_index", f"vote {n} of {what}") or 0,
                                    _get(vote, "text", str, f"vote {n} of {what}"),
                                    _index(vote, "hands", f"vote {n} of {what}", optional=True)))
        votes = tuple(parsed)
    return StepRecord(
        node=_get(step, "node", str, what),
        choice_index=_index(step, "choice_index", what) or 0,
        choice_text=_get(step, "choice_text", str, what),
        target=_get(step, "target", str, what),
        draw=None if draw is None else float(draw),
        outcome_index=outcome,
        undone=bool(_get(step, "undone", bool, what, optional=True)),
        votes=votes,
        tie=bool(_get(step, "tie", bool, what, optional=True)),
    )


def _parse_ending(end: Mapping[str, Any]) -> EndingRecord:
    what = "'ending'"
    debrief = None
    raw = _get(end, "debrief", dict, what, optional=True)
    if raw is not None:
        questions = _get(raw, "questions", list, "the debrief")
        if not all(isinstance(q, str) for q in questions):
            raise _Bad("a debrief question is not text")
        debrief = DebriefRecord(_get(raw, "why", str, "the debrief"), _get(raw, "context", str, "the debrief"), tuple(questions))
    return EndingRecord(
        _get(end, "node", str, what), _get(end, "kind", str, what), _get(end, "kind_label", str, what),
        _get(end, "title", str, what), _get(end, "safe", bool, what), _get(end, "text", str, what), debrief,
    )


def _check_consistent(t: Transcript) -> None:
    """The choices that stand must form one path, ending where the ending is."""
    stood = t.path_steps
    for before, after in itertools.pairwise(stood):
        if before.target != after.node:
            raise _Bad(f"the path breaks: a choice leads to '{before.target}' but the next is taken at '{after.node}'")
    if t.ending is not None and stood and stood[-1].target != t.ending.node:
        raise _Bad(f"the last choice leads to '{stood[-1].target}', not to the ending '{t.ending.node}'")
    for scene in t.scenes:
        if scene.after_steps > len(t.steps):
            raise _Bad(f"scene '{scene.node}' is placed after steps that are not in the transcript")


# --------------------------------------------------------------------------- Markdown text

# Control characters would act on a terminal that shows the file; keep them visible and inert.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_INLINE = re.compile(r"([\\`*_\[\]<>|])")
_BLOCK_MARK = re.compile(r"^(\s*)([#>+\-=])")
_LIST_NUMBER = re.compile(r"^(\s*\d+)([.)])")


def md_text(text: str, *, line_start: bool = True) -> str:
    """Story text as Markdown that shows exactly what was written: markup characters escaped, line
    breaks made spaces. ``line_start``: the text begins a line, where '#', '-' or '1.' would start a block."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text.replace("\r\n", "\n").replace("\t", "    "))
    text = re.sub(r"[ ]*\n\s*", " ", text)
    text = _INLINE.sub(r"\\\1", text)
    if line_start:
        text = _BLOCK_MARK.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
        text = _LIST_NUMBER.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return text


def md_paragraphs(text: str) -> list[str]:
    """Paragraphs (split at blank lines), each followed by a blank line."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        if block.strip():
            out.extend([md_text(block.strip()), ""])
    return out


# --------------------------------------------------------------------------- writing as the run goes


def transcript_format(path: Path) -> Literal["json", "markdown"]:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".md", ".markdown"):
        return "markdown"
    raise TranscriptError(f"a transcript file must end in .json (for `crossing report`) or .md (to read): {path.name}")


class TranscriptWriter:
    """Keeps a Transcript and rewrites its file (atomically) after every record."""

    def __init__(self, path: Path, transcript: Transcript) -> None:
        self.path = path
        self.transcript = transcript
        self.format = transcript_format(path)
        self.write()

    @classmethod
    def start(
        cls,
        path: Path,
        engine: Engine,
        *,
        name: str | None = None,
        gentle: bool = False,
        mode: Mode = "play",
        started: datetime | None = None,
    ) -> TranscriptWriter:
        transcript = Transcript.begin(engine.story, engine.state.seed, started=started, name=name, gentle=gentle, mode=mode)
        transcript.record_history(engine)  # empty for a new run; the earlier steps of a resumed one
        return cls(path, transcript)

    def write(self) -> None:
        text = self.transcript.to_json() if self.format == "json" else self.transcript.to_markdown()
        try:
            write_atomic(self.path, text)
        except OSError as exc:
            raise TranscriptError(f"cannot write the transcript {self.path}: {exc.strerror or exc}") from None

    def record_scene(self, engine: Engine) -> None:
        self.transcript.record_scene(engine)
        self.write()

    def record_step(self, engine: Engine, step: Step, votes: Sequence[VoteCount] | None = None, *, tie: bool = False) -> None:
        self.transcript.record_step(engine, step, votes, tie=tie)
        self.write()

    def record_back(self, engine: Engine) -> None:
        self.transcript.record_back(engine)
        self.write()

    def record_ending(self, engine: Engine) -> None:
        self.transcript.record_ending(engine)
        self.write()


def transcript_listener(writer: TranscriptWriter) -> Listener:
    """Keeps a transcript as a listener of the run's events: each scene and the ending when shown, each
    choice with its draw, each step taken back."""
    from crossing.playthrough import ChoiceTaken, Ended, SceneShown, WentBack

    def note(run: Playthrough, event: Event) -> None:
        if isinstance(event, SceneShown):
            writer.record_scene(run.engine)
        elif isinstance(event, Ended):
            writer.record_ending(run.engine)
        elif isinstance(event, ChoiceTaken):
            writer.record_step(run.engine, event.step)
        elif isinstance(event, WentBack):
            writer.record_back(run.engine)

    return note
