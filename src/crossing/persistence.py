"""Saved runs on disk: one file per run, versioned, written atomically, never silently lost.

Pure core: no printing, no input, no exit. Every problem is a ``SaveError`` (a ``CrossingError``) or a
value the command line turns into a message.

Where: ``$CROSSING_DATA_DIR/saves`` when that variable is set (tests, portable installs), else the
platform's user data folder (``platformdirs.user_data_dir("crossing")/saves``).

A save is a view of the run state (crossing.state), in JSON Lines: the first line holds the whole state
when it was last written in full; each later line one event (a step taken, or a step undone) with what
it changed. Saving a step appends one short line, so each step costs the same however long the run is;
the file is written whole again (atomically) when the run leaves. A line cut short by a crash is the
last one and is ignored; each line carries a sequence number, so one written twice counts once. Saves
of the first release (one JSON document, version 1) still load.

Which run ``--resume`` continues: the most recently saved *unfinished* run, played by a person (not a
script) of this user, whose story has the same title and lives in the same folder (resolved path); when no
run matches the folder (the story was moved or copied), a run of a story with exactly the same content
(digest) is taken instead. Matching by folder and title, not by digest, is what lets a student continue
after the teacher fixes a typo in the story.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crossing.atomic import write_atomic
from crossing.engine import Engine
from crossing.errors import CrossingError, NoChoicesError
from crossing.expressions import Value, type_of_value
from crossing.immutable import immutable
from crossing.model import Story
from crossing.state import (
    MAX_STEPS,
    MIN_STATE_VERSION,
    STATE_VERSION,
    RunState,
    StateError,
    Step,
    StoryIdentity,
    now,
    timestamp,
    values,
)

# One version for the run state and its saves; the oldest still read.
SAVE_VERSION = STATE_VERSION
MIN_SAVE_VERSION = MIN_STATE_VERSION
DATA_DIR_ENV = "CROSSING_DATA_DIR"
SAVES_FOLDER = "saves"
SUFFIX = ".json"
# A save holds one run of at most MAX_STEPS steps; anything bigger is not one of ours.
MAX_SAVE_BYTES = 64 * 1024 * 1024
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class SaveError(CrossingError):
    """A save cannot be used: the message says why, in words for a student or teacher."""


class CorruptSaveError(SaveError):
    """A save file that cannot be read; it has been moved aside (``moved_to``), never overwritten."""

    def __init__(self, path: Path, reason: str, moved_to: Path | None) -> None:
        where = f"; it was kept as {moved_to.name}" if moved_to is not None else ""
        super().__init__(f"the save {_shown(path.name)} is damaged ({reason}){where}")
        self.path = path
        self.reason = reason
        self.moved_to = moved_to


class IncompatibleSaveError(SaveError):
    """The story changed so much since the save that the run cannot continue."""


class NoSaveFolderError(SaveError):
    """There is no folder to keep saves in: no home folder (a container user with no passwd entry)."""


def _shown(name: str) -> str:
    from crossing.textsafety import shown_name

    return shown_name(name)


@immutable
class SavedRun:
    """One save file, read and checked: everything `crossing saves` lists, and the state to resume."""

    id: str
    path: Path
    scene_title: str
    updated: str
    finished: bool
    state: RunState
    owner: str = ""
    # Events appended after the full state (the file is written whole again when the run leaves).
    events: int = 0
    sequence: int = 0

    @property
    def story(self) -> StoryIdentity:
        return self.state.story or StoryIdentity("", "", "", "")

    @property
    def story_title(self) -> str:
        return self.story.title

    @property
    def story_version(self) -> str:
        return self.story.version

    @property
    def story_digest(self) -> str:
        return self.story.digest

    @property
    def story_root(self) -> str:
        return self.story.root

    @property
    def created(self) -> str:
        return self.state.created

    @property
    def gentle(self) -> bool:
        return self.state.gentle

    @property
    def interactive(self) -> bool:
        return self.state.interactive

    @property
    def steps(self) -> int:
        return len(self.state.history)


@dataclass
class Scan:
    """The saves found in a folder, and the damaged ones that were moved aside while looking."""

    runs: list[SavedRun] = field(default_factory=list)
    corrupt: list[CorruptSaveError] = field(default_factory=list)
    # Saves written by a newer Crossing, or that cannot be read now: left untouched, listed as unusable.
    unsupported: list[tuple[Path, str]] = field(default_factory=list)


@immutable
class Restored:
    """A run ready to continue, with what changed on the way (each notice is one sentence)."""

    state: RunState
    notices: tuple[str, ...]


# ----------------------------------------------------------------------------------------- where


def data_dir() -> Path:
    """$CROSSING_DATA_DIR, else the platform's user data folder; NoSaveFolderError when there is none."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    try:
        from platformdirs import user_data_dir

        return Path(user_data_dir("crossing", appauthor=False))
    except Exception:  # RuntimeError (or KeyError) from platformdirs: no home folder to be found
        raise NoSaveFolderError(
            f"runs cannot be saved: there is no home folder to keep them in; set {DATA_DIR_ENV} to a folder"
        ) from None


