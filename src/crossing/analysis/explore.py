"""Exploring every reachable state once, depth first, finding strongly connected components as we go
(Tarjan), and merging each finished component with earlier states that behave identically (same
node, same offered choices, same outcome distributions over merged classes): a probabilistic
bisimulation computed bottom-up, which preserves every quantity analysis computes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from crossing.analysis.states import DEAD_END, ENDING, ERROR, STATE_BYTES, TRANSIENT, Explorer
from crossing.immutable import immutable
from crossing.rules import RuntimeProblem


class TooManyStates(Exception):
    """The reachable state space does not fit the budget; ``reason`` is "states", "memory" or "time"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@immutable
class Limits:
    """What exploring may use: states, bytes (estimated from states and interned values), a deadline."""

    max_states: int
    memory_bytes: int
    deadline: float | None = None  # a time.process_time() value, or None for no limit


@dataclass
class Graph:
    """The merged state graph; class ids ascend in reverse topological order (sinks first)."""

    node: list[int]  # -1 for an error class
    status: list[int]
    succ: list[tuple[tuple[int, tuple[tuple[float, int], ...]], ...]]
    group: list[int]  # -1, or the id of the cycle (strongly connected component) holding the class
    groups: list[list[int]]
    start: int
    states: int
    problems: list[RuntimeProblem]


