"""Exact outcome analysis of a story under random play, and what a deliberate player can change.

The state of a run is (node, variables, visits of the nodes some ``visited()`` refers to): nothing
else can change what happens next. From the start we explore every reachable state once, depth first,
finding strongly connected components as we go (Tarjan). Two exact reductions keep this small:
- on entering a node, values no later choice can read (backward liveness over the node graph) are
  reset to their start values, so states that differ only there are one state;
- when a component is complete, its states are merged with earlier states that behave identically
  (same node, same offered choices, same outcome distributions over merged classes): a probabilistic
  bisimulation computed bottom-up. Every quantity below is preserved by both.

On the merged graph:
- random play: the expected visits of each class, pushed forward in topological order; inside a
  cycle the linear system is solved directly (small cycles) or by Gauss-Seidel to a tight tolerance;
  a cycle with no way out traps its mass (the run would never end);
- best and worst strategies: value iteration, max or min over the offered choices of the expectation
  over outcomes, for every ending, every ending kind and "safety" at once (one vector per class);
- shortest paths by breadth-first search, longest ones by a topological pass (unbounded through a cycle).

When the state space is larger than ``max_states`` the exploration stops and random runs estimate the
ending probabilities instead, with a 95% margin of error.
"""

from __future__ import annotations

import heapq
import math
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from crossing.expressions import EvaluationError, Evaluator, Value
from crossing.model import Assignment, Location, Story
from crossing.randomruns import RuntimeProblem, compile_story, no_gc, run_many, tracked_nodes

DEFAULT_MAX_STATES = 250_000
SAMPLE_RUNS = 20_000
SAMPLE_SECONDS = 5.0
SAMPLE_STEP_CAP = 10_000
TOLERANCE = 1e-13
# A cycle is solved exactly when at most this many of its states are entered by a back edge; beyond,
# by iteration. Work (edge updates) allowed to iterate on one cycle before giving up on convergence:
CUT_LIMIT = 300
MAX_CYCLE_WORK = 20_000_000
# Element updates (members x choices' outcomes x columns) value iteration may spend in cycles; past it,
# per-ending best/worst are dropped for kinds and safety only (twice the budget), then left unconverged.
CYCLE_WORK = 15_000_000
# Floats held for the best/worst vectors (classes x targets); above this only kinds and safety are kept.
MAX_VECTOR_FLOATS = 40_000_000
Z95 = 1.959963984540054

# State status
TRANSIENT, ENDING, DEAD_END, ERROR = 0, 1, 2, 3


class TooManyStates(Exception):
    """The reachable state space is larger than the budget."""


# ------------------------------------------------------------------------------------ the results


@dataclass(frozen=True, slots=True)
class StrategyStep:
    node: str
    choice: int  # index of the authored choice in the node
    text: str


@dataclass
class Analysis:
    """Everything ``analyze`` found. Probabilities are under random play unless named best/worst."""

    exact: bool
    endings: dict[str, float]
    kinds: dict[str, float]
    margin: float | None = None  # 95% half-width of every sampled probability (sampling only)
    best: dict[str, float] = field(default_factory=dict)
    worst: dict[str, float] = field(default_factory=dict)
    best_kinds: dict[str, float] = field(default_factory=dict)
    worst_kinds: dict[str, float] = field(default_factory=dict)
    ending_kind: dict[str, str] = field(default_factory=dict)
    safe: float = 0.0  # probability of a safe ending kind under random play
    best_safe: float | None = None
    worst_safe: float | None = None
    safe_strategy: list[StrategyStep] = field(default_factory=list)
    safe_strategy_end: str | None = None  # the safe ending its most likely path reaches
    expected_decisions: float | None = None  # math.inf when a cycle with no way out can trap a run
    shortest: dict[str, int | None] = field(default_factory=dict)  # None: never reached
    longest: dict[str, float | None] = field(default_factory=dict)  # math.inf: unbounded (a cycle)
    stuck: float = 0.0  # probability of reaching a scene that offers no choice
    stuck_at: dict[str, float] = field(default_factory=dict)
    error_probability: float = 0.0
    errors: list[RuntimeProblem] = field(default_factory=list)
    never_ends: float = 0.0  # probability of entering a cycle no choice leaves
    states: int = 0  # reachable states explored (a lower bound when not exact)
    classes: int = 0  # after merging states that behave alike
    max_states: int = DEFAULT_MAX_STATES
    converged: bool = True  # every cycle solved to the tolerance
    strategies: bool = True  # best/worst computed for every ending (else kinds and safety only)
    runs: int | None = None  # random runs behind the estimate (sampling only)
    capped_runs: int = 0
    has_cycles: bool = False

    def interval(self, ending: str) -> tuple[float, float]:
        """The 95% interval of an ending's probability (a point when exact)."""
        p = self.endings.get(ending, 0.0)
        if self.exact or not self.runs:
            return p, p
        half = Z95 * math.sqrt(max(p * (1 - p), 0.25 / self.runs) / self.runs)
        return max(0.0, p - half), min(1.0, p + half)

    def to_dict(self) -> dict[str, Any]:
        def length(value: float | None) -> int | str | None:
            if value is None:
                return None
            return "unbounded" if math.isinf(value) else int(value)

        expected: float | str | None = self.expected_decisions
        if self.expected_decisions is not None and math.isinf(self.expected_decisions):
            expected = "unbounded"
        return {
            "exact": self.exact,
            "endings": dict(self.endings),
            "kinds": dict(self.kinds),
            "ending_kinds": dict(self.ending_kind),
            "margin": self.margin,
            "intervals": None if self.exact else {e: list(self.interval(e)) for e in self.endings},
            "runs": self.runs,
            "best": dict(self.best),
            "worst": dict(self.worst),
            "best_kinds": dict(self.best_kinds),
            "worst_kinds": dict(self.worst_kinds),
            "safe": self.safe,
            "best_safe": self.best_safe,
            "worst_safe": self.worst_safe,
            "safe_strategy": {
                "probability": self.best_safe,
                "choices": [{"node": s.node, "choice": s.choice, "text": s.text} for s in self.safe_strategy],
                "ends_at": self.safe_strategy_end,
            },
            "expected_decisions": expected,
            "shortest": dict(self.shortest),
            "longest": {e: length(v) for e, v in self.longest.items()},
            "stuck": self.stuck,
            "stuck_at": dict(self.stuck_at),
            "error_probability": self.error_probability,
            "errors": [problem.to_dict() for problem in self.errors],
            "never_ends": self.never_ends,
            "states": self.states,
            "classes": self.classes,
            "max_states": self.max_states,
            "converged": self.converged,
            "strategies_per_ending": self.strategies,
            "capped_runs": self.capped_runs,
            "cycles": self.has_cycles,
        }


