"""`analyze`, `stats` and the tree view of `graph`, as Rich renderables.

Wide terminals get tables; below WIDE columns, and with --plain, every ending becomes a short block of
lines, so the output stays readable at 40 columns and in a screen reader.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from crossing.analysis import Analysis
from crossing.graph import TreeItem
from crossing.model import Story
from crossing.randomruns import Stats
from crossing.render.charts import bar
from crossing.render.safe import inert, literal
from crossing.wordcount import WORDS_PER_MINUTE

WIDE = 72
LIST_LIMIT = 12


def pct(p: float | None) -> str:
    """A probability as a percentage: 0% and 100% only when exact, <0.1% for tiny shares."""
    if p is None:
        return "-"
    if p <= 0:
        return "0%"
    if p >= 1 - 1e-12:
        return "100%"
    if p < 0.0005:
        return "<0.1%"
    if p > 0.9995:
        return ">99.9%"
    return f"{100 * p:.1f}%"


def _heading(text: str, is_plain: bool) -> Text:
    return Text(text, style="" if is_plain else "crossing.heading")


def _hint(text: str) -> Text:
    return Text(text, style="crossing.hint")


def _table(is_plain: bool) -> Table:
    if is_plain:
        return Table(box=None, show_edge=False, pad_edge=False, padding=(0, 2, 0, 0))
    return Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)


def _ending_title(story: Story, node_id: str) -> str:
    return story.nodes[node_id].display_title


def _steps(shortest: int | None, longest: float | None) -> str:
    if shortest is None:
        return "-"
    if longest is None or longest == shortest:
        return f"{shortest}"
    high = "unbounded" if math.isinf(longest) else str(int(longest))
    return f"{shortest}-{high}"


def _names(items: Iterable[str], limit: int = LIST_LIMIT) -> str:
    shown = list(items)
    text = ", ".join(inert(x) for x in shown[:limit])
    if len(shown) > limit:
        text += f" and {len(shown) - limit} more"
    return text


# --------------------------------------------------------------------------------------- analyze


def analysis_view(story: Story, result: Analysis, is_plain: bool = False, width: int = 80) -> RenderableType:
    parts: list[RenderableType] = []
    title = Text("Outcome analysis: ", style="crossing.title")
    title.append_text(literal(story.title, "crossing.title"))
    parts.append(title)
    parts.append(_method(story, result))
    parts.append(Text(""))
    wide = width >= WIDE and not is_plain
    order = sorted(result.endings, key=lambda e: (-result.endings[e], e))
    parts.append(_heading("Endings", is_plain))
    if wide:
        parts.append(_endings_table(story, result, order, is_plain))
    else:
        parts.extend(_endings_blocks(story, result, order, is_plain, width))
    parts.append(_hint(_legend(result)))
    parts.append(Text(""))
    parts.append(_heading("Kinds of ending", is_plain))
    parts.append(_kinds(story, result, is_plain, wide, width))
    parts.append(Text(""))
    parts.extend(_safety(story, result, is_plain))
    parts.append(Text(""))
    if result.routes:
        parts.extend(_routes(story, result, is_plain))
        parts.append(Text(""))
    parts.extend(_runs(story, result))
    return Group(*parts)


def _routes(story: Story, result: Analysis, is_plain: bool) -> list[RenderableType]:
    """Per route, from its entry scene: safety under random play and at best, and each kind's chance."""
    out: list[RenderableType] = [_heading("By route", is_plain)]
    out.append(_hint("Measured from each route's entry scene (the one random play enters first most often), "
                     "variables at their starting values."))
    for route, odds in sorted(result.routes.items()):
        head = literal(story.route_title(route), "crossing.title")
        head.append_text(literal(f" (from {story.nodes[odds.entry].display_title})", "crossing.hint"))
        out.append(head)
        best = f", {pct(odds.best_safe)} at best" if odds.best_safe is not None else ""
        estimated = "" if odds.exact else " (estimated)"
        out.append(Text(f"  safety {pct(odds.safe)} at random{best}{estimated}"))
        kinds = sorted(odds.kinds.items(), key=lambda kv: (-kv[1], kv[0]))
        shares = ", ".join(f"{story.kind_label(k)} {pct(p)}" for k, p in kinds if p > 0)
        out.append(Padding(literal(shares), (0, 0, 0, 2)))
    return out


