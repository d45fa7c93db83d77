"""The class report for handing on: JSON, CSV (one row per student), Markdown and a printable HTML page
with inline SVG charts. Every text from a story or a transcript is escaped for its format: control
characters and bidi overrides made visible, markup escaped, only http(s) URLs as links, no formula cells."""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Sequence
from typing import Any

from crossing.report.counting import ClassReport, Decision, Student, percent
from crossing.textsafety import plural
from crossing.transcript.text import csv_cell, inert, md_text, md_url, safe_url

REPORT_FORMAT = "crossing-report"


def _pct(share: float) -> float:
    return round(100 * share, 1)


def _student_dict(s: Student) -> dict[str, Any]:
    return {"name": s.name, "finished": s.finished, "ending": s.ending, "kind": s.kind, "decisions": s.decisions,
            "minutes": s.minutes, "file": s.file, "route": s.route}


def to_dict(report: ClassReport) -> dict[str, Any]:
    return {
        "format": REPORT_FORMAT,
        "story": {"title": report.story_title, "version": report.story_version, "digest": report.story_digest},
        "runs": report.runs,
        "finished": report.finished,
        "unfinished": report.unfinished,
        "endings": {row.node: row.count for row in report.endings},
        "ending_kinds": dict(report.kinds),
        "students": [_student_dict(s) for s in report.students],
        "class_lessons": [_student_dict(s) for s in report.lessons],
        "ending_details": [
            {
                "node": row.node, "title": row.title, "kind": row.kind, "kind_label": row.kind_label, "safe": row.safe,
                "count": row.count, "share": report.share(row.count), "random_play": row.random_play,
                "questions": list(row.questions),
                "facts": [{"claim": f.claim, "source": f.citation, "url": f.url} for f in row.facts],
            }
            for row in report.endings
        ],
        "random_play": None if report.random_play is None else {
            "exact": report.random_play.exact, "endings": dict(report.random_play.endings),
        },
        "decisions": [
            {
                "node": d.node, "title": d.title, "route": d.route, "total": d.total,
                "choices": [{"index": c.index, "text": c.text, "count": c.count, "hands": c.hands} for c in d.choices],
            }
            for d in report.decisions
        ],
        "other_stories": dict(report.other_stories),
        "skipped": [{"path": s.path, "reason": s.reason} for s in report.skipped],
    }


def to_json(report: ClassReport) -> str:
    """One top-level key a line; each value in compact JSON (json's C encoder: an indented document of
    5,000 students would take the pure-Python one, several times slower). ensure_ascii: a path or text
    with lone surrogates, control characters or bidi overrides is written as \\u escapes."""
    lines = [f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=True)}" for key, value in to_dict(report).items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _minutes(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def to_csv(report: ClassReport) -> str:
    """One row per student, for a school's gradebook or learning platform."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["name", "finished", "ending", "kind", "decisions", "minutes", "file", "route"])
    for s in report.students:
        writer.writerow([csv_cell(v) for v in (s.name or "", "yes" if s.finished else "no", s.ending or "",
                                                s.kind_label or "", s.decisions, _minutes(s.minutes), s.file, s.route)])
    return buffer.getvalue()


def lessons_note(report: ClassReport) -> str | None:
    """Class lessons among the transcripts: counted apart from the students, and said so."""
    if not report.lessons:
        return None
    count = len(report.lessons)
    files = ", ".join(s.file or "(no file)" for s in report.lessons)
    return (f"{plural(count, 'transcript is a class lesson', 'transcripts are class lessons')} (made with crossing class, the "
            f"whole class voting: {files}), not {'a student' if count == 1 else 'students'}: "
            f"{'it is' if count == 1 else 'each is'} left off the roster and counted as one run in the endings and "
            "decisions, with the hands raised.")


def summary_line(report: ClassReport) -> str:
    """'N runs (S students, L class lessons): F reached an ending, U unfinished.'"""
    who = ""
    if report.lessons:
        who = f" ({plural(len(report.students), 'student')}, {plural(len(report.lessons), 'class lesson')})"
    return f"{plural(report.runs, 'run')}{who}: {report.finished} reached an ending, {report.unfinished} unfinished."


def route_groups(report: ClassReport) -> list[tuple[str, list[Decision]]]:
    """The decisions by route, in the report's order: (route title, its decisions); "" before any route."""
    groups: list[tuple[str, list[Decision]]] = []
    for d in report.decisions:
        if not groups or groups[-1][0] != d.route:
            groups.append((d.route, []))
        groups[-1][1].append(d)
    return groups