# ----------------------------------------------------------------------------- compiled programs


class _Program:
    """A condition or a sequence of assignments, memoised on (values id, the visits it reads).

    Value vectors are interned as small ints, so a memo lookup is one dict access on an int: conditions
    and effects repeat across nodes and states far more often than they differ.
    """

    __slots__ = ("assigns", "condition", "memo", "refmask", "source")

    def __init__(self, refmask: int, condition: Evaluator | None,
                 assigns: tuple[tuple[int, Evaluator, Callable[[Value], Value] | None, str, Location], ...],
                 source: str) -> None:
        self.refmask = refmask
        self.condition = condition
        self.assigns = assigns
        self.source = source
        self.memo: dict[int, Any] = {}


# (condition program or None, choice-assignment program or None,
#  outcomes: (target node, outcome-assignment program or None, target's visit bit, target is an ending,
#             the visits still live at the target, whether some variable is dead there))
_Outcome = tuple[int, _Program | None, int, bool, int, bool]
_CompiledChoice = tuple[int, _Program | None, Location, _Program | None, tuple[_Outcome, ...]]


class _Explorer:
    """The story compiled for state enumeration; shared by ``analyze`` and the reachability lint."""

    def __init__(self, story: Story, liveness: bool = True) -> None:
        self.story = story
        self.names = tuple(story.variables)
        initial = tuple(story.variables[n].initial for n in self.names)
        self.node_ids = list(story.nodes)
        self.node_index = {node_id: i for i, node_id in enumerate(self.node_ids)}
        self.tracked = sorted(tracked_nodes(story))
        self.bits = len(self.tracked)
        self.bit = {node_id: 1 << i for i, node_id in enumerate(self.tracked)}
        self.node_bit = [self.bit.get(node_id, 0) for node_id in self.node_ids]
        self.is_end = [story.nodes[n].ending is not None for n in self.node_ids]
        self.values: list[tuple[Value, ...]] = [initial]
        self.value_id: dict[tuple[Value, ...], int] = {initial: 0}
        self._visit_sets: dict[int, frozenset[str]] = {}
        self._position = {name: i for i, name in enumerate(self.names)}
        self._shared: dict[Any, _Program] = {}
        # Nodes are compiled when first expanded: the budgeted lint may look at a few of them only.
        self.choices: list[tuple[_CompiledChoice, ...] | None] = [None] * len(self.node_ids)
        self.probabilities: list[dict[int, tuple[float, ...]]] = [{} for _ in self.node_ids]
        self.initial = initial
        self.live_bits: list[int] = []
        self.dead: list[tuple[int, ...]] = []
        self._canon: dict[int, int] = {}
        if liveness:
            self._liveness()
        else:  # everything kept: exact too, just more states (the cheap lint on big stories)
            self.live_bits = [(1 << self.bits) - 1] * len(self.node_ids)
            self.dead = [()] * len(self.node_ids)

    def _liveness(self) -> None:
        """What each node's future can still read: a variable or a visit no later choice reads (before
        overwriting it) cannot change anything, so states differing only there are merged on entry.

        Classic backward liveness over the node graph: live(X) = read(X) | OR over edges X->T of
        (live(T) minus what the edge overwrites: its assignments, and T's own visit, set on entry).
        Variables are bits 0..v-1 of a mask, tracked visits the bits above."""
        story, nv = self.story, len(self.names)
        position = self._position
        masks: dict[int, int] = {}

        def read(expr: Any) -> int:
            found = masks.get(id(expr))
            if found is None:
                found = sum({1 << position[n.name] for n in expr.names() if n.name in position})
                found |= self._refmask([expr]) << nv
                masks[id(expr)] = found
            return found

        count = len(self.node_ids)
        reads = [0] * count
        edges: list[list[tuple[int, int]]] = [[] for _ in range(count)]
        preds: list[list[int]] = [[] for _ in range(count)]
        for i, node_id in enumerate(self.node_ids):
            node = story.nodes[node_id]
            mask = 0
            for choice in node.choices:
                if choice.condition is not None:
                    mask |= read(choice.condition)
                written = 0
                for a in choice.assignments:
                    mask |= read(a.expression)
                    written |= 1 << position[a.variable]
                for target, outcome_assigns in ((o.goto, o.assignments) for o in choice.outcomes) if choice.outcomes \
                        else ((choice.goto or "", ()),):
                    also = written
                    for a in outcome_assigns:
                        mask |= read(a.expression)
                        also |= 1 << position[a.variable]
                    t = self.node_index[target]
                    edges[i].append((t, also | (self.node_bit[t] << nv)))
                    preds[t].append(i)
            reads[i] = mask
        live = list(reads)
        pending = list(range(count))
        queued = [True] * count
        while pending:
            x = pending.pop()
            queued[x] = False
            new = reads[x]
            for t, overwritten in edges[x]:
                new |= live[t] & ~overwritten
            if new != live[x]:
                live[x] = new
                for p in preds[x]:
                    if not queued[p]:
                        queued[p] = True
                        pending.append(p)
        every = (1 << nv) - 1
        self.live_bits = [m >> nv for m in live]
        # per node: the variable positions to reset to their start values on entry (empty: all live)
        self.dead = [tuple(p for p in range(nv) if not m >> p & 1) if m & every != every else () for m in live]

    def canonical(self, vid: int, node: int) -> int:
        """The values id with the variables dead at node reset to their start values."""
        key = vid * len(self.node_ids) + node
        found = self._canon.get(key)
        if found is None:
            values = list(self.values[vid])
            for p in self.dead[node]:
                values[p] = self.initial[p]
            interned = tuple(values)
            found = self.value_id.get(interned, -1)
            if found < 0:
                found = self.value_id[interned] = len(self.values)
                self.values.append(interned)
            self._canon[key] = found
        return found

    def _refmask(self, exprs: Sequence[Any]) -> int:
        return sum({self.bit.get(ref.node_id, 0) for expr in exprs for ref in expr.visited_ids()})

    def _condition_program(self, expr: Any) -> _Program:
        key = ("if", id(expr.evaluate))
        found = self._shared.get(key)
        if found is None:
            found = self._shared[key] = _Program(self._refmask([expr]), expr.evaluate, (), expr.source)
        return found

    def _assign_program(self, assignments: tuple[Assignment, ...]) -> _Program | None:
        if not assignments:
            return None
        # shared by expression identity: the loader parses each distinct expression text once
        key = ("set", tuple((a.variable, id(a.expression.evaluate)) for a in assignments))
        found = self._shared.get(key)
        if found is None:
            steps = []
            for a in assignments:
                variable = self.story.variables.get(a.variable)
                bounded = variable is not None and (variable.minimum is not None or variable.maximum is not None)
                clamp = variable.clamp if bounded and variable is not None else None
                steps.append((self._position[a.variable], a.expression.evaluate, clamp, a.expression.source, a.loc))
            found = self._shared[key] = _Program(self._refmask([a.expression for a in assignments]), None, tuple(steps), "")
        return found

    def compile_node(self, node_index: int) -> tuple[_CompiledChoice, ...]:
        node = self.story.nodes[self.node_ids[node_index]]
        built: list[_CompiledChoice] = []
        probs = self.probabilities[node_index]
        for index, choice in enumerate(node.choices):
            if choice.outcomes:
                total = sum(o.weight for o in choice.outcomes)
                probs[index] = tuple(o.weight / total for o in choice.outcomes)
                outs = tuple(self._outcome(o.goto, self._assign_program(o.assignments)) for o in choice.outcomes)
            else:
                probs[index] = (1.0,)
                outs = (self._outcome(choice.goto or "", None),)
            condition = self._condition_program(choice.condition) if choice.condition is not None else None
            built.append((index, condition, choice.condition_loc, self._assign_program(choice.assignments), outs))
        compiled = tuple(built)
        self.choices[node_index] = compiled
        return compiled

    def _outcome(self, goto: str, program: _Program | None) -> _Outcome:
        target = self.node_index[goto]
        return (target, program, self.node_bit[target], self.is_end[target], self.live_bits[target],
                bool(self.dead[target]))

    def visits(self, mask: int) -> frozenset[str]:
        found = self._visit_sets.get(mask)
        if found is None:
            found = frozenset(n for n in self.tracked if mask & self.bit[n])
            self._visit_sets[mask] = found
        return found

    def env(self, vid: int) -> dict[str, Value]:
        return dict(zip(self.names, self.values[vid], strict=True))

    def condition(self, program: _Program, vid: int, mask: int) -> bool | str:
        """Evaluate a condition (memo miss): True/False, or the evaluation error's message."""
        try:
            held: bool | str = program.condition(self.env(vid), self.visits(mask)) is True  # type: ignore[misc]
        except EvaluationError as exc:
            held = str(exc)
        program.memo[(vid << self.bits) | (mask & program.refmask)] = held
        return held

    def assign(self, program: _Program, vid: int, mask: int) -> int | RuntimeProblem:
        """Apply assignments (memo miss): the id of the new values, or the problem met (node filled later)."""
        env = self.env(vid)
        visited = self.visits(mask)
        result: int | RuntimeProblem
        step = program.assigns[0]
        try:
            for step in program.assigns:
                pos, evaluate, clamp = step[0], step[1], step[2]
                value = evaluate(env, visited)
                env[self.names[pos]] = clamp(value) if clamp is not None else value
            values = tuple(env.values())
            result = self.value_id.get(values, -1)
            if result < 0:
                result = self.value_id[values] = len(self.values)
                self.values.append(values)
        except EvaluationError as exc:
            result = RuntimeProblem("", step[3], str(step[4]), str(exc))
        program.memo[(vid << self.bits) | (mask & program.refmask)] = result
        return result

    def start_key(self) -> int:
        start = self.node_index[self.story.start]
        if self.is_end[start]:
            return start << self.bits
        vid = self.canonical(0, start) if self.dead[start] else 0
        return ((vid * len(self.node_ids) + start) << self.bits) | (self.node_bit[start] & self.live_bits[start])

    def expand(self, key: int, problem_key: Callable[[RuntimeProblem], int]) -> tuple[int, Any, list[int]]:
        """A state's status, the choices it offers (authored indices) and the keys their outcomes lead to,
        in order: ENDING; DEAD_END; ERROR with the problem; TRANSIENT with the choices.

        A key is ((values id * nodes + node) << bits) | visits: one int, hashed and compared fast.
        At an ending nothing more happens, so its key forgets the values and visits."""
        bits = self.bits
        count = len(self.node_ids)
        mask = key & ((1 << bits) - 1)
        vid, node = divmod(key >> bits, count)
        if self.is_end[node]:
            return ENDING, None, []
        chosen: list[int] = []
        targets: list[int] = []
        for index, condition, where, pre, outs in self.choices[node] or self.compile_node(node):
            if condition is not None:
                held = condition.memo.get((vid << bits) | (mask & condition.refmask))
                if held is None:
                    held = self.condition(condition, vid, mask)
                if held is not True:
                    if held is False:
                        continue
                    return ERROR, RuntimeProblem(self.node_ids[node], condition.source, str(where), held), []
            after: Any = vid  # a values id, or the RuntimeProblem met
            if pre is not None:
                after = pre.memo.get((vid << bits) | (mask & pre.refmask), -1)
                if after == -1:
                    after = self.assign(pre, vid, mask)
                if isinstance(after, RuntimeProblem):
                    chosen.append(index)
                    targets.extend([problem_key(_located(after, self.node_ids[node]))] * len(outs))
                    continue
            chosen.append(index)
            for target, post, bit, ends, keep, dead in outs:
                final: Any = after
                if post is not None:
                    final = post.memo.get((after << bits) | (mask & post.refmask), -1)
                    if final == -1:
                        final = self.assign(post, after, mask)
                    if isinstance(final, RuntimeProblem):
                        targets.append(problem_key(_located(final, self.node_ids[node])))
                        continue
                if ends:
                    targets.append(target << bits)
                    continue
                if dead:
                    final = self.canonical(final, target)
                targets.append(((final * count + target) << bits) | ((mask | bit) & keep))
        if not chosen:
            return DEAD_END, None, []
        return TRANSIENT, tuple(chosen), targets


