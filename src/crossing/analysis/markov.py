"""Random play on the merged state graph: the expected visits of every class.

Visits are pushed forward in topological order; inside a cycle the linear system is solved directly
(small cycles) or by Gauss-Seidel to a tight tolerance; a cycle with no way out traps its mass (the
run would never end).
"""

from __future__ import annotations

from crossing.analysis.explore import TRANSIENT, Graph

TOLERANCE = 1e-13
# A cycle is solved exactly when at most this many of its states are entered by a back edge; beyond,
# by iteration. Work (edge updates) allowed to iterate on one cycle before giving up on convergence:
CUT_LIMIT = 300
MAX_CYCLE_WORK = 20_000_000


def random_play(g: Graph) -> tuple[list[float], float, bool]:
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


def _solve_cycle(g: Graph, members: list[int], mass: list[float]) -> tuple[bool, bool]:
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

