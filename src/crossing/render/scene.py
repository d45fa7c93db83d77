"""Scenes, choices, endings and the in-game panels, as renderables (boxed, or plain for screen readers).

A scene is drawn so that it fits one screen: its title, the story text, a one-line risk, a one-line hint
that the facts are behind `f`, and the choices. The session pages what does not fit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from crossing import telling
from crossing.engine import OfferedChoice, RunState, RunSummary
from crossing.model import WARNING_NAMES, Node, Story
from crossing.render.safe import inert, literal, paragraphs
from crossing.textsafety import plural

# Risk levels shown in a box of their own; the others take one line.
LOUD_RISKS = ("high", "extreme")
# The state view lists the last scenes only: a long run must not flood the screen (or take long to draw).
PATH_SHOWN = 12


def _heading(text: str, is_plain: bool, style: str = "crossing.heading") -> Text:
    return Text(text, style="" if is_plain else style)


def body(text: str, style: str = "crossing.text") -> list[RenderableType]:
    """A story text as paragraphs with a blank line between them, each wrapping to the width."""
    out: list[RenderableType] = []
    for index, paragraph in enumerate(paragraphs(text)):
        if index:
            out.append(Text(""))
        out.append(literal(paragraph, style))
    return out


def content_notice(story: Story, gentle: bool) -> RenderableType | None:
    """Said before the first scene: what the story contains, and how gentle mode changes it."""
    warnings = story.content_warnings()
    if not warnings:
        return None
    listed = [WARNING_NAMES[w] for w in warnings]
    names = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
    lines = Text(style="crossing.warning")
    lines.append(f"Content note: some scenes in this story describe {names}.")
    lines.append(" Such scenes are marked before they begin.")
    if gentle:
        lines.append(" Gentle mode is on: those scenes are told without the details.")
    else:
        lines.append(" For a gentler telling, start with --gentle.")
    return lines


def where(node: Node, story: Story) -> str:
    """The route and the place of a scene, as one line under its title."""
    route = story.route_title(node.route)
    place = story.places[node.place].name if node.place and node.place in story.places else None
    return " · ".join(x for x in (route, place) if x)


def header(title: str, subtitle: str, is_plain: bool, style: str = "crossing.title") -> list[RenderableType]:
    """A title line and a subtitle line. Both wrap at word boundaries at any width (never cut mid-word)."""
    if is_plain:
        out: list[RenderableType] = [Text(f"== {inert(title)} ==")]
        if subtitle:
            out.append(Text(f"({inert(subtitle)})"))
        return out
    out = [_TitleRule(literal(title, style))]
    if subtitle:
        out.append(literal(subtitle, "crossing.route"))
    return out


class _TitleRule:
    """The title on a rule when the width allows it, else the title on lines of its own (it wraps, never
    cut short) with the rule under it."""

    def __init__(self, title: Text) -> None:
        self.title = title

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if cell_len(self.title.plain) + 6 <= options.max_width:
            yield Rule(self.title, style="crossing.route", align="left")
        else:
            yield self.title
            yield Rule(style="crossing.route")


def warning_line(node: Node, gentle: bool) -> Text | None:
    if not node.content_warnings:
        return None
    names = ", ".join(WARNING_NAMES[w] for w in node.content_warnings)
    told = " (gentle telling)" if gentle and node.gentle_text is not None else ""
    return Text(f"Content warning: {names}{told}", style="crossing.warning")


def narration(text: str | None) -> list[RenderableType]:
    """What the last draw narrated: told before the scene it led to."""
    if not text:
        return []
    return [literal(text, "crossing.narration"), Text("")]


def scene_head(node: Node, story: Story, text: str, *, gentle: bool, is_plain: bool,
               narrated: str | None = None) -> list[RenderableType]:
    """Everything a scene tells, before what the player can do: narration, title, warning, text."""
    parts: list[RenderableType] = [*narration(narrated), *header(node.title or node.id, where(node, story), is_plain)]
    parts.append(Text(""))
    warning = warning_line(node, gentle)
    if warning is not None:
        parts.extend([warning, Text("")])
    parts.extend(body(text))
    return parts


def scene_tail(node: Node, story: Story, offered: Sequence[OfferedChoice], *, gentle: bool, is_plain: bool,
               facts_inline: bool = False) -> list[RenderableType]:
    """What follows the text: the risk, the facts (a hint, or inline), the choices."""
    parts: list[RenderableType] = []
    if node.risk is not None:
        parts.extend([Text(""), risk(node, is_plain)])
    shown = list(telling.shown_facts(story, node, gentle))
    if shown:
        parts.append(Text(""))
        parts.append(facts(node, story, is_plain, gentle=gentle) if facts_inline else facts_hint(len(shown)))
    if offered:
        parts.extend([Text(""), choices(offered, is_plain)])
    return parts


def scene(node: Node, story: Story, offered: Sequence[OfferedChoice], *, text: str, gentle: bool = False,
          is_plain: bool = False, narrated: str | None = None, facts_inline: bool = False) -> RenderableType:
    """A whole scene, head and tail."""
    return Group(*scene_head(node, story, text, gentle=gentle, is_plain=is_plain, narrated=narrated),
                 *scene_tail(node, story, offered, gentle=gentle, is_plain=is_plain, facts_inline=facts_inline))


def risk(node: Node, is_plain: bool) -> RenderableType:
    """One line for a low or moderate risk; a box of its own for a high or extreme one."""
    assert node.risk is not None
    level = node.risk.level
    style = f"crossing.risk.{level}"
    label = Text(f"Risk: {level}", style="" if is_plain else "bold")
    loud = level in LOUD_RISKS
    if node.risk.note:
        label.append("\n" if loud else ". ")
        label.append_text(literal(node.risk.note))
    if is_plain or not loud:
        if not is_plain:
            label.stylize(style)
        return label
    return Panel(label, box=box.HEAVY, border_style=style, style=style, expand=True)


def facts_hint(count: int) -> Text:
    return Text(f"{plural(count, 'source')} behind this scene: press f", style="crossing.hint")


def facts(node: Node, story: Story, is_plain: bool, *, gentle: bool = False) -> RenderableType:
    """Each claim with its source, wrapped under a hanging bullet so long claims stay readable."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column()
    shown = list(telling.shown_facts(story, node, gentle))
    for claim, fact in shown:
        source = story.sources.get(fact.source)
        cite = source.citation(gentle) if source else (fact.source or "no source given")
        line = Text()
        line.append_text(literal(claim, "crossing.fact"))
        line.append("\n")
        line.append_text(literal(f"Source: {cite}", "crossing.source"))
        table.add_row("-", line)
    if not shown:
        return Group(_heading("What this scene rests on", is_plain),
                     Text("This scene's facts are not shown in the gentle telling.", style="crossing.hint"))
    return Group(_heading("What this scene rests on", is_plain), table)