def _located(problem: RuntimeProblem, node_id: str) -> RuntimeProblem:
    return RuntimeProblem(node_id, problem.expression, problem.where, problem.message)


# ------------------------------------------------------------------- exploration and merged graph


@dataclass
class _Graph:
    """The merged state graph; class ids ascend in reverse topological order (sinks first)."""

    node: list[int]  # -1 for an error class
    status: list[int]
    succ: list[tuple[tuple[int, tuple[tuple[float, int], ...]], ...]]
    group: list[int]  # -1, or the id of the cycle (strongly connected component) holding the class
    groups: list[list[int]]
    start: int
    states: int
    problems: list[RuntimeProblem]


def _explore(explorer: _Explorer, max_states: int) -> _Graph:
    """Depth-first exploration with Tarjan's algorithm, merging each finished component bottom-up.

    A state's id is its depth-first preorder number, so Tarjan's index is the id itself, and a state
    whose class is still -1 is exactly one on Tarjan's stack. This is the hot loop of ``analyze``:
    the expansion of a state (``_Explorer.expand``) is inlined and everything is a local."""
    index: dict[int, int] = {}
    low: list[int] = []
    cls: list[int] = []
    finished: list[int] = []  # depth-first finishing order (only cycles need it)
    clock = 0
    node_of: list[int] = []
    status_of: list[int] = []
    chosen_of: list[Any] = []
    targets_of: list[Any] = []
    done: tuple[int, ...] = ()  # what a finished state keeps of its targets: nothing
    c_node: list[int] = []
    c_status: list[int] = []
    c_succ: list[Any] = []
    c_group: list[int] = []
    groups: list[list[int]] = []
    signatures: dict[Any, int] = {}
    problems: list[RuntimeProblem] = []
    problem_ids: dict[RuntimeProblem, int] = {}
    probabilities = explorer.probabilities
    node_ids = explorer.node_ids
    count = len(node_ids)
    bits = explorer.bits
    full = (1 << bits) - 1
    is_end = explorer.is_end
    choices_of = explorer.choices
    compile_node = explorer.compile_node
    canonical = explorer.canonical
    canon = explorer._canon
    evaluate_condition = explorer.condition
    evaluate_assign = explorer.assign
    cls_item = cls.__getitem__

    def problem_key(problem: RuntimeProblem) -> int:
        pid = problem_ids.get(problem)
        if pid is None:
            pid = problem_ids[problem] = len(problems)
            problems.append(problem)
        return -1 - pid

    def enter(key: int) -> int:
        s = len(low)
        if s >= max_states:
            raise TooManyStates
        index[key] = s
        low.append(s)
        cls.append(-1)
        finished.append(-1)
        if key < 0:
            node_of.append(-1)
            status_of.append(ERROR)
            chosen_of.append(-1 - key)
            targets_of.append([])
            return s
        mask = key & full
        vid, node = divmod(key >> bits, count)
        node_of.append(node)
        targets: list[int] = []
        targets_of.append(targets)
        if is_end[node]:
            status_of.append(ENDING)
            chosen_of.append(None)
            return s
        chosen: list[int] = []
        vshift = vid << bits
        for ci, condition, where, pre, outs in choices_of[node] or compile_node(node):
            if condition is not None:
                held = condition.memo.get(vshift | (mask & condition.refmask))
                if held is None:
                    held = evaluate_condition(condition, vid, mask)
                if held is not True:
                    if held is False:
                        continue
                    status_of.append(ERROR)
                    chosen_of.append(-1 - problem_key(RuntimeProblem(node_ids[node], condition.source, str(where), held)))
                    targets.clear()
                    return s
            after: Any = vid  # a values id, or the RuntimeProblem met
            if pre is not None:
                after = pre.memo.get(vshift | (mask & pre.refmask), -1)
                if after == -1:
                    after = evaluate_assign(pre, vid, mask)
                if isinstance(after, RuntimeProblem):
                    chosen.append(ci)
                    targets.extend([problem_key(_located(after, node_ids[node]))] * len(outs))
                    continue
            chosen.append(ci)
            for target, post, bit, ends, keep, dead in outs:
                final: Any = after
                if post is not None:
                    final = post.memo.get((after << bits) | (mask & post.refmask), -1)
                    if final == -1:
                        final = evaluate_assign(post, after, mask)
                    if isinstance(final, RuntimeProblem):
                        targets.append(problem_key(_located(final, node_ids[node])))
                        continue
                if ends:
                    targets.append(target << bits)
                    continue
                if dead:
                    reset = canon.get(final * count + target, -1)
                    final = reset if reset >= 0 else canonical(final, target)
                targets.append(((final * count + target) << bits) | ((mask | bit) & keep))
        if chosen:
            status_of.append(TRANSIENT)
            chosen_of.append(tuple(chosen))
        else:
            status_of.append(DEAD_END)
            chosen_of.append(None)
        return s

    def structured(node: int, chosen: tuple[int, ...], targets: Sequence[int]) -> Any:
        out = []
        position = 0
        probs = probabilities[node]
        for ci in chosen:
            p = probs[ci]
            out.append((ci, tuple(zip(p, targets[position:position + len(p)], strict=True))))
            position += len(p)
        return tuple(out)

    def new_class(node: int, status: int, succ: Any, group: int) -> int:
        c = len(c_node)
        c_node.append(node)
        c_status.append(status)
        c_succ.append(succ)
        c_group.append(group)
        return c

    def finish_cycle(members: list[int]) -> None:
        # A cycle: its states keep their own classes, numbered in reverse depth-first finishing order,
        # a topological order once the back edges (to an ancestor: a lower number) are set aside.
        members.sort(key=finished.__getitem__, reverse=True)
        gid = len(groups)
        first = len(c_node)
        for offset, s in enumerate(members):
            cls[s] = first + offset
        for s in members:
            succ = structured(node_of[s], chosen_of[s], [cls[t] for t in targets_of[s]])
            new_class(node_of[s], status_of[s], succ, gid)
            targets_of[s] = done
            chosen_of[s] = None
        groups.append(list(range(first, first + len(members))))

    root = enter(explorer.start_key())
    stack: list[int] = [root]  # Tarjan's stack
    call_state: list[int] = [root]
    call_pos: list[int] = [0]
    while call_state:
        s = call_state[-1]
        targets = targets_of[s]
        pos = call_pos[-1]
        end = len(targets)
        lowest = low[s]
        while pos < end:
            t = index.get(targets[pos], -1)
            if t < 0:
                t = enter(targets[pos])
                targets[pos] = t
                call_pos[-1] = pos + 1
                low[s] = lowest
                stack.append(t)
                call_state.append(t)
                call_pos.append(0)
                break
            targets[pos] = t
            pos += 1
            if t < lowest and cls[t] < 0:
                lowest = t
        else:
            low[s] = lowest
            finished[s] = clock
            clock += 1
            call_state.pop()
            call_pos.pop()
            if call_state:
                parent = call_state[-1]
                if lowest < low[parent]:
                    low[parent] = lowest
            if lowest != s:
                continue
            m = stack.pop()
            if m == s and s not in targets:
                # the common case: a component of one state, merged with any earlier one alike
                status = status_of[s]
                node = node_of[s]
                if status == TRANSIENT:
                    classes = tuple(map(cls_item, targets))
                    signature: Any = (node, chosen_of[s], classes)
                elif status == ERROR:
                    signature = (-1, chosen_of[s])
                else:
                    signature = (node, status)
                c = signatures.get(signature)
                if c is None:
                    succ = structured(node, chosen_of[s], classes) if status == TRANSIENT else ()
                    c = signatures[signature] = new_class(-1 if status == ERROR else node, status, succ, -1)
                cls[s] = c
                targets_of[s] = done
                chosen_of[s] = None
                continue
            members = [m]
            while m != s:
                m = stack.pop()
                members.append(m)
            finish_cycle(members)
    return _Graph(c_node, c_status, c_succ, c_group, groups, cls[root], len(low), problems)


