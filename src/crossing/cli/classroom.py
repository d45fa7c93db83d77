"""`crossing class`: a lesson on a projector, one scene at a time, the class voting at each choice."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from crossing.cli.common import PATH_HELP, app, console, fail, load_or_fail, wants_plain
from crossing.cli.reading import from_stdin

if TYPE_CHECKING:
    from rich.console import Console

    from crossing.engine import Engine
    from crossing.model import Story
    from crossing.serve.live import LiveLesson
    from crossing.transcript import Transcript, TranscriptWriter


@app.command("class")
def class_mode(
    path: Annotated[Path | None, typer.Argument(help=PATH_HELP, show_default=False)] = None,
    seed: Annotated[int | None, typer.Option(help="Seed for every random draw: the same seed and votes give the same run.")] = None,
    transcript: Annotated[list[Path] | None, typer.Option(help="Keep the class transcript, with the votes, in this file: .json (for `crossing report`) or .md (to read); give it twice for both. An existing file is never overwritten.")] = None,
    name: Annotated[str | None, typer.Option(help="A name for the class to put in the transcript, e.g. 10B.")] = None,
    plain: Annotated[bool, typer.Option("--plain", help="No colour and no box drawing. NO_COLOR does the same.")] = False,
    gentle: Annotated[bool, typer.Option("--gentle", help="Tell scenes with content warnings without the details (younger students).")] = False,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the last lesson of this story where it stopped, votes, transcript and all.")] = False,
    start: Annotated[str | None, typer.Option("--from", help="Start the lesson at this scene (its id, e.g. one character's first scene); variables start at their starting values.", show_default=False)] = None,
    live: Annotated[bool, typer.Option("--live", help="Students vote from their own devices (browser); the projector shows the tally.")] = False,
    lan: Annotated[bool, typer.Option("--lan", help="With --live: listen on this computer's network address so devices can join.")] = False,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="With --live: the port to listen on (0 picks a free one).")] = 8765,
    join_code: Annotated[str | None, typer.Option("--join-code", help="With --live: the code students type (default: a fresh one).", show_default=False)] = None,
) -> None:
    """Play a story with a whole class on a projector: each scene in steps that fit the screen (the text,
    then the risk and facts, then the choices and a vote); b goes back, q ends the lesson."""
    from crossing.diagnostics import CrossingError
    from crossing.render.classroom import ClassOptions, run_class

    chosen = load_or_fail(path)
    is_plain = wants_plain(plain)
    out = console(is_plain)
    err = console(stderr=True)
    if resume and (seed is not None or start is not None):
        fail("--seed and --from cannot be used with --resume: a resumed lesson goes on from where it stopped", 2)
    keeping = _keep_lesson(resume, err)
    if resume:
        engine, gentle, writer, lesson_transcript = _resumed(chosen, gentle, err)
    else:
        engine, writer, lesson_transcript = _fresh(chosen, seed, start, list(transcript or []), name, gentle)
    if writer is not None:
        for notice in writer.notices:
            err.print(notice, markup=False, highlight=False, soft_wrap=True)
    files = writer.paths if writer is not None else []

    def keep(engine: Engine, kept_transcript: Transcript) -> None:
        from crossing.lesson import save_lesson

        if not keeping:
            return
        with contextlib.suppress(OSError):  # the lesson goes on; only --resume would miss it
            save_lesson(chosen, engine, kept_transcript, files)

    run_seed = engine.state.seed
    lesson: LiveLesson | None = None
    try:
        read = from_stdin(out)
        if live:
            from crossing.cli.serve import start_live

            lesson = start_live(chosen, out, lan=lan, port=port, join_code=join_code, gentle=gentle, is_plain=is_plain)
            read = lesson.read
        outcome = run_class(engine, out, read, ClassOptions(gentle=gentle, plain=is_plain), writer, on_change=keep,
                            show_title=not resume, transcript=lesson_transcript,
                            votes=lesson.votes if lesson is not None else None)
    except KeyboardInterrupt:
        keep(engine, writer.transcript if writer is not None else lesson_transcript)
        err.print(f"\nStopped (seed {run_seed}). {_kept(files)} `crossing class --resume` continues the lesson.",
                  markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(130) from None
    except CrossingError as exc:
        fail(str(exc))
    finally:
        if lesson is not None:
            lesson.stop()
    if outcome != "ending":
        out.print(f"\nThe lesson stopped before an ending (seed {run_seed}). `crossing class --resume` continues it.", soft_wrap=True,
                  markup=False, highlight=False)
        if transcript is not None or files:
            out.print(_kept(files), markup=False, highlight=False, soft_wrap=True)


def _keep_lesson(resume: bool, err: Console) -> bool:
    """Whether this lesson is kept for --resume: one lesson kept at a time; a second window may run a
    lesson, but only one is kept."""
    from crossing.lesson import lesson_file
    from crossing.locking import RunLock
    from crossing.persistence import SaveError

    try:
        lock = RunLock(lesson_file())
        lesson_file().parent.mkdir(parents=True, exist_ok=True)
        keeping = lock.acquire()
    except OSError:
        keeping = False
    except SaveError as exc:  # no home folder (a container user): no lesson can be kept or resumed
        if resume:
            fail(str(exc))
        keeping = False
    if resume and not keeping:
        fail("the last lesson is open in another Crossing window or terminal; go on there, or start a new lesson "
             "with `crossing class`")
    if not keeping:
        err.print("Another lesson is running in another window: this one is not kept for --resume.",
                  markup=False, highlight=False, soft_wrap=True)
    return keeping


def _resumed(chosen: Story, gentle: bool, err: Console) -> tuple[Engine, bool, TranscriptWriter | None, Transcript]:
    """The last lesson of the story, as kept: its engine, whether it is told gently, its writer and transcript."""
    from crossing.diagnostics import CrossingError
    from crossing.lesson import load_lesson
    from crossing.transcript import TranscriptWriter

    kept = load_lesson(chosen)
    if isinstance(kept, str):
        fail(f"there is no lesson of '{chosen.title}' to resume: {kept}. Start one with `crossing class`.")
    engine = kept.engine
    gentle = gentle or kept.transcript.gentle
    try:
        writer = TranscriptWriter(kept.paths, kept.transcript) if kept.paths else None
    except CrossingError as exc:
        fail(str(exc))
    taken = len(engine.state.history)
    which = [f"class {kept.transcript.name}"] if kept.transcript.name else []
    if kept.transcript.started:
        which.append(f"started {kept.transcript.started[:16].replace('T', ' ')}")
    called = f" ({', '.join(which)})" if which else ""
    err.print(f"Resuming the last lesson of '{chosen.title}'{called}, {taken} vote{'' if taken == 1 else 's'} in.",
              markup=False, highlight=False, soft_wrap=True)
    return engine, gentle, writer, kept.transcript


def _fresh(chosen: Story, seed: int | None, start: str | None, paths: list[Path], name: str | None,
           gentle: bool) -> tuple[Engine, TranscriptWriter | None, Transcript]:
    """A new lesson: its engine (at the start, or --from a scene), its writer (with --transcript) and transcript."""
    import secrets

    from crossing.diagnostics import CrossingError
    from crossing.engine import Engine, RunState, initial_variables
    from crossing.transcript import Transcript, TranscriptWriter

    run_seed = seed if seed is not None else secrets.randbelow(2**31)
    if start is not None:
        if start not in chosen.nodes:
            fail(f"there is no scene '{start}' in '{chosen.title}' (`crossing validate` lists none; the ids are the keys under nodes:)", 2)
        engine = Engine(chosen, run_seed, RunState(start, initial_variables(chosen), [start], run_seed))
    else:
        engine = Engine(chosen, run_seed)
    writer: TranscriptWriter | None = None
    try:
        writer = TranscriptWriter.start(paths, engine, name=name, gentle=gentle, mode="class") if paths else None
    except CrossingError as exc:
        fail(str(exc))
    lesson_transcript = writer.transcript if writer is not None else Transcript.begin(
        chosen, run_seed, name=name, gentle=gentle, mode="class")
    return engine, writer, lesson_transcript


def _kept(files: list[Path]) -> str:
    """Whether a stopped lesson left a class transcript, and where."""
    if not files:
        return "No class transcript was kept (add --transcript FILE to keep one next time)."
    return f"The transcript so far is in {', '.join(str(f) for f in files)} (marked unfinished)."