def saves_dir(base: Path | None = None) -> Path:
    return (base if base is not None else data_dir()) / SAVES_FOLDER


def user() -> str:
    """Who is running Crossing (the numeric user id where there is one): a save records its owner."""
    getuid = getattr(os, "getuid", None)
    if getuid is not None:
        return str(getuid())
    return os.environ.get("USERNAME", "")


def private_folder(folder: Path) -> None:
    """Make the saves folder, readable by its owner only (0700) whatever the umask."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if hasattr(os, "getuid") and (folder.stat().st_mode & 0o777) != 0o700:
        os.chmod(folder, 0o700)


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
    private_folder(folder)
    slug = _slug(title)
    taken = {p.name.split(".")[0] for p in folder.iterdir()}
    number = 1
    while True:
        candidate = f"{slug}-{number}"
        if candidate not in taken:
            try:
                os.close(os.open(folder / f"{candidate}{SUFFIX}", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
                return candidate
            except FileExistsError:
                pass
        number += 1


# ------------------------------------------------------------------------------------------ write


def _scene(story: Story, node_id: str) -> dict[str, str]:
    node = story.nodes.get(node_id)
    return {"id": node_id, "title": (node.title or node.id) if node is not None else node_id}


def snapshot(save_id: str, story: Story, engine: Engine, *, gentle: bool | None = None, created: str | None = None,
             sequence: int = 0) -> dict[str, Any]:
    """The whole save document for a run, taken between steps (so it is always consistent). The state
    carries the story's identity, gentle mode and the creation time (filled in here when missing)."""
    state = engine.state
    if state.story is None:
        state.story = identify(story)
    if gentle is not None:
        state.gentle = gentle
    if created is not None:
        state.created = created
    if not state.created:
        state.created = now()
    return {
        "save_version": SAVE_VERSION,
        "id": save_id,
        "owner": user(),
        "seq": sequence,
        "scene": _scene(story, state.node),
        "updated": now(),
        "finished": engine.finished,
        "state": state.to_dict(),
    }


def identify(story: Story) -> StoryIdentity:
    return StoryIdentity(story.title, story.version, story.digest, str(_resolved(story.root)))


def step_event(story: Story, engine: Engine, sequence: int) -> dict[str, Any]:
    """One appended line: the step just taken, and the variables after it."""
    state = engine.state
    return {"seq": sequence, "event": "step", "step": state.history[-1].to_dict(), "variables": dict(state.variables),
            "scene": _scene(story, state.node), "finished": engine.finished, "updated": now()}


def back_event(story: Story, engine: Engine, sequence: int) -> dict[str, Any]:
    """One appended line: the last step was undone."""
    state = engine.state
    return {"seq": sequence, "event": "back", "scene": _scene(story, state.node), "finished": engine.finished,
            "updated": now()}