# ----------------------------------------------------------------------------------- computation


def _random_play(g: _Graph) -> tuple[list[float], float, bool]:
    """Expected visits of every class from the start; the mass trapped in cycles; converged?"""
    n = len(g.node)
    mass = [0.0] * n
    mass[g.start] = 1.0
    trapped = 0.0
    converged = True
    c = n - 1
    while c >= 0:
        gid = g.group[c]
        if gid < 0:
            x = mass[c]
            if x and g.status[c] == TRANSIENT:
                succ = g.succ[c]
                share = x / len(succ)
                for _ci, outs in succ:
                    for p, t in outs:
                        mass[t] += share * p
            c -= 1
            continue
        members = g.groups[gid]
        way_out, solved = _solve_cycle(g, members, mass)
        if not way_out:
            trapped += sum(mass[m] for m in members)
        converged = converged and solved
        c = members[0] - 1
    return mass, trapped, converged


def _solve_cycle(g: _Graph, members: list[int], mass: list[float]) -> tuple[bool, bool]:
    """Expected visits inside one cycle (a strongly connected component) given the visits flowing in
    (``mass``, updated in place, and pushed on to the classes after it). Returns (has a way out,
    converged); without a way out everything that enters the cycle stays for ever.

    Exact, by cutting the cycle: members are in topological order apart from the back edges, so with
    the visits y of the back edges' targets (the cut) as unknowns everything else is one forward
    pass. One pass per cut member gives the linear system y = inflow + F y, solved directly."""
    first, last = members[0], members[-1]
    out: list[list[tuple[float, int]]] = []
    exits: list[tuple[int, float, int]] = []
    cut: set[int] = set()
    for m in members:
        k = len(g.succ[m])
        inner = []
        for _ci, outs in g.succ[m]:
            for p, t in outs:
                if first <= t <= last:
                    inner.append((p / k, t))
                    if t <= m:
                        cut.add(t)
                else:
                    exits.append((m, p / k, t))
        out.append(inner)
    if not exits:
        return False, True
    cuts = sorted(cut)
    at = {c: i for i, c in enumerate(cuts)}
    size = len(cuts)

    def forward(source: list[float], emit: dict[int, float]) -> tuple[list[float], list[float]]:
        """Visits of the members when the non-cut ones receive ``source`` and the cut ones send ``emit``;
        and what reaches each cut member."""
        visits = [0.0] * len(members)
        into = [0.0] * size
        for i, m in enumerate(members):
            value = emit.get(m, 0.0) if m in at else source[i] + visits[i]
            visits[i] = value
            if value:
                for w, t in out[i]:
                    j = at.get(t)
                    if j is None:
                        visits[t - first] += value * w
                    else:
                        into[j] += value * w
        return visits, into

    inflow = [mass[m] for m in members]
    _, base = forward(inflow, {})
    start = [inflow[c - first] + base[i] for i, c in enumerate(cuts)]
    converged = True
    if size <= CUT_LIMIT:
        zero = [0.0] * len(members)
        columns = [forward(zero, {c: 1.0})[1] for c in cuts]
        # (I - F) y = start, with F[i][j] = what one visit of cut member j brings to cut member i
        y = _gauss([[(1.0 if i == j else 0.0) - columns[j][i] for j in range(size)] + [start[i]] for i in range(size)])
    else:  # too many unknowns for a direct solve: iterate y <- start + F y, one forward pass a round
        y = list(start)
        work = 0
        while True:
            _, back = forward([0.0] * len(members), dict(zip(cuts, y, strict=True)))
            new = [start[i] + back[i] for i in range(size)]
            change = max(abs(a - b) for a, b in zip(new, y, strict=True))
            y = new
            work += sum(len(o) for o in out)
            if change <= TOLERANCE * max(1.0, max(y)):
                break
            if work > MAX_CYCLE_WORK:
                converged = False
                break
    visits, _ = forward(inflow, dict(zip(cuts, y, strict=True)))
    for i, m in enumerate(members):
        mass[m] = visits[i]
    for m, w, t in exits:
        mass[t] += visits[m - first] * w
    return True, converged


