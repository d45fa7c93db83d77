"""Reading the files a report is given, safely: only regular files, opened without blocking, a size limit
read from the open file, folders walked iteratively to a depth limit, odd file names shown escaped.

A stand-in until the `saves` helper's crossing.files lands on main; then this defers to it.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from crossing.transcript.text import inert

MAX_DEPTH = 32
MAX_FILES = 100_000


@dataclass(frozen=True, slots=True)
class Refused:
    path: Path
    reason: str


def shown(path: Path | str) -> str:
    """A path as text that can be printed and written anywhere: bytes that are not UTF-8 escaped as
    \\xNN, control characters and bidi overrides made visible."""
    text = os.fsdecode(os.fspath(path)) if not isinstance(path, str) else path
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return inert(text)


def read_regular(path: Path, limit: int) -> bytes | str:
    """The file's bytes, or the reason it is not read (a str): not a regular file (a pipe, a device, a
    folder), larger than ``limit``, or unreadable. Never blocks, never reads more than limit + 1 bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return "it is not a regular file (a pipe, device or socket)"
        if info.st_size > limit:
            return f"it is too large to be a transcript ({info.st_size:,} bytes; the limit is {limit:,})"
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            return f"it is too large to be a transcript (more than {limit:,} bytes)"
        return b"".join(chunks)
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    finally:
        with contextlib.suppress(OSError):
            os.close(fd)


def walk(root: Path, suffixes: Iterable[str] = ()) -> tuple[list[Path], list[Refused]]:
    """Every non-hidden file under root (sorted), iteratively, never following links to folders, to a
    depth of MAX_DEPTH; what could not be walked is refused with its reason."""
    files: list[Path] = []
    refused: list[Refused] = []
    stack: list[tuple[Path, int]] = [(root, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            refused.append(Refused(folder, f"the folder cannot be read ({exc.strerror or exc})"))
            continue
        subfolders: list[Path] = []
        for entry in listed:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                if depth + 1 > MAX_DEPTH:
                    refused.append(Refused(path, f"folders nested deeper than {MAX_DEPTH} levels are not read"))
                else:
                    subfolders.append(path)
            else:
                files.append(path)
                if len(files) > MAX_FILES:
                    refused.append(Refused(root, f"more than {MAX_FILES:,} files: the rest are not read"))
                    return sorted(files[:MAX_FILES]), refused
        stack.extend((sub, depth + 1) for sub in reversed(subfolders))
    return sorted(files), refused
