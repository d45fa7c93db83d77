"""`crossing report`: a class's results from its transcripts."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from crossing.cli.common import PATH_HELP, app, console, fail, load_or_fail, wants_plain
from crossing.cli.output import write_or_echo


class ReportFormat(StrEnum):
    rich = "rich"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    html = "html"
    text = "text"


BY_SUFFIX = {".md": ReportFormat.markdown, ".markdown": ReportFormat.markdown, ".csv": ReportFormat.csv,
             ".json": ReportFormat.json, ".html": ReportFormat.html, ".htm": ReportFormat.html, ".txt": ReportFormat.text}


def _text(result: object, plain: bool, width: int = 100) -> str:
    """The rich view as plain text (no colour, no box drawing), for a .txt file."""
    import io

    from rich.console import Console

    from crossing.render.report import report_view
    from crossing.render.theme import crossing_theme

    buffer = io.StringIO()
    out = Console(file=buffer, width=width, no_color=True, color_system=None, theme=crossing_theme(), markup=False,
                  highlight=False, emoji=False, safe_box=True, force_terminal=False)
    out.print(report_view(result, is_plain=True, list_skipped=True), crop=False)  # type: ignore[arg-type]
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


@app.command()
def report(
    paths: Annotated[list[Path], typer.Argument(help="Transcripts (.json) or folders of them.", show_default=False)],
    story: Annotated[Path | None, typer.Option("--story", help="The story the transcripts come from. " + PATH_HELP, show_default=False)] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="rich (the view in the terminal), or markdown, csv (one row per student), json, html (a printable page with charts) or text to hand on.")] = ReportFormat.rich,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file; its extension picks the format (.md, .csv, .json, .html, .txt).")] = None,
    plain: Annotated[bool, typer.Option("--plain", help="No colour and no box drawing.")] = False,
) -> None:
    """Show a class's results from its transcripts: who played and how far, the endings reached with their
    questions, how the class split at each decision, the odds of random play and the real-world figures.
    Unfinished runs count as runs, in no ending; copies of one run count once."""
    from crossing import report as reporting
    from crossing.render.report import skipped_line

    chosen = load_or_fail(story)
    result = reporting.build_report(chosen, paths)
    err = console(stderr=True)
    for skipped in result.skipped:
        err.print(skipped_line(skipped.path, skipped.reason), soft_wrap=True)
    if result.runs == 0:
        count = len(result.skipped)
        why = "the path above was skipped" if count == 1 else f"the {count} paths above were skipped"
        note = reporting.formats.other_stories_note(result)
        fail(f"no transcript of '{chosen.title}' could be counted ({why}), so there is no report. "
             + (note or "Give the .json transcripts the students wrote, or the folder they are in."))
    fmt = ReportFormat.json if as_json else format
    if output is not None and fmt is ReportFormat.rich:
        # A file gets the format its name asks for (results.md, .csv, .json, .html, .txt).
        picked = BY_SUFFIX.get(output.suffix.lower())
        if picked is None:
            fail(f"--output {output.name}: give a file name ending in .md, .csv, .json, .html or .txt, or --format", 2)
        fmt = picked
    note = reporting.formats.other_stories_note(result)
    if note and (output is not None or fmt is not ReportFormat.rich):
        err.print(note, markup=False, highlight=False, soft_wrap=True)
    if fmt is ReportFormat.json:
        write_or_echo(reporting.to_json(result), output)
    elif fmt is ReportFormat.csv:
        write_or_echo(reporting.to_csv(result), output)
    elif fmt is ReportFormat.markdown:
        write_or_echo(reporting.to_markdown(result), output)
    elif fmt is ReportFormat.html:
        write_or_echo(reporting.to_html(result), output)
    elif fmt is ReportFormat.text or output is not None:
        write_or_echo(_text(result, True), output)
    else:
        from crossing.render.report import report_view

        # crop=False: a URL longer than the terminal stays whole (the terminal wraps it), see render.report
        console(plain).print(report_view(result, wants_plain(plain)), crop=False)
    if output is not None:
        from crossing.render.safe import inert

        students = len(result.students)
        lessons = f" and {len(result.lessons)} class lesson{'' if len(result.lessons) == 1 else 's'}" if result.lessons else ""
        err.print(f"Wrote the class report ({fmt.value}, {students} student{'' if students == 1 else 's'}{lessons}) to {inert(str(output))}",
                  markup=False, highlight=False, soft_wrap=True)