def _method(story: Story, result: Analysis) -> Text:
    start = ""
    if result.start and result.start != story.start:
        start = f" Every run starts at '{result.start}', variables at their starting values."
    if result.exact:
        text = (f"Exact, over all {result.states:,} reachable states "
                f"({result.classes:,} once states that behave alike are merged).")
        if result.has_cycles:
            text += " The story has loops; they are solved exactly."
        if not result.strategies:
            text += (" Best and worst are given for kinds of ending and safety only: per ending they would"
                     " take too long on this many states.")
        if not result.converged:
            text += " Some loops did not converge fully: best and worst figures may be a little low."
        return Text(text + start)
    why = {
        "memory": f"exploring its states would need more memory than allowed (stopped at {result.max_states:,} states)",
        "time": "exploring its states took longer than allowed",
    }.get(result.fallback_reason, f"the story has more than {result.max_states:,} states (raise --max-states "
                                  "to try an exact count)")
    margin = 100 * (result.margin or 0.0)
    return Text(
        f"Estimated from {result.runs or 0:,} random runs (fell back to sampling): {why}. Each share is within "
        f"±{margin:.1f} percentage points (95% interval). Best and worst strategies need the exact count.{start}",
        style="crossing.warning",
    )


def _legend(result: Analysis) -> str:
    if not result.exact:
        return "Random: the share of random runs that ended there."
    return ("Random: the chance when every choice is picked at random. Best/worst: the most and the least "
            "a player choosing on purpose can make it. Decisions: the shortest and longest way there.")


def _random_cell(result: Analysis, p: float, is_plain: bool, bar_width: int) -> Text:
    cell = Text.assemble(bar(p, is_plain, bar_width, padded=True), " " if bar_width else "", f"{pct(p):>6}")
    if not result.exact and result.margin is not None:
        cell.append(f" ±{100 * result.margin:.1f}")
    return cell


def _endings_table(story: Story, result: Analysis, order: list[str], is_plain: bool) -> Table:
    table = _table(is_plain)
    table.add_column("Ending", ratio=3)
    table.add_column("Random", no_wrap=True)
    if result.exact:
        table.add_column("Best", justify="right", no_wrap=True)
        table.add_column("Worst", justify="right", no_wrap=True)
        table.add_column("Decisions", justify="right", no_wrap=True)
    for e in order:
        label = literal(_ending_title(story, e))
        label.append_text(literal(f"\n{e} · {story.kind_label(result.ending_kind[e])}", "crossing.hint"))
        cells: list[RenderableType] = [label, _random_cell(result, result.endings[e], is_plain, 10)]
        if result.exact:
            cells += [pct(result.best.get(e)) if result.strategies else "-",
                      pct(result.worst.get(e)) if result.strategies else "-",
                      _steps(result.shortest.get(e), result.longest.get(e))]
        table.add_row(*cells)
    return table


def _endings_blocks(story: Story, result: Analysis, order: list[str], is_plain: bool, width: int) -> list[RenderableType]:
    out: list[RenderableType] = []
    bar_width = max(0, min(20, width - 24))
    for e in order:
        head = literal(_ending_title(story, e), "crossing.ending")
        head.append_text(literal(f" ({story.kind_label(result.ending_kind[e])})", "crossing.ending.kind"))
        out.append(head)
        out.append(literal(f"  id: {e}", "crossing.hint"))
        line = Text("  random ")
        line.append_text(_random_cell(result, result.endings[e], is_plain, bar_width))
        out.append(line)
        if result.exact:
            if result.strategies:
                out.append(Text(f"  best {pct(result.best.get(e))}, worst {pct(result.worst.get(e))}"))
            out.append(Text(f"  decisions {_steps(result.shortest.get(e), result.longest.get(e))}"))
    return out