def route_heading(route: str) -> str:
    return f"Route: {route}" if route else "Before the routes"


def other_stories_note(report: ClassReport) -> str | None:
    if not report.other_stories:
        return None
    listed = ", ".join(f"'{title}' ({count})" for title, count in sorted(report.other_stories.items()))
    return (f"Some transcripts come from another story: {listed}. To count them, point --story at that story's "
            "folder (the one with its story.yaml), e.g. `crossing report TRANSCRIPTS --story path/to/story`.")


# --------------------------------------------------------------------------- Markdown


def _md(text: str) -> str:
    return md_text(text, line_start=False)


def _md_bar(share: float, width: int = 20) -> str:
    return "█" * round(share * width) if share > 0 else ""


def to_markdown(report: ClassReport) -> str:
    out = [f"# Class report: {_md(report.story_title)}", ""]
    if report.story_version:
        out.extend([f"Story version {_md(report.story_version)}.", ""])
    runs, rest = summary_line(report).split(":", 1)
    summary = f"**{_md(runs)}**:{_md(rest)}"
    if report.skipped:
        summary += f" {plural(len(report.skipped), 'file')} not counted (see the end)."
    out.extend([summary, ""])
    lessons = lessons_note(report)
    if lessons:
        out.extend([_md(lessons), ""])
    out.extend(["## Students", "", "| Name | File | Finished | Ending | Decisions | Minutes |", "|---|---|---|---|---:|---:|"])
    for s in report.students:
        out.append(f"| {_md(s.name or '(no name)')} | {_md(s.file)} | {'yes' if s.finished else 'no'} | {_md(s.ending or '')} | "
                   f"{s.decisions} | {_minutes(s.minutes)} |")
    out.extend(["", "## Endings reached", ""])
    odds = report.random_play is not None
    out.append("| Ending | Kind | Runs | Share | |" + (" Random play |" if odds else ""))
    out.append("|---|---|---:|---:|---|" + ("---:|" if odds else ""))
    for row in report.reached:
        share = report.share(row.count)
        cell = f" {percent(row.random_play, reached=True)} |" if row.random_play is not None else ""
        out.append(f"| {_md(row.title)} | {_md(row.kind_label)} | {row.count} | {percent(share, reached=True)} | {_md_bar(share)} |{cell}")
    unreached = len(report.endings) - len(report.reached)
    if unreached:
        out.extend(["", f"{plural(unreached, 'other ending')} of the story {'was' if unreached == 1 else 'were'} not reached."])
    if report.random_play is not None:
        out.extend(["", "Random play: the chance of each ending when every choice is picked at random"
                    + ("." if report.random_play.exact else " (estimated from simulated runs).")])
    out.extend(["", "### Questions to discuss", ""])
    for row in report.reached:
        out.extend([f"**{_md(row.title)}**", ""])
        out.extend([f"{n}. {md_text(q)}" for n, q in enumerate(row.questions, 1)] or ["This ending has no questions."])
        out.append("")
    out.extend(["## Kinds of ending", "", "| Kind | Runs | Share | |", "|---|---:|---:|---|"])
    for kind, count in report.kinds.items():
        share = report.share(count)
        out.append(f"| {_md(report.kind_labels[kind])} | {count} | {percent(share, reached=count > 0)} | {_md_bar(share)} |")
    out.extend(["", "## Decisions, in story order", ""])
    if not report.decisions:
        out.extend(["No decision was reached in these runs.", ""])
    for route, decisions in route_groups(report):
        out.extend([f"### {_md(route_heading(route))}", ""])
        for d in decisions:
            out.extend([f"#### {_md(d.title)}", "", "| Choice | Runs | Share | |", "|---|---:|---:|---|"])
            for c in d.choices:
                share = c.count / d.total if d.total else 0.0
                out.append(f"| {_md(c.text)} | {c.count} | {percent(share, reached=c.count > 0)} | {_md_bar(share)} |")
            out.append("")
    out.extend(["## What the real world says (endings reached)", ""])
    cited = [row for row in report.reached if row.facts]
    if not cited:
        out.extend(["The endings reached cite no facts.", ""])
    for row in cited:
        out.extend([f"### {_md(row.title)}", ""])
        for fact in row.facts:
            url = f", {md_url(fact.url)}" if fact.url else ""
            out.append(f"- {md_text(fact.claim)} (Source: {_md(fact.citation)}{url})")
        out.append("")
    note = other_stories_note(report)
    if note:
        out.extend([_md(note), ""])
    if report.skipped:
        out.extend(["## Files not counted", ""])
        out.extend(f"- {_md(s.path)}: {_md(s.reason)}" for s in report.skipped)
        out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------- HTML


