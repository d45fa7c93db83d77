"""Keeping a run safe at the edge: saving after every step, and stopping cleanly on Ctrl-C, end of
input, the terminal closing (SIGHUP), a polite kill (SIGTERM) or a pipe that went away.

The save written after each step is the one that counts: it is taken between steps, so it is always
consistent. A stop that lands in the middle of a step (or of a write) only finishes writing the last
snapshot; it never saves a half-applied choice.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from crossing import persistence
from crossing.engine import Engine
from crossing.locking import RunLock
from crossing.model import Story
from crossing.state import MAX_STEPS

EXIT_INTERRUPTED = 130  # 128 + SIGINT: what shells report for Ctrl-C
EXIT_HANGUP = 129  # 128 + SIGHUP: the terminal went away
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a reader closing the pipe usually costs a program
_HANGUP = getattr(signal, "SIGHUP", None)  # absent on Windows
_STOP_SIGNALS = tuple(s for s in (_HANGUP, signal.SIGTERM) if s is not None)


class Stopped(BaseException):
    """Raised by the SIGHUP/SIGTERM handlers so that play unwinds like it does on Ctrl-C.

    A BaseException, like KeyboardInterrupt, so that no ``except Exception`` on the way swallows it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.exit_code = 128 + signum

    @property
    def hangup(self) -> bool:
        return self.signum == _HANGUP


def _raise_stopped(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signum)


@contextlib.contextmanager
def stop_signals_raise() -> Iterator[None]:
    """While a run is played, SIGHUP and SIGTERM raise Stopped (Ctrl-C raises KeyboardInterrupt)."""
    previous: dict[int, Any] = {}
    for signum in _STOP_SIGNALS:
        with contextlib.suppress(ValueError, OSError):  # ValueError: not the main thread
            previous[signum] = signal.signal(signum, _raise_stopped)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            with contextlib.suppress(ValueError, OSError):
                signal.signal(signum, handler)


@contextlib.contextmanager
def signals_restored() -> Iterator[None]:
    """Whatever a command does with the signals (holding them while it finishes a save), they are as they
    were when it returns: a caller in the same process (a test, the lesson server) keeps its Ctrl-C, and
    so do the processes it starts later."""
    previous: dict[int, Any] = {}
    for signum in (signal.SIGINT, *_STOP_SIGNALS):
        handler = signal.getsignal(signum)
        if handler is not None:
            previous[signum] = handler
    try:
        yield
    finally:
        for signum, handler in previous.items():
            with contextlib.suppress(ValueError, OSError):  # ValueError: not the main thread
                signal.signal(signum, handler)


def hold_signals() -> None:
    """The program is finishing: a second Ctrl-C or hang-up must not cut the last save short."""
    for signum in (signal.SIGINT, *_STOP_SIGNALS):
        with contextlib.suppress(ValueError, OSError):
            signal.signal(signum, signal.SIG_IGN)


def terminal_gone(exc: BaseException) -> bool:
    """A write or read failed because the terminal closed or the reading end of a pipe went away."""
    return isinstance(exc, OSError) and exc.errno in (errno.EPIPE, errno.EIO, errno.ENXIO, errno.EBADF)


