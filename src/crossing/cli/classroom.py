"""`crossing report`, `crossing class` and `crossing guide`: Crossing in the classroom."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from crossing.cli.app import PATH_HELP, app, console, fail, load_or_fail, wants_plain
from crossing.cli.reading import from_stdin

if TYPE_CHECKING:
    from crossing.model import Story
    from crossing.serve.live import LiveLesson
    from crossing.transcript import TranscriptWriter


class ReportFormat(StrEnum):
    rich = "rich"
    markdown = "markdown"
    csv = "csv"
    json = "json"


class GuideFormat(StrEnum):
    markdown = "markdown"
    html = "html"


def _blocked_by(output: Path) -> str | None:
    """Why output cannot be a file to write, when the path itself says so: it is a folder, or something
    on the way to it is a file. None when it looks writable (the write itself may still fail)."""
    if output.is_dir():
        return "it is a folder; give the name of a file to write"
    for parent in output.parents:
        if parent.exists() or parent.is_symlink():
            if not parent.is_dir():
                return f"{parent} is not a folder (it is a file)"
            return None
    return None


def _write_or_echo(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    from crossing.atomic import write_atomic

    blocked = _blocked_by(output)
    if blocked is not None:
        fail(f"cannot write {output}: {blocked}")
    try:
        write_atomic(output, text)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")


@app.command()
def report(
    paths: Annotated[list[Path], typer.Argument(help="Transcripts (.json) or folders of them.", show_default=False)],
    story: Annotated[Path | None, typer.Option("--story", help="The story the transcripts come from. " + PATH_HELP, show_default=False)] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="rich (the view in the terminal), or markdown, csv or json to hand on.")] = ReportFormat.rich,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file instead of printing it.")] = None,
    plain: Annotated[bool, typer.Option("--plain", help="No colour and no box drawing.")] = False,
) -> None:
    """Show a class's results from its transcripts: endings reached, how the class split at each decision,
    the odds of random play and the real-world figures. Unfinished runs count as runs, in no ending."""
    from crossing import report as reporting
    from crossing.render.report import report_view, skipped_line

    chosen = load_or_fail(story)
    result = reporting.build_report(chosen, paths)
    err = console(stderr=True)
    for skipped in result.skipped:
        err.print(skipped_line(str(skipped.path), skipped.reason), soft_wrap=True)
    if result.runs == 0:
        count = len(result.skipped)
        why = "the path above was skipped" if count == 1 else f"the {count} paths above were skipped"
        fail(f"no transcript of '{chosen.title}' could be counted ({why}), so there is no report. "
             "Give the .json transcripts the students wrote, or the folder they are in.")
    fmt = ReportFormat.json if as_json else format
    if output is not None and fmt is ReportFormat.rich:
        # A file gets the format its name asks for (results.md, results.csv, results.json).
        fmt = {".md": ReportFormat.markdown, ".csv": ReportFormat.csv, ".json": ReportFormat.json}.get(output.suffix.lower(), fmt)
    if fmt is ReportFormat.json:
        _write_or_echo(reporting.to_json(result), output)
    elif fmt is ReportFormat.csv:
        _write_or_echo(reporting.to_csv(result), output)
    elif fmt is ReportFormat.markdown:
        _write_or_echo(reporting.to_markdown(result), output)
    elif output is not None:
        fail("--output needs --format markdown, csv or json (or a file name ending in .md, .csv or .json)", 2)
    else:
        # crop=False: a URL longer than the terminal stays whole (the terminal wraps it), see render.report
        console(plain).print(report_view(result, wants_plain(plain)), crop=False)


@app.command("class")
def class_mode(
    path: Annotated[Path | None, typer.Argument(help=PATH_HELP, show_default=False)] = None,
    seed: Annotated[int | None, typer.Option(help="Seed for every random draw: the same seed and votes give the same run.")] = None,
    transcript: Annotated[Path | None, typer.Option(help="Keep the class transcript, with the votes, in this file (.json or .md).")] = None,
    name: Annotated[str | None, typer.Option(help="A name for the class to put in the transcript, e.g. 10B.")] = None,
    plain: Annotated[bool, typer.Option("--plain", help="No colour and no box drawing. NO_COLOR does the same.")] = False,
    gentle: Annotated[bool, typer.Option("--gentle", help="Tell scenes with content warnings without the details (younger students).")] = False,
    live: Annotated[bool, typer.Option("--live", help="Students vote from their own devices (browser); the projector shows the tally.")] = False,
    lan: Annotated[bool, typer.Option("--lan", help="With --live: listen on this computer's network address so devices can join.")] = False,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="With --live: the port to listen on (0 picks a free one).")] = 8765,
    join_code: Annotated[str | None, typer.Option("--join-code", help="With --live: the code students type (default: a fresh one).", show_default=False)] = None,
) -> None:
    """Play a story with a whole class on a projector: one scene at a time, a vote on each choice."""
    import secrets

    from crossing.diagnostics import CrossingError
    from crossing.engine import Engine
    from crossing.render.classroom import ClassOptions, run_class
    from crossing.transcript import TranscriptWriter

    chosen = load_or_fail(path)
    is_plain = wants_plain(plain)
    out = console(is_plain)
    run_seed = seed if seed is not None else secrets.randbelow(2**31)
    engine = Engine(chosen, run_seed)
    writer: TranscriptWriter | None = None
    lesson: LiveLesson | None = None
    try:
        writer = TranscriptWriter.start(transcript, engine, name=name, gentle=gentle, mode="class") if transcript else None
        read = from_stdin(out)
        if live:
            from crossing.cli.serve import start_live

            lesson = start_live(chosen, out, lan=lan, port=port, join_code=join_code, gentle=gentle, is_plain=is_plain)
            read = lesson.read
        outcome = run_class(engine, out, read, ClassOptions(gentle=gentle, plain=is_plain), writer,
                            votes=lesson.votes if lesson is not None else None)
    except KeyboardInterrupt:
        console(stderr=True).print(f"\nStopped (seed {run_seed}). {_kept(transcript, writer)}", markup=False, highlight=False,
                                   soft_wrap=True)
        raise typer.Exit(130) from None
    except CrossingError as exc:
        fail(str(exc))
    finally:
        if lesson is not None:
            lesson.stop()
    if outcome != "ending":
        out.print(f"\nThe lesson stopped before an ending (seed {run_seed}).", soft_wrap=True)
        if transcript is not None:
            out.print(_kept(transcript, writer), markup=False, highlight=False, soft_wrap=True)


def _kept(transcript: Path | None, writer: TranscriptWriter | None) -> str:
    """Whether a stopped lesson left a class transcript, and where."""
    if transcript is None:
        return "No class transcript was kept (add --transcript FILE to keep one next time)."
    if writer is None or not transcript.exists():
        return f"No class transcript was written to {transcript}: the lesson stopped before it began."
    return f"The transcript so far is in {transcript} (marked unfinished)."


def map_svg(story: Story) -> str | None:
    """The story's routes as an SVG map for the HTML guide; None when the story declares no places."""
    if not story.places:
        return None
    from crossing import geo
    from crossing.journeys import story_routes

    return geo.svg_map(geo.load_region(), list(story.places.values()), story_routes(story), title=f"Routes in {story.title}")


@app.command()
def guide(
    path: Annotated[Path | None, typer.Argument(help=PATH_HELP, show_default=False)] = None,
    format: Annotated[GuideFormat, typer.Option("--format", "-f", help="markdown, or html (a printable page).")] = GuideFormat.markdown,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the guide to this file instead of printing it.")] = None,
    no_map: Annotated[bool, typer.Option("--no-map", help="Leave the route map out of the HTML guide.")] = False,
) -> None:
    """Write a teacher's guide to a story: routes, a 45-minute lesson, debrief questions, content
    warnings by scene, every fact with its source, and the glossary."""
    from crossing.guide import guide as make_guide

    chosen = load_or_fail(path)
    svg = map_svg(chosen) if format is GuideFormat.html and not no_map else None
    _write_or_echo(make_guide(chosen, format.value, svg), output)
    if output is not None:
        console(stderr=True).print(f"Wrote the teacher's guide to {output}", markup=False, highlight=False)
