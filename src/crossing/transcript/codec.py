"""Transcripts as JSON: writing, and reading back with a reason for anything wrong.

Every number read is range-checked before use (a 5,000-digit seed or hand count is a reason to skip the
file, never an exception), and every text is bounded, so one bad file can never break a whole report.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Mapping
from typing import Any

from crossing.diagnostics import CrossingError
from crossing.transcript.records import (
    MODES,
    DebriefRecord,
    EndingRecord,
    FactRecord,
    SceneRecord,
    StepRecord,
    Transcript,
    VoteCount,
)

TRANSCRIPT_FORMAT = "crossing-transcript"
TRANSCRIPT_VERSION = 2
MIN_VERSION = 1  # version 1: no run id, no facts, no times; still read and counted
MAX_SEED = 2**63  # a seed is a 63-bit number at most
MAX_COUNT = 1_000_000  # more hands, steps or indices than any class or story has
MAX_TRANSCRIPT_BYTES = 16 * 1024 * 1024


class TranscriptError(CrossingError):
    """A transcript file that cannot be read or written; the message says why."""


def to_dict(t: Transcript) -> dict[str, Any]:
    """The JSON document. Facts are listed once, at the top ("facts", each with its source); a scene
    names the facts it showed by their place in that list."""
    facts = t.facts
    number = {(f.claim, f.source): i for i, f in enumerate(facts)}
    return {
        "format": TRANSCRIPT_FORMAT,
        "version": TRANSCRIPT_VERSION,
        "run": t.run,
        "mode": t.mode,
        "story": {"title": t.story_title, "version": t.story_version, "digest": t.story_digest},
        "seed": t.seed,
        "started": t.started,
        "name": t.name,
        "gentle": t.gentle,
        "finished": t.finished,
        "path": t.path,
        "scenes": [
            {"node": s.node, "title": s.title, "text": s.text, "after_steps": s.after_steps,
             "facts": [number[(f.claim, f.source)] for f in s.facts]}
            for s in t.scenes
        ],
        "facts": [_fact_dict(f) for f in facts],
        "steps": [_step_dict(s) for s in t.steps],
        "ending": None if t.ending is None else _ending_dict(t.ending),
    }


# Bidirectional embeddings, overrides and isolates: written as JSON escapes, so a transcript shown in a
# terminal or an editor reads as what it is (they can only occur inside strings, where \uXXXX is the same).
_BIDI_ESCAPES = {code: f"\\u{code:04x}" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def to_json(t: Transcript) -> str:
    return json.dumps(to_dict(t), indent=2, ensure_ascii=False).translate(_BIDI_ESCAPES) + "\n"


def from_json(text: str) -> Transcript:
    """Read a transcript written by to_json; raises TranscriptError saying what is wrong."""
    if not text.strip():
        raise TranscriptError("the file is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranscriptError(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except (RecursionError, ValueError):  # nested too deeply; a number with thousands of digits
        raise TranscriptError("not valid JSON (nested too deeply, or a number too long to read)") from None
    return from_dict(data)


def from_dict(data: object, *, scenes: bool = True) -> Transcript:
    """``scenes=False`` (a class report): the scenes' texts and facts are not read, only their number
    checked, which makes reading many transcripts several times faster."""
    try:
        return _parse(data, scenes)
    except _Bad as exc:
        raise TranscriptError(str(exc)) from None
    except (RecursionError, ValueError, OverflowError) as exc:  # belt and braces: never a traceback
        raise TranscriptError(f"a value cannot be read ({type(exc).__name__})") from None


def content_key(data: object) -> str:
    """How a transcript without a run id (written before version 2) is recognised: its contents,
    whatever the spacing or key order of the copy."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return "content:" + hashlib.sha256(canonical.encode("ascii")).hexdigest()


def identity(t: Transcript, data: object) -> str:
    """The key that makes copies of one run count once: its run id, or (written before run ids) the
    contents it was read from."""
    return f"run:{t.run}" if t.run else content_key(data)


def _fact_dict(f: FactRecord) -> dict[str, Any]:
    return {"claim": f.claim, "source": f.source, "citation": f.citation, "url": f.url}


def _step_dict(step: StepRecord) -> dict[str, Any]:
    out: dict[str, Any] = {
        "node": step.node,
        "choice_index": step.choice_index,
        "choice_text": step.choice_text,
        "target": step.target,
        "draw": step.draw,
        "outcome_index": step.outcome_index,
        "undone": step.undone,
        "at": step.at,
    }
    if step.narration is not None:
        out["narration"] = step.narration
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
        "at": end.at,
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
    if value is not None and not 0 <= value <= MAX_COUNT:
        raise _Bad(f"'{key}' in {what} is out of range (0 to {MAX_COUNT:,})")
    return value


def _stamp(data: Mapping[str, Any], key: str, what: str) -> str | None:
    value: str | None = _get(data, key, str, what, optional=True)
    if value is not None and len(value) > 40:
        raise _Bad(f"'{key}' in {what} is not a time")
    return value


