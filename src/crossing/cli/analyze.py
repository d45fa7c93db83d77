"""`crossing analyze`, `crossing stats` and `crossing graph`: the whole story at once."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from crossing.cli.app import PATH_HELP, app, console, load_or_fail, wants_plain

DEFAULT_MAX_STATES = 250_000  # keep in step with crossing.analysis.DEFAULT_MAX_STATES (not imported: --help stays fast)


@app.command()
def analyze(
    path: Annotated[Path | None, typer.Argument(help=PATH_HELP, show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object; its key \"endings\" maps every ending id to its probability.")] = False,
    max_states: Annotated[int, typer.Option("--max-states", min=1, help="Enumerate at most this many states; beyond, estimate by sampling (with a 95% margin of error).")] = DEFAULT_MAX_STATES,
    plain: Annotated[bool, typer.Option("--plain", help="No colour and no box drawing.")] = False,
) -> None:
    """Exact chance of every ending under random play, best and worst strategies, paths and dead ends."""
    from crossing.analysis import ASKED
    from crossing.analysis import analyze as run_analysis
    from crossing.render.analysis import analysis_view

    story = load_or_fail(path)
    result = run_analysis(story, max_states=max_states, budget=ASKED)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    out = console(plain)
    out.print(analysis_view(story, result, wants_plain(plain), out.width))


@app.command()
def stats(
    path: Annotated[Path | None, typer.Argument(help=PATH_HELP, show_default=False)] = None,
    runs: Annotated[int, typer.Option("--runs", min=1, max=10_000_000, help="How many random playthroughs.")] = 1_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed for the whole batch: the same seed gives the same statistics.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object; its key \"endings\" maps every ending id to how many runs ended there.")] = False,
    plain: Annotated[bool, typer.Option("--plain", help="No colour and no box drawing.")] = False,
) -> None:
    """Play the story many times at random: ending frequencies, coverage, and what is never reached."""
    from crossing.randomruns import run_many
    from crossing.render.analysis import stats_view

    story = load_or_fail(path)
    result = run_many(story, runs, seed)
    if as_json:
        typer.echo(json.dumps(result.to_dict(story), indent=2, ensure_ascii=False))
        return
    out = console(plain)
    out.print(stats_view(story, result, wants_plain(plain), out.width))


class GraphFormat(StrEnum):
    dot = "dot"
    mermaid = "mermaid"
    tree = "tree"


@app.command()
def graph(
    path: Annotated[Path | None, typer.Argument(help=PATH_HELP, show_default=False)] = None,
    format: Annotated[GraphFormat, typer.Option("--format", "-f", help="dot (Graphviz), mermaid, or a tree drawn in the terminal.")] = GraphFormat.tree,
    plain: Annotated[bool, typer.Option("--plain", help="No colour and no box drawing (tree).")] = False,
) -> None:
    """The story as a graph: Graphviz DOT, Mermaid, or a tree in the terminal."""
    from crossing import graph as story_graph

    story = load_or_fail(path)
    if format is GraphFormat.dot:
        typer.echo(story_graph.to_dot(story), nl=False)
        return
    if format is GraphFormat.mermaid:
        typer.echo(story_graph.to_mermaid(story), nl=False)
        return
    from crossing.render.analysis import tree_view

    is_plain = wants_plain(plain)
    out = console(plain)
    # Each level indents by 4 columns (2 in plain): deeper levels are cut where labels would be squeezed out.
    depth = max(2, (out.width - 24) // (2 if is_plain else 4))
    out.print(tree_view(story, story_graph.tree(story, max_depth=depth), is_plain))
