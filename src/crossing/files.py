"""Reading files that someone else may have put there: only regular files, never blocking, never more
than a stated size, and folders walked without recursion and to a bounded depth.

Pure core: nothing is printed; every refusal is a ``FileRefused`` whose message says why in words for a
student or teacher (and whose ``reason`` is the same without the file's name, for lists of skipped files).

A named pipe would block ``open()`` until someone writes to it, a device such as /dev/zero never ends, and
a sparse file can claim gigabytes it never stored: so a file is opened with O_NONBLOCK, then the *open*
file is checked (``fstat``: no race with a swap between a check and the open), its size compared with the
limit before anything is read, and at most ``limit + 1`` bytes are ever read.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from crossing.errors import CrossingError
from crossing.textsafety import shown_name

__all__ = [
    "DEFAULT_MAX_DEPTH",
    "FileRefused",
    "Walk",
    "describe_size",
    "kind_of",
    "read_bytes",
    "read_text",
    "shown_name",
    "walk_files",
    "walk_folders",
]

# Folders nested deeper than this are not entered (a story or a class's transcripts use two or three).
DEFAULT_MAX_DEPTH = 32
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0) \
    | getattr(os, "O_BINARY", 0)


class FileRefused(CrossingError):
    """A file that was not read: missing, unreadable, not a regular file, or too large.

    ``kind`` is one of "missing", "unreadable", "not-a-file", "too-large", "not-text"; ``reason`` a phrase
    without the file name ("is a named pipe, not a file"); str() the whole sentence with the name escaped.
    """

    def __init__(self, path: str | os.PathLike[str], kind: str, reason: str) -> None:
        super().__init__(f"{shown_name(path)}: {reason}")
        self.path = Path(path)
        self.kind = kind
        self.reason = reason


def describe_size(size: int) -> str:
    """A byte count for people: 812 bytes, 3.2 KB, 31.5 MB, 3.0 GB."""
    if size < 1000:
        return f"{size} byte{'' if size == 1 else 's'}"
    for unit, scale in (("KB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        if size < scale * 1000 or unit == "GB":
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"  # pragma: no cover - the loop always returns


def kind_of(mode: int) -> str | None:
    """What a non-regular file is, in words ("a named pipe"); None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode):
        return "a device"
    if stat.S_ISBLK(mode):
        return "a disk device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refusal(path: str | os.PathLike[str], exc: OSError) -> FileRefused:
    if isinstance(exc, FileNotFoundError):
        return FileRefused(path, "missing", "no such file")
    if isinstance(exc, IsADirectoryError) or (exc.errno == errno.EACCES and os.path.isdir(path)):
        return FileRefused(path, "not-a-file", "is a folder, not a file")
    if exc.errno == errno.ELOOP:
        return FileRefused(path, "unreadable", "is a symbolic link that loops back on itself")
    return FileRefused(path, "unreadable", f"cannot be read: {exc.strerror or exc}")


