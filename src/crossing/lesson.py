"""A class lesson kept on disk after every step, so `crossing class --resume` continues the last lesson
where it stopped, votes and all. Pure: no Rich, no Typer.

One file per user, ``<data dir>/lessons/last.json`` (private): the story's identity, the run state, the
class transcript and where its files are. Anything odd in it: there is no lesson to resume, and why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crossing.atomic import write_atomic
from crossing.engine import Engine, RunState
from crossing.model import Story
from crossing.transcript import Transcript, TranscriptError
from crossing.transcript.codec import to_dict

LESSON_VERSION = 1
MAX_LESSON_BYTES = 16 * 1024 * 1024


def lesson_file() -> Path:
    from crossing.persistence import data_dir

    return data_dir() / "lessons" / "last.json"


@dataclass
class Lesson:
    engine: Engine
    transcript: Transcript
    paths: list[Path]
    finished: bool = False


def save_lesson(story: Story, engine: Engine, transcript: Transcript, paths: list[Path], *, target: Path | None = None) -> None:
    document = {
        "lesson_version": LESSON_VERSION,
        "story": {"title": story.title, "digest": story.digest, "root": str(story.root)},
        "state": engine.state.to_dict(),
        "transcript": to_dict(transcript),
        "paths": [str(p.resolve()) for p in paths],
        "finished": engine.finished,
    }
    write_atomic(target or lesson_file(), json.dumps(document, ensure_ascii=False), private=True)


def load_lesson(story: Story, *, source: Path | None = None) -> Lesson | str:
    """The last lesson of this story, or why there is none to resume."""
    path = source or lesson_file()
    try:
        if not path.is_file():
            return "no lesson has been kept yet"
        if path.stat().st_size > MAX_LESSON_BYTES:
            return "the kept lesson is too large to be one"
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return "the kept lesson cannot be read"
    try:
        if data.get("lesson_version") != LESSON_VERSION:
            return "the kept lesson was written by another version of Crossing"
        if data["story"]["title"] != story.title:
            return f"the last lesson was of another story ('{str(data['story']['title'])[:80]}')"
        if data["story"]["digest"] != story.digest:
            return "the story has changed since the last lesson"
        if data.get("finished"):
            return "the last lesson reached an ending"
        state = RunState.from_dict(data["state"])
        if state.node not in story.nodes or any(node not in story.nodes for node in state.path):
            return "the kept lesson mentions scenes this story does not have"
        transcript = Transcript.from_dict(data["transcript"])
        paths = [Path(p) for p in data.get("paths", []) if isinstance(p, str)]
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError, TranscriptError):
        return "the kept lesson is damaged"
    return Lesson(Engine(story, state.seed, state), transcript, paths)
