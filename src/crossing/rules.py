"""The one set of stepping rules: which choices a scene offers, what taking one does, which outcome a
draw lands on, and what counts as a decision.

A story is compiled once into plain tuples (condition closures, assignments with their clamps,
cumulative weights), so a step evaluates a few closures and draws a number: no parsing or copying.
The engine, random runs and the exact analysis all step through the compiled rules below: the
engine and random runs draw one outcome (``take``); analysis follows every outcome of a rule, with
its ``probabilities``, evaluating conditions and effects through ``holds`` and ``apply``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Container, Mapping, Sequence

from crossing.expressions import EvaluationError, Evaluator, Value
from crossing.immutable import immutable
from crossing.model import Assignment, Choice, Location, Node, Story, Variable

Clamp = Callable[[Value], Value]
# (variable, evaluate, clamp or None, expression source, where it is written: made text only for a message)
Assign = tuple[str, Evaluator, Clamp | None, str, Location]


@immutable
class RuntimeProblem:
    """An expression that failed during a step (a type mismatch, division by zero)."""

    node: str
    expression: str
    where: str
    message: str

    def format(self) -> str:
        return f"{self.where}: in node '{self.node}', expression '{self.expression}': {self.message}"

    def to_dict(self) -> dict[str, str]:
        return {"node": self.node, "expression": self.expression, "where": self.where, "message": self.message}


class StepError(Exception):
    """Raised inside a step; carries the problem for whoever reports it."""

    def __init__(self, problem: RuntimeProblem) -> None:
        super().__init__(problem.format())
        self.problem = problem


@immutable
class Rule:
    """One authored choice, ready to evaluate: everything a step needs, precomputed."""

    uid: int  # position among all choices of the story: counts are kept in a flat list
    index: int  # position among the choices of its node, as authored
    text: str
    condition: Evaluator | None
    condition_source: str
    condition_where: Location
    assigns: tuple[Assign, ...]
    targets: tuple[str, ...]  # one per outcome (one for a plain goto)
    cumulative: tuple[float, ...]  # running sums of the weights (empty for a goto)
    total: float
    outcome_assigns: tuple[tuple[Assign, ...], ...]  # one per target
    probabilities: tuple[float, ...]  # one per target: weight / total (1.0 for a goto)


@immutable
class Scene:
    """One node's rules: its choices, and its ending kind when it is an ending."""

    id: str
    ending_kind: str | None
    rules: tuple[Rule, ...]
    unconditional: bool  # no choice has a condition: every one is always offered


@immutable
class Rules:
    """A whole story compiled: the start, the variables' start values and every scene."""

    start: str
    names: tuple[str, ...]
    initial: tuple[Value, ...]
    scenes: Mapping[str, Scene]

    def start_env(self) -> dict[str, Value]:
        return dict(zip(self.names, self.initial, strict=True))


# ------------------------------------------------------------------------------------ compiling


def _assigns(variables: Mapping[str, Variable], assignments: tuple[Assignment, ...]) -> tuple[Assign, ...]:
    out: list[Assign] = []
    for a in assignments:
        variable = variables.get(a.variable)
        bounded = variable is not None and (variable.minimum is not None or variable.maximum is not None)
        clamp = variable.clamp if bounded and variable is not None else None
        out.append((a.variable, a.expression.evaluate, clamp, a.expression.source, a.loc))
    return tuple(out)


def compile_choice(choice: Choice, index: int = 0, variables: Mapping[str, Variable] | None = None,
                   uid: int = 0) -> Rule:
    """One choice as a rule; without ``variables`` nothing is clamped (enough to offer or draw)."""
    known = variables or {}
    if choice.outcomes:
        running, cumulative = 0.0, []
        for o in choice.outcomes:  # summed in order: the draw's boundaries are these exact floats
            running += o.weight
            cumulative.append(running)
        total = running
        targets = tuple(o.goto for o in choice.outcomes)
        outcome_assigns = tuple(_assigns(known, o.assignments) for o in choice.outcomes)
        probabilities = tuple(o.weight / total for o in choice.outcomes)
        cum = tuple(cumulative)
    else:
        targets, outcome_assigns, cum, total, probabilities = (choice.goto or "",), ((),), (), 0.0, (1.0,)
    condition = choice.condition
    return Rule(uid, index, choice.text, condition.evaluate if condition is not None else None,
                condition.source if condition is not None else "", choice.condition_loc,
                _assigns(known, choice.assignments), targets, cum, total, outcome_assigns, probabilities)


