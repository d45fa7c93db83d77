"""The lesson's state: who has joined, each student's run, sessions, limits and the live vote.

No web code here: the application (``serve.app``) turns requests into calls on a ``Room``, and the
teacher's terminal reads ``Room.snapshot()``. A room is used from two threads (the server's event loop
and the teacher's terminal), so the room's tables are guarded by one lock and each student's run by its
own.

Every run is kept in two files in the lesson's folder: its transcript (``NNN-alias.json``, what
``crossing report`` reads) and, under ``.sessions/``, what is needed to continue it (the run's state,
keyed by a hash of the browser's session token; the token itself is never written down). Files are
written by a background flusher shortly after each change, and at once when a session goes idle or the
lesson ends, so a reload, a lost connection, an idle timeout or a restarted server loses nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import re
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from crossing.atomic import write_atomic
from crossing.engine import Engine, RunState, initial_variables
from crossing.immutable import immutable
from crossing.model import Story
from crossing.playthrough import ChoiceTaken, Ended, Event, Playthrough, SceneShown, WentBack, met_terms
from crossing.transcript import Transcript, TranscriptError

Mode = Literal["play", "vote"]
log = logging.getLogger("crossing.serve")

MAX_ALIAS = 40
DEFAULT_MAX_STUDENTS = 60
IDLE_SECONDS = 15 * 60.0
# Requests per second a session may make, on average and in a burst (a person clicks a few times a second).
RATE_PER_SECOND = 8.0
RATE_BURST = 30.0
SESSIONS_FOLDER = ".sessions"
# Join codes avoid letters and digits that are easy to confuse when read off a projector (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
_CODE = re.compile(r"[A-Za-z0-9]{4,12}")


class RoomError(Exception):
    """A request the room refuses; ``status`` is the HTTP status that says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def check_join_code(code: str) -> str:
    """A join code the teacher chose, upper-cased; ValueError says what a code must look like."""
    code = code.strip()
    if not _CODE.fullmatch(code):
        raise ValueError("a join code is 4 to 12 letters or digits (no spaces or signs)")
    return code.upper()


def clean_alias(alias: str) -> str | None:
    """An alias as given, trimmed, with control characters and runs of spaces removed; None if empty."""
    cleaned = "".join(ch for ch in alias if ch.isprintable())
    cleaned = " ".join(cleaned.split())[:MAX_ALIAS]
    return cleaned or None


def _slug(alias: str | None) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", (alias or "").lower()).split()
    return "-".join(words)[:24].strip("-") or "student"


def _highest_number(folder: Path) -> int:
    """The highest student number among the transcripts already in folder (NNN-name.json), else 0."""
    try:
        names = [p.name for p in folder.iterdir()]
    except OSError:
        return 0
    return max((int(m.group(1)) for n in names if (m := re.match(r"([0-9]{3,})-.*\.json$", n))), default=0)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


@dataclass
class Bucket:
    """A token bucket: ``take`` is False once a session has made more requests than the rate allows."""

    rate: float
    burst: float
    tokens: float
    last: float

    def take(self, now: float) -> bool:
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True


@dataclass
class Student:
    """One browser in the lesson. ``run`` and ``transcript`` are None while the run rests on disk (and
    always in a class vote, where a student only votes)."""

    number: int
    key: str  # the hash of the session token
    csrf: str
    alias: str | None
    file: Path
    seed: int
    run: Playthrough | None
    transcript: Transcript | None
    last_seen: float
    bucket: Bucket
    narration: str | None = None
    narration_at: int = -1  # the step count the narration belongs to
    lives: int = 1  # runs this student has begun (another life after an ending is a new run and transcript)
    past: list[tuple[str, bool]] = field(default_factory=list)  # the endings of earlier lives: title, safe
    # what the teacher's view shows, kept when the run rests on disk
    scene: str = ""
    route: str = ""
    steps: int = 0
    ending: str | None = None
    ending_safe: bool = False
    dirty: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    writing: threading.Lock = field(default_factory=threading.Lock, repr=False)  # one write of its files at a time

    @property
    def engine(self) -> Engine | None:
        return self.run.engine if self.run is not None else None

    @property
    def name(self) -> str:
        return self.alias or f"Student {self.number}"

    def csrf_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode("utf-8", "replace"), self.csrf.encode("ascii"))