def _kinds(story: Story, result: Analysis, is_plain: bool, wide: bool, width: int) -> RenderableType:
    order = sorted(result.kinds, key=lambda k: (-result.kinds[k], k))
    if wide:
        table = _table(is_plain)
        table.add_column("Kind", ratio=3)
        table.add_column("Random", no_wrap=True)
        if result.exact:
            table.add_column("Best", justify="right", no_wrap=True)
            table.add_column("Worst", justify="right", no_wrap=True)
        for k in order:
            label = literal(story.kind_label(k))
            if story.is_safe_kind(k):
                label.append(" (safe)", style="crossing.hint")
            cells: list[RenderableType] = [label, _random_cell(result, result.kinds[k], is_plain, 10)]
            if result.exact:
                cells += [pct(result.best_kinds.get(k)), pct(result.worst_kinds.get(k))]
            table.add_row(*cells)
        return table
    lines: list[RenderableType] = []
    bar_width = max(0, min(20, width - 24))
    for k in order:
        label = literal(story.kind_label(k), "crossing.ending.kind")
        if story.is_safe_kind(k):
            label.append(" (safe)", style="crossing.hint")
        lines.append(label)
        line = Text("  random ")
        line.append_text(_random_cell(result, result.kinds[k], is_plain, bar_width))
        lines.append(line)
        if result.exact:
            lines.append(Text(f"  best {pct(result.best_kinds.get(k))}, worst {pct(result.worst_kinds.get(k))}"))
    return Group(*lines)


def _safety(story: Story, result: Analysis, is_plain: bool) -> list[RenderableType]:
    safe_kinds = [k for k in result.kinds if story.is_safe_kind(k)]
    out: list[RenderableType] = [_heading("Reaching safety", is_plain)]
    if not safe_kinds:
        out.append(Text("No ending of this story is of a safe kind."))
        return out
    names = ", ".join(inert(story.kind_label(k)) for k in safe_kinds)
    if result.best_safe is None or result.worst_safe is None:
        out.append(Text(f"Random play reaches a safe ending ({names}) in {pct(result.safe)} of runs."))
        return out
    out.append(Text(
        f"Random play reaches a safe ending ({names}) {pct(result.safe)} of the time. Choosing on purpose, "
        f"a player can make it {pct(result.best_safe)} at best and {pct(result.worst_safe)} at worst."
    ))
    spread = result.best_safe - result.worst_safe
    if spread < 0.005:
        out.append(_hint("Choices barely change it: the outcome is luck, not choice."))
    elif result.best_safe < 0.995:
        out.append(_hint(f"Choices move it by {100 * spread:.0f} points; even the best strategy leaves the rest to luck."))
    else:
        out.append(_hint(f"Choices move it by {100 * spread:.0f} points; the best strategy is certain to reach safety."))
    if result.safe_strategy:
        out.append(Text("The safest strategy, along its most likely path:"))
        for number, step in enumerate(result.safe_strategy, start=1):
            node = story.nodes[step.node]
            line = Text(f"{number:>3}. ")
            line.append_text(literal(step.text, "crossing.choice"))
            line.append_text(literal(f"  ({node.title or node.id})", "crossing.hint"))
            out.append(line)
        if result.safe_strategy_end:
            end = Text("     → ")
            end.append_text(literal(_ending_title(story, result.safe_strategy_end), "crossing.ending"))
            out.append(end)
        else:
            out.append(_hint("     (its most likely path comes back to a scene already passed)"))
    return out


