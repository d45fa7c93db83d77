"""Writing a transcript as the run goes: a listener of the play loop's events that rewrites its files
atomically after each one, so a run cut short at any moment leaves complete, valid files (marked
unfinished).

Nothing is ever overwritten: when a transcript file already exists, a new run writes ``me-2.json`` beside
it (and says so, in ``notices``). A run that is saved (``crossing play``) also keeps a private copy of its
transcript with the save's id, so ``--resume`` continues the same transcript, name and all, in the same
files, without ``--transcript`` being given again.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from crossing.atomic import write_atomic
from crossing.engine import Engine, Step
from crossing.transcript.codec import TranscriptError, from_dict, from_json, to_dict, to_json
from crossing.transcript.markdown import to_markdown
from crossing.transcript.records import Mode, Transcript, VoteCount

if TYPE_CHECKING:
    from crossing.playthrough import Event, Listener, Playthrough

Format = Literal["json", "markdown"]
# (save id, save created) of the run being written, once it has a save; None before its first save
SaveKey = Callable[[], tuple[str, str | None] | None]
LINKS_FOLDER = "transcripts"


def transcript_format(path: Path) -> Format:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".md", ".markdown"):
        return "markdown"
    raise TranscriptError(f"a transcript file must end in .json (for `crossing report`) or .md (to read): {path.name}")


def check_targets(paths: Sequence[Path]) -> list[Path]:
    """At most one .json and one .md; the same file named twice counts once."""
    out: list[Path] = []
    formats: dict[Format, Path] = {}
    for path in paths:
        fmt = transcript_format(path)
        if path in out:
            continue
        if fmt in formats:
            raise TranscriptError(f"--transcript takes one .json and one .md file at most: {formats[fmt].name} and {path.name} "
                                  "are both " + ("JSON" if fmt == "json" else "Markdown"))
        formats[fmt] = path
        out.append(path)
    return out


def _taken(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _numbered(path: Path, number: int) -> Path:
    return path if number == 1 else path.with_name(f"{path.stem}-{number}{path.suffix}")


def free_paths(paths: Sequence[Path]) -> list[Path]:
    """The paths themselves when none exists, else the first ``-2``, ``-3``... that is free for all of
    them (so me.json and me.md stay a pair). Each file is created empty at once (O_EXCL), so two runs
    started together never take the same name."""
    for path in paths:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise TranscriptError(f"cannot write the transcript {path}: {exc.strerror or exc}") from None
    number = 1
    while True:
        candidates = [_numbered(p, number) for p in paths]
        if not any(_taken(c) for c in candidates):
            made: list[Path] = []
            try:
                for candidate in candidates:
                    os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
                    made.append(candidate)
                return candidates
            except FileExistsError:
                for done in made:
                    with contextlib.suppress(OSError):
                        done.unlink()
            except OSError as exc:
                raise TranscriptError(f"cannot write the transcript {candidates[len(made)]}: {exc.strerror or exc}") from None
        number += 1
        if number > 10_000:
            raise TranscriptError(f"cannot find a free name beside {paths[0]}")


def _renamed_notice(asked: Sequence[Path], got: Sequence[Path]) -> list[str]:
    return [f"{a} already exists, so this run is written to {g} (a transcript is never overwritten)."
            for a, g in zip(asked, got, strict=True) if a != g]


def links_dir() -> Path:
    from crossing.persistence import data_dir

    return data_dir() / LINKS_FOLDER


def _link_file(save_id: str) -> Path:
    return links_dir() / f"{save_id}.json"


class TranscriptWriter:
    """Keeps a Transcript and rewrites its files (atomically) after every event.

    The play loop's listener: ``on_scene``, ``on_choice``, ``on_back``, ``on_end``.
    """

    def __init__(self, paths: Sequence[Path] | Path, transcript: Transcript, *, save_key: SaveKey | None = None,
                 notices: Sequence[str] = ()) -> None:
        self.paths = check_targets([paths] if isinstance(paths, Path) else list(paths))
        self.transcript = transcript
        self.save_key = save_key
        self.notices = list(notices)
        self.write()

    @property
    def path(self) -> Path:
        return self.paths[0]

    @property
    def format(self) -> Format:
        return transcript_format(self.path)

    # -- opening

    @classmethod
    def start(
        cls,
        paths: Sequence[Path] | Path,
        engine: Engine,
        *,
        name: str | None = None,
        gentle: bool = False,
        mode: Mode = "play",
        started: datetime | None = None,
        save_key: SaveKey | None = None,
    ) -> TranscriptWriter:
        """A new transcript in new files (numbered beside any that exist)."""
        asked = check_targets([paths] if isinstance(paths, Path) else list(paths))
        name = name if name is not None else _name_in(asked)
        transcript = Transcript.begin(engine.story, engine.state.seed, started=started, name=name, gentle=gentle, mode=mode)
        transcript.record_history(engine)  # empty for a new run; the earlier steps of a resumed one
        got = free_paths(asked)
        return cls(got, transcript, save_key=save_key, notices=_renamed_notice(asked, got))

    @classmethod
    def resume(
        cls,
        save_id: str,
        created: str | None,
        engine: Engine,
        *,
        paths: Sequence[Path] = (),
        name: str | None = None,
        gentle: bool = False,
        save_key: SaveKey | None = None,
    ) -> TranscriptWriter | None:
        """The transcript a resumed run was started with, continued in its own files (and any new ones
        given); None when the run kept none and no file is given."""
        linked = read_link(save_id, created)
        asked = check_targets(list(paths))
        if linked is None:
            if not asked:
                return None
            return cls.start(asked, engine, name=name, gentle=gentle, save_key=save_key)
        transcript, kept = linked
        transcript.catch_up(engine)
        known = {transcript_format(p) for p in kept}
        extra = [p for p in asked if p not in kept and transcript_format(p) not in known]
        own = [p if _still_ours(p, transcript) else free_paths([p])[0] for p in kept]
        notices = [f"Continuing the transcript {', '.join(str(p) for p in own)}."]
        notices += _renamed_notice(kept, own)
        if extra:
            got = free_paths(extra)
            notices += _renamed_notice(extra, got)
            own += got
        return cls(own, transcript, save_key=save_key, notices=notices)

    # -- writing

    def write(self) -> None:
        for path in self.paths:
            text = to_json(self.transcript) if transcript_format(path) == "json" else to_markdown(self.transcript)
            try:
                write_atomic(path, text)
            except OSError as exc:
                raise TranscriptError(f"cannot write the transcript {path}: {exc.strerror or exc}") from None
        self._write_link()

    def _write_link(self) -> None:
        key = self.save_key() if self.save_key is not None else None
        if key is None:
            return
        save_id, created = key
        document = {"save": save_id, "created": created, "paths": [str(p.resolve()) for p in self.paths],
                    "transcript": to_dict(self.transcript)}
        # The private copy is a convenience for --resume; failing to keep it never stops the run.
        with contextlib.suppress(OSError, ValueError):
            write_atomic(_link_file(save_id), json.dumps(document, ensure_ascii=False), private=True)

    # -- the play loop's events

    def on_scene(self, engine: Engine) -> None:
        self.transcript.record_scene(engine)
        if engine.finished:
            self.transcript.record_ending(engine)
        self.write()

    def on_choice(self, engine: Engine, step: Step | None = None, votes: Sequence[VoteCount] | None = None, *,
                  tie: bool = False, narration: str | None = None) -> None:
        taken = step or engine.state.history[-1]
        told = narration if narration is not None else engine.narration(taken, self.transcript.gentle)
        self.transcript.record_step(engine, taken, votes, tie=tie, narration=told)
        self.write()

    def on_back(self, engine: Engine) -> None:
        self.transcript.record_back(engine)
        self.write()

    def on_end(self, engine: Engine) -> None:
        if engine.finished and (self.transcript.ending is None or self.transcript.ending.node != engine.node.id):
            self.transcript.record_ending(engine)
            self.write()

    # the names used before the play loop had events
    def record_scene(self, engine: Engine) -> None:
        self.transcript.record_scene(engine)
        self.write()

    def record_step(self, engine: Engine, step: Step, votes: Sequence[VoteCount] | None = None, *, tie: bool = False) -> None:
        self.on_choice(engine, step, votes, tie=tie)

    def record_back(self, engine: Engine) -> None:
        self.on_back(engine)

    def record_ending(self, engine: Engine) -> None:
        self.transcript.record_ending(engine)
        self.write()


def _name_in(paths: Sequence[Path]) -> str | None:
    """The name in an earlier transcript at one of these paths (a student playing again keeps it)."""
    for path in paths:
        if transcript_format(path) != "json":
            continue
        try:
            if path.is_file() and path.stat().st_size < 16 * 1024 * 1024:
                return from_json(path.read_text(encoding="utf-8")).name
        except (OSError, UnicodeDecodeError, TranscriptError):
            continue
    return None


def _still_ours(path: Path, transcript: Transcript) -> bool:
    """A file this run wrote may be rewritten; one replaced by another run's transcript may not."""
    if not _taken(path):
        return True
    if not path.is_file():
        return False
    if transcript_format(path) != "json":
        return True
    try:
        return from_json(path.read_text(encoding="utf-8")).run == transcript.run
    except (OSError, UnicodeDecodeError, TranscriptError):
        return False