def _h(text: str) -> str:
    return html.escape(inert(text), quote=True)


def _link(url: str | None) -> str:
    if not url:
        return ""
    ok = safe_url(url)
    return f'<a href="{_h(ok)}">{_h(ok)}</a>' if ok else _h(url)


PALETTE = ("#1b6ca8", "#d1495b", "#edae49", "#00798c", "#6a4c93", "#66a182", "#8d6a9f", "#30638e")


def bar_chart(rows: Sequence[tuple[str, int, float]], title: str, width: int = 640) -> str:
    """Horizontal bars as inline SVG: each row a label on its own line, a bar below it with the count and
    share at its end. Labels are escaped; the chart has a title for screen readers."""
    row_h, top = 40, 6
    height = top + row_h * len(rows) + 4
    bar_room = width - 140
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" width="100%" '
             f'style="max-width:{width}px" aria-label="{_h(title)}"><title>{_h(title)}</title>']
    for i, (label, count, share) in enumerate(rows):
        y = top + i * row_h
        length = max(0.0, min(1.0, share)) * bar_room
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f'<text x="0" y="{y + 12}" font-size="13" font-family="sans-serif">{_h(label)}</text>')
        parts.append(f'<rect x="0" y="{y + 17}" width="{length:.1f}" height="16" fill="{colour}"/>')
        parts.append(f'<text x="{length + 6:.1f}" y="{y + 30}" font-size="12" font-family="sans-serif">'
                     f'{count} ({_h(percent(share, reached=count > 0))})</text>')
    parts.append("</svg>")
    return "".join(parts)


REPORT_CSS = """
body { font-family: Georgia, "Times New Roman", serif; font-size: 12pt; line-height: 1.45; color: #111;
       background: #fff; max-width: 48rem; margin: 2rem auto; padding: 0 1.5rem; }
h1, h2, h3, h4 { font-family: "Helvetica Neue", Arial, sans-serif; line-height: 1.25; }
h2 { border-bottom: 2px solid #333; padding-bottom: 0.2rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #999; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
td.n { text-align: right; }
th { background: #eee; }
a { color: #1a4a7a; overflow-wrap: anywhere; }
.muted { color: #555; }
figure { margin: 0.5rem 0 1rem; }
h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
tr, li, figure, .decision { break-inside: avoid; page-break-inside: avoid; }
@page { margin: 1.8cm 1.6cm; }
@media print { body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; } a { color: #000; } }
""".strip()


def _decision_html(d: Decision) -> str:
    rows = [(c.text, c.count, c.count / d.total if d.total else 0.0) for c in d.choices]
    hands = any(c.hands for c in d.choices)
    table = "".join(
        f"<tr><td>{_h(c.text)}</td><td class=n>{c.count}</td>" + (f"<td class=n>{c.hands or ''}</td>" if hands else "") + "</tr>"
        for c in d.choices)
    head = "<tr><th>Choice</th><th>Runs</th>" + ("<th>Hands</th>" if hands else "") + "</tr>"
    return (f'<div class="decision"><h4>{_h(d.title)}</h4><figure>{bar_chart(rows, f"How the class split at {d.title}")}'
            f"</figure><table>{head}{table}</table></div>")