def _parse(data: object, with_scenes: bool = True) -> Transcript:
    top = _obj(data, "the transcript")
    if top.get("format") != TRANSCRIPT_FORMAT:
        raise _Bad("not a Crossing transcript (no \"format\": \"crossing-transcript\")")
    version = top.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or not MIN_VERSION <= version <= TRANSCRIPT_VERSION:
        shown = repr(version) if not isinstance(version, int) or abs(version) < 10**9 else "(a huge number)"
        raise _Bad(f"transcript format version {shown} is not supported (this Crossing reads versions "
                   f"{MIN_VERSION} to {TRANSCRIPT_VERSION})")
    mode = _get(top, "mode", str, "the transcript")
    if mode not in MODES:
        raise _Bad(f"unknown mode {mode[:20]!r}")
    story = _obj(_get(top, "story", dict, "the transcript"), "'story'")
    seed = _get(top, "seed", int, "the transcript")
    if not 0 <= seed < MAX_SEED:
        raise _Bad("'seed' is out of range (a seed is a whole number from 0 below 2**63)")
    run = _get(top, "run", str, "the transcript", optional=True)
    if run is not None and not (0 < len(run) <= 64):
        raise _Bad("'run' is not a run id")
    transcript = Transcript(
        story_title=_get(story, "title", str, "'story'"),
        story_version=_get(story, "version", str, "'story'"),
        story_digest=_get(story, "digest", str, "'story'"),
        seed=seed,
        started=_stamp(top, "started", "the transcript") or "",
        mode=mode,
        name=_get(top, "name", str, "the transcript", optional=True),
        gentle=_get(top, "gentle", bool, "the transcript"),
        run=run,
        version=version,
    )
    raw_facts = _get(top, "facts", list, "the transcript", optional=True) or []
    scenes = _get(top, "scenes", list, "the transcript")
    if with_scenes:
        listed = [_parse_fact(_obj(f, f"fact {n}"), f"fact {n}") for n, f in enumerate(raw_facts, 1)]
        for number, raw in enumerate(scenes, 1):
            transcript.scenes.append(_parse_scene(_obj(raw, f"scene {number}"), f"scene {number}", listed))
    transcript.steps.extend(_parse_step(_obj(raw, f"step {number}"), f"step {number}")
                            for number, raw in enumerate(_get(top, "steps", list, "the transcript"), 1))
    raw_ending = _get(top, "ending", dict, "the transcript", optional=True)
    if raw_ending is not None:
        transcript.ending = _parse_ending(raw_ending)
    if _get(top, "finished", bool, "the transcript") != transcript.finished:
        raise _Bad("'finished' does not agree with 'ending'")
    _check_consistent(transcript)
    return transcript


def _parse_scene(scene: Mapping[str, Any], what: str, shown: list[FactRecord]) -> SceneRecord:
    facts: list[FactRecord] = []
    for index in _get(scene, "facts", list, what, optional=True) or ():
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(shown):
            raise _Bad(f"{what} names a fact that is not in the transcript's list of facts")
        facts.append(shown[index])
    return SceneRecord(_get(scene, "node", str, what), _get(scene, "title", str, what, optional=True),
                       _get(scene, "text", str, what), _index(scene, "after_steps", what) or 0, tuple(facts))


def _parse_fact(fact: Mapping[str, Any], what: str) -> FactRecord:
    return FactRecord(_get(fact, "claim", str, what), _get(fact, "source", str, what), _get(fact, "citation", str, what),
                      _get(fact, "url", str, what, optional=True))


def _parse_step(step: Mapping[str, Any], what: str) -> StepRecord:
    """A step record. The common case (every value of the expected type and in range) is checked in one
    expression; anything else goes through the careful reading that says what is wrong."""
    get = step.get
    node, index, text, target = get("node"), get("choice_index"), get("choice_text"), get("target")
    draw, outcome, at, narration = get("draw"), get("outcome_index"), get("at"), get("narration")
    undone, tie = get("undone", False), get("tie", False)
    if (type(node) is str and type(text) is str and type(target) is str and type(index) is int and 0 <= index <= MAX_COUNT
            and ((draw is None and outcome is None)
                 or (type(draw) is float and 0.0 <= draw < 1.0 and type(outcome) is int and 0 <= outcome <= MAX_COUNT))
            and get("votes") is None and (at is None or (type(at) is str and len(at) <= 40))
            and (narration is None or type(narration) is str) and type(undone) is bool and type(tie) is bool):
        return StepRecord(node, index, text, target, draw, outcome, undone, None, tie, at, narration)
    return _parse_step_carefully(step, what)


def _parse_step_carefully(step: Mapping[str, Any], what: str) -> StepRecord:
    draw = _get(step, "draw", (int, float), what, optional=True)
    outcome = _index(step, "outcome_index", what, optional=True)
    if (draw is None) != (outcome is None):
        raise _Bad(f"{what} has a random draw without an outcome, or an outcome without a draw")
    if draw is not None and not (0 <= draw < 1 and math.isfinite(draw)):  # compared first: no float() of a huge int
        raise _Bad(f"{what} has a random draw outside [0, 1)")
    votes: tuple[VoteCount, ...] | None = None
    raw_votes = _get(step, "votes", list, what, optional=True)
    if raw_votes is not None:
        if len(raw_votes) > 1000:
            raise _Bad(f"{what} has more votes than a scene has choices")
        parsed = []
        for n, raw in enumerate(raw_votes, 1):
            vote = _obj(raw, f"vote {n} of {what}")
            parsed.append(VoteCount(_index(vote, "number", f"vote {n} of {what}") or 0,
                                    _index(vote, "choice_index", f"vote {n} of {what}") or 0,
                                    _get(vote, "text", str, f"vote {n} of {what}"),
                                    _index(vote, "hands", f"vote {n} of {what}", optional=True)))
        votes = tuple(parsed)
    narration = _get(step, "narration", str, what, optional=True)
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
        at=_stamp(step, "at", what),
        narration=narration,
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
        _stamp(end, "at", what),
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
