"""Random playthroughs in bulk (like ChoiceScript's randomtest): ending frequencies and coverage.

The story is compiled once into plain tuples (condition closures, cumulative weights, clamping), so a
step evaluates a few closures and draws one or two numbers: no parsing, copying or rendering. The
rules are those of crossing.engine (a random player picks uniformly among offered choices, then an
outcome with probability weight / total) and ``compile_story`` is shared with crossing.analysis.
"""

from __future__ import annotations

import gc
from bisect import bisect_right
from collections.abc import Callable, Container, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from random import Random

from crossing.expressions import EvaluationError, Evaluator, Value
from crossing.model import Assignment, Story

DEFAULT_RUNS = 1_000
# A run longer than this is stopped and counted as capped: a loop no condition ends must not hang.
DEFAULT_STEP_CAP = 10_000

Clamp = Callable[[Value], Value]
# (variable, evaluator, clamp or None, expression source, file:line:col)
CAssign = tuple[str, Evaluator, Clamp | None, str, str]


@dataclass(frozen=True, slots=True)
class CChoice:
    """One authored choice, ready to evaluate: everything a step needs, precomputed."""

    uid: int  # position among all choices of the story: counts are kept in a flat list
    index: int
    text: str
    condition: Evaluator | None
    condition_source: str
    condition_where: str
    assigns: tuple[CAssign, ...]
    targets: tuple[str, ...]
    cumulative: tuple[float, ...]  # running sums of the weights (empty for a goto)
    total: float
    outcome_assigns: tuple[tuple[CAssign, ...], ...]


@dataclass(frozen=True, slots=True)
class CNode:
    id: str
    ending_kind: str | None
    choices: tuple[CChoice, ...]


@dataclass(frozen=True, slots=True)
class Compiled:
    start: str
    names: tuple[str, ...]
    initial: tuple[Value, ...]
    nodes: Mapping[str, CNode]


@dataclass(frozen=True, slots=True)
class RuntimeProblem:
    """An expression that failed during a run (a type mismatch, division by zero)."""

    node: str
    expression: str
    where: str
    message: str

    def format(self) -> str:
        return f"{self.where}: in node '{self.node}', expression '{self.expression}': {self.message}"

    def to_dict(self) -> dict[str, str]:
        return {"node": self.node, "expression": self.expression, "where": self.where, "message": self.message}


class StepError(Exception):
    """Raised inside a step; carries the problem for the report."""

    def __init__(self, problem: RuntimeProblem) -> None:
        super().__init__(problem.format())
        self.problem = problem


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


def tracked_nodes(story: Story) -> frozenset[str]:
    """Node ids some visited("...") refers to: the only visits that can change what happens."""
    found: set[str] = set()
    for node in story.nodes.values():
        for choice in node.choices:
            if choice.condition is not None:
                found.update(ref.node_id for ref in choice.condition.visited_ids())
            for a in (*choice.assignments, *(a for o in choice.outcomes for a in o.assignments)):
                found.update(ref.node_id for ref in a.expression.visited_ids())
    return frozenset(found)


def _assigns(story: Story, assignments: tuple[Assignment, ...]) -> tuple[CAssign, ...]:
    out: list[CAssign] = []
    for a in assignments:
        variable = story.variables.get(a.variable)
        bounded = variable is not None and (variable.minimum is not None or variable.maximum is not None)
        clamp = variable.clamp if bounded and variable is not None else None
        out.append((a.variable, a.expression.evaluate, clamp, a.expression.source, str(a.loc)))
    return tuple(out)


def compile_story(story: Story) -> Compiled:
    """Turn the authored story into the tuples random runs and analysis step through."""
    nodes: dict[str, CNode] = {}
    uid = 0
    for node in story.nodes.values():
        choices: list[CChoice] = []
        for index, choice in enumerate(node.choices):
            if choice.outcomes:
                total = sum(o.weight for o in choice.outcomes)
                running, cumulative = 0.0, []
                for o in choice.outcomes:  # summed in order, exactly like engine.pick_outcome
                    running += o.weight
                    cumulative.append(running)
                targets = tuple(o.goto for o in choice.outcomes)
                outcome_assigns = tuple(_assigns(story, o.assignments) for o in choice.outcomes)
                cum = tuple(cumulative)
            else:
                targets, outcome_assigns, cum, total = (choice.goto or "",), ((),), (), 0.0
            choices.append(
                CChoice(
                    uid,
                    index,
                    choice.text,
                    choice.condition.evaluate if choice.condition is not None else None,
                    choice.condition.source if choice.condition is not None else "",
                    str(choice.condition_loc),
                    _assigns(story, choice.assignments),
                    targets,
                    cum,
                    total,
                    outcome_assigns,
                )
            )
            uid += 1
        kind = node.ending.kind if node.ending is not None else None
        nodes[node.id] = CNode(node.id, kind, tuple(choices))
    names = tuple(story.variables)
    initial = tuple(story.variables[n].initial for n in names)
    return Compiled(story.start, names, initial, nodes)


