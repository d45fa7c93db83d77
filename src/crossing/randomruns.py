"""Random playthroughs in bulk (like ChoiceScript's randomtest): endings, coverage and what a run reads.

A random player picks uniformly among the offered choices; the step itself (offer, apply, draw) is
crossing.rules, compiled once. The work of a batch is bounded by a total number of steps, so the
same seed and number of runs give the same figures on any machine, however slow.
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from random import Random

from crossing import rules
from crossing.expressions import Value
from crossing.model import Story
from crossing.rules import Rules, RuntimeProblem, StepError
from crossing.wordcount import WORDS_PER_MINUTE, Words

# A run longer than this is stopped and counted as capped: a loop no condition ends must not hang.
DEFAULT_STEP_CAP = 10_000
# The whole batch stops after this many steps (about a minute of work): counted, not timed.
DEFAULT_MAX_STEPS = 50_000_000
# What scenes offer is remembered per (scene, visits that matter, values) up to this many states:
# runs pass the same states again and again, and evaluating conditions is most of a step's work.
MAX_REMEMBERED_OFFERS = 100_000
MAX_REMEMBERED_CHARS = 20_000_000  # text held by those keys: a text that grows must not fill memory


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic collector: compiling and exploring allocate many small objects and make no
    cycles, and each full collection would rescan all of them (quadratic on big stories)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def spread(counts: Counter[int], scale: float = 1.0) -> dict[str, float]:
    """Min, median, 90th percentile and max of a histogram (nearest rank), each times ``scale``."""
    if not counts:
        return {"min": 0.0, "median": 0.0, "p90": 0.0, "max": 0.0}
    values = sorted(counts)
    total = sum(counts.values())

    def rank(q: float) -> float:
        wanted = max(1, -(-int(q * total * 1000) // 1000))  # ceil(q * total), without float drift
        seen = 0
        for v in values:
            seen += counts[v]
            if seen >= wanted:
                return v * scale
        return values[-1] * scale

    return {"min": values[0] * scale, "median": rank(0.5), "p90": rank(0.9), "max": values[-1] * scale}


def route_marks(story: Story, start: str) -> dict[str, str]:
    """Node -> the route a run joins on entering it: any route but the start scene's own."""
    own = story.nodes[start].route
    return {n.id: n.route for n in story.nodes.values() if n.route and n.route != own}


@dataclass
class Reading:
    """What the runs of one group (all, one route, one ending kind) read and decided."""

    runs: int = 0
    words: Counter[int] = field(default_factory=Counter)
    decisions: Counter[int] = field(default_factory=Counter)

    def add(self, words: int, decisions: int, count: int) -> None:
        self.runs += count
        self.words[words] += count
        self.decisions[decisions] += count

    def figures(self) -> dict[str, dict[str, float]]:
        """"words", "decisions" and "minutes", each {"min", "median", "p90", "max"}."""
        return {"words": spread(self.words), "decisions": spread(self.decisions),
                "minutes": spread(self.words, 1 / WORDS_PER_MINUTE)}

    def to_dict(self) -> dict[str, object]:
        return {"runs": self.runs, **self.figures()}


