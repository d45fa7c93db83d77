"""Play state and the rules of a run: which choices are offered, and what choosing one does.

All changing state lives in one RunState (saveable as plain data). The rules themselves live in
crossing.rules, shared with random runs and analysis so that every runtime agrees on what a story
means; ``offered_choices``, ``apply_choice`` and ``pick_outcome`` apply them to authored nodes.
"""

from __future__ import annotations

import random
from collections.abc import Container, Mapping

from crossing import rules, telling
from crossing.errors import ChoiceNotOfferedError, NoChoicesError, StoryRuntimeError
from crossing.expressions import Value
from crossing.immutable import immutable
from crossing.model import Choice, Node, Story

# The run state lives in crossing.state; these names stay importable from here.
from crossing.state import STATE_VERSION, RunState, Step

__all__ = ["STATE_VERSION", "Engine", "OfferedChoice", "RunState", "RunSummary", "Step", "apply_choice",
           "initial_variables", "offered_choices", "pick_outcome", "summarize_run"]


@immutable
class OfferedChoice:
    """A choice as offered now: numbered for the player, pointing back to the authored choice."""

    number: int
    index: int
    choice: Choice

    @property
    def text(self) -> str:
        return self.choice.text


def initial_variables(story: Story) -> dict[str, Value]:
    return {name: variable.initial for name, variable in story.variables.items()}


def _runtime_error(exc: rules.StepError) -> StoryRuntimeError:
    p = exc.problem
    return StoryRuntimeError(p.node, p.expression, p.where, p.message)


def offered_choices(node: Node, env: Mapping[str, Value], visited: Container[str]) -> list[OfferedChoice]:
    """The choices whose condition holds now, numbered from 1 in the order the author wrote them."""
    try:
        offered = rules.offered(rules.compile_node(node), env, visited)
    except rules.StepError as exc:
        raise _runtime_error(exc) from None
    return [OfferedChoice(number, rule.index, node.choices[rule.index]) for number, rule in enumerate(offered, start=1)]


def pick_outcome(choice: Choice, draw: float) -> int:
    """The outcome a uniform draw in [0, 1) lands on: each with probability weight / total."""
    return rules.pick(rules.compile_choice(choice), draw)


def apply_choice(
    story: Story, node: Node, choice: Choice, env: dict[str, Value], visited: Container[str], draw: float
) -> tuple[str, int | None]:
    """Apply a choice's effects to env in place; returns the target node and the outcome drawn."""
    try:
        return rules.take(node.id, rules.compile_choice(choice, variables=story.variables), env, visited, draw)
    except rules.StepError as exc:
        raise _runtime_error(exc) from None


class Engine:
    """A run through a story: the current scene, the offered choices, choosing and going back."""

    def __init__(self, story: Story, seed: int, state: RunState | None = None) -> None:
        self.story = story
        self.state = state or RunState(story.start, initial_variables(story), [story.start], seed)

    @property
    def node(self) -> Node:
        return self.story.nodes[self.state.node]

    @property
    def finished(self) -> bool:
        return self.node.is_ending

    def offered(self) -> list[OfferedChoice]:
        offered = offered_choices(self.node, self.state.variables, self.state.visited)
        if not offered and not self.finished:
            raise NoChoicesError(f"scene '{self.node.id}' offers no choice now: the conditions of all its choices are false")
        return offered

    def draw_for_step(self, step: int) -> float:
        """The random draw of a step depends only on the seed and the step's number, so the same seed
        and choices always give the same run, and going back and choosing again redraws the same."""
        return random.Random(f"{self.state.seed}:{step}").random()

    def choose(self, number: int) -> Step:
        offered = self.offered()
        if not 1 <= number <= len(offered):
            raise ChoiceNotOfferedError(f"choice {number} is not offered (1-{len(offered)})")
        picked = offered[number - 1]
        node, state = self.node, self.state
        before = dict(state.variables)
        draw = self.draw_for_step(len(state.history)) if picked.choice.is_random else None
        target, outcome = apply_choice(self.story, node, picked.choice, state.variables, state.visited, draw or 0.0)
        step = Step(node.id, picked.index, picked.choice.text, target, outcome, draw, before)
        state.history.append(step)
        state.node = target
        state.path.append(target)
        return step

    # -- what the reader is told now (conditions see the state on arrival; see crossing.telling)

    def scene_text(self, gentle: bool) -> str:
        return telling.scene_text(self.story, self.node, self.state.variables, self.state.visited, gentle)

    def debrief_text(self, gentle: bool) -> tuple[str, str]:
        return telling.debrief_text(self.story, self.node, self.state.variables, self.state.visited, gentle)

    def narration(self, step: Step, gentle: bool) -> str | None:
        """What the draw of a step narrates (None for a goto or a silent outcome)."""
        node = self.story.nodes.get(step.node)
        if node is None or not 0 <= step.choice_index < len(node.choices):
            return None
        return telling.narration(self.story, node.choices[step.choice_index], step.outcome_index, gentle)

    def earlier_scene_text(self, index: int, gentle: bool) -> str:
        """The text of the scene where the index-th step of the history was taken, as it was told then."""
        step = self.state.history[index]
        node = self.story.nodes[step.node]
        return telling.scene_text(self.story, node, step.variables_before, set(self.state.path[: index + 1]), gentle)

    def back(self) -> bool:
        """Undo the last choice, its effects and its draw; False at the start of the run."""
        if not self.state.history:
            return False
        step = self.state.history.pop()
        self.state.variables = dict(step.variables_before)
        self.state.path.pop()
        self.state.node = step.node
        return True


@immutable
class RunSummary:
    """What a finished (or interrupted) run went through: for the ending panel and transcripts."""

    steps: int
    risks: dict[str, int]
    routes: list[str]
    places: list[str]
    nodes: list[str]


def summarize_run(story: Story, state: RunState) -> RunSummary:
    risks: dict[str, int] = {}
    routes: list[str] = []
    places: list[str] = []
    for node_id in state.path:
        node = story.nodes.get(node_id)
        if node is None:
            continue
        if node.risk is not None:
            risks[node.risk.level] = risks.get(node.risk.level, 0) + 1
        if node.route and (not routes or routes[-1] != node.route):
            routes.append(node.route)
        if node.place and (not places or places[-1] != node.place):
            places.append(node.place)
    return RunSummary(len(state.history), risks, routes, places, list(state.path))
