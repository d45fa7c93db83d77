"""A class's results from its transcripts: who played and how far, how many reached each ending, how the
class split at each decision (in story order), next to the odds of random play and the real-world figures
of the endings reached.

Counting rules (also in the docs of `crossing report`):
- every transcript counted is a run; a run is counted once however many copies of it there are (by its
  run id, or by its contents for transcripts written before run ids);
- a finished run counts under its ending and ending kind, an unfinished one under ``unfinished`` only;
- decisions count the choices that stand (a choice taken back is not counted), at scenes written with
  more than one different choice; class transcripts add up the hands raised in their votes;
- a file that cannot be counted is skipped with the reason, and the report comes out without it.
"""

from __future__ import annotations

import contextlib
import importlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from crossing.diagnostics import CrossingError
from crossing.immutable import immutable
from crossing.model import Choice, Node, Story
from crossing.transcript import Transcript


@immutable
class Skipped:
    path: str  # shown safely (see crossing.report.files.shown)
    reason: str


@immutable
class ChoiceCount:
    index: int
    text: str
    count: int
    hands: int


@immutable
class Decision:
    node: str
    title: str
    choices: tuple[ChoiceCount, ...]
    route: str = ""  # the route's title ("" before any route, e.g. choosing whom to follow)

    @property
    def total(self) -> int:
        return sum(c.count for c in self.choices)

    @property
    def total_hands(self) -> int:
        return sum(c.hands for c in self.choices)


@immutable
class CitedFact:
    claim: str
    citation: str
    url: str | None


@immutable
class EndingRow:
    node: str
    title: str
    kind: str
    kind_label: str
    safe: bool
    count: int
    random_play: float | None
    facts: tuple[CitedFact, ...]
    questions: tuple[str, ...] = ()


@immutable
class Student:
    """One run on the roster: a name or alias (None without one), how far it got and how long it took."""

    name: str | None
    finished: bool
    ending: str | None  # the ending's title
    ending_node: str | None
    kind: str | None
    kind_label: str | None
    decisions: int
    minutes: float | None  # from the first scene to the last step; None when the transcript has no times
    mode: str = "play"
    file: str = ""  # the transcript's file name (shown safely): two rows of one name are told apart
    route: str = ""  # the route the run followed (its last scene's with one), "" for none


@immutable
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
    students: list[Student] = field(default_factory=list)  # runs played by students (`crossing play`, serve)
    other_stories: dict[str, int] = field(default_factory=dict)  # title -> transcripts of that story
    lessons: list[Student] = field(default_factory=list)  # class lessons (`crossing class`): one run each, no student

    @property
    def finished(self) -> int:
        return self.runs - self.unfinished

    @property
    def reached(self) -> list[EndingRow]:
        """The endings at least one run reached, most reached first (ties in story order)."""
        return sorted((r for r in self.endings if r.count), key=lambda r: -r.count)

    def share(self, count: int) -> float:
        """A count as a share of the finished runs (endings are only reached by those)."""
        return count / self.finished if self.finished else 0.0


def percent(share: float, *, reached: bool = False) -> str:
    """A share as a percentage for people: '42%', '0.3%', and '<0.1%' for a small share that is not
    zero or belongs to something that happened (never '0%' for an ending a student reached)."""
    value = 100 * share
    if value <= 0 and not reached:
        return "0%"
    if value < 0.1:
        return "<0.1%"
    if value < 10:
        return f"{value:.1f}%".replace(".0%", "%")
    return f"{value:.0f}%"


def minutes_between(start: str, end: str | None) -> float | None:
    if not start or not end:
        return None
    try:
        seconds = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
    except (ValueError, OverflowError, TypeError):
        return None
    return round(seconds / 60, 1) if 0 <= seconds < 7 * 24 * 3600 else None


def random_play(story: Story) -> RandomPlay | None:
    """Each ending's probability under random play, from crossing.analysis when it is there. The figures
    depend only on the story's contents, so they are kept in the cache folder by the story's digest: a
    report after the first does not analyse the story again."""
    cached = _cached_odds(story)
    if cached is not None:
        return cached
    try:
        analyze = importlib.import_module("crossing.analysis").analyze
    except (ImportError, AttributeError):
        return None
    try:
        result = analyze(story)
        endings = {str(k): float(v) for k, v in dict(result.endings).items()}
        odds = RandomPlay(endings, bool(result.exact))
    except (AttributeError, TypeError, ValueError, CrossingError, MemoryError, RecursionError):
        return None
    _keep_odds(story, odds)
    return odds


ODDS_VERSION = 1