def read_bytes(path: str | os.PathLike[str], *, limit: int) -> bytes:
    """The contents of a regular file of at most ``limit`` bytes; raises FileRefused otherwise.

    Never blocks on a named pipe or device, never reads more than ``limit + 1`` bytes whatever the file
    claims or does while it is read (a file that grows past the limit is refused too).
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _refusal(path, exc) from None
    try:
        try:
            info = os.fstat(fd)
        except OSError as exc:
            raise _refusal(path, exc) from None
        what = kind_of(info.st_mode)
        if what is not None:
            raise FileRefused(path, "not-a-file", f"is {what}, not a file")
        if info.st_size > limit:
            raise FileRefused(path, "too-large", f"is too large ({describe_size(info.st_size)}; at most {describe_size(limit)})")
        chunks: list[bytes] = []
        total = 0
        try:
            while total <= limit:
                chunk = os.read(fd, min(limit + 1 - total, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
        except BlockingIOError:  # pragma: no cover - a regular file never blocks; a network file might
            raise FileRefused(path, "unreadable", "cannot be read now (it is busy)") from None
        except OSError as exc:
            raise _refusal(path, exc) from None
        if total > limit:
            raise FileRefused(path, "too-large", f"is too large (more than {describe_size(limit)})")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: str | os.PathLike[str], *, limit: int, encoding: str = "utf-8") -> str:
    """read_bytes, decoded; a file that is not valid text in that encoding is refused ("not-text")."""
    raw = read_bytes(path, limit=limit)
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FileRefused(path, "not-text", f"is not {encoding.upper()} text (byte {exc.start + 1})") from None


@dataclass
class Walk:
    """What walk_files found: the files (sorted), and each thing it did not look into, with why."""

    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    # True when a limit (depth or number of files) stopped the walk early: the list is not complete.
    truncated: bool = False


def walk_files(
    root: str | os.PathLike[str],
    *,
    suffixes: Iterable[str] = (),
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_files: int | None = None,
    hidden: bool = False,
) -> Walk:
    """Every file below root whose name ends with one of ``suffixes`` (all files when empty), sorted.

    Iterative (any depth of folders is safe for the stack), never follows a symbolic link to a folder
    (so no loop), goes at most ``max_depth`` folders down (deeper ones are listed in ``skipped``), stops
    after ``max_files`` files. Names starting with "." are passed over unless ``hidden``. Entries that are
    not regular files and not links (pipes, devices, sockets) are listed in ``skipped``; links to files are
    returned, for read_bytes to check what they lead to.
    """
    endings = tuple(suffixes)
    result = Walk()
    stack: list[tuple[Path, int]] = [(Path(root), 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            result.skipped.append((folder, f"cannot be read: {exc.strerror or exc}"))
            result.truncated = True
            continue
        subfolders: list[Path] = []
        for entry in listed:
            if entry.name.startswith(".") and not hidden:
                continue
            path = folder / entry.name
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=False)
                is_file = entry.is_file(follow_symlinks=False)
            except OSError as exc:
                result.skipped.append((path, f"cannot be read: {exc.strerror or exc}"))
                continue
            if is_dir:
                if depth + 1 > max_depth:
                    result.skipped.append((path, f"is more than {max_depth} folders deep; it is not read"))
                    result.truncated = True
                else:
                    subfolders.append(path)
                continue
            if endings and not entry.name.endswith(endings):
                continue
            if not (is_file or is_link):
                try:
                    what = kind_of(entry.stat(follow_symlinks=False).st_mode) or "not a regular file"
                except OSError:
                    what = "not a regular file"
                result.skipped.append((path, f"is {what}, not a file; it is not read"))
                continue
            if max_files is not None and len(result.files) >= max_files:
                result.skipped.append((path, f"more than {max_files} files; the rest are not read"))
                result.truncated = True
                result.files.sort()
                return result
            result.files.append(path)
        # Reversed, so the stack gives the folders back in name order.
        stack.extend((sub, depth + 1) for sub in reversed(subfolders))
    result.files.sort()
    return result


def walk_folders(
    root: str | os.PathLike[str],
    *,
    max_depth: int = DEFAULT_MAX_DEPTH,
    onerror: Callable[[OSError], None] | None = None,
    too_deep: Callable[[str], None] | None = None,
) -> Iterator[tuple[str, list[str], list[str]]]:
    """Like ``os.walk(root, onerror=...)`` (top-down; links to folders are listed among the subfolders
    but never entered), without recursion, so 1,000 nested folders cannot overflow the stack (os.walk
    recurses once a level on Python 3.11), and at most ``max_depth`` folders down: ``too_deep(path)``
    is told of each folder not entered. Names are sorted."""
    stack: list[tuple[str, int]] = [(os.fspath(root), 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            if onerror is not None:
                onerror(exc)
            continue
        subfolders: list[str] = []
        names: list[str] = []
        for entry in listed:
            try:
                is_dir = entry.is_dir()  # follows links, as os.walk lists them
            except OSError:
                is_dir = False
            (subfolders if is_dir else names).append(entry.name)
        yield folder, subfolders, names
        enter: list[str] = []
        for name in subfolders:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                continue
            if depth + 1 > max_depth:
                if too_deep is not None:
                    too_deep(path)
                continue
            enter.append(path)
        stack.extend((path, depth + 1) for path in reversed(enter))
