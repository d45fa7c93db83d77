"""The class report as Rich renderables: bar charts of endings, ending kinds and each decision's split.

Each chart is a table where the terminal is wide enough for one, and a stack of lines where it is not
(a phone-sized or split terminal): every name and choice stays whole and wraps, nothing is cut to '…'.
URLs are printed on a line of their own and never broken (print with ``crop=False`` to keep a URL
longer than the terminal whole, for the terminal to wrap and a click or a copy to find it all).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text

from crossing.render.charts import bar
from crossing.render.safe import inert, literal
from crossing.report import ClassReport, Decision, percent
from crossing.report.formats import lessons_note, other_stories_note, route_groups, route_heading, summary_line
from crossing.textsafety import plural
from crossing.transcript.text import safe_url

BAR_WIDTH = 20
# Below this many columns the charts are stacked lines rather than tables.
NARROW = 60
# The least room a table leaves its text column before the stacked layout reads better.
MIN_TEXT = 24


class Responsive:
    """One of two layouts, picked by the width there is to draw in (after any margins)."""

    def __init__(self, wide: Callable[[int], RenderableType], narrow: Callable[[int], RenderableType],
                 needs: int = NARROW) -> None:
        self.wide, self.narrow, self.needs = wide, narrow, needs

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        yield self.wide(width) if width >= self.needs else self.narrow(width)


def _heading(text: str, is_plain: bool) -> Text:
    return Text(text, style="" if is_plain else "crossing.heading")


def _table(is_plain: bool) -> Table:
    if is_plain:
        table = Table(box=None, show_edge=False, pad_edge=False, padding=(0, 2, 0, 0), expand=True)
    else:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    return table


def _indent(renderable: RenderableType, cells: int) -> RenderableType:
    return Padding(renderable, (0, 0, 0, cells))


def _bar_line(count: int, share: float, is_plain: bool, room: int, extra: str = "") -> Text:
    """'12 runs ████ 40%' (and any extra), the bar as long as the room allows, up to BAR_WIDTH."""
    lead, tail = f"{plural(count, 'run')} ", f"{percent(share, reached=count > 0)}{extra}"
    drawn = bar(share, is_plain, max(4, min(BAR_WIDTH, room - len(lead) - len(tail) - 1)))
    return Text.assemble(lead, drawn, " " if drawn.plain else "", tail)


def report_view(report: ClassReport, is_plain: bool = False, *, list_skipped: bool = False) -> RenderableType:
    """The whole report; ``list_skipped`` adds the files not counted at the end (a file has no stderr)."""
    parts: list[RenderableType] = []
    title = Text("Class report: ", style="crossing.title")
    title.append_text(literal(report.story_title, "crossing.title"))
    if report.story_version:
        title.append_text(literal(f" (version {report.story_version})"))
    parts.append(title)
    summary = Text(summary_line(report)[:-1] + " (stopped before an ending; counted in no ending).")
    if report.skipped:
        summary.append(f" {len(report.skipped)} file{'s' if len(report.skipped) != 1 else ''} not counted (see the warnings).")
    parts.append(summary)
    lessons = lessons_note(report)
    if lessons:
        parts.append(literal(lessons, "crossing.hint"))
    parts.append(Text(""))
    note = other_stories_note(report)
    if report.runs == 0:
        parts.append(Text("No transcript of this story was found, so there is nothing to count yet.", style="crossing.hint"))
        if note:
            parts.append(literal(note, "crossing.hint"))
        return Group(*parts)
    parts.extend([roster_view(report, is_plain), Text("")])
    parts.extend([endings_view(report, is_plain), Text(""), questions_view(report, is_plain), Text(""),
                  kinds_view(report, is_plain), Text("")])
    parts.extend([decisions_view(report, is_plain), Text(""), facts_view(report, is_plain)])
    if note:
        parts.extend([Text(""), literal(note, "crossing.hint")])
    if list_skipped and report.skipped:
        parts.extend([Text(""), _heading("Files not counted", is_plain)])
        parts.extend(literal(f"- {s.path}: {s.reason}") for s in report.skipped)
    return Group(*parts)


def _minutes(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def roster_view(report: ClassReport, is_plain: bool) -> RenderableType:
    def wide(width: int) -> RenderableType:
        table = _table(is_plain)
        table.add_column("Name", ratio=2)
        table.add_column("File", overflow="fold", min_width=min(24, max((len(s.file) for s in report.students), default=4)))
        table.add_column("Finished", no_wrap=True)
        table.add_column("Ending", ratio=3)
        table.add_column("Decisions", justify="right", no_wrap=True)
        table.add_column("Minutes", justify="right", no_wrap=True)
        for s in report.students:
            table.add_row(literal(s.name or "(no name)"), literal(s.file, "crossing.hint"), "yes" if s.finished else "no", literal(s.ending or ""),
                          str(s.decisions), _minutes(s.minutes))
        return table

    def narrow(width: int) -> RenderableType:
        lines: list[RenderableType] = []
        for s in report.students:
            name = literal(s.name or "(no name)", "crossing.title")
            if s.file:
                name.append_text(literal(f"  {s.file}", "crossing.hint"))
            lines.append(name)
            done = f"ending: {s.ending}" if s.finished and s.ending else "unfinished"
            mins = f", {_minutes(s.minutes)} min" if s.minutes is not None else ""
            lines.append(_indent(literal(f"{done}; {s.decisions} decisions{mins}"), 2))
        return Group(*lines)

    return Group(_heading("Students", is_plain), Responsive(wide, narrow, max(NARROW, 80)))


def questions_view(report: ClassReport, is_plain: bool) -> RenderableType:
    parts: list[RenderableType] = [_heading("Questions to discuss (endings reached)", is_plain)]
    for row in report.reached:
        parts.append(literal(row.title, "crossing.title"))
        if not row.questions:
            parts.append(_indent(Text("This ending has no questions.", style="crossing.hint"), 2))
        for n, question in enumerate(row.questions, 1):
            grid = Table.grid()
            grid.add_column(no_wrap=True)
            grid.add_column()
            grid.add_row(f"  {n}. ", literal(question))
            parts.append(grid)
    return Group(*parts)


def _odds_head(report: ClassReport) -> str:
    assert report.random_play is not None
    return "Random play" if report.random_play.exact else "Random play (est.)"


def endings_view(report: ClassReport, is_plain: bool) -> RenderableType:
    # the endings reached, most-reached first (ties keep the story's order), so the class's main outcomes lead
    rows = report.reached

    def wide(width: int) -> RenderableType:
        table = _table(is_plain)
        table.add_column("Ending", ratio=3)
        table.add_column("Runs", justify="right", no_wrap=True)
        table.add_column("Class", no_wrap=True, min_width=26)
        if report.random_play is not None:
            table.add_column(_odds_head(report), justify="right", no_wrap=True)
        for row in rows:
            share = report.share(row.count)
            label = literal(row.title)
            label.append_text(literal(f"\n{row.kind_label}", "crossing.hint"))
            cells: list[RenderableType] = [label, str(row.count), Text.assemble(bar(share, is_plain, BAR_WIDTH), f" {percent(share, reached=True)}")]
            if row.random_play is not None:
                cells.append(percent(row.random_play, reached=True))
            table.add_row(*cells)
        return table

    def narrow(width: int) -> RenderableType:
        lines: list[RenderableType] = []
        for row in rows:
            share = report.share(row.count)
            lines.append(literal(row.title, "crossing.title"))
            details: list[RenderableType] = [literal(row.kind_label, "crossing.hint"), _bar_line(row.count, share, is_plain, width - 2)]
            if row.random_play is not None:
                details.append(Text(f"{_odds_head(report)}: {percent(row.random_play, reached=True)}"))
            lines.append(_indent(Group(*details), 2))
        return Group(*lines)

    needs = 26 + 4 + 3 * 2 + MIN_TEXT + (len(_odds_head(report)) + 2 if report.random_play is not None else 0)
    unreached = len(report.endings) - len(rows)
    note = Text("Class: share of the runs that reached an ending.", style="crossing.hint")
    if unreached:
        note.append(f" {unreached} other ending{'s' if unreached != 1 else ''} of the story {'were' if unreached != 1 else 'was'} not reached.")
    if report.random_play is not None:
        note.append(" Random play: the chance of each ending when every choice is picked at random.")
    return Group(_heading("Endings reached", is_plain), Responsive(wide, narrow, max(NARROW, needs)), note)


def kinds_view(report: ClassReport, is_plain: bool) -> RenderableType:
    def wide(width: int) -> RenderableType:
        table = _table(is_plain)
        table.add_column("Kind of ending", ratio=2)
        table.add_column("Runs", justify="right", no_wrap=True)
        table.add_column("", no_wrap=True)
        for kind, count in report.kinds.items():
            share = report.share(count)
            table.add_row(literal(report.kind_labels[kind]), str(count), Text.assemble(bar(share, is_plain, BAR_WIDTH), f" {percent(share, reached=count > 0)}"))
        return table

    def narrow(width: int) -> RenderableType:
        lines: list[RenderableType] = []
        for kind, count in report.kinds.items():
            lines.append(literal(report.kind_labels[kind]))
            lines.append(_indent(_bar_line(count, report.share(count), is_plain, width - 2), 2))
        return Group(*lines)

    return Group(_heading("Kinds of ending", is_plain), Responsive(wide, narrow, max(NARROW, 4 + 25 + 3 * 2 + MIN_TEXT)))


def decisions_view(report: ClassReport, is_plain: bool) -> RenderableType:
    parts: list[RenderableType] = [_heading("How the class decided, in story order", is_plain)]
    if not report.decisions:
        parts.append(Text("No decision was reached in these runs.", style="crossing.hint"))
    with_hands = any(c.hands for d in report.decisions for c in d.choices)
    needs = max(NARROW, 4 + 26 + (5 if with_hands else 0) + 4 * 2 + MIN_TEXT)
    for route, decisions in route_groups(report):
        parts.extend([literal(route_heading(route), "crossing.heading" if not is_plain else ""), Text("")])
        for d in decisions:
            wide = partial(_decision_table, d, is_plain, with_hands)
            narrow = partial(_decision_lines, d, is_plain, with_hands)
            parts.extend([Responsive(wide, narrow, needs), Text("")])
    return Group(*parts)


def _decision_table(d: Decision, is_plain: bool, with_hands: bool, width: int) -> RenderableType:
    table = _table(is_plain)
    table.add_column(literal(d.title, "crossing.title"), ratio=3)
    table.add_column("Runs", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True, min_width=26)
    if with_hands:
        table.add_column("Hands", justify="right", no_wrap=True)
    for c in d.choices:
        share = c.count / d.total if d.total else 0.0
        cells: list[RenderableType] = [literal(c.text), str(c.count), Text.assemble(bar(share, is_plain, BAR_WIDTH), f" {percent(share, reached=c.count > 0)}")]
        if with_hands:
            cells.append(str(c.hands) if c.hands else "")
        table.add_row(*cells)
    return table


def _decision_lines(d: Decision, is_plain: bool, with_hands: bool, width: int) -> RenderableType:
    """A decision as stacked lines: the scene, then each choice's text with its bar (and hands) below."""
    lines: list[RenderableType] = [literal(f"{d.title} ({plural(d.total, 'run')})", "crossing.title")]
    for c in d.choices:
        share = c.count / d.total if d.total else 0.0
        hands = f", {c.hands} hand{'' if c.hands == 1 else 's'}" if with_hands and c.hands else ""
        lines.append(_indent(Group(literal(c.text), _indent(_bar_line(c.count, share, is_plain, width - 4, hands), 2)), 2))
    return Group(*lines)


