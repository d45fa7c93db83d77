"""The class report as Rich renderables: bar charts of endings, ending kinds and each decision's split."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from crossing.render.safe import plain
from crossing.report import ClassReport

BAR_WIDTH = 20


def bar(share: float, is_plain: bool, width: int = BAR_WIDTH) -> Text:
    """A horizontal bar: full blocks, or '#' where box drawing is off."""
    cells = round(max(0.0, min(1.0, share)) * width)
    return Text(("#" if is_plain else "█") * cells, style="crossing.bar")


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def _heading(text: str, is_plain: bool) -> Text:
    return Text(text, style="" if is_plain else "crossing.heading")


def _table(is_plain: bool) -> Table:
    if is_plain:
        table = Table(box=None, show_edge=False, pad_edge=False, padding=(0, 2, 0, 0), expand=True)
    else:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    return table


def report_view(report: ClassReport, is_plain: bool = False) -> RenderableType:
    parts: list[RenderableType] = []
    title = Text("Class report: ", style="crossing.title")
    title.append_text(plain(report.story_title, "crossing.title"))
    if report.story_version:
        title.append_text(plain(f" (version {report.story_version})"))
    parts.append(title)
    summary = Text(f"{report.runs} run{'s' if report.runs != 1 else ''}: {report.finished} reached an ending, "
                   f"{report.unfinished} unfinished (stopped before an ending; counted in no ending).")
    if report.skipped:
        summary.append(f" {len(report.skipped)} file{'s' if len(report.skipped) != 1 else ''} skipped.")
    parts.extend([summary, Text("")])
    if report.runs == 0:
        parts.append(Text("No transcript of this story was found, so there is nothing to count yet.", style="crossing.hint"))
        return Group(*parts)
    parts.extend([endings_view(report, is_plain), Text(""), kinds_view(report, is_plain), Text("")])
    parts.extend([decisions_view(report, is_plain), Text(""), facts_view(report, is_plain)])
    return Group(*parts)


def endings_view(report: ClassReport, is_plain: bool) -> RenderableType:
    table = _table(is_plain)
    table.add_column("Ending", ratio=3)
    table.add_column("Runs", justify="right", no_wrap=True)
    table.add_column("Class", no_wrap=True, min_width=26)
    if report.random_play is not None:
        table.add_column("Random play" if report.random_play.exact else "Random play (est.)", justify="right", no_wrap=True)
    # most-reached first (ties keep the story's order), so the class's main outcomes lead
    for row in sorted(report.endings, key=lambda r: -r.count):
        share = report.share(row.count)
        label = plain(row.title)
        label.append_text(plain(f"\n{row.kind_label}", "crossing.hint"))
        cells: list[RenderableType] = [label, str(row.count), Text.assemble(bar(share, is_plain), f" {_pct(share)}")]
        if row.random_play is not None:
            cells.append(_pct(row.random_play))
        table.add_row(*cells)
    note = Text("Class: share of the runs that reached an ending.", style="crossing.hint")
    if report.random_play is not None:
        note.append(" Random play: the chance of each ending when every choice is picked at random.")
    return Group(_heading("Endings", is_plain), table, note)


def kinds_view(report: ClassReport, is_plain: bool) -> RenderableType:
    table = _table(is_plain)
    table.add_column("Kind of ending", ratio=2)
    table.add_column("Runs", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    for kind, count in report.kinds.items():
        share = report.share(count)
        table.add_row(plain(report.kind_labels[kind]), str(count), Text.assemble(bar(share, is_plain), f" {_pct(share)}"))
    return Group(_heading("Kinds of ending", is_plain), table)


def decisions_view(report: ClassReport, is_plain: bool) -> RenderableType:
    parts: list[RenderableType] = [_heading("How the class decided", is_plain)]
    if not report.decisions:
        parts.append(Text("No decision was reached in these runs.", style="crossing.hint"))
    with_hands = any(c.hands for d in report.decisions for c in d.choices)
    for d in report.decisions:
        table = _table(is_plain)
        table.add_column(plain(d.title, "crossing.title"), ratio=3)
        table.add_column("Runs", justify="right", no_wrap=True)
        table.add_column("", no_wrap=True, min_width=26)
        if with_hands:
            table.add_column("Hands", justify="right", no_wrap=True)
        for c in d.choices:
            share = c.count / d.total if d.total else 0.0
            cells: list[RenderableType] = [plain(c.text), str(c.count), Text.assemble(bar(share, is_plain), f" {_pct(share)}")]
            if with_hands:
                cells.append(str(c.hands) if c.hands else "")
            table.add_row(*cells)
        parts.extend([table, Text("")])
    return Group(*parts)


def facts_view(report: ClassReport, is_plain: bool) -> RenderableType:
    parts: list[RenderableType] = [_heading("What the real world says", is_plain)]
    cited = [row for row in report.endings if row.facts]
    if not cited:
        parts.append(Text("The story's endings cite no facts.", style="crossing.hint"))
    for row in cited:
        lines = plain(row.title, "crossing.title")
        lines.append(f"  (class: {row.count} of {report.finished})", style="crossing.hint")
        for fact in row.facts:
            lines.append("\n- ")
            lines.append_text(plain(fact.claim, "crossing.fact"))
            lines.append("\n  ")
            lines.append_text(plain(f"Source: {fact.citation}" + (f", {fact.url}" if fact.url else ""), "crossing.source"))
        parts.append(lines)
    return Group(*parts)


def skipped_line(path: str, reason: str) -> Text:
    return Text.assemble(("crossing: skipped ", "crossing.diagnostic.warning"), plain(path, "crossing.location"),
                         plain(f": {reason}", "crossing.diagnostic.warning"))