@dataclass
class LiveVote:
    """A vote in `crossing class --live`: the tally is anonymous (who voted is kept only to stop a second vote)."""

    id: int
    title: str
    choices: tuple[str, ...]
    counts: list[int]
    voters: set[str] = field(default_factory=set)
    open: bool = True


@immutable
class StudentView:
    number: int
    name: str
    life: int
    scene: str
    route: str
    steps: int
    ending: str | None
    safe: bool
    idle: bool


@immutable
class RoomView:
    students: tuple[StudentView, ...]
    endings: tuple[tuple[str, int], ...]
    active: int
    finished: int


class Room:
    def __init__(
        self,
        story: Story,
        folder: Path,
        *,
        code: str,
        gentle: bool = False,
        mode: Mode = "play",
        start: str | None = None,
        max_students: int = DEFAULT_MAX_STUDENTS,
        idle_seconds: float = IDLE_SECONDS,
        rate: float = RATE_PER_SECOND,
        burst: float = RATE_BURST,
        clock: Callable[[], float] = time.monotonic,
        seeds: Callable[[], int] | None = None,
    ) -> None:
        if start is not None and start not in story.nodes:
            raise ValueError(f"the story has no scene '{start}'")
        self.story = story
        self.folder = folder
        self.code = check_join_code(code)
        self.gentle = gentle
        self.mode: Mode = mode
        self.start = start or story.start
        self.max_students = max_students
        self.idle_seconds = idle_seconds
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.seeds = seeds or (lambda: secrets.randbelow(2**31))
        self.lock = threading.Lock()
        self.students: dict[str, Student] = {}
        # numbers go on from any earlier lesson in the same folder (a restarted server), so no new
        # student's transcript ever replaces one already there
        self.numbered = _highest_number(folder)
        self.vote: LiveVote | None = None
        self.showing = ""  # class --live: the scene on the projector while no vote is open
        self.finished_lesson = False
        self.errors = 0  # requests that failed on the server's side (written to the lesson's log)
        self._wake = threading.Event()

    # ------------------------------------------------------------------ joining and finding

    def code_ok(self, given: str) -> bool:
        cleaned = re.sub(r"[\s-]+", "", given).upper()
        return hmac.compare_digest(cleaned.encode("utf-8", "replace"), self.code.encode("ascii"))

    def join(self, code: str, alias: str) -> tuple[str, Student]:
        """A new student; returns the session token for the cookie. RoomError: wrong code, room full."""
        if not self.code_ok(code):
            raise RoomError(403, "That is not the join code for this lesson. Check the code on the board and try again.")
        token = secrets.token_urlsafe(32)
        key = token_hash(token)
        name = clean_alias(alias)
        now = self.clock()
        with self.lock:
            if self.finished_lesson:
                raise RoomError(503, "The lesson has ended.")
            if len(self.students) >= self.max_students:
                raise RoomError(503, f"The lesson is full ({self.max_students} students). Ask your teacher.")
            self.numbered += 1
            number = self.numbered
            file = self.folder / f"{number:03d}-{_slug(name)}.json"
            student = Student(number, key, secrets.token_urlsafe(32), name, file, self.seeds(), None, None, now,
                              Bucket(self.rate, self.burst, self.burst, now))
            self.students[key] = student
        if self.mode == "play":
            with student.lock:
                engine = Engine(self.story, student.seed, self._fresh_state(student.seed))
                transcript = Transcript.begin(self.story, student.seed, name=name, gentle=self.gentle)
                self._attach(student, engine, transcript)
                assert student.run is not None
                student.run.arrive()
                self._changed(student)
        return token, student

    def _fresh_state(self, seed: int) -> RunState:
        return RunState(self.start, initial_variables(self.story), [self.start], seed)

    def find(self, token: str | None) -> Student | None:
        """The student whose browser holds this token, with the run in memory (read back from disk when
        the session had gone idle); None for no, malformed or unknown tokens."""
        if token is None or not _TOKEN.fullmatch(token):
            return None
        key = token_hash(token)
        with self.lock:
            student = self.students.get(key)
        if student is None:
            student = self._restore(key)
            if student is None:
                return None
        with student.lock:
            if self.mode == "play" and student.engine is None and not self._reload(student):
                return None
            student.last_seen = self.clock()
        return student

    def allow(self, student: Student) -> bool:
        """False when this session is making requests faster than the limit."""
        with student.lock:
            return student.bucket.take(self.clock())

    # ------------------------------------------------------------------ the run

    def choose(self, student: Student, step: int, number: int) -> bool:
        """Take choice `number` at the scene shown after `step` choices. False (and no change) when the
        page was out of date (a second click, a resubmitted form); RoomError for a choice not offered."""
        with student.lock:
            run = self.run_of(student)
            engine = run.engine
            if step != len(engine.state.history) or engine.finished:
                return False
            if not 1 <= number <= len(engine.offered()):
                raise RoomError(400, f"There is no choice {number} here.")
            run.choose(number)
            shown = run.arrive()
            student.narration, student.narration_at = shown.narration, len(engine.state.history)
            self._changed(student)
            return True

    def back(self, student: Student, step: int) -> bool:
        with student.lock:
            run = self.run_of(student)
            if step != len(run.engine.state.history) or run.back() is None:
                return False
            run.arrive()
            student.narration, student.narration_at = None, -1
            self._changed(student)
            return True

    def again(self, student: Student, step: int) -> bool:
        """Another life after an ending: a new run with its own seed and its own transcript (the finished
        one stays as it is). False (no change) unless the run is at its ending after `step` choices."""
        with student.lock:
            engine = self.run_of(student).engine
            if step != len(engine.state.history) or not engine.finished:
                return False
        self.flush(student)  # the finished life's files, complete, before the new life replaces them
        with student.lock:
            engine = self.run_of(student).engine
            if step != len(engine.state.history) or not engine.finished:
                return False
            node = engine.node
            assert node.ending is not None
            student.past.append((node.display_title, self.story.is_safe_kind(node.ending.kind)))
            student.lives += 1
            student.seed = self.seeds()
            student.file = self.folder / f"{student.number:03d}-{_slug(student.alias)}-{student.lives}.json"
            transcript = Transcript.begin(self.story, student.seed, name=student.alias, gentle=self.gentle)
            self._attach(student, Engine(self.story, student.seed, self._fresh_state(student.seed)), transcript)
            assert student.run is not None
            student.run.arrive()
            student.narration, student.narration_at = None, -1
            self._changed(student)
            return True

    def _attach(self, student: Student, engine: Engine, transcript: Transcript) -> None:
        """The student's run as a Playthrough whose events keep the transcript (written later, in batches)."""

        def note(run: Playthrough, event: Event) -> None:
            if isinstance(event, SceneShown):
                transcript.record_scene(run.engine)
            elif isinstance(event, Ended):
                transcript.record_ending(run.engine)
            elif isinstance(event, ChoiceTaken):
                transcript.record_step(run.engine, event.step, narration=event.narration)
            elif isinstance(event, WentBack):
                transcript.record_back(run.engine)
                transcript.ending = None  # an ending taken back: the run goes on

        student.run = Playthrough(engine, self.gentle, [note])
        student.transcript = transcript

    def run_of(self, student: Student) -> Playthrough:
        if student.run is None:
            raise RoomError(409, "This lesson has no runs to play (it is a class vote).")
        return student.run

    def met_terms(self, student: Student) -> list[str]:
        """The glossary terms in the scenes this student has been shown (none in a class vote)."""
        with student.lock:
            if student.transcript is None:
                return []
            texts = [scene.text for scene in student.transcript.scenes]
        return met_terms(self.story.glossary, texts)

    def transcript_markdown(self, student: Student) -> str:
        with student.lock:
            self.run_of(student)
            assert student.transcript is not None
            return student.transcript.to_markdown()

    def _changed(self, student: Student) -> None:
        """Note what the teacher's view shows, and have the flusher write the run (student.lock held)."""
        engine = student.engine
        if engine is not None:
            node = engine.node
            student.scene = node.title or node.id
            student.route = self.story.route_title(node.route)
            student.steps = len(engine.state.history)
            student.ending = node.display_title if node.ending is not None else None
            student.ending_safe = node.ending is not None and self.story.is_safe_kind(node.ending.kind)
        student.dirty = True
        self._wake.set()

    # ------------------------------------------------------------------ files

    def _session_path(self, key: str) -> Path:
        return self.folder / SESSIONS_FOLDER / f"{key}.json"

    def _documents(self, student: Student) -> tuple[str, str] | None:
        """The transcript and the session file as text (student.lock held)."""
        if student.run is None or student.transcript is None:
            return None
        session = {
            "number": student.number, "alias": student.alias, "csrf": student.csrf, "file": student.file.name,
            "seed": student.seed, "state": student.run.engine.state.to_dict(),
            "narration": student.narration, "narration_at": student.narration_at,
            "lives": student.lives, "past": [list(p) for p in student.past],
        }
        return student.transcript.to_json(), json.dumps(session, ensure_ascii=False)

    def flush(self, student: Student) -> None:
        """Write the student's transcript and session file if they changed; when this returns, what
        was in memory on the call is on disk (a write under way in another thread is waited for)."""
        with student.writing:
            with student.lock:
                if not student.dirty:
                    return
                documents = self._documents(student)
                student.dirty = False
            if documents is None:
                return
            try:
                write_atomic(student.file, documents[0])
                write_atomic(self._session_path(student.key), documents[1], private=True)
            except OSError:
                log.exception("cannot write the run of student %d to %s", student.number, student.file)
                with student.lock:
                    student.dirty = True
                self.errors += 1
                raise

    def flush_all(self) -> None:
        """Write every changed run; a run that cannot be written is logged and tried again next time."""
        with self.lock:
            everyone = list(self.students.values())
        for student in everyone:
            with contextlib.suppress(OSError):
                self.flush(student)

    def _restore(self, key: str) -> Student | None:
        """A session from an earlier server on this folder (or dropped from the table); None if unknown."""
        path = self._session_path(key)
        try:
            data: Any = json.loads(path.read_text(encoding="utf-8"))
            number, csrf, file = int(data["number"]), str(data["csrf"]), str(data["file"])
            alias = data["alias"] if isinstance(data.get("alias"), str) else None
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if "/" in file or "\\" in file or file.startswith("."):
            return None
        now = self.clock()
        student = Student(number, key, csrf, alias, self.folder / file, int(data.get("seed", 0)), None, None, now,
                          Bucket(self.rate, self.burst, self.burst, now))
        lives, past = data.get("lives", 1), data.get("past", [])
        if isinstance(lives, int) and lives >= 1:
            student.lives = lives
        if isinstance(past, list):
            student.past = [(str(p[0]), bool(p[1])) for p in past if isinstance(p, list) and len(p) == 2]
        with self.lock:
            existing = self.students.get(key)
            if existing is not None:
                return existing
            self.students[key] = student
            self.numbered = max(self.numbered, number)
        return student

    def _reload(self, student: Student) -> bool:
        """Read an idle run back into memory (student.lock held)."""
        try:
            data = json.loads(self._session_path(student.key).read_text(encoding="utf-8"))
            state = RunState.from_dict(data["state"])
            transcript = Transcript.from_json(student.file.read_text(encoding="utf-8"))
            if state.node not in self.story.nodes:
                return False
        except (OSError, ValueError, KeyError, TypeError, TranscriptError):
            return False
        self._attach(student, Engine(self.story, state.seed, state), transcript)
        student.seed = state.seed
        narration = data.get("narration")
        student.narration = narration if isinstance(narration, str) else None
        student.narration_at = int(data.get("narration_at", -1)) if isinstance(data.get("narration_at", -1), int) else -1
        self._changed(student)
        student.dirty = False
        return True

    def rest_idle(self) -> int:
        """Write out and drop from memory the runs of sessions idle too long; returns how many."""
        now = self.clock()
        with self.lock:
            idle = [s for s in self.students.values() if s.engine is not None and now - s.last_seen > self.idle_seconds]
        for student in idle:
            self.flush(student)
            with student.lock:
                if now - student.last_seen > self.idle_seconds and not student.dirty:
                    student.run = None
                    student.transcript = None
        return len(idle)

    def in_memory(self) -> int:
        with self.lock:
            return sum(1 for s in self.students.values() if s.engine is not None)

    # ------------------------------------------------------------------ the flusher

    def wake(self) -> None:
        self._wake.set()

    def run_flusher(self, stop: threading.Event, interval: float = 1.0) -> None:
        """Write changed runs until stop is set (a background thread), then everything once more."""
        last_rest = self.clock()
        while not stop.is_set():
            self._wake.wait(1.0)
            self._wake.clear()
            stop.wait(interval)  # gather a few changes into one write each
            self.flush_all()
            if self.clock() - last_rest > 10.0:
                self.rest_idle()
                last_rest = self.clock()
        self.flush_all()

    # ------------------------------------------------------------------ class --live

    def show(self, title: str) -> None:
        with self.lock:
            self.showing = title
            if self.vote is not None:
                self.vote.open = False

    def open_vote(self, title: str, choices: Sequence[str]) -> LiveVote:
        with self.lock:
            number = (self.vote.id + 1) if self.vote is not None else 1
            self.vote = LiveVote(number, title, tuple(choices), [0] * len(choices))
            self.showing = title
            return self.vote

    def cast(self, student: Student, vote_id: int, number: int) -> Literal["counted", "already", "closed"]:
        with self.lock:
            vote = self.vote
            if vote is None or vote.id != vote_id or not vote.open:
                return "closed"
            if student.key in vote.voters:
                return "already"
            if not 1 <= number <= len(vote.choices):
                raise RoomError(400, f"There is no choice {number} in this vote.")
            vote.voters.add(student.key)
            vote.counts[number - 1] += 1
            return "counted"

    def has_voted(self, student: Student) -> bool:
        with self.lock:
            return self.vote is not None and student.key in self.vote.voters

    def tally(self) -> tuple[int, ...]:
        with self.lock:
            return tuple(self.vote.counts) if self.vote is not None else ()

    def close_vote(self) -> tuple[int, ...]:
        with self.lock:
            if self.vote is None:
                return ()
            self.vote.open = False
            return tuple(self.vote.counts)

    # ------------------------------------------------------------------ the teacher's view

    def snapshot(self) -> RoomView:
        now = self.clock()
        with self.lock:
            everyone = sorted(self.students.values(), key=lambda s: s.number)
        rows = tuple(
            StudentView(s.number, s.name, s.lives, s.scene, s.route, s.steps, s.ending, s.ending_safe,
                        s.engine is None or now - s.last_seen > 120.0)
            for s in everyone
        )
        endings = Counter(r.ending for r in rows if r.ending is not None)
        endings.update(title for s in everyone for title, _ in s.past)
        return RoomView(rows, tuple(sorted(endings.items(), key=lambda e: (-e[1], e[0]))),
                        sum(1 for r in rows if not r.idle), sum(1 for r in rows if r.ending is not None))

    def end(self) -> None:
        """No more joins; every run written."""
        with self.lock:
            self.finished_lesson = True
        self.flush_all()
