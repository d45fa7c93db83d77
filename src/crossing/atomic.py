"""Writing files so that a crash or power cut at any moment leaves the old file or the new one, never
half of one: write a temporary file beside the target, flush it to disk, then rename it over.

Only ever over a regular file or a new name: ``write_output`` (what --output uses) streams to a terminal,
a pipe or /dev/null instead of replacing it, and refuses folders, disks and links to nothing."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from pathlib import Path

from crossing.errors import CrossingError
from crossing.textsafety import shown_name


class OutputRefused(CrossingError, OSError):
    """--output names something that must not be replaced by a file (a folder, a disk device, a link
    that leads nowhere, a pipe nobody reads): the message says what it is. An OSError as well, so that
    code handling a failed write handles this too."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomic(path: Path, data: str | bytes, *, private: bool = False) -> None:
    """Replace path with data. The file gets the usual permissions (as if created with open()), or is
    readable by its owner only when private (saves). Only a regular file (not a link) or a new name is
    replaced: anything else raises OutputRefused (an OSError too, so callers' handlers cover it)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        pass
    else:
        if not stat.S_ISREG(info.st_mode):
            from crossing.files import kind_of

            what = "a symbolic link" if stat.S_ISLNK(info.st_mode) else kind_of(info.st_mode) or "not a regular file"
            raise OutputRefused(f"{shown_name(path)} is {what}, not a file: it is left as it is")
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    import tempfile  # here, not at the top: play imports this module at start and seldom writes

    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private; a guide, report or transcript is meant to be handed on.
        os.chmod(temporary, 0o600 if private else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    # Make the rename itself durable where the platform allows opening a directory.
    with contextlib.suppress(OSError):
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def _streamable(info: os.stat_result) -> bool:
    """A terminal, /dev/null, /dev/stdout or a pipe: written to as it is, never replaced."""
    return stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def write_output(path: Path, data: str | bytes) -> str:
    """Write a command's --output. Returns how: "replaced" (a regular file, replaced atomically through
    any symbolic link to it, the link kept), "created" (a new file), or "streamed" (a terminal, a pipe,
    /dev/null, /dev/stdout: written to, never replaced). Raises OutputRefused for a folder, a disk
    device, a socket, a link to nothing, or a named pipe with no reader; OSError when the write fails.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        info = os.stat(path)  # follows links: what the name leads to is what would be written
    except FileNotFoundError:
        if os.path.islink(path):
            raise OutputRefused(f"{shown_name(path)} is a symbolic link to a file that does not exist; "
                                "give the name of a file to write") from None
        write_atomic(path, payload)
        return "created"
    if stat.S_ISREG(info.st_mode):
        # Through a link, the file it leads to is replaced and the link stays a link.
        target = Path(os.path.realpath(path)) if os.path.islink(path) else path
        write_atomic(target, payload)
        return "replaced"
    if _streamable(info):
        for stream, fd in ((sys.stdout, 1), (sys.stderr, 2)):
            with contextlib.suppress(OSError, ValueError):
                if os.path.samestat(info, os.fstat(fd)):
                    # Our own output (/dev/stdout, /dev/fd/1): after what was printed already, in order.
                    with contextlib.suppress(OSError, ValueError, AttributeError):
                        stream.flush()
                    _write_all(fd, payload)
                    return "streamed"
        flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
        nonblocking = getattr(os, "O_NONBLOCK", 0) if stat.S_ISFIFO(info.st_mode) else 0
        try:
            fd = os.open(path, flags | nonblocking)
        except OSError as exc:
            if exc.errno == errno.ENXIO:
                raise OutputRefused(f"{shown_name(path)} is a named pipe that nothing reads from") from None
            raise
        try:
            if nonblocking:
                os.set_blocking(fd, True)
            _write_all(fd, payload)
        finally:
            os.close(fd)
        return "streamed"
    from crossing.files import kind_of

    what = kind_of(info.st_mode) or "not a regular file"
    hint = "give the name of a file to write" if stat.S_ISDIR(info.st_mode) else "it is left as it is"
    raise OutputRefused(f"{shown_name(path)} is {what}, not a file: {hint}")
