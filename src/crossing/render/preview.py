"""One scene as a player would see it, with every variant of its text labelled by its condition: for a
teacher previewing a warned scene, and an author checking a variant (`crossing show`)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from crossing import telling
from crossing.model import Choice, Node, Passage, Story
from crossing.render import scene as views
from crossing.render.safe import literal


def passage(text: Passage) -> list[RenderableType]:
    """Every paragraph, the conditional ones under a label saying when they are shown."""
    out: list[RenderableType] = []
    for paragraph in text.paragraphs:
        if out:
            out.append(Text(""))
        if paragraph.condition is None:
            out.extend(views.body(paragraph.text))
            continue
        out.append(literal(f"[shown if {paragraph.condition.source}]", "crossing.hint"))
        out.extend(views.body(paragraph.text))
        if paragraph.otherwise is not None:
            out.extend([Text(""), literal("[otherwise]", "crossing.hint"), *views.body(paragraph.otherwise)])
    return out


def _choice(story: Story, number: int, choice: Choice, gentle: bool) -> RenderableType:
    """A choice with the condition it is offered under, and each outcome's chance and narration."""
    line = Text(f"{number}. ", style="crossing.choice.number")
    line.append_text(literal(choice.text, "crossing.choice"))
    if choice.condition is not None:
        line.append_text(literal(f"  [offered if {choice.condition.source}]", "crossing.hint"))
    rows: list[RenderableType] = [line]
    total = sum(o.weight for o in choice.outcomes)
    for index, outcome in enumerate(choice.outcomes):
        told = telling.narration(story, choice, index, gentle)
        share = f"{outcome.weight / total:.0%}" if total else "?"
        text = f"   {share} -> {outcome.goto}" + (f": {told}" if told else "")
        rows.append(literal(text, "crossing.hint"))
    return Group(*rows)


def preview(story: Story, node: Node, *, gentle: bool, is_plain: bool) -> RenderableType:
    parts: list[RenderableType] = []
    if node.is_ending:
        assert node.ending is not None
        parts.extend(views.header(node.display_title, views.ending_kind(story, node), is_plain, "crossing.ending"))
    else:
        parts.extend(views.header(node.title or node.id, views.where(node, story), is_plain))
    parts.append(Text(""))
    warning = views.warning_line(node, gentle)
    if warning is not None:
        parts.extend([warning, Text("")])
    parts.extend(passage(node.text_for(gentle)))
    if node.risk is not None:
        parts.extend([Text(""), views.risk(node, is_plain)])
    if node.facts:
        parts.extend([Text(""), views.facts(node, story, is_plain, gentle=gentle)])
    debrief = node.ending.debrief if node.ending is not None else None
    if debrief is not None:
        why = debrief.gentle_why if gentle and debrief.gentle_why is not None else debrief.why
        context = debrief.gentle_context if gentle and debrief.gentle_context is not None else debrief.context
        parts.extend([Text(""), Text("Why", style="crossing.heading"), *passage(why),
                      Text(""), Text("The real world", style="crossing.heading"), *passage(context),
                      Text(""), views.questions(debrief.questions, is_plain)])
    if node.choices:
        parts.extend([Text(""), Text("What do you do?", style="" if is_plain else "crossing.heading")])
        parts.extend(_choice(story, n, c, gentle) for n, c in enumerate(node.choices, 1))
    return Group(*parts)
