"""The lint for text that cannot answer the player: a paragraph whose condition is true in every state
the story can reach at its node (the `if` is pointless), or in none (the paragraph is never shown).

It walks every reachable state (node, variables, the visits that some `visited()` reads) through the
one set of stepping rules, within a budget of states and time; past the budget it makes no claim.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator

from crossing import rules
from crossing.diagnostics import Diagnostic
from crossing.expressions import EvaluationError, Expression, Value
from crossing.immutable import immutable
from crossing.model import Location, Story

# validate stays about as fast as parsing: a small story is checked in full, a big one is left alone.
DEFAULT_STATES = 20_000
DEFAULT_SECONDS = 0.25

State = tuple[str, tuple[Value, ...], frozenset[str]]


@immutable
class _Condition:
    node: str
    expression: Expression
    loc: Location


def _conditions(story: Story) -> dict[str, list[_Condition]]:
    found: dict[str, list[_Condition]] = {}
    for node in story.nodes.values():
        for passage in node.passages():
            for expression, loc in passage.conditions():
                found.setdefault(node.id, []).append(_Condition(node.id, expression, loc))
    return found


def _tracked(story: Story, conditions: dict[str, list[_Condition]]) -> frozenset[str]:
    """Visits that matter: those a choice or a paragraph reads through visited()."""
    text = {ref.node_id for cs in conditions.values() for c in cs for ref in c.expression.visited_ids()}
    return rules.tracked_nodes(story) | text


def _successors(program: rules.Rules, state: State, tracked: frozenset[str]) -> Iterator[State]:
    node_id, values, visits = state
    scene = program.scenes[node_id]
    env = dict(zip(program.names, values, strict=True))
    for rule in rules.offered(scene, env, visits):
        for index, target in enumerate(rule.targets):
            after = dict(env)
            rules.apply(node_id, rule.assigns, after, visits)
            if rule.cumulative:
                rules.apply(node_id, rule.outcome_assigns[index], after, visits)
            arrived = visits | {target} if target in tracked else visits
            yield target, tuple(after[n] for n in program.names), arrived


def constant_conditions(story: Story, max_states: int = DEFAULT_STATES, seconds: float = DEFAULT_SECONDS) -> list[Diagnostic]:
    """A warning for each paragraph condition that is always or never true where it is evaluated;
    nothing when the story has no such conditions or its states do not fit the budget."""
    conditions = _conditions(story)
    if not conditions or story.start not in story.nodes:
        return []
    program = rules.compile_story(story)
    tracked = _tracked(story, conditions)
    start_visits = frozenset({story.start}) & tracked
    start: State = (story.start, tuple(program.initial), start_visits)
    seen: set[State] = {start}
    queue = deque([start])
    results: dict[int, set[bool]] = {}
    deadline = time.monotonic() + seconds
    while queue:
        state = queue.popleft()
        node_id, values, visits = state
        if node_id not in program.scenes:
            continue
        env = dict(zip(program.names, values, strict=True))
        for number, condition in enumerate(conditions.get(node_id, ())):
            try:
                results.setdefault(id(condition) ^ number, set()).add(condition.expression.evaluate(env, visits | {node_id}) is True)
            except EvaluationError:
                continue  # a runtime problem: reported by analysis, not here
        try:
            following = list(_successors(program, state, tracked))
        except rules.StepError:
            continue
        for successor in following:
            if successor not in seen:
                seen.add(successor)
                queue.append(successor)
        if len(seen) > max_states or time.monotonic() > deadline:
            return []  # too many states to be sure: no claim
    out: list[Diagnostic] = []
    for node_id, listed in conditions.items():
        for number, condition in enumerate(listed):
            values_seen = results.get(id(condition) ^ number)
            if values_seen is None or len(values_seen) != 1:
                continue  # never reached (another lint's business) or both ways
            always = values_seen == {True}
            out.append(Diagnostic(
                condition.loc.file, condition.loc.line, condition.loc.column, "warning",
                "condition-always-true" if always else "condition-never-true",
                f"the condition '{condition.expression.source}' in node '{node_id}' is "
                + ("true in every state the story can reach there: the paragraph needs no 'if'" if always
                   else "false in every state the story can reach there: the paragraph is never shown"),
            ))
    return out