def _gauss(rows: list[list[float]]) -> list[float]:
    """Solve the augmented system in place (Gaussian elimination with partial pivoting)."""
    size = len(rows)
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        head = rows[col]
        lead = head[col]
        for r in range(size):
            if r != col and rows[r][col]:
                factor = rows[r][col] / lead
                row = rows[r]
                for k in range(col, size + 1):
                    row[k] -= factor * head[k]
    return [rows[i][size] / rows[i][i] for i in range(size)]


def _vector_values(g: _Graph, targets: list[list[int]], width: int,
                   budget: int) -> tuple[list[float], list[float], list[tuple[int, ...]], bool]:
    """Max and min over strategies of the probability of reaching each target, for every class.

    ``targets[c]`` lists the vector positions a terminal class counts for. Each position is its own
    objective, so the element-wise max (min) over choices is the best (worst) strategy for each.
    Returns the start's best and worst vectors, the choices (authored indices) maximising the last
    position in every class, and whether every cycle converged within ``budget`` element updates
    (all cycles together; unconverged values are lower bounds). A vector is dropped once every
    class leading to it has been computed, so memory follows the frontier, not the whole graph.
    """
    n = len(g.node)
    zero = [0.0] * width
    best: list[Any] = [None] * n
    worst: list[Any] = [None] * n
    argbest: list[tuple[int, ...]] = [()] * n
    converged = True
    work = 0  # element updates spent in cycles, against the budget
    last = width - 1
    waiting = [0] * n  # predecessors not yet computed
    for c in range(n):
        for _ci, outs in g.succ[c]:
            for _p, t in outs:
                waiting[t] += 1
    waiting[g.start] += 1  # keep the start's vectors

    def combine(c: int) -> tuple[list[float], list[float], tuple[int, ...]]:
        hi: Any = None
        lo: Any = None
        values: list[tuple[int, float]] = []
        for ci, outs in g.succ[c]:
            if len(outs) == 1:
                vb, vw = best[outs[0][1]], worst[outs[0][1]]
            elif len(outs) == 2:
                (p, t), (q, u) = outs
                vb = [p * a + q * b for a, b in zip(best[t], best[u], strict=True)]
                vw = [p * a + q * b for a, b in zip(worst[t], worst[u], strict=True)]
            else:
                p, t = outs[0]
                vb = [p * a for a in best[t]]
                vw = [p * a for a in worst[t]]
                for p, t in outs[1:]:
                    vb = [a + p * b for a, b in zip(vb, best[t], strict=True)]
                    vw = [a + p * b for a, b in zip(vw, worst[t], strict=True)]
            if hi is None:
                hi, lo = vb, vw
            else:
                hi = [a if a >= b else b for a, b in zip(hi, vb, strict=True)]
                lo = [a if a <= b else b for a, b in zip(lo, vw, strict=True)]
            values.append((ci, vb[last]))
        top = hi[last]
        return hi, lo, tuple(ci for ci, v in values if v >= top - 1e-9)

    def release(c: int) -> None:
        for _ci, outs in g.succ[c]:
            for _p, t in outs:
                waiting[t] -= 1
                if not waiting[t]:
                    best[t] = worst[t] = None

    c = 0
    while c < n:
        gid = g.group[c]
        status = g.status[c]
        if gid < 0:
            if status == ENDING:
                vec = list(zero)
                for pos in targets[c]:
                    vec[pos] = 1.0
                best[c] = worst[c] = vec
            elif status == TRANSIENT:
                best[c], worst[c], argbest[c] = combine(c)
                release(c)
            else:
                best[c] = worst[c] = zero
            c += 1
            continue
        members = g.groups[gid]
        for m in members:
            best[m] = worst[m] = zero
        # Value iteration from zero converges to the least fixed point: the max (or min) reach probability.
        edges = sum(len(outs) for m in members for _ci, outs in g.succ[m]) * width + 1
        while True:
            change = 0.0
            for m in reversed(members):  # successors first, but for the back edges
                hi, lo, argbest[m] = combine(m)
                delta = max(max(abs(a - b) for a, b in zip(hi, best[m], strict=True)),
                            max(abs(a - b) for a, b in zip(lo, worst[m], strict=True)))
                change = max(change, delta)
                best[m], worst[m] = hi, lo
            work += edges
            if change <= 1e-13:
                break
            if work > budget:
                converged = False
                break
        for m in members:
            release(m)
        c = max(members) + 1
    return best[g.start], worst[g.start], argbest, converged


