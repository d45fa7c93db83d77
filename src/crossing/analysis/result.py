"""What ``analyze`` finds: the Analysis result and its JSON form."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from crossing.immutable import immutable
from crossing.rules import RuntimeProblem

DEFAULT_MAX_STATES = 250_000
Z95 = 1.959963984540054


@immutable
class StrategyStep:
    node: str
    choice: int  # index of the authored choice in the node
    text: str


@immutable
class RouteOdds:
    """Chances measured from a route's entry scene (the scene of that route random play enters first
    most often): safety under random play and under the best strategy, and each ending kind."""

    entry: str
    safe: float
    best_safe: float | None
    kinds: dict[str, float]
    exact: bool

    def to_dict(self) -> dict[str, Any]:
        return {"entry": self.entry, "safe": self.safe, "best_safe": self.best_safe, "kinds": dict(self.kinds),
                "exact": self.exact}


@dataclass
class Analysis:
    """Everything ``analyze`` found. Probabilities are under random play unless named best/worst.
    Decisions count steps at scenes that offered more than one choice (crossing.rules.is_decision)."""

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
    shortest: dict[str, int | None] = field(default_factory=dict)  # decisions; None: never reached
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
    start: str = ""
    fallback_reason: str = ""  # why it sampled: "states", "memory" or "time"
    routes: dict[str, RouteOdds] = field(default_factory=dict)

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
            "exact": self.exact, "start": self.start,
            "endings": dict(self.endings), "kinds": dict(self.kinds), "ending_kinds": dict(self.ending_kind),
            "margin": self.margin,
            "intervals": None if self.exact else {e: list(self.interval(e)) for e in self.endings},
            "runs": self.runs, "fallback": self.fallback_reason or None,
            "best": dict(self.best), "worst": dict(self.worst),
            "best_kinds": dict(self.best_kinds), "worst_kinds": dict(self.worst_kinds),
            "safe": self.safe, "best_safe": self.best_safe, "worst_safe": self.worst_safe,
            "safe_strategy": {
                "probability": self.best_safe,
                "choices": [{"node": s.node, "choice": s.choice, "text": s.text} for s in self.safe_strategy],
                "ends_at": self.safe_strategy_end,
            },
            "expected_decisions": expected,
            "shortest": dict(self.shortest),
            "longest": {e: length(v) for e, v in self.longest.items()},
            "stuck": self.stuck, "stuck_at": dict(self.stuck_at),
            "error_probability": self.error_probability,
            "errors": [problem.to_dict() for problem in self.errors],
            "never_ends": self.never_ends, "states": self.states, "classes": self.classes,
            "max_states": self.max_states, "converged": self.converged,
            "strategies_per_ending": self.strategies, "capped_runs": self.capped_runs, "cycles": self.has_cycles,
            "routes": {r: odds.to_dict() for r, odds in self.routes.items()},
        }