def _runs(story: Story, result: Analysis) -> list[RenderableType]:
    out: list[RenderableType] = []
    expected = result.expected_decisions
    if expected is None:
        out.append(Text("Decisions per run: unknown."))
    elif math.isinf(expected):
        out.append(Text("Decisions per run: unbounded (a loop can go on for ever)."))
    else:
        out.append(Text(f"Decisions per run: {expected:.1f} on average{'' if result.exact else ' (estimated)'}."))
    if result.stuck > 0:
        where = _names(f"{n} ({pct(p)})" for n, p in sorted(result.stuck_at.items(), key=lambda kv: -kv[1]))
        out.append(Text(f"Stuck: {pct(result.stuck)} of runs reach a scene that offers no choice: {where}.",
                        style="crossing.warning"))
    else:
        out.append(Text("Stuck: no run reaches a scene without a choice."))
    if result.never_ends > 0:
        out.append(Text(f"Never ending: {pct(result.never_ends)} of runs enter a loop no choice leaves.",
                        style="crossing.warning"))
    if not result.exact and result.capped_runs:
        out.append(Text(f"{result.capped_runs} sampled runs were stopped after 10,000 steps.", style="crossing.warning"))
    if result.errors:
        out.append(Text(f"Expression errors ({pct(result.error_probability)} of runs stop on one):",
                        style="crossing.diagnostic.error"))
        for problem in result.errors:
            out.append(literal(f"  {problem.format()}", "crossing.diagnostic.error"))
    else:
        out.append(Text("Expression errors: none met."))
    return out


# ----------------------------------------------------------------------------------------- stats


def stats_view(story: Story, stats: Stats, is_plain: bool = False, width: int = 80) -> RenderableType:
    parts: list[RenderableType] = []
    title = Text("Random runs: ", style="crossing.title")
    title.append_text(literal(story.title, "crossing.title"))
    parts.append(title)
    summary = (f"{stats.runs:,} runs (seed {stats.seed}): {stats.finished:,} reached an ending, "
               f"{stats.stuck:,} got stuck, {stats.capped:,} stopped at the step cap ({stats.step_cap:,} steps)")
    if stats.errored:
        summary += f", {stats.errored:,} stopped on an expression error"
    parts.append(Text(summary + "."))
    if stats.start and stats.start != story.start:
        parts.append(literal(f"Every run starts at '{stats.start}', variables at their starting values.", "crossing.hint"))
    if stats.runs < stats.asked:
        why = "interrupted" if stats.interrupted else f"the bound of {stats.max_steps:,} steps in all was reached"
        parts.append(Text(f"Stopped early ({why}): {stats.runs:,} of {stats.asked:,} runs were made.",
                          style="crossing.warning"))
    parts.append(Text(""))
    wide = width >= WIDE and not is_plain
    bar_width = 10 if wide else max(0, min(20, width - 24 - len(f"{stats.runs:,}")))
    order = sorted(stats.endings, key=lambda e: (-stats.endings[e], e))
    rows = [(_ending_title(story, e), f"{e} · {story.kind_label(_kind(story, e))}", stats.endings[e]) for e in order]
    parts.append(_heading("Endings", is_plain))
    parts.append(_counts(rows, stats.runs, "Ending", is_plain, wide, bar_width, "crossing.ending"))
    parts.append(Text(""))
    parts.append(_heading("Kinds of ending", is_plain))
    kinds = sorted(stats.kinds, key=lambda k: (-stats.kinds[k], k))
    rows = [(story.kind_label(k), "", stats.kinds[k]) for k in kinds]
    parts.append(_counts(rows, stats.runs, "Kind", is_plain, wide, bar_width, "crossing.ending.kind"))
    parts.append(Text(""))
    parts.extend(_stats_runs(stats, is_plain))
    parts.append(Text(""))
    parts.extend(_reading(story, stats, is_plain))
    parts.append(Text(""))
    parts.extend(_coverage(story, stats, is_plain))
    return Group(*parts)


def _kind(story: Story, node_id: str) -> str:
    ending = story.nodes[node_id].ending
    return ending.kind if ending is not None else ""