def facts_view(report: ClassReport, is_plain: bool) -> RenderableType:
    parts: list[RenderableType] = [_heading("What the real world says (endings reached)", is_plain)]
    cited = [row for row in report.reached if row.facts]
    if not cited:
        parts.append(Text("The endings reached cite no facts.", style="crossing.hint"))
    for row in cited:
        heading = literal(row.title, "crossing.title")
        heading.append(f"  (class: {row.count} of {report.finished})", style="crossing.hint")
        parts.append(heading)
        for fact in row.facts:
            claim = Table.grid()
            claim.add_column(no_wrap=True)
            claim.add_column()
            claim.add_row("- ", literal(fact.claim, "crossing.fact"))
            parts.append(claim)
            parts.append(_indent(literal(f"Source: {fact.citation}", "crossing.source"), 2))
            if fact.url:
                parts.append(url_line(fact.url, indent=2))
    return Group(*parts)


def url_line(url: str, indent: int = 0) -> Text:
    """A URL on a line of its own, never broken or cut (a link where the terminal supports links)."""
    shown = inert(url)
    text = Text(" " * indent, no_wrap=True, overflow="ignore", end="\n")
    text.append(shown, "crossing.source")
    link = safe_url(url)  # only a plain http(s) address becomes a link; anything else is shown as text
    if link is not None:
        text.stylize(Style(link=link), indent)
    return text


def skipped_line(path: str, reason: str) -> Text:
    return Text.assemble(("crossing: skipped ", "crossing.diagnostic.warning"), literal(path, "crossing.location"),
                         literal(f": {reason}", "crossing.diagnostic.warning"))