@dataclass
class Stats:
    """What a batch of random runs went through. Decisions count steps at scenes that offered more
    than one choice (rules.is_decision); reading figures cover the runs that reached an ending."""

    runs: int
    seed: int
    step_cap: int
    endings: dict[str, int]
    kinds: dict[str, int]
    node_visits: dict[str, int]
    choice_counts: dict[tuple[str, int], int]
    total_decisions: int = 0
    longest: int = 0
    shortest: int | None = None
    stuck: int = 0  # runs that reached a scene offering no choice
    capped: int = 0  # runs stopped by the step cap
    errored: int = 0  # runs stopped by an expression error
    stuck_at: dict[str, int] = field(default_factory=dict)
    errors: list[RuntimeProblem] = field(default_factory=list)
    asked: int = 0  # runs asked for (more than ``runs`` when the batch stopped early)
    steps: int = 0  # steps taken by all runs together
    max_steps: int = DEFAULT_MAX_STEPS
    interrupted: bool = False  # stopped by Ctrl-C: the runs finished so far
    timed_out: bool = False  # stopped at the deadline its caller gave (sampling inside analysis)
    start: str = ""
    gentle: bool = False
    reading: Reading = field(default_factory=Reading)
    by_route: dict[str, Reading] = field(default_factory=dict)
    by_kind: dict[str, Reading] = field(default_factory=dict)

    @property
    def average(self) -> float:
        return self.total_decisions / self.runs if self.runs else 0.0

    @property
    def finished(self) -> int:
        return sum(self.endings.values())

    @property
    def out_of_steps(self) -> bool:
        """The batch stopped at the bound on total steps before making every run asked for."""
        return not self.interrupted and not self.timed_out and self.runs < self.asked

    def never_reached_nodes(self) -> list[str]:
        return [node for node, n in self.node_visits.items() if n == 0]

    def never_taken_choices(self) -> list[tuple[str, int]]:
        return [key for key, n in self.choice_counts.items() if n == 0]

    def to_dict(self, story: Story) -> dict[str, object]:
        def choice_entry(key: tuple[str, int], n: int) -> dict[str, object]:
            return {"node": key[0], "choice": key[1], "text": story.nodes[key[0]].choices[key[1]].text, "count": n}

        reading = self.reading.figures()
        return {
            "runs": self.runs, "runs_asked": self.asked, "seed": self.seed, "start": self.start,
            "gentle": self.gentle, "step_cap": self.step_cap, "steps": self.steps, "max_steps": self.max_steps,
            "stopped_at_max_steps": self.out_of_steps, "interrupted": self.interrupted,
            "endings": dict(self.endings), "kinds": dict(self.kinds), "finished": self.finished,
            "stuck": self.stuck, "stuck_at": dict(self.stuck_at), "capped": self.capped, "errored": self.errored,
            "errors": [problem.to_dict() for problem in self.errors],
            "average_decisions": self.average, "longest_run": self.longest, "shortest_run": self.shortest,
            "words": reading["words"], "decisions": reading["decisions"], "minutes": reading["minutes"],
            "by_route": {r: g.to_dict() for r, g in self.by_route.items()},
            "by_kind": {k: g.to_dict() for k, g in self.by_kind.items()},
            "nodes": dict(self.node_visits),
            "choices": [choice_entry(k, n) for k, n in self.choice_counts.items()],
            "never_reached_nodes": self.never_reached_nodes(),
            "never_taken_choices": [choice_entry(k, 0) for k in self.never_taken_choices()],
        }


def run_many(story: Story, runs: int, seed: int, step_cap: int = DEFAULT_STEP_CAP, compiled: Rules | None = None,
             *, start: str | None = None, gentle: bool = False, max_steps: int = DEFAULT_MAX_STEPS,
             deadline: float | None = None) -> Stats:
    """``runs`` random playthroughs from one ``random.Random(seed)``: the same seed gives the same stats.

    ``start`` begins every run at that node (variables at their start values). The batch stops early
    once ``max_steps`` steps are taken, on Ctrl-C, or (after one run at least) past ``deadline`` (a
    time.process_time() value: for sampling inside analysis, which is not reproducible anyway);
    ``Stats.runs`` then counts the runs finished."""
    program = compiled or rules.compile_story(story)
    begin = start or program.start
    with no_gc():
        batch = _Batch(story, program, seed, step_cap, begin, gentle, max_steps)
        try:
            batch.run(runs, deadline)
        except KeyboardInterrupt:
            batch.stats.interrupted = True
        return batch.finish(runs)