def _counts(rows: list[tuple[str, str, int]], runs: int, what: str, is_plain: bool, wide: bool, bar_width: int,
            style: str) -> RenderableType:
    """Counted rows (label, hint, count) with their share of the runs: a table, or blocks of lines."""
    total = max(runs, 1)
    digits = len(f"{runs:,}")
    if wide:
        table = _table(is_plain)
        table.add_column(what, ratio=3)
        table.add_column("Runs", justify="right", no_wrap=True)
        table.add_column("Share", no_wrap=True)
        for label, hint, count in rows:
            cell = literal(label)
            if hint:
                cell.append_text(literal(f"\n{hint}", "crossing.hint"))
            share = count / total
            table.add_row(cell, f"{count:,}", Text.assemble(bar(share, is_plain, bar_width, padded=True), f" {pct(share):>6}"))
        return table
    lines: list[RenderableType] = []
    for label, hint, count in rows:
        head = literal(label, style)
        if hint:
            head.append_text(literal(f" ({hint})", "crossing.hint"))
        share = count / total
        lines.append(head)
        lines.append(Text.assemble(f"  {count:>{digits},} runs ", bar(share, is_plain, bar_width, padded=True), f" {pct(share):>6}"))
    return Group(*lines)


def _stats_runs(stats: Stats, is_plain: bool) -> list[RenderableType]:
    out: list[RenderableType] = [_heading("Runs", is_plain)]
    out.append(Text(f"Decisions per run (steps at a scene offering more than one choice): {stats.average:.1f} on "
                    f"average, fewest {stats.shortest or 0}, most {stats.longest}."))
    if stats.stuck_at:
        where = _names(f"{n} ({k})" for n, k in sorted(stats.stuck_at.items(), key=lambda kv: -kv[1]))
        out.append(Text(f"Stuck at: {where}.", style="crossing.warning"))
    if stats.capped:
        out.append(Text(f"{stats.capped:,} runs went on past {stats.step_cap:,} steps (a loop nothing ends?).",
                        style="crossing.warning"))
    for problem in stats.errors:
        out.append(literal(problem.format(), "crossing.diagnostic.error"))
    return out


def _spread(values: dict[str, float], digits: int = 0) -> str:
    return " / ".join(f"{values[k]:,.{digits}f}" for k in ("min", "median", "p90", "max"))


def _reading(story: Story, stats: Stats, is_plain: bool) -> list[RenderableType]:
    """Words read, decisions and reading minutes per run that reached an ending: overall, by route, by
    kind. Blocks of lines at every width: four figures for three measures do not fit a table at 80."""
    telling = "gentle telling" if stats.gentle else "full telling"
    out: list[RenderableType] = [_heading(f"What a run reads ({telling}, {WORDS_PER_MINUTE} words a minute)", is_plain)]
    if not stats.reading.runs:
        out.append(Text("No run reached an ending."))
        return out
    out.append(_hint("Each figure: min / median / 90th percentile / max, over the runs that reached an ending."))
    groups = [("All runs", stats.reading)]
    groups += [(f"Route: {story.route_title(r)}", g) for r, g in sorted(stats.by_route.items())]
    groups += [(f"Ending: {story.kind_label(k)}", g) for k, g in sorted(stats.by_kind.items())]
    for label, group in groups:
        data = group.figures()
        out.append(literal(f"{label} ({group.runs:,} runs)", "crossing.heading" if not is_plain else ""))
        out.append(Text(f"  words {_spread(data['words'])}"))
        out.append(Text(f"  decisions {_spread(data['decisions'])}"))
        out.append(Text(f"  minutes {_spread(data['minutes'], 1)}"))
    return out


