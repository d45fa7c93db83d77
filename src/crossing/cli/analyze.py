"""`crossing analyze`, `crossing stats` and `crossing graph`: the whole story at once."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from crossing.cli.common import PATH_HELP, app, console, fail, load_or_fail, wants_plain

if TYPE_CHECKING:
    from crossing.model import Story

DEFAULT_MAX_STATES = 250_000  # keep in step with crossing.analysis.DEFAULT_MAX_STATES (not imported: --help stays fast)
DEFAULT_MAX_STEPS = 50_000_000  # keep in step with crossing.randomruns.DEFAULT_MAX_STEPS
FROM_HELP = "Start at this scene instead of the story's start (variables at their starting values)."


def _warn(message: str) -> None:
    from rich.text import Text

    console(stderr=True).print(Text(message, style="crossing.warning"), soft_wrap=True)


def _start(story: Story, node: str | None) -> str | None:
    if node is not None and node not in story.nodes:
        fail(f"no scene '{node}' in this story: --from takes a scene id (see `crossing graph`)", 2)
    return node


@app.command()
def analyze(
    path: Annotated[Path | None, typer.Argument(help=PATH_HELP, show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object; its key \"endings\" maps every ending id to its probability, \"routes\" the chances per route.")] = False,
    max_states: Annotated[int, typer.Option("--max-states", min=1, help="Enumerate at most this many states (capped at what fits in memory); beyond, estimate by sampling (with a 95% margin of error).")] = DEFAULT_MAX_STATES,
    start: Annotated[str | None, typer.Option("--from", help=FROM_HELP, show_default=False)] = None,
    plain: Annotated[bool, typer.Option("--plain", help="No colour and no box drawing.")] = False,
) -> None:
    """Exact chance of every ending under random play, best and worst strategies, paths and dead ends."""
    from crossing.analysis import ASKED, route_odds
    from crossing.analysis import analyze as run_analysis

    story = load_or_fail(path)
    begin = _start(story, start)
    if max_states > ASKED.state_cap:
        _warn(f"--max-states is capped at {ASKED.state_cap:,}: what fits in about {ASKED.memory_mb:,} MB of memory")
    result = run_analysis(story, max_states=max_states, budget=ASKED, start=begin)
    if begin is None:  # per route, from each route's entry scene
        result.routes = route_odds(story, ASKED, main=result)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    from crossing.render.analysis import analysis_view  # Rich's tables: not for --json

    out = console(plain)
    out.print(analysis_view(story, result, wants_plain(plain), out.width))


@app.command()
def stats(
    path: Annotated[Path | None, typer.Argument(help=PATH_HELP, show_default=False)] = None,
    runs: Annotated[int, typer.Option("--runs", min=1, max=10_000_000, help="How many random playthroughs.")] = 1_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed for the whole batch: the same seed gives the same statistics.")] = 0,
    start: Annotated[str | None, typer.Option("--from", help=FROM_HELP, show_default=False)] = None,
    gentle: Annotated[bool, typer.Option("--gentle", help="Count the words of the gentle telling (as `play --gentle` shows).")] = False,
    max_steps: Annotated[int, typer.Option("--max-steps", min=1, help="Stop the batch after this many steps in all (the same figures on any machine).")] = DEFAULT_MAX_STEPS,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object; \"endings\" maps every ending id to how many runs ended there; \"words\", \"decisions\" and \"minutes\" give min, median, p90 and max.")] = False,
    plain: Annotated[bool, typer.Option("--plain", help="No colour and no box drawing.")] = False,
) -> None:
    """Play the story many times at random: endings, words read, decisions, coverage, what is never reached."""
    from crossing.randomruns import run_many

    story = load_or_fail(path)
    result = run_many(story, runs, seed, start=_start(story, start), gentle=gentle, max_steps=max_steps)
    if result.interrupted or result.out_of_steps:
        why = ("interrupted" if result.interrupted
               else f"stopped at the bound of {result.max_steps:,} steps in all (--max-steps)")
        note = f"{why}: {result.runs:,} of {result.asked:,} runs were made; the figures are for those"
        _warn(note)
    if as_json:
        typer.echo(json.dumps(result.to_dict(story), indent=2, ensure_ascii=False))
    else:
        from crossing.render.analysis import stats_view  # Rich's tables: not for --json

        out = console(plain)
        out.print(stats_view(story, result, wants_plain(plain), out.width))
    if result.interrupted:
        raise typer.Exit(130)


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
