"""Which values each node's future can still read: states that differ only in the rest are one state.

A variable or a visit no later choice reads (before overwriting it) cannot change anything. Classic
backward liveness over the node graph: live(X) = read(X) | OR over edges X->T of (live(T) minus what
the edge overwrites: its assignments, and T's own visit, set on entry). Variables are bits 0..v-1 of
a mask, tracked visits the bits above.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crossing.analysis.states import Explorer


def _edges(explorer: Explorer, read: Any) -> tuple[list[int], list[list[tuple[int, int]]], list[list[int]]]:
    """Per node: what its choices read, its edges (target, bits the edge overwrites), its predecessors."""
    position = {name: i for i, name in enumerate(explorer.names)}
    nv = len(explorer.names)
    count = len(explorer.node_ids)
    reads = [0] * count
    edges: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    preds: list[list[int]] = [[] for _ in range(count)]
    for i, node_id in enumerate(explorer.node_ids):
        mask = 0
        for choice in explorer.story.nodes[node_id].choices:
            if choice.condition is not None:
                mask |= read(choice.condition)
            written = 0
            for a in choice.assignments:
                mask |= read(a.expression)
                written |= 1 << position[a.variable]
            branches = [(o.goto, o.assignments) for o in choice.outcomes] or [(choice.goto or "", ())]
            for target, outcome_assigns in branches:
                also = written
                for a in outcome_assigns:
                    mask |= read(a.expression)
                    also |= 1 << position[a.variable]
                t = explorer.node_index[target]
                edges[i].append((t, also | (explorer.node_bit[t] << nv)))
                preds[t].append(i)
        reads[i] = mask
    return reads, edges, preds


def liveness(explorer: Explorer) -> tuple[list[int], list[tuple[int, ...]]]:
    """Per node: the tracked visits still live (a mask), and the variable positions to reset to their
    start values on entry (empty: all live)."""
    position = {name: i for i, name in enumerate(explorer.names)}
    nv = len(explorer.names)
    masks: dict[int, int] = {}

    def read(expr: Any) -> int:
        found = masks.get(id(expr))
        if found is None:
            found = sum({1 << position[n.name] for n in expr.names() if n.name in position})
            found |= explorer.refmask([expr]) << nv
            masks[id(expr)] = found
        return found

    reads, edges, preds = _edges(explorer, read)
    live = list(reads)
    pending = list(range(len(live)))
    queued = [True] * len(live)
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
    dead = [tuple(p for p in range(nv) if not m >> p & 1) if m & every != every else () for m in live]
    return [m >> nv for m in live], dead
