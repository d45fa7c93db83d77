"""Finding and reading the transcripts a report is given: every file not counted is named with why."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from crossing.model import Story
from crossing.report.counting import Skipped
from crossing.report.files import read_regular, shown, walk
from crossing.transcript import TRANSCRIPT_FORMAT, Transcript, TranscriptError, identity
from crossing.transcript.codec import MAX_TRANSCRIPT_BYTES

REPORT_FORMAT = "crossing-report"
MARKDOWN_REASON = "a Markdown transcript is for reading; the report counts the .json transcript written beside it"


def transcript_files(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """The .json files named, and those inside the folders named (hidden ones left out); every other
    file in a folder is listed as skipped, with why."""
    found: list[Path] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()

    def add(path: Path) -> None:
        key = os.path.abspath(path)  # no system call per file: copies by another name are caught by run id
        if key not in seen:
            seen.add(key)
            found.append(path)

    for path in paths:
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists() or path.is_symlink()
        except OSError:
            is_dir, exists = False, True
        if is_dir:
            inside, refused = walk(path)
            skipped.extend(Skipped(shown(r.path), r.reason) for r in refused)
            jsons = [p for p in inside if p.suffix.lower() == ".json"]
            if not jsons:
                skipped.append(Skipped(shown(path), "the folder holds no .json transcripts"))
            for file in inside:
                if file.suffix.lower() == ".json":
                    add(file)
                else:
                    skipped.append(Skipped(shown(file), _not_json(file)))
        elif not exists:
            skipped.append(Skipped(shown(path), "no such file or folder"))
        elif path.suffix.lower() != ".json":
            skipped.append(Skipped(shown(path), _not_json(path)))
        else:
            add(path)
    return found, skipped


def _not_json(path: Path) -> str:
    if path.suffix.lower() in (".md", ".markdown"):
        return MARKDOWN_REASON
    return "not a .json transcript"


def check_against(transcript: Transcript, story: Story) -> str | None:
    """Why this transcript cannot be counted for this story, or None when it can."""
    if transcript.story_title != story.title:
        return f"it is from another story ('{transcript.story_title}', not '{story.title}')"
    if transcript.story_digest != story.digest:
        versions = ""
        if transcript.story_version != story.version:
            versions = f" (version {transcript.story_version or '?'}, not {story.version or '?'})"
        return f"it is from another version of this story{versions}: the story files have changed since it was written"
    for step in transcript.steps:
        node = story.nodes.get(step.node)
        if node is None or step.target not in story.nodes:
            return f"it mentions a scene this story does not have ('{step.node if node is None else step.target}')"
        if not 0 <= step.choice_index < len(node.choices):
            return f"it takes a choice scene '{step.node}' does not have"
    end = transcript.ending
    if end is not None and (end.node not in story.nodes or story.nodes[end.node].ending is None):
        return f"its ending '{end.node}' is not an ending of this story"
    return None


_JSON_WORDS = {
    "Invalid control character": "a control character (such as a tab or a line break) inside a text value",
    "Unterminated string": "a text value that is never closed (the file may have been cut short)",
    "Extra data": "more text after the end of the transcript",
    "Expecting value": "a value is missing (the file may have been cut short)",
}


def json_problem(text: str) -> str:
    """Where and why text is not valid JSON, as a whole sentence ('not valid JSON at line 3, column 7: ...')."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        message = re.sub(r"\s+(starting\s+)?at$", "", exc.msg.strip())
        message = _JSON_WORDS.get(message, message[:1].lower() + message[1:])
        return f"not valid JSON at line {exc.lineno}, column {exc.colno}: {message}"
    except (RecursionError, ValueError):
        return "not valid JSON (nested too deeply, or a number too long to read)"
    return "not valid JSON"


def _is_report(data: Any) -> bool:
    return isinstance(data, dict) and (data.get("format") == REPORT_FORMAT or (
        "format" not in data and "runs" in data and "endings" in data))


def read_one(file: Path) -> tuple[Transcript, object] | str:
    """The transcript in a file and the data it was read from, or why it cannot be counted."""
    raw = read_regular(file, MAX_TRANSCRIPT_BYTES)
    if isinstance(raw, str):
        return raw
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "it is not UTF-8 text"
    if not text.strip():
        return "it is corrupt: the file is empty"
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError, ValueError):
        return f"it is corrupt: {json_problem(text)}"
    if _is_report(data):
        return "it is a report, not a transcript"
    if not (isinstance(data, dict) and data.get("format") == TRANSCRIPT_FORMAT):
        return "it is not a Crossing transcript (no \"format\": \"crossing-transcript\")"
    try:
        transcript = Transcript.from_dict(data, scenes=False)  # the report counts choices, not texts
    except TranscriptError as exc:
        return f"it is corrupt: {exc}"
    return transcript, (data if transcript.run is None else None)  # the contents identify only old transcripts


def load_transcripts(paths: Iterable[Path], story: Story) -> tuple[list[Transcript], list[Skipped], dict[str, int], list[str]]:
    """The transcripts of this story (each run once), what was skipped and why, how many transcripts
    came from each other story (by title), and each transcript's file name (shown safely)."""
    files, skipped = transcript_files(paths)
    loaded: list[Transcript] = []
    first_seen: dict[str, Path] = {}
    others: dict[str, int] = {}
    names: list[str] = []
    for file in files:
        got = read_one(file)
        if isinstance(got, str):
            skipped.append(Skipped(shown(file), got))
            continue
        transcript, data = got
        reason = check_against(transcript, story)
        if reason is not None:
            if transcript.story_title != story.title:
                others[transcript.story_title] = others.get(transcript.story_title, 0) + 1
            skipped.append(Skipped(shown(file), reason))
            continue
        key = identity(transcript, data)
        if key in first_seen:
            skipped.append(Skipped(shown(file), f"a copy of {shown(first_seen[key])} (the same run is counted once)"))
            continue
        first_seen[key] = file
        loaded.append(transcript)
        names.append(shown(file.name))
    return loaded, skipped, others, names