def read_link(save_id: str, created: str | None) -> tuple[Transcript, list[Path]] | None:
    """The transcript kept for a save, and its files; None when there is none (or it is not this save's)."""
    try:
        raw = _link_file(save_id).read_text(encoding="utf-8")
        document: Any = json.loads(raw)
        if document.get("save") != save_id or (created and document.get("created") not in (None, created)):
            return None
        paths = [Path(p) for p in document["paths"] if isinstance(p, str)]
        return from_dict(document["transcript"]), check_targets(paths)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError, TypeError, KeyError, AttributeError, TranscriptError):
        return None


def transcript_listener(writer: TranscriptWriter) -> Listener:
    """Keeps a transcript as a listener of the run's events (crossing.playthrough): each scene and the
    ending when shown, each choice with its draw and narration (and a class's votes), each step taken back."""
    from crossing.playthrough import ChoiceTaken, Ended, SceneShown, WentBack

    def note(run: Playthrough, event: Event) -> None:
        if isinstance(event, SceneShown):
            writer.on_scene(run.engine)
        elif isinstance(event, Ended):
            writer.on_end(run.engine)
        elif isinstance(event, ChoiceTaken):
            writer.on_choice(run.engine, event.step, event.votes, tie=event.tie, narration=event.narration)
        elif isinstance(event, WentBack):
            writer.on_back(run.engine)

    return note