def _odds_file(story: Story) -> Path | None:
    if not story.digest or not story.digest.isalnum():
        return None
    try:
        from crossing.storecache import cache_dir

        folder = cache_dir()
        return folder / f"odds-{story.digest[:32]}.json" if folder is not None else None
    except (OSError, RuntimeError, ImportError):
        return None


def _cached_odds(story: Story) -> RandomPlay | None:
    path = _odds_file(story)
    if path is None:
        return None
    try:
        if not path.is_file() or path.stat().st_size > 1_000_000:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != ODDS_VERSION or data.get("digest") != story.digest:
            return None
        endings = data["endings"]
        if not isinstance(endings, dict) or not all(
                isinstance(k, str) and k in story.nodes and type(v) is float and 0.0 <= v <= 1.0 for k, v in endings.items()):
            return None
        return RandomPlay(dict(endings), data["exact"] is True)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError, KeyError, TypeError, AttributeError):
        return None


def _keep_odds(story: Story, odds: RandomPlay) -> None:
    path = _odds_file(story)
    if path is None:
        return
    from crossing.atomic import write_atomic

    document = {"version": ODDS_VERSION, "digest": story.digest, "exact": odds.exact, "endings": odds.endings}
    with contextlib.suppress(OSError, ValueError):
        write_atomic(path, json.dumps(document), private=True)


def _route_of(story: Story, t: Transcript) -> str:
    """The route a run followed: that of the last scene on its path that has one."""
    nodes = [t.ending.node] if t.ending is not None else []
    nodes += [step.target for step in reversed(t.path_steps)] + [step.node for step in reversed(t.path_steps)]
    for node_id in nodes:
        node = story.nodes.get(node_id)
        if node is not None and node.route:
            return story.route_title(node.route)
    return ""


def _student(t: Transcript, file: str = "", route: str = "") -> Student:
    end = t.ending
    return Student(t.name, end is not None, end.title if end else None, end.node if end else None,
                   end.kind if end else None, end.kind_label if end else None, len(t.path_steps),
                   minutes_between(t.started, t.last_time), t.mode, file, route)


def by_route(story: Story, ordered: Sequence[Node], decisions: Sequence[Decision]) -> list[Decision]:
    """Decisions grouped by route (routes in the order a reader meets them, the scenes before any route
    first), story order kept within each: one character's decisions are not interleaved with another's."""
    rank: dict[str, int] = {"": -1}
    for node in ordered:
        if node.route:
            rank.setdefault(story.route_title(node.route), len(rank))
    return sorted(decisions, key=lambda d: rank.get(d.route, len(rank)))  # stable: story order within a route


def aggregate(story: Story, transcripts: Sequence[Transcript], skipped: Sequence[Skipped] = (),
              odds: RandomPlay | None = None, other_stories: dict[str, int] | None = None,
              files: Sequence[str] = ()) -> ClassReport:
    """``files``: each transcript's file name, in the same order (shown on the roster)."""
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
    ordered = story.reading_order()
    decisions: list[Decision] = []
    for node in ordered:
        if len(node.choices) < 2 or node.id not in picks:
            continue
        counts = _by_text(node.choices, picks[node.id], hands.get(node.id, {}))
        if len(counts) > 1:  # variants of one choice under different conditions are no decision
            decisions.append(Decision(node.id, node.title or node.id, counts, story.route_title(node.route)))
    decisions = by_route(story, ordered, decisions)
    rows: list[EndingRow] = []
    for node in ordered:
        if node.ending is None:
            continue
        cited = []
        for fact in node.facts:
            source = story.sources.get(fact.source)
            cited.append(CitedFact(fact.claim, source.citation() if source else fact.source, source.url if source else None))
        questions = tuple(node.ending.debrief.questions) if node.ending.debrief else ()
        rows.append(EndingRow(
            node.id, node.display_title, node.ending.kind, story.kind_label(node.ending.kind), story.is_safe_kind(node.ending.kind),
            ending_counts[node.id], odds.endings.get(node.id, 0.0) if odds is not None else None, tuple(cited), questions,
        ))
    named = list(files) + [""] * (len(transcripts) - len(files))
    everyone = sorted((_student(t, f, _route_of(story, t)) for t, f in zip(transcripts, named, strict=False)),
                      key=lambda s: ((s.name or "\uffff").casefold(), not s.finished, s.file))
    return ClassReport(
        story.title, story.version, story.digest, len(transcripts), unfinished, rows, kinds,
        {kind: story.kind_label(kind) for kind in kinds}, decisions, odds, list(skipped),
        [s for s in everyone if s.mode != "class"], dict(other_stories or {}), [s for s in everyone if s.mode == "class"],
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