def to_html(report: ClassReport) -> str:
    """One self-contained printable page: inline CSS and SVG, no scripts, nothing fetched."""
    b: list[str] = [f"<h1>Class report: {_h(report.story_title)}</h1>"]
    if report.story_version:
        b.append(f'<p class="muted">Story version {_h(report.story_version)}.</p>')
    runs, rest = summary_line(report).split(":", 1)
    b.append(f"<p><strong>{_h(runs)}</strong>:{_h(rest)}" + (f" {plural(len(report.skipped), 'file')} not counted (listed at the end)."
                                                         if report.skipped else "") + "</p>")
    lessons = lessons_note(report)
    if lessons:
        b.append(f'<p class="muted">{_h(lessons)}</p>')
    b.append("<h2>Students</h2><table><tr><th>Name</th><th>File</th><th>Finished</th><th>Ending</th><th>Decisions</th><th>Minutes</th></tr>")
    for s in report.students:
        b.append(f"<tr><td>{_h(s.name or '(no name)')}</td><td><code>{_h(s.file)}</code></td><td>{'yes' if s.finished else 'no'}</td><td>{_h(s.ending or '')}</td>"
                 f"<td class=n>{s.decisions}</td><td class=n>{_minutes(s.minutes)}</td></tr>")
    b.append("</table>")
    b.append("<h2>Endings by kind</h2>")
    kind_rows = [(report.kind_labels[k], n, report.share(n)) for k, n in report.kinds.items()]
    b.append(f"<figure>{bar_chart(kind_rows, 'Endings by kind')}</figure>")
    b.append("<h2>Endings reached</h2><table><tr><th>Ending</th><th>Kind</th><th>Runs</th><th>Share</th>"
             + ("<th>Random play</th>" if report.random_play is not None else "") + "</tr>")
    for row in report.reached:
        odds = f"<td class=n>{_h(percent(row.random_play, reached=True))}</td>" if row.random_play is not None else ""
        b.append(f"<tr><td>{_h(row.title)}</td><td>{_h(row.kind_label)}</td><td class=n>{row.count}</td>"
                 f"<td class=n>{_h(percent(report.share(row.count), reached=True))}</td>{odds}</tr>")
    b.append("</table>")
    if report.random_play is not None:
        b.append('<p class="muted">Random play: the chance of each ending when every choice is picked at random'
                 + ("." if report.random_play.exact else " (estimated from simulated runs).") + "</p>")
    b.append("<h2>Questions to discuss</h2>")
    for row in report.reached:
        items = "".join(f"<li>{_h(q)}</li>" for q in row.questions)
        b.append(f"<h3>{_h(row.title)}</h3>" + (f"<ol>{items}</ol>" if items else "<p>This ending has no questions.</p>"))
    b.append("<h2>Decisions, in story order</h2>")
    if not report.decisions:
        b.append("<p>No decision was reached in these runs.</p>")
    for route, decisions in route_groups(report):
        b.append(f"<h3>{_h(route_heading(route))}</h3>")
        b.extend(_decision_html(d) for d in decisions)
    b.append("<h2>What the real world says</h2>")
    for row in (r for r in report.reached if r.facts):
        b.append(f"<h3>{_h(row.title)}</h3><ul>")
        for fact in row.facts:
            link = _link(fact.url)
            b.append(f"<li>{_h(fact.claim)} <span class=muted>(Source: {_h(fact.citation)}{', ' + link if link else ''})</span></li>")
        b.append("</ul>")
    note = other_stories_note(report)
    if note:
        b.append(f"<p><strong>{_h(note)}</strong></p>")
    if report.skipped:
        b.append("<h2>Files not counted</h2><ul>")
        b.extend(f"<li><code>{_h(s.path)}</code>: {_h(s.reason)}</li>" for s in report.skipped)
        b.append("</ul>")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>Class report: {_h(report.story_title)}</title>\n<style>\n{REPORT_CSS}\n</style>\n</head>\n<body>\n"
            + "\n".join(b) + "\n</body>\n</html>\n")
