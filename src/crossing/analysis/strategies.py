"""Best and worst strategies by value iteration: for every class, the max (or min) over the offered
choices of the expectation over outcomes, for every ending, every ending kind and safety at once (one
vector per class); and the most likely path of the safest strategy.
"""

from __future__ import annotations

import heapq
import math
from typing import Any

from crossing.analysis.explore import ENDING, TRANSIENT, Graph

Vector = list[float]


class _Values:
    """Best and worst vectors of every class, computed sinks first; a vector is dropped once every
    class leading to it has been computed, so memory follows the frontier, not the whole graph."""

    def __init__(self, g: Graph, targets: list[list[int]], width: int) -> None:
        self.g, self.width, self.targets = g, width, targets
        n = len(g.node)
        self.best: list[Any] = [None] * n
        self.worst: list[Any] = [None] * n
        self.argbest: list[tuple[int, ...]] = [()] * n
        self.zero = [0.0] * width
        self.waiting = [0] * n  # predecessors not yet computed
        for c in range(n):
            for _ci, outs in g.succ[c]:
                for _p, t in outs:
                    self.waiting[t] += 1
        self.waiting[g.start] += 1  # keep the start's vectors

    def combine(self, c: int) -> tuple[Vector, Vector, tuple[int, ...]]:
        """Max and min over the choices of class c; the choices that reach the top of the last column."""
        best, worst, last = self.best, self.worst, self.width - 1
        hi: Any = None
        lo: Any = None
        values: list[tuple[int, float]] = []
        for ci, outs in self.g.succ[c]:
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

    def release(self, c: int) -> None:
        for _ci, outs in self.g.succ[c]:
            for _p, t in outs:
                self.waiting[t] -= 1
                if not self.waiting[t]:
                    self.best[t] = self.worst[t] = None

    def single(self, c: int) -> None:
        status = self.g.status[c]
        if status == ENDING:
            vec = list(self.zero)
            for pos in self.targets[c]:
                vec[pos] = 1.0
            self.best[c] = self.worst[c] = vec
        elif status == TRANSIENT:
            self.best[c], self.worst[c], self.argbest[c] = self.combine(c)
            self.release(c)
        else:
            self.best[c] = self.worst[c] = self.zero

    def cycle(self, members: list[int], budget: int) -> int:
        """Value iteration from zero (it converges to the least fixed point: the max or min reach
        probability) until it settles; returns the work spent, or -1 past the budget."""
        best, worst = self.best, self.worst
        for m in members:
            best[m] = worst[m] = self.zero
        edges = sum(len(outs) for m in members for _ci, outs in self.g.succ[m]) * self.width + 1
        work = 0
        while True:
            change = 0.0
            for m in reversed(members):  # successors first, but for the back edges
                hi, lo, self.argbest[m] = self.combine(m)
                delta = max(max(abs(a - b) for a, b in zip(hi, best[m], strict=True)),
                            max(abs(a - b) for a, b in zip(lo, worst[m], strict=True)))
                change = max(change, delta)
                best[m], worst[m] = hi, lo
            work += edges
            if change <= 1e-13:
                break
            if work > budget:
                work = -1
                break
        for m in members:
            self.release(m)
        return work


def vector_values(g: Graph, targets: list[list[int]], width: int,
                  budget: int) -> tuple[Vector, Vector, list[tuple[int, ...]], bool]:
    """Max and min over strategies of the probability of reaching each target, for every class.

    ``targets[c]`` lists the vector positions a terminal class counts for. Each position is its own
    objective, so the element-wise max (min) over choices is the best (worst) strategy for each.
    Returns the start's best and worst vectors, the choices (authored indices) maximising the last
    position in every class, and whether every cycle converged within ``budget`` element updates
    (all cycles together; unconverged values are lower bounds)."""
    values = _Values(g, targets, width)
    converged = True
    left = budget
    c = 0
    while c < len(g.node):
        gid = g.group[c]
        if gid < 0:
            values.single(c)
            c += 1
            continue
        members = g.groups[gid]
        work = values.cycle(members, left)
        if work < 0:  # past the budget: later cycles get one sweep each, as lower bounds
            converged = False
            left = 0
        else:
            left -= work
        c = max(members) + 1
    return values.best[g.start], values.worst[g.start], values.argbest, converged


def strategy_path(g: Graph, optimal: list[tuple[int, ...]], safe: list[bool]) -> tuple[list[tuple[int, int]], int]:
    """The most likely path to a safe ending when only safety-maximising choices are made (Dijkstra on
    -log p): the choices a teacher can name as "the safest strategy". Returns (class, choice) steps and
    the safe class reached (-1: none)."""
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
        return [], -1
    steps: list[tuple[int, int]] = []
    c = goal
    while c != start:
        c, ci = back[c]
        steps.append((c, ci))
    steps.reverse()
    return steps, goal