class _Batch:
    """The counters of one batch and its hot loop."""

    def __init__(self, story: Story, program: Rules, seed: int, step_cap: int, start: str, gentle: bool,
                 max_steps: int) -> None:
        self.story, self.program, self.start = story, program, start
        self.draw = Random(seed).random
        self.start_env = program.start_env()
        scenes = program.scenes
        self.words = Words(story, gentle)
        marks = route_marks(story, start)
        bits = {node_id: 1 << i for i, node_id in enumerate(sorted(rules.tracked_nodes(story)))}
        # per node: its scene, its words when fixed (else None), the route a run first entering it joins,
        # and its bit among the visits some condition or effect reads
        self.look = {n: (scenes[n], self.words.fixed.get(n), marks.get(n), bits.get(n, 0)) for n in scenes}
        self.offers: dict[tuple[object, ...], Sequence[rules.Rule]] = {}
        self.offer_chars = 0
        self.text_keys = [i + 2 for i, v in enumerate(self.start_env.values()) if isinstance(v, str)]
        narrated = self.words.narrated()
        # per rule (by uid): the words each of its outcomes narrates when drawn
        self.narrated = [narrated.get((s.id, r.index), ()) for s in scenes.values() for r in s.rules]
        self.taken = [0] * sum(len(s.rules) for s in scenes.values())
        endings = {s.id: 0 for s in scenes.values() if s.ending_kind is not None}
        self.stats = Stats(0, seed, step_cap, endings, {}, dict.fromkeys(scenes, 0), {}, start=start, gentle=gentle,
                           max_steps=max_steps)
        self.finished: Counter[tuple[int, int, str, str]] = Counter()  # (words, decisions, route, ending)
        self.errors_seen: set[RuntimeProblem] = set()

    def run(self, runs: int, deadline: float | None = None) -> None:
        stats = self.stats
        cap = stats.step_cap
        for n in range(runs):
            if deadline is not None and n and time.process_time() > deadline:
                stats.timed_out = True
                return
            left = stats.max_steps - stats.steps
            if left <= 0:
                return
            capped = stats.capped
            steps, decisions = self.one(min(cap, left))
            stats.steps += steps
            if stats.capped > capped and left < cap:  # cut by the batch's bound, not its own cap: not a run
                stats.capped = capped
                return
            stats.total_decisions += decisions
            stats.runs += 1

    def one(self, limit: int) -> tuple[int, int]:
        """One run from the start: its steps and decisions; everything else is counted here."""
        stats, look, draw, node_visits, taken = self.stats, self.look, self.draw, self.stats.node_visits, self.taken
        offered, take, is_decision = rules.offered, rules.take, rules.is_decision  # locals: this is the hot loop
        offers, narrated = self.offers, self.narrated
        env: dict[str, Value] = self.start_env.copy()
        scene, words, route, mask = look[self.start]
        visited = {scene.id}
        node_visits[scene.id] += 1
        steps = decisions = 0
        try:
            if words is None:
                words = self.words.scene(scene.id, env, visited)
            while scene.ending_kind is None:
                if steps >= limit:
                    stats.capped += 1
                    break
                key = (scene.id, mask, *env.values())
                options = offers.get(key)
                if options is None:
                    options = offered(scene, env, visited)
                    self.remember(key, options)
                count = len(options)
                if not count:
                    stats.stuck += 1
                    stats.stuck_at[scene.id] = stats.stuck_at.get(scene.id, 0) + 1
                    break
                decided = is_decision(count)
                rule = options[int(draw() * count)] if decided else options[0]
                taken[rule.uid] += 1
                steps += 1
                decisions += decided  # counted even if the choice's effects then fail (as in analysis)
                target, outcome = take(scene.id, rule, env, visited, draw() if rule.cumulative else 0.0)
                if outcome is not None:
                    words += narrated[rule.uid][outcome]
                scene, fixed, mark, bit = look[target]
                mask |= bit
                visited.add(target)
                node_visits[target] += 1
                words += fixed if fixed is not None else self.words.scene(target, env, visited)
                if route is None:
                    route = mark
            else:
                self.finished[(words, decisions, route or "", scene.id)] += 1
        except StepError as exc:
            stats.errored += 1
            if exc.problem not in self.errors_seen:
                self.errors_seen.add(exc.problem)
                stats.errors.append(exc.problem)
        return steps, decisions

    def remember(self, key: tuple[object, ...], options: Sequence[rules.Rule]) -> None:
        if len(self.offers) < MAX_REMEMBERED_OFFERS and self.offer_chars < MAX_REMEMBERED_CHARS:
            self.offers[key] = options
            self.offer_chars += sum([len(str(key[i])) for i in self.text_keys])

    def finish(self, asked: int) -> Stats:
        stats, scenes = self.stats, self.program.scenes
        stats.asked = asked
        stats.choice_counts = {(s.id, r.index): self.taken[r.uid] for s in scenes.values() for r in s.rules}
        start_route = self.story.nodes[self.start].route
        for (words, decisions, route, ending), n in sorted(self.finished.items()):
            kind = scenes[ending].ending_kind or ""
            stats.endings[ending] += n
            stats.longest = max(stats.longest, decisions)
            stats.shortest = decisions if stats.shortest is None else min(stats.shortest, decisions)
            stats.reading.add(words, decisions, n)
            joined = route or start_route
            if joined:
                stats.by_route.setdefault(joined, Reading()).add(words, decisions, n)
            stats.by_kind.setdefault(kind, Reading()).add(words, decisions, n)
        for ending, n in stats.endings.items():
            kind = scenes[ending].ending_kind or ""
            stats.kinds[kind] = stats.kinds.get(kind, 0) + n
        return stats
