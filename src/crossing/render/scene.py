"""Scenes, choices, endings and the in-game panels, as renderables (boxed, or plain for screen readers)."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from crossing.engine import OfferedChoice, RunState, RunSummary
from crossing.model import RISK_LEVELS, Node, Story
from crossing.render.safe import inert, paragraphs, plain
from crossing.textsafety import plural

WARNING_NAMES = {
    "violence": "violence",
    "sexual-violence": "sexual violence",
    "torture": "torture",
    "death": "death",
}


def _heading(text: str, is_plain: bool, style: str = "crossing.heading") -> Text:
    return Text(text, style="" if is_plain else style)


def body(text: str, style: str = "crossing.text") -> list[RenderableType]:
    """A story text as paragraphs with a blank line between them, each wrapping to the width."""
    out: list[RenderableType] = []
    for index, paragraph in enumerate(paragraphs(text)):
        if index:
            out.append(Text(""))
        out.append(plain(paragraph, style))
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


def scene(
    node: Node,
    story: Story,
    offered: Sequence[OfferedChoice],
    *,
    text: str,
    gentle: bool = False,
    is_plain: bool = False,
    step: int | None = None,
) -> RenderableType:
    parts: list[RenderableType] = []
    if node.content_warnings:
        names = ", ".join(WARNING_NAMES[w] for w in node.content_warnings)
        told = " (gentle telling)" if gentle and node.gentle_text else ""
        parts.append(Text(f"Content warning: {names}{told}", style="crossing.warning"))
        parts.append(Text(""))
    parts.extend(body(text))
    title = inert(node.title or node.id)
    route = story.route_title(node.route)
    place = story.places.get(node.place).name if node.place and node.place in story.places else None  # type: ignore[union-attr]
    where = " · ".join(inert(x) for x in (route, place) if x)
    if is_plain:
        header = Text(f"== {title} ==")
        if where:
            header.append(f"\n({where})")
        out: list[RenderableType] = [header, Text(""), *parts]
    else:
        out = [Panel(Group(*parts), title=Text(title, style="crossing.title"),
                     subtitle=Text(where, style="crossing.route") if where else None,
                     box=box.ROUNDED, padding=(1, 2))]
    if node.risk is not None:
        out.append(Text(""))
        out.append(risk(node, is_plain))
    if node.facts:
        out.append(Text(""))
        out.append(facts(node, story, is_plain))
    if not node.is_ending:
        out.append(Text(""))
        out.append(choices(offered, is_plain))
    return Group(*out)


def risk(node: Node, is_plain: bool) -> RenderableType:
    assert node.risk is not None
    level = node.risk.level
    style = f"crossing.risk.{level}"
    scale = RISK_LEVELS.index(level) + 1
    label = Text(f"Risk: {level} ({scale} of {len(RISK_LEVELS)})", style="bold" if not is_plain else "")
    if node.risk.note:
        label.append("\n")
        label.append(plain(node.risk.note))
    if is_plain:
        return label
    return Panel(label, box=box.HEAVY, border_style=style, style=style, expand=True)


def facts(node: Node, story: Story, is_plain: bool) -> RenderableType:
    """Each claim with its source, wrapped under a hanging bullet so long claims stay readable."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column()
    for fact in node.facts:
        source = story.sources.get(fact.source)
        cite = source.citation() if source else (fact.source or "no source given")
        body = Text()
        body.append_text(plain(fact.claim, "crossing.fact"))
        body.append("\n")
        body.append_text(plain(f"Source: {cite}", "crossing.source"))
        table.add_row("-", body)
    return Group(_heading("What this scene rests on", is_plain), table)


def choices(offered: Sequence[OfferedChoice], is_plain: bool) -> RenderableType:
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", no_wrap=True)
    table.add_column()
    for option in offered:
        table.add_row(Text(f"{option.number}.", style="crossing.choice.number"), plain(option.text, "crossing.choice"))
    return Group(_heading("What do you do?", is_plain), table)


def prompt_text(count: int) -> Text:
    return Text(f"Choose 1-{count} (h for help): " if count > 1 else "Press 1 to go on (h for help): ",
                style="crossing.hint")


def hint(message: str) -> Text:
    return Text(message, style="crossing.hint")