def choices(offered: Sequence[OfferedChoice], is_plain: bool) -> RenderableType:
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", no_wrap=True)
    table.add_column()
    for option in offered:
        table.add_row(Text(f"{option.number}.", style="crossing.choice.number"), literal(option.text, "crossing.choice"))
    return Group(_heading("What do you do?", is_plain), table)


def prompt_text(count: int) -> Text:
    return Text(f"Choose 1-{count} (h for help): " if count > 1 else "Press 1 to go on (h for help): ",
                style="crossing.hint")


def more_prompt() -> Text:
    return Text("Enter for more: ", style="crossing.hint")


def ending_prompt() -> Text:
    return Text("Enter: play again, f: facts, q: quit: ", style="crossing.hint")


def hint(message: str) -> Text:
    return Text(message, style="crossing.hint")


# -- the ending, in the order a reader needs it: what happened, why, the world, the path, then the questions

def ending_head(node: Node, story: Story, text: str, why: str, context: str, *, gentle: bool, is_plain: bool,
                narrated: str | None = None) -> list[RenderableType]:
    """What happened, why, and the real-world context."""
    assert node.ending is not None
    # A warned ending says "(gentle telling)" on its warning line, like a scene; another says it here.
    told = " (gentle telling)" if gentle and node.gentle_text is not None and not node.content_warnings else ""
    parts: list[RenderableType] = [*narration(narrated),
                                   *header(node.display_title, f"{ending_kind(story, node)}{told}",
                                           is_plain, "crossing.ending")]
    parts.append(Text(""))
    warning = warning_line(node, gentle)
    if warning is not None:
        parts.extend([warning, Text("")])
    parts.extend(body(text))
    if why:
        parts.extend([Text(""), _heading("Why", is_plain), *body(why, "")])
    if context:
        parts.extend([Text(""), _heading("The real world", is_plain), *body(context, "")])
    return parts


def ending_kind(story: Story, node: Node) -> str:
    """How an ending is grouped, in words: the story's label for its kind ("Resettled in South Korea"), or
    "Ending: KIND" where the story declares no labels."""
    assert node.ending is not None
    kind = node.ending.kind
    return story.kind_label(kind) if kind in story.ending_kinds else f"Ending: {kind}"


def ending_tail(node: Node, story: Story, summary: RunSummary, *, decisions: int, is_plain: bool) -> list[RenderableType]:
    """The path in a line or two, then the questions to discuss, last, so they stay on screen."""
    parts: list[RenderableType] = [Text(""), run_summary(story, summary, is_plain, decisions=decisions)]
    debrief = node.ending.debrief if node.ending is not None else None
    if debrief is not None and debrief.questions:
        parts.extend([Text(""), questions(debrief.questions, is_plain)])
    return parts


def ending(node: Node, story: Story, summary: RunSummary, *, text: str, why: str, context: str, decisions: int,
           gentle: bool = False, is_plain: bool = False, narrated: str | None = None) -> RenderableType:
    return Group(*ending_head(node, story, text, why, context, gentle=gentle, is_plain=is_plain, narrated=narrated),
                 *ending_tail(node, story, summary, decisions=decisions, is_plain=is_plain))


