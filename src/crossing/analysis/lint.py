"""The reachability lint: endings random play can never reach."""

from __future__ import annotations

import time

from crossing.analysis.states import ENDING, Explorer
from crossing.model import Story
from crossing.randomruns import no_gc
from crossing.rules import RuntimeProblem

# Characters of text values the lint may intern: text that grows a character a step must not fill memory.
MAX_VALUE_BYTES = 100 * 1024 * 1024


def unreachable_endings(story: Story, max_states: int, deadline: float | None = None,
                        liveness: bool = True) -> list[str] | None:
    """Endings random play can never reach (probability zero), or None when the state space is larger
    than max_states or exploring passes the monotonic deadline: then nothing is claimed.

    Every transition has a positive probability, so probability zero means: no reachable state is there.
    ``liveness`` merges states that differ only in values nothing reads again (fewer states, but an
    up-front pass over the whole story)."""
    with no_gc():
        return _unreachable_endings(story, max_states, deadline, liveness)


def _no_key(problem: RuntimeProblem) -> int:
    return -1  # the run stops with an error there: nothing beyond it


def _unreachable_endings(story: Story, max_states: int, deadline: float | None, liveness: bool) -> list[str] | None:
    explorer = Explorer(story, liveness)
    expand = explorer.expander(_no_key)
    start = explorer.start_key()
    seen = {start}
    queue = [start]
    reached: set[int] = set()
    while queue:
        if len(seen) > max_states or explorer.value_bytes > MAX_VALUE_BYTES:
            return None
        if deadline is not None and not len(seen) % 512 and time.monotonic() > deadline:
            return None
        key = queue.pop()
        status, node, _chosen, targets = expand(key)
        if status == ENDING:
            reached.add(node)
        for nxt in targets:
            if nxt not in seen and nxt >= 0:
                seen.add(nxt)
                queue.append(nxt)
    return [e.id for e in story.endings() if explorer.node_index[e.id] not in reached]
