"""One writer per run: a lock beside a file (a save, a transcript, a class lesson) that a second process
finds taken, so that two windows never play the same run and lose each other's progress.

The lock is the operating system's (``filelock``: flock on Linux and macOS, msvcrt on Windows), held on
a small hidden file ``.NAME.lock`` next to the protected file for as long as the process keeps it. The
system releases it when the process ends in any way (a crash or kill included), so no stale lock ever
blocks a student. Pure core: no printing; a lock held elsewhere is ``False`` from ``acquire`` or a
``RunOpenElsewhere`` from ``hold``.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from crossing.errors import CrossingError

if TYPE_CHECKING:
    from filelock import BaseFileLock

LOCK_SUFFIX = ".lock"


class RunOpenElsewhere(CrossingError):
    """The file is being written by another Crossing process (another window, terminal or lesson)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path.name} is open in another Crossing window or terminal")
        self.path = path


def lock_path(path: Path) -> Path:
    """Where the lock of a file lives: .NAME.lock beside it (hidden, so listings pass over it)."""
    return path.with_name(f".{path.name}{LOCK_SUFFIX}")


class RunLock:
    """The lock on one file. ``acquire()`` never waits: True when this process now holds it (or already
    did), False when another process does. ``release()`` lets it go; so does the end of the process.

    Usable as a context manager (``with RunLock(path).hold():``), which raises RunOpenElsewhere.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock_file = lock_path(path)
        self._lock: BaseFileLock | None = None

    @property
    def held(self) -> bool:
        return self._lock is not None

    def acquire(self) -> bool:
        """Take the lock without waiting; False when another process holds it. OSError when the lock
        file cannot be made (a read-only folder): the caller decides whether to go on unlocked."""
        if self._lock is not None:
            return True
        from filelock import FileLock, Timeout

        # 0o600: nobody else needs to open it; thread_local off: the process holds it, not a thread.
        lock = FileLock(os.fspath(self.lock_file), timeout=0, mode=0o600, thread_local=False)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            return False
        self._lock = lock
        return True

    def hold(self) -> RunLock:
        """acquire(), raising RunOpenElsewhere when another process holds the lock."""
        if not self.acquire():
            raise RunOpenElsewhere(self.path)
        return self

    def release(self) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            with contextlib.suppress(OSError):
                lock.release()

    def remove(self) -> None:
        """Release, and delete the lock file (when the protected file is deleted too)."""
        self.release()
        with contextlib.suppress(OSError):
            self.lock_file.unlink()

    def __enter__(self) -> RunLock:
        return self.hold()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()


def is_open_elsewhere(path: Path) -> bool:
    """Whether another process holds the lock of path right now (a quick look: take it and let go)."""
    probe = RunLock(path)
    try:
        if not probe.acquire():
            return True
    except OSError:
        return False
    probe.release()
    return False