def compile_node(node: Node, variables: Mapping[str, Variable] | None = None, first_uid: int = 0) -> Scene:
    rules = tuple(compile_choice(c, i, variables, first_uid + i) for i, c in enumerate(node.choices))
    kind = node.ending.kind if node.ending is not None else None
    return Scene(node.id, kind, rules, all(r.condition is None for r in rules))


def compile_story(story: Story) -> Rules:
    """Compile every node once; uids number all choices of the story in order."""
    scenes: dict[str, Scene] = {}
    uid = 0
    for node in story.nodes.values():
        scenes[node.id] = compile_node(node, story.variables, uid)
        uid += len(node.choices)
    names = tuple(story.variables)
    return Rules(story.start, names, tuple(story.variables[n].initial for n in names), scenes)


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


# ---------------------------------------------------------------------------------------- stepping


def holds(node_id: str, rule: Rule, env: Mapping[str, Value], visited: Container[str]) -> bool:
    """Whether the choice is offered now: no condition, or one that gives exactly true."""
    if rule.condition is None:
        return True
    try:
        return rule.condition(env, visited) is True
    except EvaluationError as exc:
        raise StepError(RuntimeProblem(node_id, rule.condition_source, str(rule.condition_where), str(exc))) from None


def offered(scene: Scene, env: Mapping[str, Value], visited: Container[str]) -> Sequence[Rule]:
    """The rules offered now, in the order the author wrote them; raises StepError on a failed condition.
    (The same test as ``holds``, written out: random runs call this once a step.)"""
    if scene.unconditional:
        return scene.rules
    out = []
    rule = scene.rules[0]
    try:
        for rule in scene.rules:
            condition = rule.condition
            if condition is None or condition(env, visited) is True:
                out.append(rule)
    except EvaluationError as exc:
        raise StepError(RuntimeProblem(scene.id, rule.condition_source, str(rule.condition_where), str(exc))) from None
    return out


def apply(node_id: str, assigns: tuple[Assign, ...], env: dict[str, Value], visited: Container[str]) -> None:
    """Apply assignments in order to env (mutated), clamping bounded variables."""
    for name, evaluate, clamp, source, where in assigns:
        try:
            value = evaluate(env, visited)
        except EvaluationError as exc:
            raise StepError(RuntimeProblem(node_id, source, str(where), str(exc))) from None
        env[name] = clamp(value) if clamp is not None else value


def pick(rule: Rule, draw: float) -> int:
    """The outcome a uniform draw in [0, 1) lands on: each with probability weight / total."""
    i = bisect_right(rule.cumulative, draw * rule.total)
    last = len(rule.targets) - 1
    return i if i < last else last


def take(node_id: str, rule: Rule, env: dict[str, Value], visited: Container[str], draw: float) -> tuple[str, int | None]:
    """Take a choice: its effects, then (for a random one) the outcome ``draw`` lands on and its
    effects; env is changed in place. Returns the target and the outcome's index (None for a goto)."""
    if rule.assigns:
        apply(node_id, rule.assigns, env, visited)
    if not rule.cumulative:
        return rule.targets[0], None
    i = pick(rule, draw)
    if rule.outcome_assigns[i]:
        apply(node_id, rule.outcome_assigns[i], env, visited)
    return rule.targets[i], i


def is_decision(offered_count: int) -> bool:
    """A step counts as a decision when the scene offered more than one choice: a scene with a single
    way on is read, not decided (stats, analysis, play screens and transcripts all count so)."""
    return offered_count > 1


def count_decisions(offered_counts: Sequence[int]) -> int:
    """Decisions among steps, given how many choices each step's scene offered."""
    return sum(1 for n in offered_counts if n > 1)
