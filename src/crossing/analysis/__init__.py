"""Exact outcome analysis of a story under random play, and what a deliberate player can change.

The public face of the package: ``analyze`` and its ``Analysis``, the per-route chances and the
reachability lint. The parts, each one idea: states (encoding and one step through crossing.rules),
liveness, explore (Tarjan and merging), markov (random play), strategies (value iteration), paths
(decisions to each ending), sampling (the fallback), routes and lint.
"""

from crossing.analysis.core import ASKED, SAMPLE_RUNS, UNASKED, Budget, UnknownNodeError, analyze, check_start
from crossing.analysis.lint import unreachable_endings
from crossing.analysis.result import DEFAULT_MAX_STATES, Analysis, RouteOdds, StrategyStep
from crossing.analysis.routes import route_entries, route_odds

__all__ = [
    "ASKED", "DEFAULT_MAX_STATES", "SAMPLE_RUNS", "UNASKED", "Analysis", "Budget", "RouteOdds", "StrategyStep",
    "UnknownNodeError", "analyze", "check_start", "route_entries", "route_odds", "unreachable_endings",
]