def ending(node: Node, story: Story, summary: RunSummary, *, text: str, why: str, context: str,
           gentle: bool = False, is_plain: bool = False) -> RenderableType:
    assert node.ending is not None
    end = node.ending
    parts: list[RenderableType] = [plain(f"Ending: {story.kind_label(end.kind)}", "crossing.ending.kind"), Text("")]
    if node.content_warnings:
        names = ", ".join(WARNING_NAMES[w] for w in node.content_warnings)
        parts.extend([Text(f"Content warning: {names}", style="crossing.warning"), Text("")])
    parts.extend(body(text))
    title = inert(story.ending_title(node))
    if is_plain:
        out: list[RenderableType] = [Text(f"== {title} =="), Text(""), *parts]
    else:
        out = [Panel(Group(*parts), title=Text(title, style="crossing.ending"), box=box.DOUBLE, padding=(1, 2))]
    if end.debrief is not None:
        out.extend([Text(""), debrief(node, why, context, is_plain)])
    if node.facts:
        out.extend([Text(""), facts(node, story, is_plain)])
    out.extend([Text(""), run_summary(story, summary, is_plain)])
    return Group(*out)


def debrief(node: Node, why: str, context: str, is_plain: bool) -> RenderableType:
    assert node.ending is not None and node.ending.debrief is not None
    d = node.ending.debrief
    text = Text()
    text.append_text(_heading("What happened, and why", is_plain))
    text.append("\n")
    text.append(plain(" ".join(paragraphs(why))))
    text.append("\n\n")
    text.append_text(_heading("The real world", is_plain))
    text.append("\n")
    text.append(plain(" ".join(paragraphs(context))))
    text.append("\n\n")
    text.append_text(_heading("To discuss", is_plain))
    questions = Table.grid(padding=(0, 1))
    questions.add_column(justify="right", no_wrap=True)
    questions.add_column()
    for number, question in enumerate(d.questions, 1):
        questions.add_row(f"{number}.", plain(question))  # wrapped lines hang under the question
    return Group(text, questions)


def run_summary(story: Story, summary: RunSummary, is_plain: bool) -> RenderableType:
    text = Text()
    text.append_text(_heading("Your path", is_plain))
    text.append(f"\nDecisions taken: {summary.steps}")
    met = [f"{summary.risks[level]} {level}" for level in RISK_LEVELS if summary.risks.get(level)]
    text.append(f"\nRisks met: {', '.join(met) if met else 'none recorded'}")
    if summary.routes:
        text.append("\nRoute: ")
        text.append(plain(" -> ".join(story.route_title(r) for r in summary.routes)))
    if summary.places:
        from crossing.geo import format_km  # the map's geography only when a run ends
        from crossing.journeys import journey

        trip = journey(story, summary.nodes)
        if trip.places:
            text.append("\nPlaces: ")
            text.append(plain(" -> ".join(place.name for place in trip.places)))
        if trip.legs:
            text.append(f"\nDistance travelled: {format_km(trip.km)} as the crow flies, in {plural(len(trip.legs), 'leg')}")
    return text


KEYS_HELP = (
    ("1, 2, ...", "take that choice"),
    ("b", "go back one choice (undoes its effects and its random draw)"),
    ("s", "show your current state and the path so far"),
    ("g", "show the glossary of terms"),
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


def state_view(story: Story, state: RunState, is_plain: bool) -> RenderableType:
    """Each variable as 'label: value' on its own line (wraps cleanly at any width), then the path."""
    lines = Text()
    for name, value in state.variables.items():
        variable = story.variables.get(name)
        label = variable.label if variable and variable.label else name.replace("_", " ")
        if isinstance(value, bool):
            shown = "yes" if value else "no"
        elif isinstance(value, str):
            shown = value or "(none)"
        else:
            shown = f"{value:,}" if isinstance(value, int) else f"{value:g}"
        lines.append_text(plain(f"{label}: "))
        lines.append_text(plain(shown, "crossing.stat"))
        lines.append("\n")
    lines.rstrip()
    path = Text("Path so far: ")
    path.append_text(plain(" -> ".join(story.nodes[n].title or n if n in story.nodes else n for n in state.path)))
    return Group(_heading("Your state", is_plain), lines, path)


def glossary(story: Story, is_plain: bool) -> RenderableType:
    if not story.glossary:
        return Text("This story has no glossary.", style="crossing.hint")
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=False, style="bold", ratio=1)
    table.add_column(ratio=3)
    for term in sorted(story.glossary, key=str.lower):
        table.add_row(plain(term), plain(" ".join(paragraphs(story.glossary[term]))))
    return Group(_heading("Glossary", is_plain), table)


def padded(renderable: RenderableType) -> RenderableType:
    return Padding(renderable, (0, 0, 1, 0))