def _coverage(story: Story, stats: Stats, is_plain: bool) -> list[RenderableType]:
    out: list[RenderableType] = [_heading("Coverage", is_plain)]
    nodes = len(stats.node_visits)
    reached = nodes - len(stats.never_reached_nodes())
    choices = len(stats.choice_counts)
    taken = choices - len(stats.never_taken_choices())
    out.append(Text(f"Scenes reached: {reached} of {nodes}. Choices taken: {taken} of {choices}."))
    never = stats.never_reached_nodes()
    if never:
        out.append(literal(f"Never reached: {_names(never)}.", "crossing.warning"))
    untaken = stats.never_taken_choices()
    if untaken:
        out.append(Text("Never taken:", style="crossing.warning"))
        for node_id, index in untaken[:LIST_LIMIT]:
            out.append(literal(f"  {node_id} #{index + 1}: {story.nodes[node_id].choices[index].text}"))
        if len(untaken) > LIST_LIMIT:
            out.append(_hint(f"  and {len(untaken) - LIST_LIMIT} more (--json lists them all)"))
    if len(stats.choice_counts) <= 2 * LIST_LIMIT:
        out.append(Text("Times each choice was taken:"))
        for (node_id, index), count in stats.choice_counts.items():
            out.append(literal(f"  {count:>8,}  {node_id} #{index + 1}: {story.nodes[node_id].choices[index].text}"))
    visits = list(stats.node_visits.items())
    if len(visits) > 2 * LIST_LIMIT:
        visits = sorted((v for v in visits if v[1] > 0), key=lambda kv: (kv[1], kv[0]))[:LIST_LIMIT]
    shown = visits
    if shown:
        what = "Visits per scene" if len(shown) == len(stats.node_visits) else f"The {len(shown)} least visited scenes reached"
        out.append(Text(f"{what} (--json has every scene and choice):"))
        for node_id, count in shown:
            out.append(literal(f"  {count:>8,}  {node_id}"))
    return out


# ------------------------------------------------------------------------------------------ tree


def _tree_label(item: TreeItem, is_plain: bool, story: Story) -> Text:
    label = Text()
    if item.edge is not None:
        label.append_text(literal(item.edge.text, "crossing.choice"))
        if item.edge.condition:
            label.append_text(literal(f" (if {item.edge.condition})", "crossing.hint"))
        if item.edge.share:
            label.append(f" {item.edge.share}", style="crossing.stat")
        label.append(" → ")
    if item.missing:
        label.append_text(literal(f"{item.node} (unknown node)", "crossing.diagnostic.error"))
        return label
    style = "crossing.ending" if item.ending_kind is not None else "crossing.title"
    label.append_text(literal(item.title, style))
    if item.title != item.node:
        label.append_text(literal(f" [{item.node}]", "crossing.hint"))
    if item.ending_kind is not None:
        kind = story.kind_label(item.ending_kind)
        label.append_text(literal(f" — ending: {kind}{' (safe)' if item.safe else ''}", "crossing.ending.kind"))
    if item.repeat:
        label.append(" (see above)" if is_plain else " ↺ see above", style="crossing.hint")
    if item.cut:
        label.append(" … (deeper than shown)", style="crossing.hint")
    return label


def tree_view(story: Story, root: TreeItem, is_plain: bool = False) -> RenderableType:
    """Rich's Tree with guide lines; with --plain, indented lines a screen reader can follow."""
    if is_plain:
        lines: list[RenderableType] = []
        stack: list[tuple[TreeItem, int]] = [(root, 0)]
        while stack:
            item, depth = stack.pop()
            line = Text("- " if depth else "")
            line.append_text(_tree_label(item, True, story))
            lines.append(Padding(line, (0, 0, 0, 2 * depth), expand=False) if depth else line)
            stack.extend((child, depth + 1) for child in reversed(item.children))
        return Group(*lines)
    top = Tree(_tree_label(root, False, story), guide_style="crossing.hint")
    pending: list[tuple[TreeItem, Tree]] = [(root, top)]
    while pending:
        item, branch = pending.pop()
        for child in item.children:
            pending.append((child, branch.add(_tree_label(child, False, story))))
    return top