def silence_output() -> None:
    """Point stdout and stderr at the null device: nothing (not even Python's flush at exit, which would
    print 'Exception ignored ... BrokenPipeError') writes to a terminal or pipe that is gone."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(devnull, stream.fileno())
    os.close(devnull)


class Saver:
    """Saves a run after every step (the session's after_step hook) and once more when it stops.

    A new run gets its id (and file) at its first step: opening a story and leaving at once leaves no
    save behind. A resumed run keeps writing to its own file. The first write is the whole run; each
    later step or 'b' appends one line (the same small cost at step 10 or step 10,000); leaving writes
    the whole run again, atomically. The run's lock (crossing.locking) is held from the first write, or
    from the resume, until the program ends, so a second window cannot play the same run.

    ``enabled=False``: a scripted run without --save, never written.
    """

    def __init__(
        self,
        story: Story,
        *,
        gentle: bool,
        warn: Callable[[str], None],
        folder: Path | None = None,
        run_id: str | None = None,
        created: str | None = None,
        enabled: bool = True,
        interactive: bool = True,
        lock: RunLock | None = None,
    ) -> None:
        self.story = story
        self.gentle = gentle
        self.warn = warn
        self.folder: Path | None = folder
        self._no_folder: persistence.SaveError | None = None
        if folder is None and enabled:
            try:
                self.folder = persistence.saves_dir()
            except persistence.SaveError as exc:  # no home folder: play on, and say once that saving cannot be
                self._no_folder = exc
        self.run_id = run_id
        self.created = created
        self.enabled = enabled
        self.interactive = interactive
        self.lock = lock
        self._pending: tuple[str, dict[str, Any]] | None = None  # ("full" | "event", document) not on disk yet
        self._failed = False
        self._too_long = False
        self._length: int | None = None  # steps in the run as last written; None: write it whole next time
        self._sequence = 0
        self.unsaved_steps = False  # a run not saved (enabled=False) that has choices worth saving

    @property
    def saved(self) -> bool:
        """Whether this run has a save on disk (the message on leaving depends on it)."""
        return self.enabled and self.run_id is not None and not self._failed

    @property
    def failed(self) -> bool:
        """Whether the last attempt to save could not be written (the player was warned then)."""
        return self._failed

    def save(self, engine: Engine) -> None:
        """After a step or a 'b': write what changed (one line), or the whole run the first time."""
        if not self.enabled:
            self.unsaved_steps = bool(engine.state.history)
            return
        if self.folder is None:
            if self._no_folder is not None and not self._failed:
                self.warn(str(self._no_folder))
            self._failed = True
            return
        steps = len(engine.state.history)
        if steps > MAX_STEPS:
            if not self._too_long:
                self.warn(f"this run is longer than {MAX_STEPS:,} choices: the rest of it is not saved")
            self._too_long = True
            return
        if self.run_id is None:
            if not steps:
                return  # back at the first scene of a run never saved: nothing worth keeping
            try:
                self.run_id = persistence.new_id(self.folder, self.story.title)
                self._take_lock()
            except OSError as exc:
                self._report(exc)
                return
            engine.state.interactive = self.interactive
        self._sequence += 1
        if self._length is not None and steps == self._length + 1:
            self._pending = ("event", persistence.step_event(self.story, engine, self._sequence))
        elif self._length is not None and steps == self._length - 1:
            self._pending = ("event", persistence.back_event(self.story, engine, self._sequence))
        else:
            self._pending = ("full", self._snapshot(engine))
        self._length = steps
        self.flush()

    def _snapshot(self, engine: Engine) -> dict[str, Any]:
        assert self.run_id is not None
        document = persistence.snapshot(self.run_id, self.story, engine, gentle=self.gentle, created=self.created,
                                        sequence=self._sequence)
        self.created = engine.state.created
        return document

    def _take_lock(self) -> None:
        if self.lock is None and self.folder is not None and self.run_id is not None:
            from crossing.locking import RunLock

            lock = RunLock(self.folder / f"{self.run_id}{persistence.SUFFIX}")
            with contextlib.suppress(OSError):  # no lock possible here (a read-only share): save unlocked
                if lock.acquire():
                    self.lock = lock

    def flush(self) -> None:
        """Write the last snapshot or event if it is not on disk yet (a stop may have interrupted its
        write; an event written twice carries the same number and counts once)."""
        if self._pending is None or self.folder is None or self.run_id is None:
            return
        kind, document = self._pending
        try:
            if kind == "event":
                persistence.append(self.folder, self.run_id, document, durable=self.interactive)
            else:
                persistence.write(self.folder, document)
        except (OSError, ValueError) as exc:  # ValueError: a value JSON cannot hold (never from a checked story)
            self._length = None  # whole next time
            self._report(exc if isinstance(exc, OSError) else OSError(str(exc)))
            return
        self._pending = None
        self._failed = False

    def finish(self, engine: Engine, *, between_steps: bool) -> None:
        """The run is leaving. Between steps (q, end of input, an ending) the live state is consistent and
        is written whole, atomically; after a signal only the last snapshot or event is finished."""
        if not self.enabled:
            return
        if between_steps and self.run_id is None and engine.state.history:
            self.save(engine)  # the first write is the whole run
        elif between_steps and self.run_id is not None and self.folder is not None and not self._too_long:
            # The appended lines folded into one document again, so a resumed run starts from one line.
            self._sequence += 1
            self._length = len(engine.state.history)
            self._pending = ("full", self._snapshot(engine))
            self.flush()
        else:
            self.flush()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def _report(self, exc: OSError) -> None:
        if not self._failed:
            self.warn(f"could not save your progress in {self.folder}: {exc.strerror or exc}")
        self._failed = True