def questions(asked: Iterable[str], is_plain: bool) -> RenderableType:
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", no_wrap=True)
    table.add_column()
    for number, question in enumerate(asked, 1):
        table.add_row(f"{number}.", literal(question))  # wrapped lines hang under the question
    return Group(_heading("To discuss", is_plain), table)


def debrief(node: Node, why: str, context: str, is_plain: bool) -> RenderableType:
    """Why, the real world and the questions together (class mode shows them so)."""
    assert node.ending is not None and node.ending.debrief is not None
    parts: list[RenderableType] = [_heading("What happened, and why", is_plain), *body(why, ""), Text(""),
                                   _heading("The real world", is_plain), *body(context, ""), Text("")]
    return Group(*parts, questions(node.ending.debrief.questions, is_plain))


def run_summary(story: Story, summary: RunSummary, is_plain: bool, *, decisions: int) -> RenderableType:
    """Your path in a line or two: routes, places and distance, decisions."""
    text = Text()
    text.append_text(_heading("Your path", is_plain))
    line = Text("\n")
    if summary.routes:
        line.append_text(literal(" -> ".join(story.route_title(r) for r in summary.routes)))
        line.append(". ")
    if summary.places:
        from crossing.journeys import journey
        from crossing.maps import format_km  # the map's geography only when a run ends

        trip = journey(story, summary.nodes)
        if trip.places:
            line.append_text(literal(" -> ".join(place.name for place in trip.places)))
            if trip.legs:
                line.append(f", {format_km(trip.km)} as the crow flies")
            line.append(". ")
    line.append(f"{plural(decisions, 'decision')} taken.")
    text.append_text(line)
    return text


KEYS_HELP = (
    ("1, 2, ...", "take that choice"),
    ("f", "show the facts this scene rests on, with their sources"),
    ("b", "go back one choice (undoes its effects and its random draw)"),
    ("s", "show your current state and the path so far"),
    ("g", "show the terms you have met (g all: the whole glossary)"),
    ("m", "show the map of the journey so far"),
    ("h or ?", "show these keys"),
    ("q", "save and quit (continue later with: crossing play --resume)"),
)


def keys_help(is_plain: bool) -> RenderableType:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style="crossing.choice.number")
    table.add_column()
    for key, meaning in KEYS_HELP:
        table.add_row(key, meaning)
    return Group(_heading("Keys", is_plain), table)


def _shown_value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def state_view(story: Story, state: RunState, is_plain: bool) -> RenderableType:
    """What a person would understand of the state: labelled variables only when the story labels any
    (the others are internal flags), each 'label: value' on its own line; then the path by title."""
    labelled = any(v.label for v in story.variables.values())
    lines = Text()
    for name, value in state.variables.items():
        variable = story.variables.get(name)
        if labelled and not (variable and variable.label):
            continue
        if isinstance(value, str) and not value and variable is not None and variable.initial == "":
            continue  # still at its starting empty text: nothing to show yet
        label = variable.label if variable and variable.label else name.replace("_", " ")
        lines.append_text(literal(f"{label}: "))
        lines.append_text(literal(_shown_value(value), "crossing.stat"))
        lines.append("\n")
    lines.rstrip()
    routes: list[str] = []
    for node_id in state.path:
        node = story.nodes.get(node_id)
        title = story.route_title(node.route) if node is not None else ""
        if title and (not routes or routes[-1] != title):
            routes.append(title)
    parts: list[RenderableType] = [_heading("Your state", is_plain), lines]
    if routes:
        parts.append(literal("Route: " + " -> ".join(routes)))
    recent = state.path[-PATH_SHOWN:]
    lead = "Path so far: " if len(state.path) <= PATH_SHOWN else f"Path so far (the last {PATH_SHOWN} of {len(state.path):,} scenes): "
    path = Text(lead)
    path.append_text(literal(" -> ".join(story.nodes[n].title or n if n in story.nodes else n for n in recent)))
    parts.append(path)
    return Group(*parts)


def glossary(story: Story, is_plain: bool, *, terms: Sequence[str] | None = None, gentle: bool = False) -> RenderableType:
    """The glossary; with ``terms``, only those (the terms the player has met so far)."""
    if not story.glossary:
        return Text("This story has no glossary.", style="crossing.hint")
    chosen = sorted(story.glossary if terms is None else terms, key=str.lower)
    if not chosen:
        return Text("You have not met any glossary terms yet. Type g all for the whole glossary.", style="crossing.hint")
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=False, style="bold", ratio=1)
    table.add_column(ratio=3)
    for term in chosen:
        table.add_row(literal(term), literal(" ".join(paragraphs(telling.glossary_definition(story, term, gentle)))))
    heading = "Glossary" if terms is None else "Terms you have met (g all: the whole glossary)"
    return Group(_heading(heading, is_plain), table)
