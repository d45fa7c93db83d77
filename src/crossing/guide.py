"""A teacher's guide generated from a story, as Markdown or as a self-contained printable HTML page:
routes with their decisions and endings, a 45-minute lesson outline, the debrief of every ending, the
content warnings by scene, every fact with its full source, and the glossary.

The guide is built once as a small list of blocks and written out by one of two writers, so the two
formats always say the same thing. All story text is escaped (html.escape, or Markdown escaping).
"""

from __future__ import annotations

import html
import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from crossing.model import Node, Passage, Story
from crossing.transcript import md_text

GuideFormat = Literal["markdown", "html"]

WARNING_NAMES = {"violence": "violence", "sexual-violence": "sexual violence", "torture": "torture", "death": "death"}
OTHER_ROUTE = "Other scenes"


# --------------------------------------------------------------------------- a tiny document model


@dataclass(frozen=True, slots=True)
class Bold:
    text: str


@dataclass(frozen=True, slots=True)
class Em:
    text: str


@dataclass(frozen=True, slots=True)
class Code:
    text: str


@dataclass(frozen=True, slots=True)
class Link:
    url: str


Inline = str | Bold | Em | Code | Link
Line = tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Para:
    line: Line
    muted: bool = False


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[Line, ...]
    numbered: bool = False


@dataclass(frozen=True, slots=True)
class Grid:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Terms:
    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class MapSlot:
    """Where the route map goes (HTML only, when the caller supplies an SVG)."""


Block = Heading | Para | Bullets | Grid | Terms | MapSlot


def _para(*parts: Inline) -> Para:
    return Para(tuple(parts))


def _text_paras(text: str) -> list[Para]:
    """Author text split at blank lines into paragraphs."""
    blocks = [" ".join(line.strip() for line in block.splitlines()) for block in re.split(r"\n\s*\n", text.strip())]
    return [Para((block,)) for block in blocks if block.strip()]


def _passage_paras(passage: Passage) -> list[Para]:
    """Every variant of a passage, each conditional paragraph labelled with when it is shown."""
    out: list[Para] = []
    for paragraph in passage.paragraphs:
        if paragraph.condition is None:
            out.extend(_text_paras(paragraph.text))
            continue
        out.append(Para((Em(f"If {paragraph.condition.source}: "), paragraph.text)))
        if paragraph.otherwise is not None:
            out.append(Para((Em("Otherwise: "), paragraph.otherwise)))
    return out


# --------------------------------------------------------------------------- reading the story


def _is_decision(node: Node) -> bool:
    return not node.is_ending and len(node.choices) > 1


def story_order(story: Story) -> list[Node]:
    """Nodes in the order a reader meets them (breadth first from the start), then any unreachable."""
    seen: dict[str, None] = {}
    queue = deque([story.start] if story.start in story.nodes else [])
    while queue:
        node_id = queue.popleft()
        if node_id in seen:
            continue
        seen[node_id] = None
        for choice in story.nodes[node_id].choices:
            queue.extend(t for t in choice.targets if t in story.nodes and t not in seen)
    for node_id in story.nodes:
        seen.setdefault(node_id, None)
    return [story.nodes[n] for n in seen]


def routes_in_order(story: Story) -> list[tuple[str | None, str, str, list[Node]]]:
    """(route id, title, description, nodes) for each declared route, then routes used but not
    declared, then the scenes on no route."""
    grouped: dict[str | None, list[Node]] = {}
    for node in story_order(story):
        grouped.setdefault(node.route, []).append(node)
    out: list[tuple[str | None, str, str, list[Node]]] = []
    for route_id, route in story.routes.items():
        out.append((route_id, route.title, route.description, grouped.pop(route_id, [])))
    for undeclared, nodes in grouped.items():
        if undeclared is not None:
            out.append((undeclared, undeclared, "", nodes))
    if None in grouped:
        out.append((None, OTHER_ROUTE, "", grouped[None]))
    return out


def _source_line(story: Story, source_id: str) -> Line:
    source = story.sources.get(source_id)
    if source is None:
        return (f"{source_id} (not listed among the story's sources)",)
    parts: list[Inline] = [f"{source.publisher}, ", Em(source.title), f", {source.year}"]
    if source.url:
        parts.extend([", ", Link(source.url)])
    return tuple(parts)


def _choice_summary(node: Node) -> str:
    texts = []
    for choice in node.choices:
        notes = []
        if choice.is_random:
            notes.append("partly chance")
        if choice.condition is not None:
            notes.append("only sometimes offered")
        texts.append(choice.text + (f" ({', '.join(notes)})" if notes else ""))
    return " / ".join(texts)


def _endings(story: Story) -> list[Node]:
    return [n for n in story_order(story) if n.ending is not None]


