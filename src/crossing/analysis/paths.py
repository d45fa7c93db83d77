"""Shortest and longest ways to each class, counted in decisions (steps at a scene that offered more
than one choice, crossing.rules.is_decision): breadth first with 0/1 weights, and a topological pass
for the longest (unbounded through a cycle that holds a decision).
"""

from __future__ import annotations

import math
from collections import deque

from crossing.analysis.explore import TRANSIENT, Graph
from crossing.rules import is_decision


def decision_weights(g: Graph) -> list[int]:
    """1 for a class whose step is a decision, else 0."""
    return [1 if g.status[c] == TRANSIENT and is_decision(len(g.succ[c])) else 0 for c in range(len(g.node))]


def shortest(g: Graph, weight: list[int]) -> list[int]:
    """Fewest decisions from the start to every class (-1: unreachable); 0-1 breadth-first search."""
    dist = [-1] * len(g.node)
    dist[g.start] = 0
    queue = deque([g.start])
    done = [False] * len(g.node)
    while queue:
        c = queue.popleft()
        if done[c]:
            continue
        done[c] = True
        w = weight[c]
        for _ci, outs in g.succ[c]:
            for _p, t in outs:
                if dist[t] < 0 or dist[c] + w < dist[t]:
                    dist[t] = dist[c] + w
                    if w:
                        queue.append(t)
                    else:
                        queue.appendleft(t)
    return dist


def longest(g: Graph, weight: list[int]) -> list[float]:
    """Most decisions from the start to every class (-1: unreachable; inf: through a loop that decides)."""
    n = len(g.node)
    most = [-1.0] * n
    most[g.start] = 0.0
    c = n - 1
    while c >= 0:
        gid = g.group[c]
        members = [c] if gid < 0 else g.groups[gid]
        reached = [m for m in members if most[m] >= 0]
        if gid >= 0 and reached:
            # around a loop that holds a decision a run can decide without end; else all members alike
            top = math.inf if any(weight[m] for m in members) else max(most[m] for m in reached)
            for m in members:
                most[m] = top
        for m in members:
            if most[m] < 0:
                continue
            step = most[m] + weight[m]
            for _ci, outs in g.succ[m]:
                for _p, t in outs:
                    if step > most[t]:
                        most[t] = step
        c = c - 1 if gid < 0 else min(members) - 1
    return most
