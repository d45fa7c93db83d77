"""The state of a run, encoded for exploration, and one step from a state through crossing.rules.

The state of a run is (node, variables, visits of the nodes some ``visited()`` refers to): nothing
else can change what happens next. A state is one int, ((values id * nodes + node) << bits) | visits,
where value vectors are interned as small ints, so states hash and compare fast. Evaluating a
condition or an assignment goes through crossing.rules and is memoised on (values id, the visits it
reads): conditions and effects repeat across nodes and states far more often than they differ.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from crossing import rules
from crossing.expressions import Expression, Value
from crossing.model import Story
from crossing.rules import Assign, Rule, RuntimeProblem, StepError

# State status
TRANSIENT, ENDING, DEAD_END, ERROR = 0, 1, 2, 3
# Rough bytes one explored state holds (index entry, per-state lists, targets): for the memory bound.
STATE_BYTES = 400
VALUE_BYTES = 120  # one interned value vector, beyond the characters of its text values


class Program:
    """A condition or a sequence of assignments, with its memo keyed on (values id, visits read)."""

    __slots__ = ("assigns", "memo", "refmask")

    def __init__(self, refmask: int, assigns: tuple[Assign, ...]) -> None:
        self.refmask = refmask
        self.assigns = assigns
        self.memo: dict[int, Any] = {}


# An outcome: (target node, assignment program or None, target's visit bit, target is an ending,
#              the visits still live at the target, whether some variable is dead there, its own assigns
#              (a shared program remembers the first occurrence's lines: a failure is told at these)
Outcome = tuple[int, Program | None, int, bool, int, bool, tuple[Assign, ...]]
# A choice: (its rule, condition program or None, choice-assignment program or None, outcomes)
Compiled = tuple[Rule, Program | None, Program | None, tuple[Outcome, ...]]
# What one step from a state gives: (status, node, the offered choices' indices or a problem key,
# target keys: a list the search may rewrite in place, or () when there are none)
Expansion = tuple[int, int, Any, Sequence[int]]


def _same(expression: Expression) -> tuple[str, Any]:
    """What makes two expressions the same program, so they share one memo: their text and tree, not
    their identity (a story read back from the checked-story cache has a new object for every use)."""
    return expression.source, expression.tree


def located(problem: RuntimeProblem, node_id: str, shared: Program | None = None,
            own: tuple[Assign, ...] = ()) -> RuntimeProblem:
    """The problem at node_id. A shared program remembers the problem as its first occurrence met it:
    the assignment that failed is told at this occurrence's own line (``own``: this choice's assigns)."""
    if shared is not None:
        for theirs, mine in zip(shared.assigns, own, strict=False):
            if str(theirs[4]) == problem.where:  # (variable, evaluate, clamp, source, loc)
                return RuntimeProblem(node_id, mine[3], str(mine[4]), problem.message)
    return RuntimeProblem(node_id, problem.expression, problem.where, problem.message)


class Explorer:
    """The story compiled for state enumeration; shared by ``analyze`` and the reachability lint."""

    def __init__(self, story: Story, liveness: bool = True, start: str | None = None) -> None:
        self.story = story
        self.start = start or story.start
        self.names = tuple(story.variables)
        initial = tuple(story.variables[n].initial for n in self.names)
        self.node_ids = list(story.nodes)
        self.node_index = {node_id: i for i, node_id in enumerate(self.node_ids)}
        self.tracked = sorted(rules.tracked_nodes(story))
        self.bits = len(self.tracked)
        self.bit = {node_id: 1 << i for i, node_id in enumerate(self.tracked)}
        self.node_bit = [self.bit.get(node_id, 0) for node_id in self.node_ids]
        self.is_end = [story.nodes[n].ending is not None for n in self.node_ids]
        self.values: list[tuple[Value, ...]] = [initial]
        self.value_id: dict[tuple[Value, ...], int] = {initial: 0}
        self.value_bytes = 0  # bytes held by interned values: text that grows is the memory risk
        self.text_positions = [i for i, v in enumerate(initial) if isinstance(v, str)]
        self._visit_sets: dict[int, frozenset[str]] = {}
        self._shared: dict[Any, Program] = {}
        # Nodes are compiled (rules.compile_node) when first expanded: the budgeted lint may look at a
        # few of them only. probabilities[node][choice]: each outcome's, for the merged graph.
        self.choices: list[tuple[Compiled, ...] | None] = [None] * len(self.node_ids)
        self.probabilities: list[list[tuple[float, ...]]] = [[] for _ in self.node_ids]
        self.initial = initial
        self._canon: dict[int, int] = {}
        if liveness:
            from crossing.analysis.liveness import liveness as find_live

            self.live_bits, self.dead = find_live(self)
        else:  # everything kept: exact too, just more states (the cheap lint on big stories)
            self.live_bits = [(1 << self.bits) - 1] * len(self.node_ids)
            self.dead = [()] * len(self.node_ids)

    def refmask(self, exprs: Sequence[Any]) -> int:
        return sum({self.bit.get(ref.node_id, 0) for expr in exprs for ref in expr.visited_ids()})

    def intern(self, values: tuple[Value, ...]) -> int:
        found = self.value_id.get(values, -1)
        if found < 0:
            found = self.value_id[values] = len(self.values)
            self.values.append(values)
            self.value_bytes += VALUE_BYTES
            if self.text_positions:
                self.value_bytes += sum([len(str(values[p])) for p in self.text_positions])
        return found

    def canonical(self, vid: int, node: int) -> int:
        """The values id with the variables dead at node reset to their start values (memoised; the
        explorer looks the memo up first)."""
        values = list(self.values[vid])
        for p in self.dead[node]:
            values[p] = self.initial[p]
        interned = tuple(values)
        found = self.value_id.get(interned, -1)
        if found < 0:
            found = self.intern(interned)
        self._canon[vid * len(self.node_ids) + node] = found
        return found

    def _program(self, key: Any, refmask: int, assigns: tuple[Assign, ...]) -> Program:
        found = self._shared.get(key)
        if found is None:
            found = self._shared[key] = Program(refmask, assigns)
        return found

    def compile_node(self, node_index: int) -> tuple[Compiled, ...]:
        node_id = self.node_ids[node_index]
        node = self.story.nodes[node_id]
        built: list[Compiled] = []
        scene = rules.compile_node(node, self.story.variables)
        self.probabilities[node_index] = [rule.probabilities for rule in scene.rules]
        for rule, choice in zip(scene.rules, node.choices, strict=True):
            condition = None
            if rule.condition is not None and choice.condition is not None:
                condition = self._program(("if", *_same(choice.condition)), self.refmask([choice.condition]), ())
            pre = self._assigns(rule.assigns, [a.expression for a in choice.assignments])
            outs = []
            for target, assigns, outcome in zip(rule.targets, rule.outcome_assigns, choice.outcomes or (None,),
                                                strict=True):
                post = self._assigns(assigns, [a.expression for a in outcome.assignments] if outcome else [])
                t = self.node_index[target]
                outs.append((t, post, self.node_bit[t], self.is_end[t], self.live_bits[t], bool(self.dead[t]), assigns))
            built.append((rule, condition, pre, tuple(outs)))
        compiled = tuple(built)
        self.choices[node_index] = compiled
        return compiled

    def _assigns(self, assigns: tuple[Assign, ...], exprs: list[Any]) -> Program | None:
        if not assigns:
            return None
        key = ("set", tuple((a[0], *_same(e), a[2] is not None) for a, e in zip(assigns, exprs, strict=True)))
        return self._program(key, self.refmask(exprs), assigns)

    def visits(self, mask: int) -> frozenset[str]:
        found = self._visit_sets.get(mask)
        if found is None:
            found = self._visit_sets[mask] = frozenset(n for n in self.tracked if mask & self.bit[n])
        return found

    def env(self, vid: int) -> dict[str, Value]:
        return dict(zip(self.names, self.values[vid], strict=True))

    def condition(self, program: Program, rule: Rule, vid: int, mask: int) -> bool | str:
        """Whether the rule is offered (memo miss): True/False, or the evaluation error's message."""
        try:
            held: bool | str = rules.holds("", rule, self.env(vid), self.visits(mask))
        except StepError as exc:
            held = exc.problem.message
        program.memo[(vid << self.bits) | (mask & program.refmask)] = held
        return held

    def assign(self, program: Program, vid: int, mask: int) -> int | RuntimeProblem:
        """Apply assignments (memo miss): the id of the new values, or the problem met (node filled later)."""
        env = self.env(vid)
        result: int | RuntimeProblem
        try:
            rules.apply("", program.assigns, env, self.visits(mask))
            result = self.intern(tuple(env.values()))
        except StepError as exc:
            result = exc.problem
        program.memo[(vid << self.bits) | (mask & program.refmask)] = result
        return result

    def start_key(self) -> int:
        start = self.node_index[self.start]
        if self.is_end[start]:
            return start << self.bits
        vid = self.canonical(0, start) if self.dead[start] else 0
        return ((vid * len(self.node_ids) + start) << self.bits) | (self.node_bit[start] & self.live_bits[start])

    def expander(self, problem_key: Callable[[RuntimeProblem], int]) -> Callable[[int], Expansion]:
        """The one step of exploration: rules.offered, then rules.take for every outcome, over
        memoised values. Returns expand(key), which gives the status and the node with: for ERROR
        the problem's key (a condition failed); for TRANSIENT the offered choices' indices and, in
        order, the keys their outcomes lead to (negative: the run stops there on an expression error)."""
        bits, count, node_ids = self.bits, len(self.node_ids), self.node_ids
        is_end, choices_of, compile_node = self.is_end, self.choices, self.compile_node
        full = (1 << bits) - 1
        canon, canonical = self._canon, self.canonical
        evaluate_condition, evaluate_assign = self.condition, self.assign

        def expand(key: int) -> Expansion:
            mask = key & full
            vid, node = divmod(key >> bits, count)
            if is_end[node]:
                return ENDING, node, None, ()
            chosen: list[int] = []
            targets: list[int] = []
            vshift = vid << bits
            for rule, condition, pre, outs in choices_of[node] or compile_node(node):
                if condition is not None:
                    held = condition.memo.get(vshift | (mask & condition.refmask))
                    if held is None:
                        held = evaluate_condition(condition, rule, vid, mask)
                    if held is not True:
                        if held is False:
                            continue
                        problem = RuntimeProblem(node_ids[node], rule.condition_source, str(rule.condition_where), held)
                        return ERROR, node, problem_key(problem), ()
                chosen.append(rule.index)
                after: Any = vid  # a values id, or the RuntimeProblem met
                if pre is not None:
                    after = pre.memo.get(vshift | (mask & pre.refmask), -1)
                    if after == -1:
                        after = evaluate_assign(pre, vid, mask)
                    if isinstance(after, RuntimeProblem):
                        problem = located(after, node_ids[node], pre, rule.assigns)
                        targets.extend([problem_key(problem)] * len(outs))
                        continue
                for target, post, bit, ends, keep, dead, own in outs:
                    final: Any = after
                    if post is not None:
                        final = post.memo.get((after << bits) | (mask & post.refmask), -1)
                        if final == -1:
                            final = evaluate_assign(post, after, mask)
                        if isinstance(final, RuntimeProblem):
                            targets.append(problem_key(located(final, node_ids[node], post, own)))
                            continue
                    if ends:  # at an ending nothing more happens: its key forgets values and visits
                        targets.append(target << bits)
                        continue
                    if dead:  # the memo of canonical(), looked up here first: most lookups hit
                        reset = canon.get(final * count + target, -1)
                        final = reset if reset >= 0 else canonical(final, target)
                    targets.append(((final * count + target) << bits) | ((mask | bit) & keep))
            if not chosen:
                return DEAD_END, node, None, ()
            return TRANSIENT, node, tuple(chosen), targets

        return expand