def _shortest(g: _Graph) -> list[int]:
    dist = [-1] * len(g.node)
    dist[g.start] = 0
    queue = deque([g.start])
    while queue:
        c = queue.popleft()
        for _ci, outs in g.succ[c]:
            for _p, t in outs:
                if dist[t] < 0:
                    dist[t] = dist[c] + 1
                    queue.append(t)
    return dist


def _longest(g: _Graph) -> list[float]:
    n = len(g.node)
    longest = [-1.0] * n
    longest[g.start] = 0.0
    c = n - 1
    while c >= 0:
        gid = g.group[c]
        members = [c] if gid < 0 else g.groups[gid]
        if gid >= 0 and any(longest[m] >= 0 for m in members):
            for m in members:
                longest[m] = math.inf
        for m in members:
            if longest[m] < 0:
                continue
            for _ci, outs in g.succ[m]:
                for _p, t in outs:
                    if longest[m] + 1 > longest[t]:
                        longest[t] = longest[m] + 1
        c = c - 1 if gid < 0 else min(members) - 1
    return longest


def _strategy_path(g: _Graph, optimal: list[tuple[int, ...]], explorer: _Explorer,
                   safe: list[bool]) -> tuple[list[StrategyStep], str]:
    """The most likely path to a safe ending when only safety-maximising choices are made
    (Dijkstra on -log p): the choices a teacher can name as "the safest strategy"."""
    start = g.start
    cost = {start: 0.0}
    back: dict[int, tuple[int, int]] = {}
    heap = [(0.0, start)]
    goal = -1
    while heap:
        d, c = heapq.heappop(heap)
        if d > cost.get(c, math.inf):
            continue
        if g.status[c] == ENDING and safe[c]:
            goal = c
            break
        if g.status[c] != TRANSIENT:
            continue
        for ci, outs in g.succ[c]:
            if ci not in optimal[c]:
                continue
            for p, t in outs:
                nd = d - math.log(p) if p > 0 else math.inf
                if nd < cost.get(t, math.inf):
                    cost[t] = nd
                    back[t] = (c, ci)
                    heapq.heappush(heap, (nd, t))
    if goal < 0:
        return [], ""
    steps: list[StrategyStep] = []
    c = goal
    while c != start:
        c, ci = back[c]
        node_id = explorer.node_ids[g.node[c]]
        steps.append(StrategyStep(node_id, ci, explorer.story.nodes[node_id].choices[ci].text))
    steps.reverse()
    return steps, explorer.node_ids[g.node[goal]]


