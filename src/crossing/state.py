"""The one saveable run state: everything that changes during a run, and what the run is (its story, its
mode, when it began). Saves and transcripts are views of it.

Like ink's StoryState it carries one version number (``STATE_VERSION``) and the oldest version still
accepted (``MIN_STATE_VERSION``): a save from the first release (version 1, where gentle mode, the
creation time and the story's identity were kept beside the state) still loads.

``from_dict`` trusts nothing: every number is range-checked (a seed of Infinity, a 5,000-digit count, a
date that overflows when converted), every list and text bounded, so a damaged or hostile save is
refused with a reason instead of failing somewhere later. Pure core: no printing, no files.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, KeysView, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, SupportsIndex

from crossing.expressions import MAX_MAGNITUDE, MAX_TEXT_LENGTH, Value
from crossing.immutable import immutable

STATE_VERSION = 2
MIN_STATE_VERSION = 1
# What one run may hold. The default story's longest runs take about a hundred choices; a run a
# hundred times longer is not a student's, and every step's cost stays small within these bounds.
MAX_STEPS = 10_000
MAX_PATH = MAX_STEPS + 1
MAX_VARIABLES = 1_000
MAX_ID_LENGTH = 200
MAX_CHOICE_TEXT = 10_000
MAX_CHOICES = 10_000  # an index into a scene's choices or a choice's outcomes
MAX_SEED = 2**63 - 1
# Dates a run can have been made at (a year 1 date at +14:00 overflows when converted to UTC).
_EARLIEST, _LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC)


class StateError(ValueError):
    """A run state that cannot be used; the message says what is wrong, in words."""


@immutable
class StoryIdentity:
    """Which story a run belongs to: found again by folder and title, or by content (digest)."""

    title: str
    version: str
    digest: str
    root: str

    def to_dict(self) -> dict[str, str]:
        return {"title": self.title, "version": self.version, "digest": self.digest, "root": self.root}


@dataclass(slots=True)
class Step:
    """One choice taken, with what is needed to undo it."""

    node: str
    choice_index: int
    choice_text: str
    target: str
    outcome_index: int | None = None
    draw: float | None = None
    variables_before: dict[str, Value] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "choice_index": self.choice_index,
            "choice_text": self.choice_text,
            "target": self.target,
            "outcome_index": self.outcome_index,
            "draw": self.draw,
            "variables_before": dict(self.variables_before),
        }

    @classmethod
    def from_dict(cls, data: object) -> Step:
        if not isinstance(data, dict):
            raise StateError("a step is not a record")
        outcome = data.get("outcome_index")
        draw = data.get("draw")
        return cls(
            node=_name(data.get("node"), "a step's scene"),
            choice_index=_count(data.get("choice_index"), "a step's choice", MAX_CHOICES),
            choice_text=_text(data.get("choice_text"), "a step's choice text", MAX_CHOICE_TEXT),
            target=_name(data.get("target"), "a step's target"),
            outcome_index=None if outcome is None else _count(outcome, "a step's outcome", MAX_CHOICES),
            draw=None if draw is None else _draw(draw),
            variables_before=values(data.get("variables_before", {}), "a step's variables"),
        )


class ScenePath(list[str]):
    """The scenes shown, in order, that also keeps count of each: ``visited`` is then a constant-time
    look-up however long the run (a set built from the path at every step made a step's cost grow with
    the run: 20,000 scripted choices took over a minute). Appending and popping keep the count; any other
    change recounts."""

    __slots__ = ("_counts",)

    def __init__(self, items: Iterable[str] = ()) -> None:
        super().__init__(items)
        self._counts: dict[str, int] = {}
        self._recount()

    def _recount(self) -> None:
        counts: dict[str, int] = {}
        for item in self:
            counts[item] = counts.get(item, 0) + 1
        self._counts = counts

    @property
    def visited(self) -> KeysView[str]:
        """Every scene in the path (a live, read-only view)."""
        return self._counts.keys()

    def append(self, item: str) -> None:
        super().append(item)
        self._counts[item] = self._counts.get(item, 0) + 1

    def pop(self, index: SupportsIndex = -1) -> str:
        item = super().pop(index)
        left = self._counts[item] - 1
        if left:
            self._counts[item] = left
        else:
            del self._counts[item]
        return item

    # Every other change recounts (none is used in play; they stay correct if ever used).
    def extend(self, items: Iterable[str]) -> None:
        super().extend(items)
        self._recount()

    def insert(self, index: SupportsIndex, item: str) -> None:
        super().insert(index, item)
        self._recount()

    def remove(self, item: str) -> None:
        super().remove(item)
        self._recount()

    def clear(self) -> None:
        super().clear()
        self._recount()

    def __setitem__(self, index: Any, item: Any) -> None:
        super().__setitem__(index, item)
        self._recount()

    def __delitem__(self, index: Any) -> None:
        super().__delitem__(index)
        self._recount()

    def __iadd__(self, items: Iterable[str]) -> ScenePath:  # type: ignore[override,misc]
        self.extend(items)
        return self


@dataclass
class RunState:
    """Everything that changes during a run; ``path`` lists the nodes shown, in order. ``gentle``,
    ``created`` and ``story`` say what the run is; ``interactive`` whether a person played it (only those
    are continued by a bare ``--resume``)."""

    node: str
    variables: dict[str, Value]
    path: list[str]
    seed: int
    history: list[Step] = field(default_factory=list)
    gentle: bool = False
    created: str = ""
    story: StoryIdentity | None = None
    interactive: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.path, ScenePath):
            self.path = ScenePath(self.path)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "path" and not isinstance(value, ScenePath):
            value = ScenePath(value)
        super().__setattr__(name, value)

    @property
    def visited(self) -> KeysView[str]:
        """The scenes shown so far (constant time to ask, whatever the run's length)."""
        assert isinstance(self.path, ScenePath)
        return self.path.visited

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "version": STATE_VERSION,
            "node": self.node,
            "variables": dict(self.variables),
            "path": list(self.path),
            "seed": self.seed,
            "history": [step.to_dict() for step in self.history],
            "gentle": self.gentle,
            "created": self.created,
            "interactive": self.interactive,
        }
        if self.story is not None:
            data["story"] = self.story.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunState:
        """Rebuild a state saved by to_dict (this version or any down to MIN_STATE_VERSION); raises
        StateError saying what is wrong with anything malformed or out of range."""
        if not isinstance(data, Mapping):
            raise StateError("the run state is not a record")
        version = data.get("version")
        if type(version) is not int or not MIN_STATE_VERSION <= version <= STATE_VERSION:
            raise StateError(f"unsupported state version {_brief(version)}")
        history_data = data.get("history", [])
        if not isinstance(history_data, list) or len(history_data) > MAX_STEPS:
            raise StateError(f"the history is not a list of at most {MAX_STEPS:,} steps")
        path_data = data.get("path")
        if not isinstance(path_data, list) or not path_data or len(path_data) > MAX_PATH:
            raise StateError(f"the path is not a list of 1 to {MAX_PATH:,} scenes")
        path = [_name(p, "a scene in the path") for p in path_data]
        # The path may be longer than the history: after a story change, steps into scenes that are gone
        # are no longer undoable, but the scenes shown still count for visited().
        if len(path) < len(history_data) + 1:
            raise StateError("the path does not match the history")
        story = data.get("story")
        created = data.get("created", "")
        return cls(
            node=_name(data.get("node"), "the current scene"),
            variables=values(data.get("variables"), "variables"),
            path=path,
            seed=_count(data.get("seed"), "the seed", MAX_SEED),
            history=[Step.from_dict(s) for s in history_data],
            gentle=_flag(data.get("gentle", False), "gentle"),
            created=timestamp(created, "the creation time") if created else "",
            story=None if story is None else identity(story),
            interactive=_flag(data.get("interactive", True), "interactive"),
        )