class _Search:
    """The arrays of one exploration. A state's id is its depth-first preorder number, so Tarjan's
    index is the id itself, and a state whose class is still -1 is exactly one on Tarjan's stack."""

    def __init__(self, explorer: Explorer, limits: Limits) -> None:
        self.explorer, self.limits = explorer, limits
        self.index: dict[int, int] = {}
        self.low: list[int] = []
        self.cls: list[int] = []
        self.finished: list[int] = []  # depth-first finishing order (only cycles need it)
        # Each state's expansion (status, node, choices or problem key, targets), kept until it is finished
        self.state_of: list[Any] = []
        self.c_node: list[int] = []
        self.c_status: list[int] = []
        self.c_succ: list[Any] = []
        self.c_group: list[int] = []
        self.groups: list[list[int]] = []
        self.signatures: dict[Any, int] = {}
        self.problems: list[RuntimeProblem] = []
        self.problem_ids: dict[RuntimeProblem, int] = {}
        problems, problem_ids = self.problems, self.problem_ids

        def problem_key(problem: RuntimeProblem) -> int:
            pid = problem_ids.get(problem)
            if pid is None:
                pid = problem_ids[problem] = len(problems)
                problems.append(problem)
            return -1 - pid

        # A closure over the lists, not a bound method: no reference cycle back to this search, so
        # its millions of objects are freed the moment it returns, not by a full garbage collection.
        self.expand = explorer.expander(problem_key)
        self.budget_states = min(limits.max_states, max(1, limits.memory_bytes // STATE_BYTES))

    def check(self, s: int) -> None:
        """Stop when the next state would pass a limit (memory and time are looked at every 1,024)."""
        if s >= self.budget_states:
            raise TooManyStates("states" if s >= self.limits.max_states else "memory")
        if s * STATE_BYTES + self.explorer.value_bytes > self.limits.memory_bytes:
            raise TooManyStates("memory")
        if self.limits.deadline is not None and time.process_time() > self.limits.deadline:
            raise TooManyStates("time")

    def entrance(self) -> Callable[[int], int]:
        """enter(key): number a new state and keep its expansion (one step through the rules). A
        closure over local names: it runs once per state, the hot path of exploring."""
        index, expand, check, budget = self.index, self.expand, self.check, self.budget_states
        low, cls, finished, state_of = self.low, self.cls, self.finished, self.state_of

        def enter(key: int) -> int:
            s = len(low)
            if s >= budget or not s & 1023:
                check(s)
            index[key] = s
            low.append(s)
            cls.append(-1)
            finished.append(-1)
            # a negative key: the run stopped on an expression error, the key names the problem
            state_of.append(expand(key) if key >= 0 else (ERROR, -1, key, ()))
            return s

        return enter

    def structured(self, node: int, chosen: tuple[int, ...], targets: Sequence[int]) -> Any:
        out = []
        position = 0
        probabilities = self.explorer.probabilities[node]
        for ci in chosen:
            p = probabilities[ci]
            out.append((ci, tuple(zip(p, targets[position:position + len(p)], strict=True))))
            position += len(p)
        return tuple(out)

    def new_class(self, node: int, status: int, succ: Any, group: int) -> int:
        c = len(self.c_node)
        self.c_node.append(node)
        self.c_status.append(status)
        self.c_succ.append(succ)
        self.c_group.append(group)
        return c

    def finish_cycle(self, members: list[int]) -> None:
        """A cycle: its states keep their own classes, numbered in reverse depth-first finishing order,
        a topological order once the back edges (to an ancestor: a lower number) are set aside."""
        cls = self.cls
        members.sort(key=self.finished.__getitem__, reverse=True)
        gid = len(self.groups)
        first = len(self.c_node)
        for offset, s in enumerate(members):
            cls[s] = first + offset
        for s in members:
            status, node, chosen, targets = self.state_of[s]
            self.new_class(node, status, self.structured(node, chosen, [cls[t] for t in targets]), gid)
            self.state_of[s] = None
        self.groups.append(list(range(first, first + len(members))))

    def close(self, s: int, stack: list[int]) -> None:
        """s is the root of a finished component of several states (a cycle): pop it off Tarjan's stack."""
        m = stack.pop()
        members = [m]
        while m != s:
            m = stack.pop()
            members.append(m)
        self.finish_cycle(members)

    def run(self) -> Graph:
        """Iterative depth-first search (no recursion limit on long stories)."""
        index, low, cls, finished = self.index, self.low, self.cls, self.finished
        state_of, signatures = self.state_of, self.signatures
        enter, close, structured, new_class, cls_item = self.entrance(), self.close, self.structured, self.new_class, cls.__getitem__
        clock = 0
        root = enter(self.explorer.start_key())
        stack: list[int] = [root]  # Tarjan's stack
        call_state: list[int] = [root]
        call_pos: list[int] = [0]
        # `while True`, not `while call_state`: Python 3.11 specialises a function's bytecode only after
        # it has been called or jumped back unconditionally 8 times, and the conditional jump back of
        # `while call_state` does not count: this loop, run once, would stay unspecialised (~30% slower).
        while True:
            s = call_state[-1]
            targets = state_of[s][3]
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
                if call_state and lowest < low[call_state[-1]]:
                    low[call_state[-1]] = lowest
                if lowest != s:
                    continue
                if stack[-1] != s or s in targets:  # a cycle (or a state that loops on itself)
                    close(s, stack)
                else:  # the common case, a component of one state: merged with any earlier class alike
                    stack.pop()
                    status, node, chosen, _ = state_of[s]
                    if status == TRANSIENT:
                        classes = tuple(map(cls_item, targets))
                        signature: Any = (node, chosen, classes)
                    else:
                        signature = (-1, chosen) if status == ERROR else (node, status)
                    c = signatures.get(signature)
                    if c is None:
                        succ = structured(node, chosen, classes) if status == TRANSIENT else ()
                        c = signatures[signature] = new_class(-1 if status == ERROR else node, status, succ, -1)
                    cls[s] = c
                    state_of[s] = None
                if not call_state:  # the start state is finished: everything is
                    break
        return Graph(self.c_node, self.c_status, self.c_succ, self.c_group, self.groups, cls[root], len(low),
                     self.problems)


def explore(explorer: Explorer, limits: Limits) -> Graph:
    """The merged state graph from the explorer's start; raises TooManyStates past the limits."""
    return _Search(explorer, limits).run()


__all__ = ["DEAD_END", "ENDING", "ERROR", "TRANSIENT", "Graph", "Limits", "TooManyStates", "explore"]