def _questions_to_start(story: Story, wanted: int = 3) -> list[tuple[Node, str]]:
    """One question from each of a few endings, mixing safe and unsafe endings."""
    with_questions = [n for n in _endings(story) if n.ending and n.ending.debrief and n.ending.debrief.questions]
    safe = [n for n in with_questions if n.ending and story.is_safe_kind(n.ending.kind)]
    unsafe = [n for n in with_questions if n not in safe]
    mixed: list[Node] = []
    while (safe or unsafe) and len(mixed) < wanted:
        for pool in (unsafe, safe):
            if pool and len(mixed) < wanted:
                mixed.append(pool.pop(0))
    out = []
    for node in mixed:
        assert node.ending is not None and node.ending.debrief is not None
        out.append((node, node.ending.debrief.questions[0]))
    return out


# --------------------------------------------------------------------------- the guide's content


def guide_blocks(story: Story) -> list[Block]:
    nodes = story_order(story)
    endings = _endings(story)
    decisions = [n for n in nodes if _is_decision(n)]
    warned = [n for n in nodes if n.content_warnings]
    routes = routes_in_order(story)
    out: list[Block] = [Heading(1, f"Teacher's guide: {story.title}")]
    if story.version:
        out.append(Para((f"Story version {story.version}. Generated by Crossing from the story files.",), muted=True))
    if story.description:
        out.extend(_text_paras(story.description))

    # -- at a glance
    out.append(Heading(2, "At a glance"))
    kinds: dict[str, int] = {}
    for node in endings:
        assert node.ending is not None
        kinds[node.ending.kind] = kinds.get(node.ending.kind, 0) + 1
    glance: list[Line] = [
        (f"{_plural(len(nodes), 'scene')}, {_plural(len(decisions), 'decision')} and {_plural(len(endings), 'ending')}.",),
        ("Routes: " + (", ".join(title for route_id, title, _, _ in routes if route_id is not None) or "none") + ".",),
        ("Kinds of ending: " + ", ".join(f"{story.kind_label(k)} ({n})" for k, n in kinds.items()) + ".",),
        (f"{_plural(sum(len(n.facts) for n in nodes), 'fact')} from {_plural(len(story.sources), 'source')}.",),
    ]
    warnings = story.content_warnings()
    if warnings:
        gentle = sum(1 for n in warned if n.gentle_text)
        glance.append((Bold("Content warnings:"), " " + ", ".join(WARNING_NAMES.get(w, w) for w in warnings)
                       + f" ({_plural(len(warned), 'scene')}; {gentle} of them with a gentler telling for --gentle).",))
    else:
        glance.append(("No scene carries a content warning.",))
    out.append(Bullets(tuple(glance)))

    out.extend(_lesson(story, routes, warnings))

    # -- routes
    out.append(Heading(2, "The routes"))
    out.append(MapSlot())
    for _route_id, title, description, route_nodes in routes:
        out.append(Heading(3, title))
        if description:
            out.extend(_text_paras(description))
        route_decisions = [n for n in route_nodes if _is_decision(n)]
        route_endings = [n for n in route_nodes if n.ending is not None]
        out.append(Para((f"{_plural(len(route_nodes), 'scene')}, {_plural(len(route_decisions), 'decision')}, "
                         f"{_plural(len(route_endings), 'ending')}.",), muted=True))
        if route_decisions:
            out.append(Para((Bold("Decisions"),)))
            out.append(Bullets(tuple((Bold(n.title or n.id), ": " + _choice_summary(n)) for n in route_decisions)))
        if route_endings:
            out.append(Para((Bold("Endings"),)))
            out.append(Bullets(tuple(
                (Bold(n.ending.title), f" ({story.kind_label(n.ending.kind)})") for n in route_endings if n.ending is not None
            )))

    # -- endings and their debrief
    out.append(Heading(2, "Endings and debrief questions"))
    for node in endings:
        assert node.ending is not None
        end = node.ending
        out.append(Heading(3, end.title))
        where = f", on the route {story.route_title(node.route)}" if node.route else ""
        safety = "reaches safety" if story.is_safe_kind(end.kind) else "does not reach safety"
        out.append(Para((f"{story.kind_label(end.kind)}: this ending {safety}{where}.",), muted=True))
        if end.debrief is None:
            out.append(Para(("This ending has no debrief.",)))
            continue
        out.append(Para((Bold("What happened, and why"),)))
        out.extend(_passage_paras(end.debrief.why))
        out.append(Para((Bold("The real world"),)))
        out.extend(_passage_paras(end.debrief.context))
        out.append(Para((Bold("Questions to discuss"),)))
        out.append(Bullets(tuple((q,) for q in end.debrief.questions), numbered=True))

    # -- content warnings
    out.append(Heading(2, "Content warnings by scene"))
    if warned:
        out.append(Para(("Read these scenes before the lesson. With --gentle, scenes that have a gentler telling "
                         "are told without the details.",)))
        out.append(Grid(("Scene", "Route", "Warnings", "Gentle telling"), tuple(
            (n.title or n.id, story.route_title(n.route) or "(none)", ", ".join(WARNING_NAMES.get(w, w) for w in n.content_warnings),
             "yes" if n.gentle_text else "no")
            for n in warned
        )))
    else:
        out.append(Para(("No scene in this story carries a content warning.",)))

    # -- facts
    out.append(Heading(2, "Facts and their sources"))
    with_facts = [n for n in nodes if n.facts]
    if not with_facts:
        out.append(Para(("The story cites no facts.",)))
    for node in with_facts:
        out.append(Heading(3, node.title or (node.ending.title if node.ending else node.id)))
        out.append(Bullets(tuple((fact.claim, " Source: ", *_source_line(story, fact.source)) for fact in node.facts)))

    out.append(Heading(2, "Sources"))
    if story.sources:
        ordered = sorted(story.sources.values(), key=lambda s: (s.publisher.lower(), s.year, s.title.lower()))
        out.append(Bullets(tuple(_source_line(story, s.id) for s in ordered)))
    else:
        out.append(Para(("The story lists no sources.",)))

    if story.glossary:
        out.append(Heading(2, "Glossary"))
        out.append(Terms(tuple((term, " ".join(story.glossary[term].split())) for term in sorted(story.glossary, key=str.lower))))
    return out


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _lesson(story: Story, routes: Sequence[tuple[str | None, str, str, list[Node]]], warnings: Sequence[str]) -> list[Block]:
    out: list[Block] = [Heading(2, "A 45-minute lesson")]
    out.append(Heading(3, "0-5 min: introduction"))
    intro: list[Inline] = ["Introduce the story, ", Em(story.title), "."]
    if story.description:
        intro.append(" " + " ".join(story.description.split()))
    if warnings:
        intro.append(" Read the content note aloud (this story includes scenes of "
                     + _and([WARNING_NAMES.get(w, w) for w in warnings])
                     + "), agree how a student can step out, and use ")
        intro.extend([Code("--gentle"), " for younger classes."])
    out.append(Para(tuple(intro)))
    out.append(Heading(3, "5-25 min: play"))
    route_names = ", ".join(title for route_id, title, _, _ in routes if route_id is not None) or "the story's routes"
    out.append(Para((
        "Solo or in pairs: ", Code("crossing play --transcript transcripts/ALIAS.json --name ALIAS"),
        " (the name is optional; nothing else personal is recorded). Or as a class on the projector: ",
        Code("crossing class --transcript class.json"), ", with a show of hands at each decision.",
    )))
    out.append(Para((f"Routes to look out for: {route_names}. Students who reach an ending early can play again "
                     "and take another route.",)))
    out.append(Heading(3, "25-40 min: debrief"))
    out.append(Para((
        "Show the class's results with ", Code("crossing report transcripts/"),
        ": which endings the class reached, how it split at each decision, and what the real-world figures say. "
        "Start from these questions, then use each ending's own questions (below).",
    )))
    starters = _questions_to_start(story)
    if starters:
        out.append(Bullets(tuple((q, " ", Em(f"(from the ending {n.ending.title})" if n.ending else "")) for n, q in starters)))
    out.append(Heading(3, "40-45 min: wrap-up"))
    out.append(Para(("Each student writes down one fact they did not know before, with its source, and one question "
                     "they still have. The sources at the end of this guide are for further reading.",)))
    return out


