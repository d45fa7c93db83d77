"""Every problem in a loaded story: graph, expressions, sources and authoring lints."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from crossing.diagnostics import Diagnostic, Severity, Validation, sort_diagnostics
from crossing.expressions import Expression, TypeName, infer_type, type_of_value
from crossing.model import Assignment, Location, Node, Story

if TYPE_CHECKING:
    from crossing.loader import LoadResult

# Wording that turns a person's fate into a score; endings describe what happened instead.
WIN_LOSE_WORDING = re.compile(r"\b(you win|you won|you lose|game over|try again|you failed)\b", re.I)
# A sentence that hedges on what the state already knows ("If you have papers, ..."): a condition can decide it.
HEDGE = re.compile(r"(if you have|if you had|if you paid|if you are|if there is|if there's|if there’s)\b", re.I)
# Quoted speech is exempt from the hedge lint: a character may well say "if you have papers".
QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’")
SENTENCE_START = re.compile(r"(?:^|(?<=[.!?…])[)\]]?\s+|\n\s*)(\S)")


class _Checker:
    def __init__(self, story: Story, broken: set[str], incomplete: bool) -> None:
        self.story = story
        # Ids written but unusable (already reported); with a file unreadable, every id may be one.
        self.broken = broken
        self.incomplete = incomplete
        self.found: list[Diagnostic] = []
        self.types: dict[str, TypeName] = {n: type_of_value(v.initial) for n, v in story.variables.items()}
        self.good: dict[str, TypeName | None] = {}

    def add(self, loc: Location, code: str, message: str, severity: Severity = "error") -> None:
        self.found.append(Diagnostic(loc.file, loc.line, loc.column, severity, code, message))

    def suggest(self, name: str, known: Iterable[str]) -> str:
        guess = difflib.get_close_matches(name, list(known), n=1)
        return f" (did you mean '{guess[0]}'?)" if guess else ""

    # -- expressions

    def expression(self, expr: Expression, loc: Location, node: Node, role: str) -> TypeName | None:
        # The same expression text is one shared object; a known-good one needs no second look.
        if expr.source in self.good and role != "condition":
            return self.good[expr.source]
        ok = True
        for name in expr.names():
            if name.name not in self.types:
                ok = False
                self.add(loc, "unknown-variable",
                         f"'{expr.source}' in node '{node.id}' uses the undeclared variable '{name.name}'"
                         f"{self.suggest(name.name, self.types)}")
        for ref in expr.visited_ids():
            if not self.known(ref.node_id):
                ok = False
                self.add(loc, "unknown-node",
                         f"'{expr.source}' in node '{node.id}' refers to the unknown node '{ref.node_id}'"
                         f"{self.suggest(ref.node_id, self.story.nodes)}")
        if not ok:
            return None
        result, problems = infer_type(expr.tree, self.types)
        for problem in problems:
            self.add(loc, "expression-type", f"'{expr.source}' in node '{node.id}': {problem.message}")
        if problems:
            return None
        if role == "condition" and result not in (None, "bool"):
            self.add(loc, "expression-type", f"the condition '{expr.source}' in node '{node.id}' must be true or false, not a {result}")
        self.good[expr.source] = result
        return result

    def assignment_types(self, node: Node, assignments: Iterable[Assignment]) -> None:
        for assignment in assignments:
            variable, expr, loc = assignment.variable, assignment.expression, assignment.loc
            value_type = self.expression(expr, loc, node, "value")
            wanted = self.types.get(variable)
            if value_type is not None and wanted is not None and value_type != wanted:
                self.add(loc, "expression-type", f"'{variable}' holds a {wanted}, but '{expr.source}' gives a {value_type}")

    # -- the checks

    def known(self, node_id: str) -> bool:
        return node_id in self.story.nodes or node_id in self.broken or self.incomplete

    def run(self, goto_refs: list[tuple[str, Location]]) -> list[Diagnostic]:
        story = self.story
        if not self.known(story.start):
            self.add(story.start_loc, "unknown-start", f"start names the unknown node '{story.start}'{self.suggest(story.start, story.nodes)}")
        for target, loc in goto_refs:
            if not self.known(target):
                self.add(loc, "unknown-node", f"goto to the unknown node '{target}'{self.suggest(target, story.nodes)}")
        cited: set[str] = set()
        for node in story.nodes.values():
            self.node(node, cited)
        self.found.extend(weight_sum_problems(story))
        for source in story.sources.values():
            if source.id not in cited and not self.incomplete:  # an unread file may cite it
                self.add(source.loc, "unused-source", f"source '{source.id}' is never cited", "warning")
        if not self.incomplete:
            self.graph()
        return self.found

    def text_conditions(self, node: Node) -> None:
        for passage in node.passages():
            for expr, loc in passage.conditions():
                self.expression(expr, loc, node, "condition")

    def hedges(self, node: Node) -> None:
        """Scene text that hedges on the state ("If you have papers...") outside quoted speech."""
        for passage in (node.text, node.gentle_text):
            for paragraph in passage.paragraphs if passage is not None else ():
                for text in (paragraph.text, paragraph.otherwise):
                    sentence = _first_hedge(text) if text else None
                    if sentence is not None:
                        self.add(paragraph.loc, "hedge",
                                 f"node '{node.id}' hedges: '{sentence}': let a condition decide what the player is told "
                                 "(a paragraph with 'if')", "warning")

    def gentle_variants(self, node: Node) -> None:
        """A scene with content warnings should have a gentler telling of everything a player sees there."""
        if not node.content_warnings:
            return
        if node.gentle_text is None:
            self.add(node.loc, "no-gentle-text", f"node '{node.id}' has content warnings but no gentle_text", "warning")
        for fact in node.facts:
            if fact.gentle_claim is None:
                self.add(fact.loc, "no-gentle-claim",
                         f"a fact of node '{node.id}' has no gentle_claim, so gentle mode does not show it (the scene has content warnings)",
                         "warning")
        for choice in node.choices:
            for outcome in choice.outcomes:
                if outcome.text is not None and outcome.gentle_text is None:
                    self.add(outcome.loc, "no-gentle-outcome",
                             f"an outcome in node '{node.id}' narrates itself but has no gentle_text (the scene has content warnings)", "warning")
        debrief = node.ending.debrief if node.ending is not None else None
        if debrief is not None and (debrief.gentle_why is None or debrief.gentle_context is None):
            self.add(node.ending.loc if node.ending else node.loc, "no-gentle-debrief",
                     f"ending '{node.id}' has content warnings but its debrief has no gentle_why and gentle_context", "warning")

    def node(self, node: Node, cited: set[str]) -> None:
        story = self.story
        self.text_conditions(node)
        self.hedges(node)
        self.gentle_variants(node)
        for choice in node.choices:
            if choice.condition is not None:
                self.expression(choice.condition, choice.condition_loc, node, "condition")
            self.assignment_types(node, choice.assignments)
            for outcome in choice.outcomes:
                self.assignment_types(node, outcome.assignments)
        for fact in node.facts:
            if not fact.source:
                self.add(fact.loc, "fact-without-source", f"a fact in node '{node.id}' names no source", "warning")
            elif fact.source not in story.sources:
                self.add(fact.loc, "unknown-source", f"fact cites the unknown source '{fact.source}'{self.suggest(fact.source, story.sources)}")
            cited.add(fact.source)
        if not node.is_ending and not node.facts:
            self.add(node.loc, "scene-without-fact", f"scene '{node.id}' rests on no fact", "warning")
        if story.places and node.place is not None and node.place not in story.places:
            self.add(node.place_loc, "unknown-place", f"node '{node.id}' happens at the unknown place '{node.place}'{self.suggest(node.place, story.places)}")
        if story.routes and node.route is not None and node.route not in story.routes:
            self.add(node.loc, "unknown-route", f"node '{node.id}' belongs to the unknown route '{node.route}'{self.suggest(node.route, story.routes)}")
        if node.ending is not None:
            if story.ending_kinds and node.ending.kind not in story.ending_kinds:
                self.add(node.ending.loc, "unknown-ending-kind", f"ending kind '{node.ending.kind}' is not declared in ending_kinds")
            wording = " ".join([*node.text.strings(), node.ending.title, *(node.gentle_text.strings() if node.gentle_text else ())])
            match = WIN_LOSE_WORDING.search(wording)
            if match:
                self.add(node.loc, "win-lose-wording",
                         f"ending '{node.id}' says '{match.group(0)}': describe what happened, not a score", "warning")

    def graph(self) -> None:
        story = self.story
        nodes = story.nodes
        # Ignoring conditions: a node that cannot reach an ending even so can never finish a run.
        incoming: dict[str, list[str]] = {node_id: [] for node_id in nodes}
        can_end = {node.id for node in nodes.values() if node.is_ending} | self.broken
        for node in nodes.values():
            for choice in node.choices:
                for target in choice.targets:
                    if target in incoming:
                        incoming[target].append(node.id)
                    else:  # an unknown target is reported already; don't blame the path to it again
                        can_end.add(node.id)
        stack = list(can_end)
        while stack:
            for previous in incoming.get(stack.pop(), ()):
                if previous not in can_end:
                    can_end.add(previous)
                    stack.append(previous)
        reachable = reachable_from(story, story.start)
        for node in nodes.values():
            if node.id not in can_end and node.choices:
                self.add(node.loc, "no-ending-reachable", f"no ending can be reached from node '{node.id}'")
            if story.start in nodes and node.id not in reachable and not self.broken:
                self.add(node.loc, "unreachable", f"node '{node.id}' cannot be reached from the start", "warning")


def _first_hedge(text: str) -> str | None:
    """The first sentence outside quotation marks that opens with a hedge, shortened for a message."""
    unquoted = QUOTED.sub(lambda m: " " * len(m.group(0)), text)
    for match in SENTENCE_START.finditer(unquoted):
        start = match.start(1)
        if HEDGE.match(unquoted, start):
            sentence = re.split(r"(?<=[.!?])\s", text[start:], maxsplit=1)[0]
            return sentence if len(sentence) <= 60 else sentence[:57] + "..."
    return None


def reachable_from(story: Story, start: str) -> set[str]:
    """Nodes reachable from start, following every choice regardless of its condition."""
    if start not in story.nodes:
        return set()
    seen = {start}
    stack = [start]
    while stack:
        for choice in story.nodes[stack.pop()].choices:
            for target in choice.targets:
                if target not in seen and target in story.nodes:
                    seen.add(target)
                    stack.append(target)
    return seen


def validate_loaded(result: LoadResult, *, explore: bool = True) -> Validation:
    """Every problem in a loaded story. Without explore, the one lint that explores the story's states
    (an ending random play never reaches) is left out: it can only warn, and playing needs only errors."""
    found = list(result.diagnostics)
    if result.story is not None:
        found.extend(_Checker(result.story, result.broken_nodes, result.incomplete).run(result.goto_refs))
        if explore and not any(d.severity == "error" for d in found):
            from crossing.textlint import constant_conditions

            found.extend(never_reached_endings(result.story))
            found.extend(constant_conditions(result.story))
    return Validation(result.story, sort_diagnostics(found))


def weight_sum_problems(story: Story) -> list[Diagnostic]:
    """Outcome weights whose sum is not a finite number (1.0e+308 three times overflows to infinity):
    every draw would then land on the last outcome, and analysis would lose probability. Each weight
    alone is checked where it is read."""
    import math

    found: list[Diagnostic] = []
    for node in story.nodes.values():
        for choice in node.choices:
            weights = [o.weight for o in choice.outcomes]
            if weights and all(math.isfinite(w) for w in weights) and not math.isfinite(sum(weights)):
                loc = choice.loc
                found.append(Diagnostic(loc.file, loc.line, loc.column, "error", "bad-weight",
                                        f"the outcome weights of choice '{choice.text}' add up to more than a "
                                        "number can hold; use smaller weights (only their ratios matter)"))
    return found


def validate_path(path: str | object, *, explore: bool = True) -> Validation:
    from crossing.loader import load_story  # PyYAML only when a story is really parsed

    return validate_loaded(load_story(str(path)), explore=explore)


# The reachability lint explores the story's states under a small budget (validate must stay about as
# fast as parsing the YAML); past it the lint is skipped rather than guessed. Small stories get a
# larger share (a few milliseconds either way), big ones about 2 states a node (a few % of the parse).
LINT_STATES_PER_NODE = 2
LINT_MIN_STATES = 2_000
LINT_MAX_STATES = 20_000
LINT_SMALL_STORY_WORK = 3_000_000  # states x nodes
LINT_SECONDS = 0.05
# A small story is checked in full even on a slow machine: a quarter second is still instant to a person.
LINT_SMALL_STORY_SECONDS = 0.25
# Up to this many nodes the lint first finds the values no later choice reads (merging states that
# differ only there); on bigger stories that pass alone would cost more than the budget allows.
LINT_LIVENESS_NODES = 500


def never_reached_endings(story: Story) -> list[Diagnostic]:
    """Endings random play can never reach (probability zero), when the exploration fits the budget."""
    import time

    from crossing.analysis import unreachable_endings

    nodes = max(1, len(story.nodes))
    budget = min(LINT_MAX_STATES, max(LINT_MIN_STATES, LINT_STATES_PER_NODE * nodes, LINT_SMALL_STORY_WORK // nodes))
    seconds = LINT_SMALL_STORY_SECONDS if nodes <= LINT_LIVENESS_NODES else LINT_SECONDS
    missing = unreachable_endings(story, budget, time.monotonic() + seconds, nodes <= LINT_LIVENESS_NODES)
    out: list[Diagnostic] = []
    for node_id in missing or ():
        loc = story.nodes[node_id].loc
        out.append(Diagnostic(loc.file, loc.line, loc.column, "warning", "ending-never-reached",
                              f"ending '{node_id}' is never reached by random play (probability 0): "
                              "no sequence of choices and outcomes from the start leads to it"))
    return out