def apply(node_id: str, assigns: tuple[CAssign, ...], env: dict[str, Value], visited: Container[str]) -> None:
    """Apply assignments in order to env (mutated), clamping bounded variables as the engine does."""
    for name, evaluate, clamp, source, where in assigns:
        try:
            value = evaluate(env, visited)
        except EvaluationError as exc:
            raise StepError(RuntimeProblem(node_id, source, where, str(exc))) from None
        env[name] = clamp(value) if clamp is not None else value


# ------------------------------------------------------------------------------------------ stats


@dataclass
class Stats:
    """What a batch of random runs went through."""

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

    @property
    def average(self) -> float:
        return self.total_decisions / self.runs if self.runs else 0.0

    @property
    def finished(self) -> int:
        return sum(self.endings.values())

    def never_reached_nodes(self) -> list[str]:
        return [node for node, n in self.node_visits.items() if n == 0]

    def never_taken_choices(self) -> list[tuple[str, int]]:
        return [key for key, n in self.choice_counts.items() if n == 0]

    def to_dict(self, story: Story) -> dict[str, object]:
        def choice_entry(key: tuple[str, int], n: int) -> dict[str, object]:
            return {"node": key[0], "choice": key[1], "text": story.nodes[key[0]].choices[key[1]].text, "count": n}

        return {
            "runs": self.runs,
            "seed": self.seed,
            "step_cap": self.step_cap,
            "endings": dict(self.endings),
            "kinds": dict(self.kinds),
            "finished": self.finished,
            "stuck": self.stuck,
            "stuck_at": dict(self.stuck_at),
            "capped": self.capped,
            "errored": self.errored,
            "errors": [problem.to_dict() for problem in self.errors],
            "average_decisions": self.average,
            "longest_run": self.longest,
            "shortest_run": self.shortest,
            "nodes": dict(self.node_visits),
            "choices": [choice_entry(k, n) for k, n in self.choice_counts.items()],
            "never_reached_nodes": self.never_reached_nodes(),
            "never_taken_choices": [choice_entry(k, 0) for k in self.never_taken_choices()],
        }


def run_many(story: Story, runs: int, seed: int, step_cap: int = DEFAULT_STEP_CAP,
             compiled: Compiled | None = None) -> Stats:
    """``runs`` random playthroughs from one ``random.Random(seed)``: the same seed gives the same stats."""
    with no_gc():
        return _run_many(story, runs, seed, step_cap, compiled or compile_story(story))


def _run_many(story: Story, runs: int, seed: int, step_cap: int, program: Compiled) -> Stats:
    nodes = program.nodes
    rng = Random(seed)
    draw = rng.random
    start_env = dict(zip(program.names, program.initial, strict=True))
    node_visits = dict.fromkeys(nodes, 0)
    taken = [0] * sum(len(n.choices) for n in nodes.values())
    endings = {n.id: 0 for n in nodes.values() if n.ending_kind is not None}
    stats = Stats(runs, seed, step_cap, endings, {}, node_visits, {})
    errors_seen: set[RuntimeProblem] = set()
    total = 0
    for _ in range(runs):
        env = start_env.copy()
        node = nodes[program.start]
        visited = {node.id}
        node_visits[node.id] += 1
        steps = 0
        try:
            while node.ending_kind is None:
                if steps >= step_cap:
                    stats.capped += 1
                    break
                options: list[CChoice] = []
                for choice in node.choices:  # engine.offered_choices, inlined: this is the hot loop
                    if choice.condition is not None:
                        try:
                            if choice.condition(env, visited) is not True:
                                continue
                        except EvaluationError as exc:
                            raise StepError(RuntimeProblem(node.id, choice.condition_source,
                                                           choice.condition_where, str(exc))) from None
                    options.append(choice)
                if not options:
                    stats.stuck += 1
                    stats.stuck_at[node.id] = stats.stuck_at.get(node.id, 0) + 1
                    break
                choice = options[int(draw() * len(options))] if len(options) > 1 else options[0]
                taken[choice.uid] += 1
                steps += 1  # the decision counts even if its effects then fail (as in analysis)
                if choice.assigns:
                    apply(node.id, choice.assigns, env, visited)
                if choice.cumulative:
                    i = bisect_right(choice.cumulative, draw() * choice.total)
                    if i >= len(choice.targets):
                        i = len(choice.targets) - 1
                    if choice.outcome_assigns[i]:
                        apply(node.id, choice.outcome_assigns[i], env, visited)
                    target = choice.targets[i]
                else:
                    target = choice.targets[0]
                node = nodes[target]
                visited.add(target)
                node_visits[target] += 1
            else:
                endings[node.id] += 1
                # Shortest and longest count the runs that reached an ending, not stuck or capped ones.
                stats.longest = max(stats.longest, steps)
                stats.shortest = steps if stats.shortest is None else min(stats.shortest, steps)
        except StepError as exc:
            stats.errored += 1
            if exc.problem not in errors_seen:
                errors_seen.add(exc.problem)
                stats.errors.append(exc.problem)
        total += steps
    stats.total_decisions = total
    for node_id, n in endings.items():
        kind = nodes[node_id].ending_kind or ""
        stats.kinds[kind] = stats.kinds.get(kind, 0) + n
    stats.choice_counts = {(n.id, c.index): taken[c.uid] for n in nodes.values() for c in n.choices}
    return stats
