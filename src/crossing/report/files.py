"""Reading the files a report is given, through crossing.files (only regular files, never blocking, a size
limit read from the open file, folders walked iteratively to a depth limit), with reasons phrased for the
report's list of files not counted ("it is a named pipe, not a file")."""

from __future__ import annotations

import os
from pathlib import Path

from crossing.files import FileRefused, read_bytes, walk_files
from crossing.immutable import immutable
from crossing.textsafety import shown_name

MAX_DEPTH = 32
MAX_FILES = 100_000


@immutable
class Refused:
    path: Path
    reason: str


def shown(path: Path | str) -> str:
    """A path as text that can be printed and written anywhere: bytes that are not UTF-8 escaped as
    \\xNN, control characters and bidi overrides made visible."""
    return shown_name(os.fspath(path))


def read_regular(path: Path, limit: int) -> bytes | str:
    """The file's bytes, or the reason it is not read (a str beginning "it ...")."""
    try:
        return read_bytes(path, limit=limit)
    except FileRefused as refused:
        return f"it {refused.reason}"


def walk(root: Path) -> tuple[list[Path], list[Refused]]:
    """Every non-hidden file under root (sorted), and what was not looked into, with why."""
    found = walk_files(root, max_depth=MAX_DEPTH, max_files=MAX_FILES)
    return found.files, [Refused(path, f"it {reason}") for path, reason in found.skipped]