def _line(document: Mapping[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


def _checked_id(document: Mapping[str, Any]) -> str:
    save_id = str(document["id"])
    if not ID_PATTERN.match(save_id):
        raise SaveError(f"'{save_id}' is not a save id")
    return save_id


def write(folder: Path, document: Mapping[str, Any]) -> Path:
    """Write a whole save atomically: after a crash at any moment the file holds the old run or the new one."""
    path = folder / f"{_checked_id(document)}{SUFFIX}"
    private_folder(folder)
    write_atomic(path, _line(document), private=True)
    return path


def append(folder: Path, save_id: str, event: Mapping[str, Any], *, durable: bool) -> None:
    """Add one event line to a save written whole before: the cost of one step, whatever the run's
    length. ``durable``: wait until it is on the disk (a person's run; a script's is written whole at the end)."""
    if not ID_PATTERN.match(save_id):
        raise SaveError(f"'{save_id}' is not a save id")
    path = folder / f"{save_id}{SUFFIX}"
    flags = os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        data = _line(event).encode("utf-8")
        while data:
            data = data[os.write(fd, data):]
        if durable:
            os.fsync(fd)
    finally:
        os.close(fd)


# ------------------------------------------------------------------------------------------- read


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop on Python 3.11
        return path.absolute()


def _scene_title(data: object) -> str:
    if not isinstance(data, dict) or not isinstance(data.get("title"), str) or len(data["title"]) > 10_000:
        raise StateError("the scene is missing")
    return str(data["title"])


def _version(data: Mapping[str, Any], path: Path) -> int:
    version = data.get("save_version")
    if type(version) is int and version > SAVE_VERSION:
        shown = version if version < 10**6 else "unknown"
        raise SaveError(f"the save {_shown(path.name)} was written by a newer Crossing (save version {shown}); "
                        "update Crossing to continue it")
    if type(version) is not int or version < MIN_SAVE_VERSION:
        raise StateError(f"unknown save version {str(version)[:20]!r}")
    return version


def _first_release(path: Path, data: Mapping[str, Any]) -> SavedRun:
    """A save of version 1: one document, with gentle mode, the creation time and the story beside the state."""
    story, scene, state_data = data.get("story"), data.get("scene"), data.get("state")
    if not isinstance(story, dict) or not isinstance(scene, dict):
        raise StateError("the story or scene is missing")
    if not isinstance(state_data, dict):
        raise StateError("the run state is missing")
    merged = {**state_data, "gentle": data.get("gentle", False), "created": data.get("created", ""),
              "story": story, "interactive": True}
    state = RunState.from_dict(merged)
    return SavedRun(path.stem, path, _scene_title(scene), timestamp(data.get("updated"), "the time it was saved"),
                    _flag(data.get("finished", False)), state)


def _flag(raw: object) -> bool:
    if not isinstance(raw, bool):
        raise StateError("'finished' is not true or false")
    return raw


def _replay(state: RunState, event: object, sequence: int) -> int:
    """Apply one event line to the state; returns its sequence number (a line written twice is skipped)."""
    if not isinstance(event, dict):
        raise StateError("an event is not a record")
    number = event.get("seq")
    if type(number) is not int or not 0 <= number <= 10**9:
        raise StateError("an event has no sequence number")
    if number <= sequence:
        return sequence  # the same event written again after an interrupted write
    kind = event.get("event")
    if kind == "step":
        step = Step.from_dict(event.get("step"))
        if step.node != state.node or len(state.history) >= MAX_STEPS or len(state.path) > MAX_STEPS:
            raise StateError("a step does not follow from the one before")
        state.history.append(step)
        state.variables = values(event.get("variables"), "variables")
        state.node = step.target
        state.path.append(step.target)
    elif kind == "back":
        if not state.history or len(state.path) < 2:
            raise StateError("a step is undone that was never taken")
        undone = state.history.pop()
        state.variables = dict(undone.variables_before)
        state.path.pop()
        state.node = undone.node
    else:
        raise StateError("an event of an unknown kind")
    return number


def _journal(path: Path, raw: bytes) -> SavedRun:
    """A save of this version: the whole state on the first line, then one event a line."""
    lines = raw.split(b"\n")
    torn = lines[-1] != b""  # a last line without its newline was cut short by a crash
    body = [line for line in lines if line.strip()]
    header = json.loads(body[0].decode("utf-8"))
    if not isinstance(header, dict):
        raise StateError("not a save document")
    _version(header, path)
    state_data = header.get("state")
    if not isinstance(state_data, dict):
        raise StateError("the run state is missing")
    state = RunState.from_dict(state_data)
    title, updated = _scene_title(header.get("scene")), timestamp(header.get("updated"), "the time it was saved")
    finished = _flag(header.get("finished", False))
    sequence = header.get("seq", 0)
    if type(sequence) is not int or not 0 <= sequence <= 10**9:
        raise StateError("the save has no sequence number")
    events = body[1:]
    for index, line in enumerate(events):
        try:
            event = json.loads(line.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            if torn and index == len(events) - 1:
                break  # the step being written when the program stopped: the run is as before it
            raise
        sequence = _replay(state, event, sequence)
        title, updated = _scene_title(event.get("scene")), timestamp(event.get("updated"), "the time it was saved")
        finished = _flag(event.get("finished", False))
    owner = header.get("owner", "")
    return SavedRun(path.stem, path, title, updated, finished, state, owner if isinstance(owner, str) else "",
                    len(events), sequence)


def parse(path: Path, data: object) -> SavedRun:
    """Check a decoded save document (one JSON object, either version); raises ValueError saying what is wrong."""
    if not isinstance(data, dict):
        raise StateError("not a save document")
    version = _version(data, path)
    run = _first_release(path, data) if version == 1 else _journal(path, _line(data).encode("utf-8"))
    if not ID_PATTERN.match(path.stem):
        raise StateError("the file name is not a save id")
    return run


def _is_journal(raw: bytes) -> bool:
    """Whether the first line is a whole document of version 2 or later (how this version writes)."""
    first = raw.split(b"\n", 1)[0]
    if not first.startswith(b'{"save_version":'):
        return False
    try:
        header = json.loads(first.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False
    version = header.get("save_version") if isinstance(header, dict) else None
    return type(version) is int and version >= 2


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
    aside) for a damaged file and SaveError for one written by a newer Crossing or that cannot be read
    (a named pipe, a device: never waited on, never moved)."""
    from crossing.files import FileRefused, read_bytes

    try:
        raw = read_bytes(path, limit=MAX_SAVE_BYTES)
    except FileRefused as exc:
        if exc.kind == "too-large":
            raise CorruptSaveError(path, "far too large for a save", move_aside(path)) from None
        raise SaveError(f"cannot read the save {_shown(path.name)}: it {exc.reason}") from None
    if not raw.strip():
        return None
    try:
        if not ID_PATTERN.match(path.stem):
            raise StateError("the file name is not a save id")
        if _is_journal(raw):
            return _journal(path, raw)
        return parse(path, json.loads(raw.decode("utf-8")))  # the first release: one indented document
    except SaveError:
        raise
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        # RecursionError: absurdly deep nesting, which no save of ours has.
        raise CorruptSaveError(path, "not valid JSON", move_aside(path)) from None
    except (ValueError, OverflowError, KeyError, TypeError) as exc:
        raise CorruptSaveError(path, str(exc), move_aside(path)) from None


def scan(folder: Path | None = None) -> Scan:
    """Every save in the folder, most recently saved first; damaged files are moved aside and reported."""
    from crossing.files import walk_files

    folder = folder if folder is not None else saves_dir()
    found = Scan()
    if not folder.is_dir():
        return found
    listing = walk_files(folder, suffixes=(SUFFIX,), max_depth=0, max_files=10_000)
    for path, why in listing.skipped:
        if not why.startswith("is more than"):  # sub-folders are not saves: passed over quietly
            found.unsupported.append((path, f"the save {_shown(path.name)} {why}"))
    for path in listing.files:
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


def find(save_id: str, folder: Path | None = None) -> SavedRun:
    """One save by id; SaveError when there is none or it cannot be used."""
    folder = folder if folder is not None else saves_dir()
    if not ID_PATTERN.match(save_id):
        raise SaveError(f"'{save_id}' is not a save id (ids look like crossing-3; `crossing saves` lists them)")
    run = read(folder / f"{save_id}{SUFFIX}") if (folder / f"{save_id}{SUFFIX}").exists() else None
    if run is None:
        raise SaveError(f"there is no save with the id '{save_id}' (`crossing saves` lists them)")
    return run


def delete(save_id: str, folder: Path | None = None) -> Path:
    """Remove one save by id (and its lock); raises SaveError when there is no such save or it is open
    in another window."""
    from crossing.locking import RunLock

    folder = folder if folder is not None else saves_dir()
    if not ID_PATTERN.match(save_id):
        raise SaveError(f"'{save_id}' is not a save id (ids look like crossing-3; `crossing saves` lists them)")
    path = folder / f"{save_id}{SUFFIX}"
    lock = RunLock(path)
    try:
        if path.exists() and not lock.acquire():
            raise SaveError(f"the run '{save_id}' is open in another Crossing window or terminal; it is not deleted")
    except OSError:
        pass  # a folder where no lock can be made: deleting goes on as before locks existed
    try:
        path.unlink()
    except FileNotFoundError:
        raise SaveError(f"there is no save with the id '{save_id}' (`crossing saves` lists them)") from None
    except OSError as exc:
        raise SaveError(f"cannot delete the save '{save_id}': {exc.strerror or exc}") from None
    finally:
        if lock.held:
            lock.remove()
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
    """What a bare --resume continues: the latest unfinished run of this story that this user saved (a
    script's runs are saved only when asked with --save)."""
    me = user()
    return next((r for r in runs_of(story, runs) if not r.finished and r.owner in ("", me)), None)


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
    fitted = RunState(state.node, variables, list(state.path), state.seed, history, gentle=state.gentle,
                      created=state.created, story=identify(story), interactive=state.interactive)
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
