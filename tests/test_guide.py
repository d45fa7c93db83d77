"""`crossing guide`: a teacher's guide with every source and every ending, in Markdown and printable HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crossing.cli import app
from crossing.guide import RunLengths, guide, routes_in_order
from crossing.model import Story
from crossing.validation import validate_path
from helpers import run_crossing, write_story

CLASSROOM = Path(__file__).parent / "stories" / "classroom"
runner = CliRunner()


def load(path: Path = CLASSROOM) -> Story:
    result = validate_path(path)
    assert result.story is not None and not result.errors, result.errors
    return result.story


HOSTILE_META = """\
title: "Escape <script>alert(1)</script> & run"
start: start
description: "A <b>test</b> & more"
sources:
  evil:
    title: "Report <img src=x onerror=alert(1)>"
    publisher: "Watch & <i>Co</i>"
    year: 2021
    url: "javascript:alert(1)"
  good:
    title: "Plain report"
    publisher: "NGO"
    year: 2019
    url: "https://example.org/report?a=1&b=2"
glossary:
  "<term>": "A <definition> & more"
"""

HOSTILE_NODES = """\
nodes:
  start:
    title: "Start <here>"
    text: "Text with <tags> & ampersands."
    content_warnings: [death]
    facts:
      - claim: "A claim with <angle> brackets."
        source: evil
    choices:
      - text: "Go <left>"
        goto: end
      - text: "Go right"
        goto: end
  end:
    text: "The end."
    facts:
      - claim: "Numbers: 3 < 4."
        source: good
    ending:
      kind: safety
      title: "Safe </h3> at last"
      debrief:
        why: "Because <reasons>."
        context: "Context & more."
        questions:
          - "Why <this>?"
