"""Saved runs on disk: one JSON file per run, versioned, written atomically, never silently lost.

Pure core: no printing, no input, no exit. Every problem is a ``SaveError`` (a ``CrossingError``) or a
value the command line turns into a message.

Where: ``$CROSSING_DATA_DIR/saves`` when that variable is set (tests, portable installs), else the
platform's user data folder (``platformdirs.user_data_dir("crossing")/saves``).

Which run ``--resume`` continues: the most recently saved *unfinished* run whose story has the same title
and lives in the same folder (resolved path); when no run matches the folder (the story was moved or
copied), a run of a story with exactly the same content (digest) is taken instead. Matching by folder and
title, not by digest, is what lets a student continue after the teacher fixes a typo in the story.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crossing.atomic import write_atomic
from crossing.diagnostics import CrossingError
from crossing.engine import Engine, RunState, Step
from crossing.errors import NoChoicesError
from crossing.expressions import Value, type_of_value
from crossing.model import Story

SAVE_VERSION = 1
DATA_DIR_ENV = "CROSSING_DATA_DIR"
SAVES_FOLDER = "saves"
SUFFIX = ".json"
# A save holds one run; anything this big is not one of ours.
MAX_SAVE_BYTES = 32 * 1024 * 1024
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class SaveError(CrossingError):
    """A save cannot be used: the message says why, in words for a student or teacher."""


class CorruptSaveError(SaveError):
    """A save file that cannot be read; it has been moved aside (``moved_to``), never overwritten."""

    def __init__(self, path: Path, reason: str, moved_to: Path | None) -> None:
        where = f"; it was kept as {moved_to.name}" if moved_to is not None else ""
        super().__init__(f"the save {path.name} is damaged ({reason}){where}")
        self.path = path
        self.reason = reason
        self.moved_to = moved_to


class IncompatibleSaveError(SaveError):
    """The story changed so much since the save that the run cannot continue."""


@dataclass(frozen=True)
class SavedRun:
    """One save file, read and checked: everything `crossing saves` lists, and the state to resume."""

    id: str
    path: Path
    story_title: str
    story_version: str
    story_digest: str
    story_root: str
    scene_id: str
    scene_title: str
    created: str
    updated: str
    finished: bool
    gentle: bool
    state: RunState

    @property
    def steps(self) -> int:
        return len(self.state.history)


@dataclass
class Scan:
    """The saves found in a folder, and the damaged ones that were moved aside while looking."""

    runs: list[SavedRun] = field(default_factory=list)
    corrupt: list[CorruptSaveError] = field(default_factory=list)
    # Saves written by a newer Crossing: left untouched, listed as unusable.
    unsupported: list[tuple[Path, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Restored:
    """A run ready to continue, with what changed on the way (each notice is one sentence)."""

    state: RunState
    notices: tuple[str, ...]


# ----------------------------------------------------------------------------------------- where


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("crossing", appauthor=False))


def saves_dir(base: Path | None = None) -> Path:
    return (base if base is not None else data_dir()) / SAVES_FOLDER


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _slug(title: str) -> str:
    """The title's first words, cut at a word boundary so an id stays short and readable."""
    words = re.sub(r"[^a-z0-9]+", " ", title.lower()).split()
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > 24:
            break
        slug = candidate
    return slug or (words[0][:24] if words else "run")