def analyze(story: Story, max_states: int = DEFAULT_MAX_STATES, sample_runs: int = SAMPLE_RUNS,
            seed: int = 0) -> Analysis:
    """Exact analysis over the reachable state space, or a sampled estimate when it exceeds max_states
    (``sample_runs`` random runs from ``seed``, fewer if they take longer than a few seconds)."""
    with no_gc():
        return _analyze(story, max(1, max_states), max(1, sample_runs), seed)


def _analyze(story: Story, max_states: int, sample_runs: int, seed: int) -> Analysis:
    endings = [node.id for node in story.endings()]
    ending_kind = {e: story.nodes[e].ending.kind for e in endings}  # type: ignore[union-attr]
    kinds = sorted(set(ending_kind.values()))
    explorer = _Explorer(story)
    try:
        g = _explore(explorer, max_states)
    except TooManyStates:
        return _sampled(story, max_states, sample_runs, seed, endings, ending_kind, kinds)

    mass, trapped, converged = _random_play(g)
    n = len(g.node)
    result = Analysis(exact=True, endings=dict.fromkeys(endings, 0.0), kinds=dict.fromkeys(kinds, 0.0),
                      ending_kind=ending_kind, states=g.states, classes=n, max_states=max_states)
    result.has_cycles = bool(g.groups)
    decisions = 0.0
    for c in range(n):
        st = g.status[c]
        if st == ENDING:
            node_id = explorer.node_ids[g.node[c]]
            result.endings[node_id] += mass[c]
        elif st == TRANSIENT:
            decisions += mass[c]
        elif st == DEAD_END:
            node_id = explorer.node_ids[g.node[c]]
            result.stuck += mass[c]
            result.stuck_at[node_id] = result.stuck_at.get(node_id, 0.0) + mass[c]
        else:
            result.error_probability += mass[c]
    for e, p in result.endings.items():
        result.kinds[ending_kind[e]] += p
    result.safe = sum(p for k, p in result.kinds.items() if story.is_safe_kind(k))
    result.never_ends = trapped
    result.expected_decisions = math.inf if trapped > 0 else decisions
    result.errors = list(g.problems)

    # best and worst: one vector per class over [endings..., kinds..., safety]; when that is too big, or
    # value iteration in the loops would take too long for so many columns, kinds and safety only.
    per_ending = n * (len(endings) + len(kinds) + 1) <= MAX_VECTOR_FLOATS
    while True:
        columns = list(endings) if per_ending else []
        kind_base = len(columns)
        width = kind_base + len(kinds) + 1
        position: dict[str, list[int]] = {}
        for i, e in enumerate(columns):
            position.setdefault(e, []).append(i)
        for e in endings:
            kind = ending_kind[e]
            position.setdefault(e, []).append(kind_base + kinds.index(kind))
            if story.is_safe_kind(kind):
                position[e].append(width - 1)
        targets = [position.get(explorer.node_ids[g.node[c]], []) if g.status[c] == ENDING else [] for c in range(n)]
        budget = CYCLE_WORK if per_ending else 2 * CYCLE_WORK
        hi, lo, optimal, vi_converged = _vector_values(g, targets, width, budget)
        if vi_converged or not per_ending:
            break
        per_ending = False
    result.strategies = per_ending
    if per_ending:
        result.best = {e: float(hi[i]) for i, e in enumerate(columns)}
        result.worst = {e: float(lo[i]) for i, e in enumerate(columns)}
    result.best_kinds = {k: float(hi[kind_base + i]) for i, k in enumerate(kinds)}
    result.worst_kinds = {k: float(lo[kind_base + i]) for i, k in enumerate(kinds)}
    result.best_safe, result.worst_safe = float(hi[width - 1]), float(lo[width - 1])
    result.converged = converged and vi_converged
    if g.status[g.start] == TRANSIENT and result.best_safe > 0:
        safe = [bool(targets[c]) and targets[c][-1] == width - 1 for c in range(n)]
        result.safe_strategy, result.safe_strategy_end = _strategy_path(g, optimal, explorer, safe)

    dist = _shortest(g)
    longest = _longest(g)
    result.shortest = dict.fromkeys(endings)
    result.longest = dict.fromkeys(endings)
    for c in range(n):
        if g.status[c] == ENDING and dist[c] >= 0:
            node_id = explorer.node_ids[g.node[c]]
            result.shortest[node_id] = dist[c]
            result.longest[node_id] = longest[c]
    return result