"""


def hostile(tmp_path: Path) -> Story:
    return load(write_story(tmp_path / "hostile", {"story.yaml": HOSTILE_META, "nodes.yaml": HOSTILE_NODES}))


def test_markdown_guide_has_every_source_ending_and_question() -> None:
    story = load()
    text = guide(story, "markdown")
    for source in story.sources.values():
        assert f"{source.publisher}, *{source.title}*, {source.year}" in text
        if source.url:
            assert f"<{source.url}>" in text
    for node in story.endings():
        assert node.ending is not None and node.ending.debrief is not None
        assert f"#### {node.ending.title} (" in text
        for question in node.ending.debrief.questions:
            assert question in text
    appendix = text[text.index("## Appendix"):]
    for node in story.nodes.values():
        for fact in node.facts:
            assert fact.claim in appendix
    for heading in ("## Overview", "## The routes", "## A lesson plan", "## Starter questions", "## Content warnings",
                    "## Students with a personal connection", "## Debrief questions",
                    "## Appendix: facts, sources, glossary, scenes", "### Sources", "### Glossary"):
        assert f"\n{heading}\n" in text
    assert "**broker**: A person paid to guide someone across a border" in text


def test_lesson_plan_is_built_from_measured_run_lengths() -> None:
    story = load()
    short = RunLengths(500, 6.0, 9.0, 3.0, 5.0, {})
    text = guide(story, "markdown", lengths=short)
    lesson = text[text.index("## A lesson plan"):text.index("## Starter questions")]
    assert "Measured over 500 random runs" in lesson and "about 6 minutes over 3 decisions" in lesson
    assert "### One lesson, 45 or 50 minutes" in lesson
    assert "crossing report transcripts/" in lesson and "ALIAS-2.json" in lesson
    assert "scenes of violence" in lesson and "`--gentle`" in lesson
    long = RunLengths(500, 30.0, 45.0, 32.0, 40.0, {})
    lesson = guide(story, "markdown", lengths=long)
    assert "### Two lessons, or one character a lesson" in lesson and "crossing play --resume" in lesson
    assert "`--from SCENE`" in lesson


@pytest.mark.parametrize("long", [False, True])
def test_lesson_plan_has_50_minutes_start_up_a_projector_variant_and_a_readable_transcript(long: bool) -> None:
    lengths = RunLengths(500, 30.0, 45.0, 32.0, 40.0, {}) if long else RunLengths(500, 6.0, 9.0, 3.0, 5.0, {})
    text = guide(load(), "markdown", lengths=lengths)
    lesson = " ".join(text[text.index("## A lesson plan"):text.index("## Starter questions")].split())
    assert "50 minutes in brackets" in lesson and "(45-50)" in lesson, "a 50-minute version"
    assert "0-5 min (0-5): Start up: students log in and open a terminal" in lesson, "time to start up"
    assert "--transcript transcripts/ALIAS.json --transcript transcripts/ALIAS.md`" in lesson
    assert "`transcripts/ALIAS.md`" in lesson, "the fact and its source come from the readable transcript"
    assert "### On the projector, as a class" in lesson and "`crossing class --name 10B" in lesson
    assert "`crossing class --resume`" in lesson


def test_the_guides_own_commands_are_code_never_raw_backticks() -> None:
    story = load()
    markdown = guide(story, "markdown", measure=False)
    assert "`--gentle` tells the hardest scenes" in markdown and "\\`" not in markdown
    assert "`crossing report` lists the endings" in markdown
    page = guide(story, "html", measure=False)
    assert "<code>--gentle</code> tells the hardest scenes" in page
    assert "<code>crossing report</code> lists the endings" in page
    assert "<code>crossing stats</code> measures it" in page
    assert "`" not in re.sub(r"<style>.*?</style>", "", page, flags=re.DOTALL), "no raw backtick on the page"


def test_starter_questions_cover_return_trafficking_non_refoulement_and_resettlement() -> None:
    text = guide(load(), "markdown", measure=False)
    starters = text[text.index("## Starter questions"):text.index("## Content warnings")]
    for topic in ("Forced return", "Trafficking", "Non-refoulement", "Resettlement"):
        assert f"**{topic}:**" in starters
    assert "What happens to people who are sent back?" in starters, "the story's own question where it has one"


def test_personal_connection_guidance_never_asks_students_to_share() -> None:
    text = guide(load(), "markdown", measure=False)
    part = text[text.index("## Students with a personal connection"):text.index("## Debrief questions")]
    assert "Korean heritage" in part and "refugee" in part and "support staff" in part
    assert "Never ask a student to share their own or their family's experiences" in part


def test_routes_group_scenes_with_their_decisions_and_endings() -> None:
    story = load()
    groups = {title: [n.id for n in nodes] for _, title, _, nodes in routes_in_order(story)}
    assert groups == {
        "Across the river": ["river-bank", "far-bank"],
        "Over the mountains": ["mountain-pass", "ridge", "mountain-safe"],
        "Other scenes": ["home", "stayed", "caught"],
    }
    assert [n.id for n in story.reading_order()][:3] == ["home", "river-bank", "mountain-pass"]
    text = guide(story, "markdown", measure=False)
    river = text[text.index("### Across the river"):text.index("### Over the mountains")]
    assert "**Endings:** Across the river (Reached safety)." in river
    teacher = text[:text.index("## Appendix")]
    for node in story.nodes.values():
        for choice in node.choices:
            assert teacher.count(choice.text) <= 1, f"the choice '{choice.text}' is listed twice"


def test_content_warnings_by_scene() -> None:
    text = guide(load(), "markdown", measure=False)
    assert "| The riverbank (river-bank) | violence; gentler telling | The water is low. A guard walks past with a rifle. |" in text
    appendix = text[text.index("## Appendix"):]
    assert "#### The riverbank (violence)\n\nThe water is low. A guard walks past with a rifle." in appendix


def test_html_guide_is_self_contained_printable_and_complete() -> None:
    story = load()
    page = guide(story, "html")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "@media print" in page and "@page" in page
    assert not re.search(r"<(script|link|img|iframe)\b", page), "no scripts or external assets"
    assert not re.search(r"\bsrc=", page) and "@import" not in page and "url(" not in page
    for source in story.sources.values():
        assert f"{source.publisher}, <em>{source.title}</em>, {source.year}" in page
        if source.url:
            assert f'<a href="{source.url}">{source.url}</a>' in page
    for node in story.endings():
        assert node.ending is not None
        assert f"<h4>{node.ending.title} (" in page
    assert '<nav class="toc">' in page and '<div class="page-break"></div>\n<h2 id="appendix">' in page
    checker = _TagBalance()
    checker.feed(page)
    assert checker.problems == [] and checker.open == []


def test_html_escapes_everything_the_story_says(tmp_path: Path) -> None:
    page = guide(hostile(tmp_path), "html")
    assert "<script" not in page and "<img" not in page and "<tags>" not in page and "<b>test" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; run" in page
    assert "<td>Start &lt;here&gt; (start)</td>" in page
    assert "A claim with &lt;angle&gt; brackets." in page
    assert "Numbers: 3 &lt; 4." in page
    assert "<h4>Safe &lt;/h3&gt; at last (" in page
    assert "Why &lt;this&gt;?" in page
    assert "<dt>&lt;term&gt;</dt><dd>A &lt;definition&gt; &amp; more</dd>" in page
    # a web link is a link (with & escaped); a javascript: URL is shown as text, never linked
    assert '<a href="https://example.org/report?a=1&amp;b=2">' in page
    assert 'href="javascript' not in page and "javascript:alert(1)" in page
    checker = _TagBalance()
    checker.feed(page)
    assert checker.problems == [] and checker.open == []


def test_markdown_escapes_story_markup(tmp_path: Path) -> None:
    text = guide(hostile(tmp_path), "markdown")
    assert "# Teacher's guide: Escape \\<script\\>alert(1)\\</script\\> & run" in text
    assert "javascript:alert(1)" in text and "<javascript" not in text
    assert "<https://example.org/report?a=1&b=2>" in text


def test_a_story_without_routes_warnings_or_glossary(tmp_path: Path) -> None:
    root = write_story(tmp_path / "bare", {
        "story.yaml": "title: Bare\nstart: a\n",
        "a.yaml": "nodes:\n  a:\n    text: Go.\n    choices:\n      - text: Onward\n        goto: b\n  b:\n    text: End.\n    ending: {kind: stayed}\n",
    })
    text = guide(load(root), "markdown")
    assert "No scene in this story carries a content warning." in text
    assert "## Glossary" not in text
    assert "The story lists no sources." in text and "The story cites no facts." in text


def test_guide_command_writes_markdown_and_html(tmp_path: Path) -> None:
    out = tmp_path / "guide.html"
    result = runner.invoke(app, ["guide", str(CLASSROOM), "--format", "html", "--output", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<figure class="map"><svg' in page, "the story has places, so the routes are drawn"
    assert "Across the river" in page[page.index('<figure class="map">'):page.index("</figure>")]
    without = runner.invoke(app, ["guide", str(CLASSROOM), "--format", "html", "--no-map"])
    assert "<svg" not in without.stdout
    md = run_crossing("guide", str(CLASSROOM))
    assert md.returncode == 0, md.stderr
    assert md.stdout.startswith("# Teacher's guide: Classroom crossing\n")
    assert "<svg" not in md.stdout


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_guide_of_a_broken_story_fails_cleanly(tmp_path: Path, fmt: str) -> None:
    root = write_story(tmp_path / "broken", {"story.yaml": "title: B\nstart: nowhere\n"})
    result = runner.invoke(app, ["guide", str(root), "--format", fmt])
    assert result.exit_code == 1
    assert "has errors" in result.stderr


class _TagBalance(HTMLParser):
    """Every element opened is closed, in order (void elements aside)."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "circle", "line", "polyline", "rect", "path"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1] if self.open else 'nothing'}")
            return
        self.open.pop()