def identity(data: object) -> StoryIdentity:
    """A story's identity from a save; StateError when it is not one."""
    if not isinstance(data, dict):
        raise StateError("the story is missing")
    version = data.get("version", "")
    return StoryIdentity(
        title=_text(data.get("title"), "the story's title", MAX_CHOICE_TEXT),
        version=_text(str(version) if isinstance(version, int | float) and not isinstance(version, bool) else version,
                      "the story's version", MAX_ID_LENGTH),
        digest=_text(data.get("digest"), "the story's digest", MAX_ID_LENGTH),
        root=_text(data.get("root"), "the story's folder", 4096),
    )


# ------------------------------------------------------------------------------------ range checks


def _brief(value: object) -> str:
    if type(value) is int and abs(value) > 10**30:
        return "a number too large to show"  # repr() of a 5,000-digit int raises ValueError
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _text(value: object, what: str, limit: int) -> str:
    if not isinstance(value, str):
        raise StateError(f"{what} is missing or not text")
    if len(value) > limit:
        raise StateError(f"{what} is longer than {limit:,} characters")
    return value


def _name(value: object, what: str) -> str:
    return _text(value, what, MAX_ID_LENGTH)


def _flag(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise StateError(f"'{what}' is not true or false")
    return value


def _count(value: object, what: str, limit: int) -> int:
    """A whole number from 0 to limit (a bool, a float, a huge int or Infinity is refused)."""
    if type(value) is not int or not 0 <= value <= limit:
        raise StateError(f"{what} is not a whole number from 0 to {limit:,} (found {_brief(value)})")
    return value


def _draw(raw: object) -> float:
    if not (type(raw) is int or type(raw) is float) or not 0 <= raw < 1:  # NaN fails the comparison too
        raise StateError(f"a step's random draw is not a number from 0 to 1 (found {_brief(raw)})")
    return float(raw)


def value(raw: object, what: str) -> Value:
    """One variable's value: true/false, text of bounded length, or a finite number of bounded size."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        return _text(raw, what, MAX_TEXT_LENGTH)
    if type(raw) is int:
        if abs(raw) > MAX_MAGNITUDE:
            raise StateError(f"{what} holds a number beyond {MAX_MAGNITUDE:,}")
        return raw
    if type(raw) is float:
        if not math.isfinite(raw) or abs(raw) > MAX_MAGNITUDE:
            raise StateError(f"{what} holds a number that is not finite or beyond {MAX_MAGNITUDE:,}")
        return raw
    raise StateError(f"{what} holds {type(raw).__name__}, not a value")


def values(data: object, what: str) -> dict[str, Value]:
    """Names mapped to values, at most MAX_VARIABLES of them."""
    if not isinstance(data, dict) or len(data) > MAX_VARIABLES:
        raise StateError(f"{what} must map at most {MAX_VARIABLES:,} names to values")
    return {_name(name, f"a name in {what}"): value(raw, f"'{name}' in {what}") for name, raw in data.items()}


def timestamp(raw: object, what: str) -> str:
    """An ISO date and time between 1970 and 9000, with a time zone; returned as written."""
    text = _text(raw, what, 64)
    try:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            raise StateError(f"{what} has no time zone")
        moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise StateError(f"{what} is not a date and time ({_brief(text)})") from None
    if not _EARLIEST <= moment <= _LATEST:
        raise StateError(f"{what} is not a plausible date ({_brief(text)})")
    return text


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
