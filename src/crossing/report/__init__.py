"""`crossing report`: a class's results from its transcripts.

- ``files``: reading only regular files, bounded, folders walked iteratively;
- ``reading``: which files are transcripts of this story, each run once, every other file named with why;
- ``counting``: the roster, endings, decisions in story order, random odds;
- ``formats``: markdown, csv, json, html and plain text (the rich view is in crossing.render.report).

Pure core: no Rich, no Typer.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from crossing.model import Story
from crossing.report import formats
from crossing.report.counting import (
    ChoiceCount,
    CitedFact,
    ClassReport,
    Decision,
    EndingRow,
    RandomPlay,
    Skipped,
    Student,
    aggregate,
    percent,
    random_play,
)
from crossing.report.formats import to_csv, to_dict, to_html, to_json, to_markdown
from crossing.report.reading import check_against, json_problem, load_transcripts, transcript_files


def build_report(story: Story, paths: Iterable[Path], *, with_odds: bool = True) -> ClassReport:
    transcripts, skipped, others, files = load_transcripts(paths, story)
    odds = random_play(story) if with_odds and transcripts else None
    return aggregate(story, transcripts, skipped, odds, others, files)


__all__ = [
    "ChoiceCount",
    "CitedFact",
    "ClassReport",
    "Decision",
    "EndingRow",
    "RandomPlay",
    "Skipped",
    "Student",
    "aggregate",
    "build_report",
    "check_against",
    "formats",
    "json_problem",
    "load_transcripts",
    "percent",
    "random_play",
    "to_csv",
    "to_dict",
    "to_html",
    "to_json",
    "to_markdown",
    "transcript_files",
]