def _sampled(story: Story, max_states: int, runs: int, seed: int, endings: list[str],
             ending_kind: dict[str, str], kinds: list[str]) -> Analysis:
    """The fallback: random runs in batches until ``runs`` or the time budget, with a 95% margin."""
    compiled = compile_story(story)
    deadline = time.monotonic() + SAMPLE_SECONDS
    counts = dict.fromkeys(endings, 0)
    done = stuck = capped = errored = decisions = 0
    longest = 0
    stuck_at: dict[str, int] = {}
    problems: list[RuntimeProblem] = []
    batch = 250  # small batches: the time budget is checked often even when runs hit the step cap
    while done < runs and (done == 0 or time.monotonic() < deadline):
        size = min(batch, runs - done)
        stats = run_many(story, size, seed * 1_000_003 + done, SAMPLE_STEP_CAP, compiled)
        for e, k in stats.endings.items():
            counts[e] += k
        done += size
        stuck += stats.stuck
        capped += stats.capped
        errored += stats.errored
        decisions += stats.total_decisions
        longest = max(longest, stats.longest)
        for node_id, k in stats.stuck_at.items():
            stuck_at[node_id] = stuck_at.get(node_id, 0) + k
        problems.extend(p for p in stats.errors if p not in problems)
    result = Analysis(exact=False, endings={e: counts[e] / done for e in endings},
                      kinds=dict.fromkeys(kinds, 0.0), ending_kind=ending_kind, max_states=max_states,
                      states=max_states, runs=done, strategies=False)
    result.margin = Z95 * math.sqrt(0.25 / done)
    for e, p in result.endings.items():
        result.kinds[ending_kind[e]] += p
    result.safe = sum(p for k, p in result.kinds.items() if story.is_safe_kind(k))
    result.stuck = stuck / done
    result.stuck_at = {n: k / done for n, k in stuck_at.items()}
    result.error_probability = errored / done
    result.errors = problems
    result.capped_runs = capped
    result.expected_decisions = decisions / done
    result.converged = True
    return result


# ------------------------------------------------------------------------ the reachability lint


def unreachable_endings(story: Story, max_states: int, deadline: float | None = None,
                        liveness: bool = True) -> list[str] | None:
    """Endings random play can never reach (probability zero), or None when the state space is larger
    than max_states or exploring passes the monotonic deadline: then nothing is claimed.

    Every transition has a positive probability, so probability zero means: no reachable state is there.
    ``liveness`` merges states that differ only in values nothing reads again (fewer states, but an
    up-front pass over the whole story)."""
    with no_gc():
        return _unreachable_endings(story, max_states, deadline, liveness)


def _unreachable_endings(story: Story, max_states: int, deadline: float | None, liveness: bool) -> list[str] | None:
    explorer = _Explorer(story, liveness)
    start = explorer.start_key()
    seen = {start}
    queue = [start]
    reached: set[int] = set()
    bits, count = explorer.bits, len(explorer.node_ids)

    def no_key(problem: RuntimeProblem) -> int:
        return -1  # the run stops with an error there: nothing beyond it

    while queue:
        if len(seen) > max_states or (deadline is not None and not len(seen) % 512 and time.monotonic() > deadline):
            return None
        key = queue.pop()
        status, _chosen, targets = explorer.expand(key, no_key)
        if status == ENDING:
            reached.add((key >> bits) % count)
        for nxt in targets:
            if nxt not in seen and nxt >= 0:
                seen.add(nxt)
                queue.append(nxt)
    return [e.id for e in story.endings() if explorer.node_index[e.id] not in reached]