def new_id(folder: Path, title: str) -> str:
    """The next free id for a story, short enough to type: ``<story-slug>-<n>``.

    The file is created empty with O_EXCL to reserve the id, so two runs started at once never share one.
    An empty file reads as a run not yet saved (see scan).
    """
    folder.mkdir(parents=True, exist_ok=True)
    slug = _slug(title)
    taken = {p.name.split(".")[0] for p in folder.iterdir()}
    number = 1
    while True:
        candidate = f"{slug}-{number}"
        if candidate not in taken:
            try:
                os.close(os.open(folder / f"{candidate}{SUFFIX}", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
                return candidate
            except FileExistsError:
                pass
        number += 1


# ------------------------------------------------------------------------------------------ write


def snapshot(save_id: str, story: Story, engine: Engine, *, gentle: bool, created: str | None = None) -> dict[str, Any]:
    """The JSON document for a run, taken between steps (so it is always consistent)."""
    node = engine.node
    now = _now()
    return {
        "save_version": SAVE_VERSION,
        "id": save_id,
        "story": {
            "title": story.title,
            "version": story.version,
            "digest": story.digest,
            "root": str(_resolved(story.root)),
        },
        "scene": {"id": node.id, "title": node.title or node.id},
        "created": created or now,
        "updated": now,
        "finished": node.is_ending,
        "gentle": gentle,
        "state": engine.state.to_dict(),
    }


def write(folder: Path, document: Mapping[str, Any]) -> Path:
    """Write a save atomically: after a crash at any moment the file holds the old run or the new one."""
    save_id = str(document["id"])
    if not ID_PATTERN.match(save_id):
        raise SaveError(f"'{save_id}' is not a save id")
    path = folder / f"{save_id}{SUFFIX}"
    write_atomic(path, json.dumps(document, ensure_ascii=False, indent=1) + "\n", private=True)
    return path


# ------------------------------------------------------------------------------------------- read


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop on Python 3.11
        return path.absolute()


def _string(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ValueError(f"'{key}' is missing or not text")
    return value


def _values(data: object, what: str) -> dict[str, Value]:
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, int | float | str | bool) for k, v in data.items()
    ):
        raise ValueError(f"{what} must map names to values")
    return dict(data)


def parse(path: Path, data: object) -> SavedRun:
    """Check a decoded save document; raises ValueError saying what is wrong with it."""
    if not isinstance(data, dict):
        raise ValueError("not a save document")
    story, scene = data.get("story"), data.get("scene")
    if not isinstance(story, dict) or not isinstance(scene, dict):
        raise ValueError("the story or scene is missing")
    state_data = data.get("state")
    if not isinstance(state_data, dict):
        raise ValueError("the run state is missing")
    _values(state_data.get("variables"), "variables")
    history = state_data.get("history", [])
    if not isinstance(history, list) or not all(isinstance(s, dict) for s in history):
        raise ValueError("the history is not a list of steps")
    for step in history:
        _values(step.get("variables_before", {}), "a step's variables")
    path_list = state_data.get("path")
    # The path may be longer than the history: after a story change, steps into scenes that are gone are
    # no longer undoable, but the scenes shown still count for visited().
    if not isinstance(path_list, list) or not path_list or len(path_list) < len(history) + 1:
        raise ValueError("the path does not match the history")
    try:
        state = RunState.from_dict(state_data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"the run state is unreadable: {exc}") from None
    # The file name is the run's identity (what --delete and the next save use), whatever the copy says.
    save_id = path.stem
    if not ID_PATTERN.match(save_id):
        raise ValueError("the file name is not a save id")
    return SavedRun(
        id=save_id,
        path=path,
        story_title=_string(story, "title"),
        story_version=str(story.get("version", "")),
        story_digest=_string(story, "digest"),
        story_root=_string(story, "root"),
        scene_id=_string(scene, "id"),
        scene_title=_string(scene, "title"),
        created=_string(data, "created"),
        updated=_string(data, "updated"),
        finished=bool(data.get("finished", False)),
        gentle=bool(data.get("gentle", False)),
        state=state,
    )


def move_aside(path: Path) -> Path | None:
    """Rename a damaged save to NAME.corrupt-TIMESTAMP (kept for a human to look at); None if that fails."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    try:
        os.replace(path, target)
    except OSError:
        return None
    return target


def read(path: Path) -> SavedRun | None:
    """One save; None for a reserved id not written yet. Raises CorruptSaveError (after moving the file
    aside) for a damaged file and SaveError for one written by a newer Crossing."""
    try:
        raw = path.read_bytes() if path.stat().st_size <= MAX_SAVE_BYTES else None
    except OSError as exc:
        raise SaveError(f"cannot read the save {path.name}: {exc.strerror or exc}") from None
    if raw is not None and not raw.strip():
        return None
    try:
        if raw is None:
            raise ValueError("far too large for a save")
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a save document")
        version = data.get("save_version")
        if isinstance(version, int) and not isinstance(version, bool) and version > SAVE_VERSION:
            raise SaveError(f"the save {path.name} was written by a newer Crossing (save version {version}); update Crossing to continue it")
        if version != SAVE_VERSION:
            raise ValueError(f"unknown save version {version!r}")
        return parse(path, data)
    except SaveError:
        raise
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        # RecursionError: absurdly deep nesting, which no save of ours has.
        raise CorruptSaveError(path, "not valid JSON", move_aside(path)) from None
    except ValueError as exc:
        raise CorruptSaveError(path, str(exc), move_aside(path)) from None


def scan(folder: Path | None = None) -> Scan:
    """Every save in the folder, most recently saved first; damaged files are moved aside and reported."""
    folder = folder if folder is not None else saves_dir()
    found = Scan()
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        if path.name.startswith("."):
            continue  # a temporary file of a write in progress
        try:
            run = read(path)
        except CorruptSaveError as exc:
            found.corrupt.append(exc)
            continue
        except SaveError as exc:
            found.unsupported.append((path, str(exc)))
            continue
        if run is not None:
            found.runs.append(run)
    found.runs.sort(key=lambda r: (r.updated, r.id), reverse=True)
    return found


def delete(save_id: str, folder: Path | None = None) -> Path:
    """Remove one save by id; raises SaveError when there is no such save."""
    folder = folder if folder is not None else saves_dir()
    if not ID_PATTERN.match(save_id):
        raise SaveError(f"'{save_id}' is not a save id (ids look like crossing-3; `crossing saves` lists them)")
    path = folder / f"{save_id}{SUFFIX}"
    try:
        path.unlink()
    except FileNotFoundError:
        raise SaveError(f"there is no save with the id '{save_id}' (`crossing saves` lists them)") from None
    except OSError as exc:
        raise SaveError(f"cannot delete the save '{save_id}': {exc.strerror or exc}") from None
    return path


# ----------------------------------------------------------------------------------------- resume


def runs_of(story: Story, runs: list[SavedRun]) -> list[SavedRun]:
    """The runs of this story, most recent first: same title and folder, else the same content."""
    root = str(_resolved(story.root))
    same_place = [r for r in runs if r.story_title == story.title and r.story_root == root]
    if same_place:
        return same_place
    return [r for r in runs if r.story_digest == story.digest]


def latest_unfinished(story: Story, runs: list[SavedRun]) -> SavedRun | None:
    return next((r for r in runs_of(story, runs) if not r.finished), None)


def _migrate(values: dict[str, Value], story: Story, what: str) -> tuple[dict[str, Value], list[str], list[str]]:
    """Variables fitted to the story as it is now: unknown ones dropped, new ones at their start value.
    Raises IncompatibleSaveError when a variable changed type."""
    fitted: dict[str, Value] = {}
    dropped = [name for name in values if name not in story.variables]
    added: list[str] = []
    for name, variable in story.variables.items():
        if name not in values:
            fitted[name] = variable.initial
            added.append(name)
            continue
        old, new = type_of_value(values[name]), type_of_value(variable.initial)
        if old != new:
            raise IncompatibleSaveError(
                f"the variable '{name}' now holds {_article(new)} but {what} it held {_article(old)}"
            )
        fitted[name] = variable.clamp(values[name])
    return fitted, dropped, added


def _article(kind: str) -> str:
    return {"number": "a number", "bool": "true/false", "string": "text"}.get(kind, kind)


def restore(run: SavedRun, story: Story) -> Restored:
    """The saved state fitted to the story as it is now, or IncompatibleSaveError saying why it cannot be.

    Unchanged story (same digest): the state as saved. Changed story: the scene must still exist, and every
    variable still declared must keep its type; variables no longer declared are dropped and new ones start
    at their initial value. Going back stops before the first step that mentions a scene that is gone.
    """
    state = run.state
    if state.node not in story.nodes:
        raise IncompatibleSaveError(f"the scene you were at ('{state.node}') is no longer in the story")
    if story.nodes[state.node].is_ending:
        raise IncompatibleSaveError(f"the scene you were at ('{state.node}') is an ending now")
    variables, dropped, added = _migrate(state.variables, story, "in your run")
    history: list[Step] = []
    trimmed = False
    for step in state.history:
        if step.node not in story.nodes or step.target not in story.nodes:
            history, trimmed = [], True  # going back past this step would land in a scene that is gone
            continue
        before, _, _ = _migrate(step.variables_before, story, "earlier in your run")
        history.append(Step(step.node, step.choice_index, step.choice_text, step.target,
                            step.outcome_index, step.draw, before))
    fitted = RunState(state.node, variables, list(state.path), state.seed, history)
    engine = Engine(story, fitted.seed, fitted)
    try:
        engine.offered()
    except NoChoicesError:
        raise IncompatibleSaveError(
            f"the scene you were at ('{state.node}') offers no choice any more with your run's values"
        ) from None
    except CrossingError as exc:
        raise IncompatibleSaveError(f"the scene you were at cannot be shown any more: {exc}") from None
    notices: list[str] = []
    if run.story_digest != story.digest:
        changed = f" (version {run.story_version} -> {story.version})" if run.story_version != story.version else ""
        notices.append(f"The story has changed since this run was saved{changed}; your run continues where you left it.")
        if dropped:
            notices.append(f"No longer used by the story, dropped: {', '.join(dropped)}.")
        if added:
            notices.append(f"New in the story, starting at their first value: {', '.join(added)}.")
        if trimmed:
            notices.append("Some earlier scenes are gone from the story, so 'b' cannot go back past them.")
    return Restored(fitted, tuple(notices))