# --------------------------------------------------------------------------- writers


def _safe_url(url: str) -> bool:
    """Only web links become links: a story could hold javascript: or file: URLs."""
    lowered = url.strip().lower()
    return lowered.startswith(("http://", "https://")) and not any(c.isspace() or c in "<>\"'`" for c in url.strip())


def _md_inline(part: Inline, line_start: bool) -> str:
    if isinstance(part, Bold):
        return f"**{md_text(part.text.strip())}**"
    if isinstance(part, Em):
        return f"*{md_text(part.text.strip())}*" if part.text.strip() else ""
    if isinstance(part, Code):
        return f"`{part.text}`"
    if isinstance(part, Link):
        return f"<{part.url.strip()}>" if _safe_url(part.url) else md_text(part.url, line_start=line_start)
    return md_text(part, line_start=line_start)


def _md_line(line: Line) -> str:
    return "".join(_md_inline(p, index == 0) for index, p in enumerate(line))


def to_markdown(blocks: Sequence[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.extend(["#" * block.level + " " + md_text(block.text), ""])
        elif isinstance(block, Para):
            text = _md_line(block.line)
            out.extend([f"*{text}*" if block.muted else text, ""])
        elif isinstance(block, Bullets):
            out.extend(f"{f'{n}.' if block.numbered else '-'} {_md_line(item)}" for n, item in enumerate(block.items, 1))
            out.append("")
        elif isinstance(block, Grid):
            out.append("| " + " | ".join(md_text(h) for h in block.headers) + " |")
            out.append("|" + "---|" * len(block.headers))
            out.extend("| " + " | ".join(md_text(c) for c in row) + " |" for row in block.rows)
            out.append("")
        elif isinstance(block, Terms):
            for term, meaning in block.items:
                out.extend([f"**{md_text(term)}**: {md_text(meaning)}", ""])
    return "\n".join(out).rstrip("\n") + "\n"


def _html_inline(part: Inline) -> str:
    if isinstance(part, Bold):
        return f"<strong>{html.escape(part.text)}</strong>"
    if isinstance(part, Em):
        return f"<em>{html.escape(part.text)}</em>" if part.text else ""
    if isinstance(part, Code):
        return f"<code>{html.escape(part.text)}</code>"
    if isinstance(part, Link):
        url = part.url.strip()
        if _safe_url(url):
            return f'<a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>'
        return html.escape(url)
    return html.escape(part)


def _html_line(line: Line) -> str:
    return "".join(_html_inline(p) for p in line)


GUIDE_CSS = """
:root { color-scheme: light; }
body { font-family: Georgia, "Times New Roman", serif; font-size: 12pt; line-height: 1.5; color: #111;
       background: #fff; max-width: 46rem; margin: 2rem auto; padding: 0 1.5rem; }
h1, h2, h3 { font-family: "Helvetica Neue", Arial, sans-serif; line-height: 1.25; }
h1 { font-size: 1.9rem; margin-bottom: 0.5rem; }
h2 { font-size: 1.4rem; border-bottom: 2px solid #333; padding-bottom: 0.2rem; margin-top: 2.2rem; }
h3 { font-size: 1.1rem; margin-top: 1.5rem; }
p.muted { color: #555; font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #999; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eee; }
dt { font-weight: bold; margin-top: 0.5rem; }
dd { margin-left: 1.5rem; }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 0.9em; background: #f2f2f2; padding: 0 0.2em; }
a { color: #1a4a7a; overflow-wrap: anywhere; }
figure.map { margin: 1rem 0; }
figure.map svg { max-width: 100%; height: auto; }
h2, h3, dt { break-after: avoid; page-break-after: avoid; }
li, tr, dd, figure, p { break-inside: avoid; page-break-inside: avoid; }
@page { margin: 2cm 1.8cm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
  a { color: #000; text-decoration: none; }
  code { background: none; }
  h2 { margin-top: 1.6rem; }
}
""".strip()


def to_html(blocks: Sequence[Block], title: str, map_svg: str | None = None) -> str:
    """A self-contained page: inline CSS, no scripts, fonts or images from elsewhere. ``map_svg`` is
    trusted markup (crossing.geo.svg_map escapes its own text) placed where the guide has a MapSlot."""
    body: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            body.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
        elif isinstance(block, Para):
            css = ' class="muted"' if block.muted else ""
            body.append(f"<p{css}>{_html_line(block.line)}</p>")
        elif isinstance(block, Bullets):
            tag = "ol" if block.numbered else "ul"
            body.append(f"<{tag}>" + "".join(f"<li>{_html_line(item)}</li>" for item in block.items) + f"</{tag}>")
        elif isinstance(block, Grid):
            head = "".join(f"<th>{html.escape(h)}</th>" for h in block.headers)
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in block.rows)
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif isinstance(block, Terms):
            body.append("<dl>" + "".join(f"<dt>{html.escape(t)}</dt><dd>{html.escape(m)}</dd>" for t, m in block.items) + "</dl>")
        elif isinstance(block, MapSlot) and map_svg:
            body.append(f'<figure class="map">{map_svg}<figcaption>The routes on the map.</figcaption></figure>')
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{GUIDE_CSS}\n</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def guide(story: Story, fmt: GuideFormat = "markdown", map_svg: str | None = None) -> str:
    """The teacher's guide. MAP HOOK: pass ``map_svg`` (an SVG document, e.g. from crossing.geo.svg_map)
    to draw the routes in the HTML guide; Markdown has no map."""
    blocks = guide_blocks(story)
    if fmt == "html":
        return to_html(blocks, f"Teacher's guide: {story.title}", map_svg)
    return to_markdown(blocks)


__all__ = ["GuideFormat", "guide", "guide_blocks", "routes_in_order", "story_order"]
