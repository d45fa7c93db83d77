"""A class's results from its transcripts: how many reached each ending, how the class split at each
decision, next to the odds of random play and the real-world figures the story cites.

Counting rules (also in the docs of `crossing report`):
- every transcript read is a run (``runs``); a finished one counts under its ending and ending kind, an
  unfinished one (the run stopped before an ending) under ``unfinished`` and in no ending;
- decisions count the choices that stand (a choice taken back is not counted), at scenes written with
  more than one different choice (a choice offered only under a condition is listed, with its count, even
  when no student was offered it); class transcripts add up the hands raised in their votes;
- a transcript that cannot be read, or comes from another story or another version of this one, is
  skipped with the reason, and the report comes out without it.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crossing.diagnostics import CrossingError
from crossing.model import Choice, Story
from crossing.transcript import Transcript, TranscriptError, md_text


@dataclass(frozen=True, slots=True)
class Skipped:
    path: Path
    reason: str


@dataclass(frozen=True, slots=True)
class ChoiceCount:
    index: int
    text: str
    count: int
    hands: int


@dataclass(frozen=True, slots=True)
class Decision:
    node: str
    title: str
    choices: tuple[ChoiceCount, ...]

    @property
    def total(self) -> int:
        return sum(c.count for c in self.choices)


@dataclass(frozen=True, slots=True)
class CitedFact:
    claim: str
    citation: str
    url: str | None


@dataclass(frozen=True, slots=True)
class EndingRow:
    node: str
    title: str
    kind: str
    kind_label: str
    safe: bool
    count: int
    random_play: float | None
    facts: tuple[CitedFact, ...]


@dataclass(frozen=True, slots=True)
class RandomPlay:
    endings: dict[str, float]
    exact: bool


@dataclass
class ClassReport:
    story_title: str
    story_version: str
    story_digest: str
    runs: int
    unfinished: int
    endings: list[EndingRow]
    kinds: dict[str, int]
    kind_labels: dict[str, str]
    decisions: list[Decision]
    random_play: RandomPlay | None
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def finished(self) -> int:
        return self.runs - self.unfinished

    def share(self, count: int) -> float:
        """A count as a share of the finished runs (endings are only reached by those)."""
        return count / self.finished if self.finished else 0.0


# --------------------------------------------------------------------------- reading transcripts


def transcript_files(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """The .json files named, and those inside the folders named (recursively, hidden ones left out)."""
    found: list[Path] = []
    skipped: list[Skipped] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            found.append(path)

    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*.json") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not inside:
                skipped.append(Skipped(path, "the folder holds no .json transcripts"))
            for file in inside:
                add(file)
        elif not path.exists():
            skipped.append(Skipped(path, "no such file or folder"))
        elif path.suffix.lower() in (".md", ".markdown"):
            skipped.append(Skipped(path, "a Markdown transcript is for reading; the report reads the .json transcripts"))
        else:
            add(path)
    return found, skipped


def check_against(transcript: Transcript, story: Story) -> str | None:
    """Why this transcript cannot be counted for this story, or None when it can."""
    if transcript.story_title != story.title:
        return f"it is from another story ('{transcript.story_title}', not '{story.title}')"
    if transcript.story_digest != story.digest:
        versions = ""
        if transcript.story_version != story.version:
            versions = f" (version {transcript.story_version or '?'}, not {story.version or '?'})"
        return f"it is from another version of this story{versions}: the story files have changed since it was written"
    for step in transcript.steps:
        node = story.nodes.get(step.node)
        if node is None or step.target not in story.nodes:
            return f"it mentions a scene this story does not have ('{step.node if node is None else step.target}')"
        if not 0 <= step.choice_index < len(node.choices):
            return f"it takes a choice scene '{step.node}' does not have"
    end = transcript.ending
    if end is not None and (end.node not in story.nodes or story.nodes[end.node].ending is None):
        return f"its ending '{end.node}' is not an ending of this story"
    return None


_JSON_WORDS = {
    "Invalid control character": "a control character (such as a tab or a line break) inside a text value",
    "Unterminated string": "a text value that is never closed (the file may have been cut short)",
    "Extra data": "more text after the end of the transcript",
    "Expecting value": "a value is missing (the file may have been cut short)",
}


def json_problem(text: str) -> str | None:
    """Where and why text is not valid JSON, as a whole sentence ('not valid JSON at line 3, column 7:
    ...'), or None when it parses (the problem is elsewhere)."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        message = re.sub(r"\s+(starting\s+)?at$", "", exc.msg.strip())
        message = _JSON_WORDS.get(message, message[:1].lower() + message[1:])
        return f"not valid JSON at line {exc.lineno}, column {exc.colno}: {message}"
    except (RecursionError, ValueError):
        return None
    return None


def load_transcripts(paths: Iterable[Path], story: Story) -> tuple[list[Transcript], list[Skipped]]:
    files, skipped = transcript_files(paths)
    loaded: list[Transcript] = []
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            skipped.append(Skipped(file, "it is not UTF-8 text"))
            continue
        except OSError as exc:
            skipped.append(Skipped(file, f"it cannot be read ({exc.strerror or exc})"))
            continue
        try:
            transcript = Transcript.from_json(text)
        except TranscriptError as exc:
            where = json_problem(text) if text.strip() else None  # an empty file: the transcript's own words
            skipped.append(Skipped(file, f"it is corrupt: {where or exc}"))
            continue
        reason = check_against(transcript, story)
        if reason is not None:
            skipped.append(Skipped(file, reason))
            continue
        loaded.append(transcript)
    return loaded, skipped


# --------------------------------------------------------------------------- counting


def random_play(story: Story) -> RandomPlay | None:
    """Each ending's probability under random play, from crossing.analysis when it is there."""
    try:
        analyze = importlib.import_module("crossing.analysis").analyze
    except (ImportError, AttributeError):
        return None
    try:
        result = analyze(story)
        endings = {str(k): float(v) for k, v in dict(result.endings).items()}
        return RandomPlay(endings, bool(result.exact))
    except (AttributeError, TypeError, ValueError, CrossingError):
        return None


def aggregate(story: Story, transcripts: Sequence[Transcript], skipped: Sequence[Skipped] = (),
              odds: RandomPlay | None = None) -> ClassReport:
    ending_counts = {node.id: 0 for node in story.endings()}
    kinds: dict[str, int] = {}
    for node in story.endings():
        assert node.ending is not None
        kinds.setdefault(node.ending.kind, 0)
    unfinished = 0
    picks: dict[str, dict[int, int]] = {}
    hands: dict[str, dict[int, int]] = {}
    for t in transcripts:
        if t.ending is None:
            unfinished += 1
        else:
            ending_counts[t.ending.node] = ending_counts.get(t.ending.node, 0) + 1
            kinds[t.ending.kind] = kinds.get(t.ending.kind, 0) + 1
        for step in t.path_steps:
            node_picks = picks.setdefault(step.node, {})
            node_picks[step.choice_index] = node_picks.get(step.choice_index, 0) + 1
            for vote in step.votes or ():
                if vote.hands:
                    node_hands = hands.setdefault(step.node, {})
                    node_hands[vote.choice_index] = node_hands.get(vote.choice_index, 0) + vote.hands
    decisions: list[Decision] = []
    for node in story.nodes.values():
        if len(node.choices) < 2 or node.id not in picks:
            continue
        counts = _by_text(node.choices, picks[node.id], hands.get(node.id, {}))
        if len(counts) > 1:  # variants of one choice under different conditions are no decision
            decisions.append(Decision(node.id, node.title or node.id, counts))
    rows: list[EndingRow] = []
    for node in story.endings():
        assert node.ending is not None
        cited = []
        for fact in node.facts:
            source = story.sources.get(fact.source)
            cited.append(CitedFact(fact.claim, source.citation() if source else fact.source, source.url if source else None))
        rows.append(EndingRow(
            node.id, node.ending.title, node.ending.kind, story.kind_label(node.ending.kind), story.is_safe_kind(node.ending.kind),
            ending_counts[node.id], odds.endings.get(node.id, 0.0) if odds is not None else None, tuple(cited),
        ))
    return ClassReport(
        story.title, story.version, story.digest, len(transcripts), unfinished, rows, kinds,
        {kind: story.kind_label(kind) for kind in kinds}, decisions, odds, list(skipped),
    )


def _by_text(choices: Sequence[Choice], picks: dict[int, int], hands: dict[int, int]) -> tuple[ChoiceCount, ...]:
    """One row per choice text: variants of a choice that read the same (shown under different
    conditions) are one choice to the class, so their counts add up under the first one's index."""
    merged: dict[str, ChoiceCount] = {}
    for i, choice in enumerate(choices):
        seen = merged.get(choice.text)
        if seen is None:
            merged[choice.text] = ChoiceCount(i, choice.text, picks.get(i, 0), hands.get(i, 0))
        else:
            merged[choice.text] = ChoiceCount(seen.index, seen.text, seen.count + picks.get(i, 0), seen.hands + hands.get(i, 0))
    return tuple(merged.values())


def build_report(story: Story, paths: Iterable[Path], *, with_odds: bool = True) -> ClassReport:
    transcripts, skipped = load_transcripts(paths, story)
    return aggregate(story, transcripts, skipped, random_play(story) if with_odds else None)


# --------------------------------------------------------------------------- for handing on


def _pct(share: float) -> float:
    return round(100 * share, 1)


def to_dict(report: ClassReport) -> dict[str, Any]:
    return {
        "story": {"title": report.story_title, "version": report.story_version, "digest": report.story_digest},
        "runs": report.runs,
        "finished": report.finished,
        "unfinished": report.unfinished,
        "endings": {row.node: row.count for row in report.endings},
        "ending_kinds": dict(report.kinds),
        "ending_details": [
            {
                "node": row.node, "title": row.title, "kind": row.kind, "kind_label": row.kind_label, "safe": row.safe,
                "count": row.count, "share": report.share(row.count), "random_play": row.random_play,
                "facts": [{"claim": f.claim, "source": f.citation, "url": f.url} for f in row.facts],
            }
            for row in report.endings
        ],
        "random_play": None if report.random_play is None else {
            "exact": report.random_play.exact, "endings": dict(report.random_play.endings),
        },
        "decisions": [
            {
                "node": d.node, "title": d.title, "total": d.total,
                "choices": [{"index": c.index, "text": c.text, "count": c.count, "hands": c.hands} for c in d.choices],
            }
            for d in report.decisions
        ],
        "skipped": [{"file": str(s.path), "reason": s.reason} for s in report.skipped],
    }


def to_json(report: ClassReport) -> str:
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"


def to_csv(report: ClassReport) -> str:
    """One table: a row per ending, ending kind and decision choice (percent of finished runs, or of the
    runs that reached the decision)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["section", "node", "id", "label", "count", "percent", "random_play_percent", "hands"])
    writer.writerow(["runs", "", "", "transcripts counted", report.runs, "", "", ""])
    writer.writerow(["unfinished", "", "", "stopped before an ending", report.unfinished, "", "", ""])
    for row in report.endings:
        odds = "" if row.random_play is None else _pct(row.random_play)
        writer.writerow(["ending", row.node, row.node, row.title, row.count, _pct(report.share(row.count)), odds, ""])
    for kind, count in report.kinds.items():
        writer.writerow(["kind", "", kind, report.kind_labels[kind], count, _pct(report.share(count)), "", ""])
    for d in report.decisions:
        for c in d.choices:
            writer.writerow(["decision", d.node, c.index + 1, c.text, c.count, _pct(c.count / d.total if d.total else 0.0), "", c.hands])
    return buffer.getvalue()


def _md_bar(share: float, width: int = 20) -> str:
    return "█" * round(share * width) if share > 0 else ""


def _md(text: str) -> str:
    """Story text inside a line (a table cell, after a heading mark): no block syntax can start there,
    so only inline markup is escaped ('1.0' stays '1.0')."""
    return md_text(text, line_start=False)


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def to_markdown(report: ClassReport) -> str:
    out = [f"# Class report: {_md(report.story_title)}", ""]
    if report.story_version:
        out.extend([f"Story version {_md(report.story_version)}.", ""])
    summary = f"**{_plural(report.runs, 'run')}**: {report.finished} reached an ending, {report.unfinished} unfinished."
    if report.skipped:
        summary += f" {_plural(len(report.skipped), 'file')} skipped (see the end)."
    out.append(summary)
    out.extend(["", "## Endings", ""])
    odds_head = " Random play |" if report.random_play is not None else ""
    out.append(f"| Ending | Kind | Runs | Share | |{odds_head}")
    out.append("|---|---|---:|---:|---|" + ("---:|" if report.random_play is not None else ""))
    for row in report.endings:
        share = report.share(row.count)
        odds = f" {_pct(row.random_play)}% |" if row.random_play is not None else ""
        out.append(f"| {_md(row.title)} | {_md(row.kind_label)} | {row.count} | {_pct(share)}% | {_md_bar(share)} |{odds}")
    if report.random_play is not None and not report.random_play.exact:
        out.extend(["", "Random-play figures are estimates from simulated runs."])
    out.extend(["", "## Ending kinds", "", "| Kind | Runs | Share | |", "|---|---:|---:|---|"])
    for kind, count in report.kinds.items():
        share = report.share(count)
        out.append(f"| {_md(report.kind_labels[kind])} | {count} | {_pct(share)}% | {_md_bar(share)} |")
    out.extend(["", "## Decisions", ""])
    if not report.decisions:
        out.extend(["No decision was reached in these runs.", ""])
    for d in report.decisions:
        out.extend([f"### {_md(d.title)}", "", "| Choice | Runs | Share | |", "|---|---:|---:|---|"])
        for c in d.choices:
            share = c.count / d.total if d.total else 0.0
            out.append(f"| {_md(c.text)} | {c.count} | {_pct(share)}% | {_md_bar(share)} |")
        out.append("")
    out.extend(["## What the real world says", ""])
    cited = [row for row in report.endings if row.facts]
    if not cited:
        out.extend(["The story's endings cite no facts.", ""])
    for row in cited:
        out.extend([f"### {_md(row.title)}", ""])
        for fact in row.facts:
            url = f" <{fact.url}>" if fact.url else ""
            out.append(f"- {md_text(fact.claim)} (Source: {_md(fact.citation)}{url})")
        out.append("")
    if report.skipped:
        out.extend(["## Skipped files", ""])
        out.extend(f"- {md_text(str(s.path))}: {_md(s.reason)}" for s in report.skipped)
        out.append("")
    return "\n".join(out)
