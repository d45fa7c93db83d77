"""`crossing play` and `crossing glossary`.

A run is saved after every step (see cli/autosave.py); `--resume` continues the latest unfinished run of
the story. Ctrl-C, end of input, a closed terminal and SIGTERM all leave the progress saved and exit
without a traceback: 130 for Ctrl-C, 129 for a hang-up, 143 for SIGTERM, 0 when input ends.
"""

from __future__ import annotations

import errno
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from crossing.cli.common import PATH_HELP, app, console, fail, load_or_fail, stdin_is_terminal, wants_plain
from crossing.cli.reading import from_stdin, scripted

if TYPE_CHECKING:
    from rich.console import Console

    from crossing.cli.autosave import Saver
    from crossing.engine import Engine
    from crossing.model import Story
    from crossing.playthrough import Event, Listener, Playthrough
    from crossing.transcript import TranscriptWriter


def parse_choices(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _say(err: Console, message: str) -> None:
    """A status line on stderr (saves, resuming): story output on stdout stays the same run to run."""
    from crossing.render.safe import literal

    err.print(literal(message, "crossing.hint"))


def _resume_command(path: Path | None) -> str:
    return f"crossing play {path} --resume" if path is not None else "crossing play --resume"


def start_engine(story: Story, seed: int, from_node: str | None) -> Engine:
    """A new run at the story's start, or at ``from_node`` with the variables at their starting values."""
    from crossing.engine import Engine, RunState, initial_variables

    if from_node is None:
        return Engine(story, seed)
    return Engine(story, seed, RunState(from_node, initial_variables(story), [from_node], seed))


def require_node(story: Story, node: str, what: str) -> None:
    """Fail with a suggestion when the story has no node of that id."""
    import difflib

    if node not in story.nodes:
        guess = difflib.get_close_matches(node, list(story.nodes), n=1)
        hint = f" (did you mean '{guess[0]}'?)" if guess else ""
        fail(f"{what}: the story has no scene '{node}'{hint}", 2)


def check_from(story: Story, from_node: str | None) -> None:
    """--from must name a scene of the story (not an ending: there would be nothing to play)."""
    if from_node is None:
        return
    require_node(story, from_node, "--from")
    if story.nodes[from_node].is_ending:
        fail(f"--from: '{from_node}' is an ending; start from a scene with choices", 2)


def _resume_id(path: Path | None, resume: bool) -> str | None:
    """`crossing play --resume ID`: the argument is a run's id, not a story, when no such path exists."""
    from crossing.persistence import ID_PATTERN

    if resume and path is not None and not path.exists() and ID_PATTERN.match(str(path)):
        return str(path)
    return None


def _open_elsewhere(run_id: str, story: Story, err: Console) -> None:
    """The run is being played in another window: say so plainly, and offer a new run (or stop)."""

    _say(err, f"The run {run_id} of '{story.title}' is open in another Crossing window or terminal. "
              "It is not continued here, so no progress from either window is lost.")
    if not stdin_is_terminal():
        fail("finish or close the other window first, or start a new run with `crossing play` "
             "(`crossing saves` lists the runs)")
    try:
        answer = input("Start a new run instead? (y/n) ")
    except (EOFError, OSError):
        answer = ""
    if answer.strip().lower() not in ("y", "yes"):
        fail("nothing was started; the run stays open in the other window")


def _start(story: Story, path: Path | None, *, resume: bool, seed: int | None, gentle: bool,
           err: Console, run_id: str | None = None, autosave: bool = True,
           interactive: bool = True, from_node: str | None = None) -> tuple[Engine, Saver, bool]:
    """A new run, or an unfinished one of this story (the latest, or run_id) with what changed since it
    was saved. A run open in another window is never resumed twice (its lock is taken here)."""
    import random  # (already loaded by Typer; secrets would load hmac and base64 at every start)

    from crossing import persistence
    from crossing.cli.autosave import Saver
    from crossing.engine import Engine
    from crossing.locking import RunLock

    def warn(message: str) -> None:
        _say(err, f"crossing: {message}")

    if resume:
        try:
            folder = persistence.saves_dir()
            found = persistence.scan(folder)
        except persistence.SaveError as exc:  # no folder for saves at all: nothing to resume
            warn(str(exc))
            folder, found = None, persistence.Scan()
        except OSError as exc:
            fail(f"cannot read the saved runs: {exc.strerror or exc}")
        for damaged in found.corrupt:
            warn(f"{damaged}: it is not used")
        for _, problem in found.unsupported:
            warn(problem)
        if run_id is not None:
            run = next((r for r in found.runs if r.id == run_id), None)
            if run is None:
                fail(f"there is no saved run '{run_id}' (`crossing saves` lists them)")
            if run.finished:
                fail(f"the run {run_id} reached an ending; start a new run with `crossing play`")
        else:
            run = persistence.latest_unfinished(story, found.runs)
        if run is None:
            ended = any(r.finished for r in persistence.runs_of(story, found.runs))
            why = "your last run of it reached an ending" if ended else "there is no saved run of it"
            _say(err, f"Nothing to resume for '{story.title}': {why}. Starting a new run.")
        else:
            lock: RunLock | None = RunLock(run.path)
            try:
                taken = lock is not None and lock.acquire()
            except OSError:
                taken, lock = True, None  # no lock can be made here (a read-only share): resume unlocked
            if not taken:
                _open_elsewhere(run.id, story, err)
            else:
                try:
                    restored = persistence.restore(run, story)
                except persistence.IncompatibleSaveError as exc:
                    fail(f"cannot resume the run {run.id} of '{story.title}': {exc}. "
                         f"Start a new run with `crossing play` (the save is kept; `crossing saves --delete {run.id}` removes it).")
                for notice in restored.notices:
                    _say(err, notice)
                steps = len(restored.state.history)
                _say(err, f"Resuming run {run.id} (saved {_when(run.updated)}), {steps} choice{'' if steps == 1 else 's'} in.")
                saver = Saver(story, gentle=gentle or run.gentle, warn=warn, run_id=run.id, created=run.created,
                              folder=folder, interactive=run.interactive, lock=lock)
                return Engine(story, restored.state.seed, restored.state), saver, gentle or run.gentle
    run_seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    return start_engine(story, run_seed, from_node), Saver(story, gentle=gentle, warn=warn, enabled=autosave, interactive=interactive), gentle


def _story_of_run(run_id: str) -> Path:
    """The story folder a saved run was played from (`crossing play --resume ID`)."""
    from crossing import persistence

    try:
        run = persistence.find(run_id)
    except persistence.SaveError as exc:
        fail(str(exc))
    root = Path(run.story_root)
    if not root.is_dir():
        fail(f"the story of the run {run_id} is no longer at {root}; give its folder: crossing play STORY --resume")
    return root


def _when(stamp: str) -> str:
    from datetime import datetime

    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


@app.command()
def play(
    path: Annotated[Path | None, typer.Argument(help=PATH_HELP, show_default=False)] = None,
    seed: Annotated[int | None, typer.Option(help="Seed for every random draw: the same seed and choices give the same run.")] = None,
    choices: Annotated[str | None, typer.Option(help="Take these choices in order, e.g. 2,1,3; the run stops when they run out.")] = None,
    plain: Annotated[bool, typer.Option("--plain", help="No colour and no box drawing (screen readers, logs). NO_COLOR does the same.")] = False,
    gentle: Annotated[bool, typer.Option("--gentle", help="Tell scenes with content warnings without the details (younger students).")] = False,
    resume: Annotated[bool, typer.Option("--resume", help="Continue your latest unfinished run of this story (runs played at the keyboard are saved after every choice); `crossing play --resume ID` continues the run with that id, and its transcript.")] = False,
    save: Annotated[bool, typer.Option("--save", help="Save a run whose choices come from --choices or piped input (runs played at the keyboard are always saved).")] = False,
    transcript: Annotated[list[Path] | None, typer.Option(help="Write the run to this file as it goes: .json (for `crossing report`) or .md (to read and hand in); give it twice for both. An existing file is never overwritten (me-2.json is written beside it), and --resume continues the run's transcript without it.")] = None,
    name: Annotated[str | None, typer.Option(help="A name or alias for the transcript; nothing personal is recorded without it.")] = None,
    from_node: Annotated[str | None, typer.Option("--from", help="Start at this scene instead of the story's start (variables at their starting values).")] = None,
    facts: Annotated[bool, typer.Option("--facts", help="Show the facts and sources under every scene (otherwise they are behind the f key).")] = False,
) -> None:
    """Play a story in the terminal (the story that ships with Crossing by default)."""
    from crossing.cli import autosave

    with autosave.signals_restored():
        try:
            with autosave.stop_signals_raise():
                code = _play(path, seed, choices, plain, gentle, resume, transcript, name, save, from_node, facts)
        except (KeyboardInterrupt, autosave.Stopped) as stop:
            # Stopped before the run began (while loading): nothing to save.
            autosave.hold_signals()
            code = stop.exit_code if isinstance(stop, autosave.Stopped) else autosave.EXIT_INTERRUPTED
            _leave(console(stderr=True), "\nStopped.")
    raise typer.Exit(code)


def _leave(err: Console, message: str) -> None:
    """The last words on stderr; if the terminal is gone, say nothing and make sure nothing else tries."""
    from crossing.cli.autosave import silence_output, terminal_gone
    from crossing.render.safe import inert

    try:
        err.print(inert(message), markup=False, highlight=False, soft_wrap=True)  # a command stays on one line
        sys.stdout.flush()
    except OSError as exc:
        if not terminal_gone(exc):
            raise
        silence_output()


def _listeners(saver: Saver, writer: TranscriptWriter | None) -> list[Listener]:
    """The autosave and the transcript, as listeners of the run's events."""
    from crossing.playthrough import ChoiceTaken, WentBack

    def save(run: Playthrough, event: Event) -> None:
        if isinstance(event, ChoiceTaken | WentBack):
            saver.save(run.engine)

    if writer is None:
        return [save]
    from crossing.transcript import transcript_listener  # only a run that keeps a transcript needs it

    return [save, transcript_listener(writer)]


def _play(path: Path | None, seed: int | None, choices: str | None, plain: bool, gentle: bool, resume: bool,
          transcript: list[Path] | None = None, name: str | None = None, save: bool = False, from_node: str | None = None,
          facts: bool = False) -> int:
    from crossing.cli import autosave
    from crossing.errors import CrossingError
    from crossing.playthrough import Playthrough
    from crossing.render.safe import inert
    from crossing.session import SessionOptions
    from crossing.session import play as run_session

    if resume and seed is not None:
        fail("--seed cannot be used with --resume: a resumed run keeps the seed it started with", 2)
    if resume and from_node is not None:
        fail("--from cannot be used with --resume: a resumed run continues where it stopped", 2)
    run_id = _resume_id(path, resume)
    if run_id is not None:
        path = _story_of_run(run_id)
    story = load_or_fail(path)
    check_from(story, from_node)
    is_plain = wants_plain(plain)
    out, err = console(is_plain), console(is_plain, stderr=True)
    # Rich's default exits with status 1 when the reader of stdout goes away; raising instead lets the
    # handler below finish the save and exit like every other stop.
    out.on_broken_pipe = _broken_pipe  # type: ignore[method-assign]
    # Only a person's run is saved unasked: a script's (--choices, piped input) only with --save.
    interactive = choices is None and stdin_is_terminal()
    engine, saver, gentle = _start(story, path, resume=resume, seed=seed, gentle=gentle, err=err, run_id=run_id,
                                   autosave=interactive or save, interactive=interactive, from_node=from_node)
    read = scripted(iter(parse_choices(choices)), out) if choices is not None else from_stdin(out)
    # A person at a terminal gets paged scenes and the ending's prompt; scripts and pipes get plain output.
    person = choices is None and stdin_is_terminal() and out.is_terminal
    options = SessionOptions(gentle=gentle, plain=is_plain, facts_inline=facts, page=person)

    resuming = resume and saver.run_id is not None
    while True:
        writer = _open_transcript(transcript, engine, saver, name=name, gentle=gentle, resuming=resuming, err=err)
        resuming = False
        run = Playthrough(engine, gentle, _listeners(saver, writer))
        try:
            outcome = run_session(run, out, read, options)
        except KeyboardInterrupt:
            return _stopped(saver, engine, path, err, autosave.EXIT_INTERRUPTED, "Stopped")
        except autosave.Stopped as stop:
            return _stopped(saver, engine, path, err, stop.exit_code, "Hung up" if stop.hangup else "Stopped")
        except OSError as exc:
            if not autosave.terminal_gone(exc):
                raise
            code = autosave.EXIT_BROKEN_PIPE if isinstance(exc, BrokenPipeError) else autosave.EXIT_HANGUP
            return _stopped(saver, engine, path, err, code, "")
        except CrossingError as exc:
            saver.finish(engine, between_steps=False)
            fail(inert(str(exc)))
        if outcome != "again":
            break
        # Another life: a new run from the same start, with its own seed, save and transcript.
        saver.finish(engine, between_steps=True)
        engine, saver, gentle = _start(story, path, resume=False, seed=None, gentle=gentle, err=err,
                                       autosave=interactive or save, interactive=interactive, from_node=from_node)
        options.show_notice = False
        out.print()
    autosave.hold_signals()
    saver.finish(engine, between_steps=True)
    try:
        if outcome == "input-ended":
            out.print(f"\nThe run stopped before an ending (seed {engine.state.seed}).")
    except OSError as exc:
        if not autosave.terminal_gone(exc):
            raise
        autosave.silence_output()
        return autosave.EXIT_BROKEN_PIPE
    if outcome in ("input-ended", "quit"):
        _leave(err, _saved_message("Stopped" if outcome == "quit" else "", saver, path))
    return 0


def _open_transcript(paths: list[Path] | None, engine: Engine, saver: Saver, *, name: str | None, gentle: bool,
                     resuming: bool, err: Console) -> TranscriptWriter | None:
    """The run's transcript writer: the one a resumed run was started with (name and all), a new one for
    --transcript, or None."""
    if not paths and not resuming:
        return None
    from crossing.errors import CrossingError
    from crossing.render.safe import inert
    from crossing.transcript import TranscriptWriter

    def save_key(saver: Saver = saver) -> tuple[str, str | None] | None:
        return (saver.run_id, saver.created) if saver.run_id is not None else None

    writer = None
    try:
        if resuming and saver.run_id is not None:  # the transcript the run was started with, name and all
            writer = TranscriptWriter.resume(saver.run_id, saver.created, engine, paths=paths or [], name=name,
                                             gentle=gentle, save_key=save_key)
        elif paths:
            writer = TranscriptWriter.start(paths, engine, name=name, gentle=gentle, save_key=save_key)
    except CrossingError as exc:
        fail(inert(str(exc)))
    for notice in writer.notices if writer is not None else ():
        _say(err, notice)
    return writer


def _broken_pipe() -> None:
    raise BrokenPipeError(errno.EPIPE, "the reader of the output went away")


def _saved_message(prefix: str, saver: Saver, path: Path | None) -> str:
    lead = f"\n{prefix}. " if prefix else ""
    if saver.saved:
        # The command on a line of its own, so that no terminal width splits it.
        return f"{lead}Your progress is saved as {saver.run_id}. To continue:\n  {_resume_command(path)}"
    if saver.failed:
        return f"{lead}Your progress could not be saved (see the warning above)."
    if not saver.enabled and saver.unsaved_steps:
        return f"{lead}Not saved: runs from --choices or piped input are saved only with --save."
    return lead.rstrip() or "No choice was made yet, so there is nothing to save."


def _stopped(saver: Saver, engine: Engine, path: Path | None, err: Console, code: int, what: str) -> int:
    """After Ctrl-C, a hang-up, SIGTERM or a vanished terminal: finish the save, say so if anyone can
    still read it (a closed terminal gets no word, and no error either), return the conventional code."""
    from crossing.cli import autosave

    autosave.hold_signals()
    saver.finish(engine, between_steps=False)
    if what:
        _leave(err, _saved_message(what, saver, path))
    else:
        autosave.silence_output()
    return code


@app.command()
def glossary(
    path: Annotated[Path | None, typer.Argument(help=PATH_HELP, show_default=False)] = None,
    plain: Annotated[bool, typer.Option("--plain", help="No colour and no box drawing.")] = False,
    gentle: Annotated[bool, typer.Option("--gentle", help="The definitions written for younger students, where there are.")] = False,
) -> None:
    """Show the glossary of terms a student meets in the story."""
    from crossing.render.scene import glossary as glossary_view

    story = load_or_fail(path)
    console(plain).print(glossary_view(story, wants_plain(plain), gentle=gentle))


@app.command()
def show(
    node: Annotated[str, typer.Argument(help="The id of the scene to show (crossing graph --format tree lists them).", show_default=False)],
    path: Annotated[Path | None, typer.Argument(help=PATH_HELP, show_default=False)] = None,
    gentle: Annotated[bool, typer.Option("--gentle", help="The gentle telling, as younger students see it.")] = False,
    plain: Annotated[bool, typer.Option("--plain", help="No colour and no box drawing.")] = False,
) -> None:
    """Show one scene as a player would see it, every variant of its text labelled with its condition."""
    from crossing.render.preview import preview

    story = load_or_fail(path)
    require_node(story, node, "show")
    console(plain).print(preview(story, story.nodes[node], gentle=gentle, is_plain=wants_plain(plain)))
