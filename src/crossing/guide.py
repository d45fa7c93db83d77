"""A teacher's guide generated from a story, as Markdown or as a self-contained printable HTML page:
routes with their decisions and endings, a lesson outline (45 or 50 minutes, or on the projector), the debrief of every ending, the
content warnings by scene, every fact with its full source, and the glossary.

The guide is built once as a small list of blocks and written out by one of two writers, so the two
formats always say the same thing. All story text is escaped (html.escape, or Markdown escaping).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Literal

from crossing.immutable import immutable
from crossing.model import Node, Passage, Story
from crossing.textsafety import plural
from crossing.transcript.text import inert, md_text, safe_url

GuideFormat = Literal["markdown", "html"]

WARNING_NAMES = {"violence": "violence", "sexual-violence": "sexual violence", "torture": "torture", "death": "death"}
OTHER_ROUTE = "Other scenes"


# --------------------------------------------------------------------------- a tiny document model


@immutable
class Bold:
    text: str


@immutable
class Em:
    text: str


@immutable
class Code:
    text: str


@immutable
class Link:
    url: str


Inline = str | Bold | Em | Code | Link
Line = tuple[Inline, ...]


@immutable
class Heading:
    level: int
    text: str
    anchor: str | None = None  # the id a table of contents links to (h2 get one from their text)


@immutable
class Para:
    line: Line
    muted: bool = False


@immutable
class Bullets:
    items: tuple[Line, ...]
    numbered: bool = False


@immutable
class Grid:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@immutable
class Terms:
    items: tuple[tuple[str, str], ...]


@immutable
class MapSlot:
    """Where the route map goes (HTML only, when the caller supplies an SVG), on a page of its own."""


@immutable
class Toc:
    """A table of contents: (anchor, title) of each section."""

    entries: tuple[tuple[str, str], ...]


@immutable
class PageBreak:
    """What follows starts on a new printed page."""


@immutable
class Lines:
    """Ruled lines to write on (a worksheet)."""

    count: int


Block = Heading | Para | Bullets | Grid | Terms | MapSlot | Toc | PageBreak | Lines


def _para(*parts: Inline) -> Para:
    return Para(tuple(parts))


def ticked(text: str) -> Line:
    """The guide's own sentences with `commands` in backticks, as text and Code: each writer shows code its
    own way (Markdown backticks, HTML <code>), never the backticks themselves. Only for the guide's own
    words: story text is never read this way."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: no code, the text as it is
        return (text,)
    return tuple(Code(p) if i % 2 else p for i, p in enumerate(parts) if p)


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


def routes_in_order(story: Story) -> list[tuple[str | None, str, str, list[Node]]]:
    """(route id, title, description, nodes) for each declared route, then routes used but not
    declared, then the scenes on no route."""
    grouped: dict[str | None, list[Node]] = {}
    for node in story.reading_order():
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


def _endings(story: Story) -> list[Node]:
    return [n for n in story.reading_order() if n.ending is not None]


# --------------------------------------------------------------------------- the guide's content

TEACHER = "teacher"


@immutable
class RunLengths:
    """How long a run takes, measured from random runs (``crossing stats``): medians and 90th percentiles."""

    runs: int
    minutes: float
    minutes_p90: float
    decisions: float
    decisions_p90: float
    by_route: dict[str, tuple[float, float]]  # route title -> (median minutes, median decisions)


def measure_runs(story: Story, runs: int = 400, seed: int = 1) -> RunLengths | None:
    """Reading time and decisions per run, from crossing.randomruns; None when they cannot be measured."""
    try:
        from crossing.randomruns import run_many

        stats = run_many(story, runs, seed)
        figures = stats.reading.figures()
        by_route: dict[str, tuple[float, float]] = {}
        for route, reading in stats.by_route.items():
            route_figures = reading.figures()
            title = story.route_title(route) or route
            by_route[title] = (route_figures["minutes"]["median"], route_figures["decisions"]["median"])
        return RunLengths(stats.runs, figures["minutes"]["median"], figures["minutes"]["p90"],
                          figures["decisions"]["median"], figures["decisions"]["p90"], by_route)
    except Exception:  # the guide is still useful without the figures
        return None


# Seconds a class or a student takes over a decision on top of reading (reading it, talking it over).
SECONDS_PER_DECISION = 20

STARTER_TOPICS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Forced return", (r"\bsent back", r"\breturn", r"repatriat", r"\bdeport"),
     "What happens to a person who is caught and sent back, and who decides that they are sent back?"),
    ("Trafficking", (r"\bbroker", r"traffick", r"\bsold\b", r"\bmarri", r"\bexploit"),
     "Why do people who leave depend on brokers, and how can that dependence turn into trafficking?"),
    ("Non-refoulement", (r"refoulement", r"\brefugee", r"\basylum"),
     "The principle of non-refoulement says no one may be returned to a place where they face persecution. "
     "Where did the story show it respected, and where ignored?"),
    ("Resettlement", (r"resettle", r"hanawon", r"\bsouth korea", r"\bnew life", r"\bcitizen"),
     "Reaching safety is not the end of the journey: what does starting again in a new country take?"),
)

PERSONAL_CONNECTION: tuple[str, ...] = (
    "Some students may have a personal connection to this story: refugee students and their families, "
    "students of Korean heritage, or students who have lost someone to a border or a detention system.",
    "Speak to them, or to their families, before the lesson if you can; let them choose how to take part "
    "(a role, a route, or sitting out a scene) without having to say why.",
    "Never ask a student to share their own or their family's experiences, in class or in writing. Keep "
    "the discussion on the story's characters and the cited facts.",
    "Tell your school's support staff (counsellor, pastoral or wellbeing team) when the lesson will run, and "
    "agree a quiet place a student can go to. Name it to the class before you start.",
    "Watch for distress during and after the lesson, and follow up privately; `--gentle` tells the hardest "
    "scenes without their details.",
)


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _opening_words(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def _scene_text(story: Story, node: Node, gentle: bool = False) -> str:
    """The scene's text as a reader first meets it (conditions on the story's starting values)."""
    from crossing import telling
    from crossing.engine import initial_variables

    try:
        return telling.scene_text(story, node, initial_variables(story), {node.id}, gentle)
    except Exception:  # a condition that needs a run's state: show every variant instead
        return " ".join(p.text for p in node.text_for(gentle).paragraphs)


SECTIONS = ("Overview", "The routes", "A lesson plan", "Starter questions", "Content warnings",
            "Students with a personal connection", "Debrief questions")


def guide_blocks(story: Story, lengths: RunLengths | None = None) -> list[Block]:
    """The teacher's part (at most about twelve printed pages), then the appendix on a new page."""
    nodes = story.reading_order()
    endings = _endings(story)
    warned = [n for n in nodes if n.content_warnings]
    out: list[Block] = [Heading(1, f"Teacher's guide: {story.title}")]
    if story.version:
        out.append(Para((f"Story version {story.version}. Generated by Crossing from the story files.",), muted=True))
    out.append(Toc((*tuple((_anchor(t), t) for t in SECTIONS), ("appendix", "Appendix: facts, sources, glossary, scenes"))))
    kinds = _ending_kinds(endings)
    warnings = story.content_warnings()
    out.extend(_overview(story, nodes, endings, warned, kinds, warnings))
    out.extend(_routes(story, lengths))
    out.extend(_lesson(story, lengths, warnings))
    out.extend(_starters(story))
    out.extend(_content_warnings(story, warned))
    out.append(Heading(2, "Students with a personal connection"))
    out.append(Bullets(tuple(ticked(p) for p in PERSONAL_CONNECTION)))
    out.extend(_debrief(story, endings, kinds))
    out.extend(_appendix(story, nodes, endings, warned))
    return out


def _ending_kinds(endings: Sequence[Node]) -> dict[str, int]:
    """How many endings of each kind, in the order the kinds first occur."""
    kinds: dict[str, int] = {}
    for node in endings:
        assert node.ending is not None
        kinds[node.ending.kind] = kinds.get(node.ending.kind, 0) + 1
    return kinds


def _overview(story: Story, nodes: Sequence[Node], endings: Sequence[Node], warned: Sequence[Node],
              kinds: dict[str, int], warnings: Sequence[str]) -> list[Block]:
    out: list[Block] = [Heading(2, "Overview")]
    if story.description:
        out.extend(_text_paras(story.description))
    decisions = [n for n in nodes if _is_decision(n)]
    routes = routes_in_order(story)
    glance: list[Line] = [
        (f"{plural(len(nodes), 'scene')}, {plural(len(decisions), 'decision')} and {plural(len(endings), 'ending')}.",),
        ("Routes: " + (", ".join(title for route_id, title, _, _ in routes if route_id is not None) or "none") + ".",),
        ("Kinds of ending: " + ", ".join(f"{story.kind_label(k)} ({n})" for k, n in kinds.items()) + ".",),
        (f"{plural(sum(len(n.facts) for n in nodes), 'fact')} from {plural(len(story.sources), 'source')}, "
         "each listed with its full source in the appendix.",),
    ]
    if warnings:
        glance.append((Bold("Content warnings:"), " " + _and([WARNING_NAMES.get(w, w) for w in warnings])
                       + f" ({plural(len(warned), 'scene')}; see Content warnings below).",))
    out.append(Bullets(tuple(glance)))
    return out


def _routes(story: Story, lengths: RunLengths | None) -> list[Block]:
    """The routes and the map, the map on a page of its own."""
    out: list[Block] = [Heading(2, "The routes"), MapSlot()]
    for route_id, title, description, route_nodes in routes_in_order(story):
        route_endings = [n for n in route_nodes if n.ending is not None]
        if route_id is None and not route_endings:
            continue
        out.append(Heading(3, title))
        paras = _text_paras(description)
        if paras:
            out.append(paras[0])
        route_decisions = [n for n in route_nodes if _is_decision(n)]
        facts_line = f"{plural(len(route_nodes), 'scene')}, {plural(len(route_decisions), 'decision')}"
        if lengths is not None and title in lengths.by_route:
            minutes, taken = lengths.by_route[title]
            facts_line += f"; a run that takes this route reads for about {minutes:.0f} minutes over {taken:.0f} decisions"
        out.append(Para((facts_line + ".",), muted=True))
        if route_endings:
            out.append(Para((Bold("Endings:"), " " + "; ".join(f"{n.display_title} ({story.kind_label(n.ending.kind)})"
                                                          for n in route_endings if n.ending is not None) + "."),))
    return out


def _content_warnings(story: Story, warned: Sequence[Node]) -> list[Block]:
    """Content warnings, with the scenes' own words."""
    out: list[Block] = [Heading(2, "Content warnings")]
    if warned:
        out.append(Para(("Each scene below opens with these words; the appendix prints every one in full, and ",
                         Code("crossing show SCENE"), " shows one in the terminal. With ", Code("--gentle"),
                         " the scenes that have a gentler telling are told without the details.")))
        out.append(Grid(("Scene", "Warnings", "How it begins"), tuple(
            (f"{n.title or n.id} ({n.id})", ", ".join(WARNING_NAMES.get(w, w) for w in n.content_warnings)
             + ("; gentler telling" if n.gentle_text else ""), _opening_words(_scene_text(story, n)))
            for n in warned
        )))
    else:
        out.append(Para(("No scene in this story carries a content warning.",)))
    return out


def _debrief(story: Story, endings: Sequence[Node], kinds: dict[str, int]) -> list[Block]:
    """Debrief questions, by kind of ending; a question asked by several endings once."""
    out: list[Block] = [Heading(2, "Debrief questions")]
    out.append(Para(ticked("`crossing report` lists the endings your class reached, each with its questions. "
                           "By kind of ending:")))
    for kind in kinds:
        questions: dict[str, None] = {}
        titles = []
        for node in endings:
            if node.ending is not None and node.ending.kind == kind:
                titles.append(node.display_title)
                if node.ending.debrief is not None:
                    questions.update(dict.fromkeys(node.ending.debrief.questions))
        out.append(Heading(3, story.kind_label(kind)))
        out.append(Para((f"Endings: {'; '.join(titles)}.",), muted=True))
        if questions:
            out.append(Bullets(tuple((q,) for q in questions), numbered=True))
    return out


def _lesson(story: Story, lengths: RunLengths | None, warnings: Sequence[str]) -> list[Block]:
    out: list[Block] = [Heading(2, "A lesson plan")]
    if lengths is None:
        out.append(Para(ticked("Play the story yourself first to see how long a run takes (`crossing stats` measures it).")))
        play_minutes = 20.0
        one_lesson = True
    else:
        per_run = lengths.minutes + lengths.decisions * SECONDS_PER_DECISION / 60
        per_run_p90 = lengths.minutes_p90 + lengths.decisions_p90 * SECONDS_PER_DECISION / 60
        out.append(Para((f"Measured over {lengths.runs:,} random runs: a run reads for about {lengths.minutes:.0f} "
                         f"minutes over {lengths.decisions:.0f} decisions (median); one in ten takes "
                         f"{lengths.minutes_p90:.0f} minutes and {lengths.decisions_p90:.0f} decisions or more. "
                         f"Allowing {SECONDS_PER_DECISION} seconds a decision, a run takes a student about "
                         f"{per_run:.0f} minutes, and up to {per_run_p90:.0f}.",)))
        play_minutes = per_run
        one_lesson = per_run_p90 <= 25
    intro: list[Inline] = ["Introduce the story and its characters."]
    if warnings:
        intro.extend([" Read the content note aloud (scenes of " + _and([WARNING_NAMES.get(w, w) for w in warnings])
                      + "), say how a student can step out and where the quiet place is; use ", Code("--gentle"),
                      " for younger classes."])
    play = Code("crossing play --name ALIAS --transcript transcripts/ALIAS.json --transcript transcripts/ALIAS.md")
    start_up: Line = ("Start up: students log in and open a terminal, and ", Code("crossing --version"),
                      " shows Crossing is there; put the play command on the board. Allow longer the first time.")
    if one_lesson:
        out.append(Heading(3, "One lesson, 45 or 50 minutes"))
        out.append(Para(("Each student plays with ", play, ": ", Code("--transcript"), " is given twice, the .json for ",
                         Code("crossing report"), " and the .md to read, with every fact and its source. Times for a "
                         "45-minute lesson, those for 50 minutes in brackets.")))
        out.append(Bullets((
            ("0-5 min (0-5): ", *start_up),
            ("5-10 min (5-10): ", *intro),
            ("10-32 min (10-35): play, solo or in pairs",
             f" (about {play_minutes:.0f} minutes a run). A student who finishes early plays again: the new run is "
             "written beside the first (ALIAS-2.json, ALIAS-2.md), never over it."),
            ("32-40 min (35-45): debrief with ", Code("crossing report transcripts/"), ": who reached which ending, how "
             "the class split at each decision, and the questions of the endings reached."),
            ("40-45 min (45-50): each student takes one fact and its source from their readable transcript, ",
             Code("transcripts/ALIAS.md"), " (the handout, ", Code("crossing guide --handout"), ", has room for it)."),
        )))
    else:
        out.append(Heading(3, "Two lessons, or one character a lesson"))
        out.append(Para(("A whole run is longer than one lesson. Either give it two lessons (students continue with ",
                         Code("crossing play --resume"), " in the second), or play one character's route as a class on "
                         "the projector (below, with ", Code("--from SCENE"), "). Students play with ", play,
                         ": the .json for ", Code("crossing report"), ", the .md to read. Times for 45-minute lessons, "
                         "those for 50 minutes in brackets.")))
        out.append(Bullets((
            ("Lesson 1, 0-5 min (0-5): ", *start_up),
            ("Lesson 1, 5-10 min (5-10): ", *intro),
            ("Lesson 1, 10-40 min (10-45): play; progress is saved after every choice.",),
            ("Lesson 1, 40-45 min (45-50): stop where you are; each student takes one fact and its source so far from ",
             Code("transcripts/ALIAS.md"), "."),
            ("Lesson 2, 0-25 min (0-30): start up, then ", Code("crossing play --resume"),
             " continues each student's run and transcripts."),
            ("Lesson 2, 25-45 min (30-50): debrief with ", Code("crossing report transcripts/"),
             " and the starter questions below; finish with the handout."),
        )))
    out.append(Heading(3, "On the projector, as a class"))
    out.append(Para(("With one screen for the room, play as a class: ",
                     Code("crossing class --name 10B --transcript class.json --transcript class.md"),
                     " shows each scene large, then its choices; the class talks it over, votes with a show of hands, and "
                     "you type the hands (e.g. 12 5 3). Talking at every decision takes longer than playing alone: plan one "
                     "character's route a lesson (", Code("--from SCENE"), "), and ", Code("crossing class --resume"),
                     " continues the next lesson where you stopped.")))
    out.append(Bullets((
        ("0-5 min (0-5): start up on the projector, then the content note and the story's introduction.",),
        ("5-35 min (5-40): play and vote, scene by scene; ", Code("f"), " shows a scene's facts and their sources.",),
        ("35-45 min (40-50): the ending's debrief and the class's path are on screen; discuss its questions. ",
         Code("crossing report"), " counts the class transcript as a lesson, apart from students' own runs."),
    )))
    return out


def _starters(story: Story) -> list[Block]:
    """A question on each of forced return, trafficking, non-refoulement and resettlement: the story's own
    debrief question on the topic where it has one, else a general one."""
    asked: list[str] = [q for n in _endings(story) if n.ending and n.ending.debrief for q in n.ending.debrief.questions]
    items: list[Line] = []
    used: set[str] = set()
    for topic, words, fallback in STARTER_TOPICS:
        own = next((q for q in asked if q not in used and any(re.search(w, q, re.IGNORECASE) for w in words)), None)
        if own is not None:
            used.add(own)
        items.append((Bold(f"{topic}: "), own or fallback))
    return [Heading(2, "Starter questions"),
            Para(("Open the debrief with one of these, then go on to the questions of the endings the class reached.",)),
            Bullets(tuple(items))]


def _appendix(story: Story, nodes: Sequence[Node], endings: Sequence[Node], warned: Sequence[Node]) -> list[Block]:
    out: list[Block] = [PageBreak(), Heading(2, "Appendix: facts, sources, glossary, scenes", anchor="appendix")]
    out.append(Heading(3, "Every fact with its source"))
    seen: set[tuple[str, str]] = set()
    items: list[Line] = []
    for node in nodes:
        for fact in node.facts:
            if (fact.claim, fact.source) in seen:
                continue
            seen.add((fact.claim, fact.source))
            items.append((fact.claim, " Source: ", *_source_line(story, fact.source)))
    out.append(Bullets(tuple(items)) if items else Para(("The story cites no facts.",)))
    out.append(Heading(3, "Sources"))
    if story.sources:
        ordered = sorted(story.sources.values(), key=lambda s: (s.publisher.lower(), s.year, s.title.lower()))
        out.append(Bullets(tuple(_source_line(story, s.id) for s in ordered)))
    else:
        out.append(Para(("The story lists no sources.",)))
    if story.glossary:
        out.append(Heading(3, "Glossary"))
        out.append(Terms(tuple((term, " ".join(story.glossary[term].split())) for term in sorted(story.glossary, key=str.lower))))
    if warned:
        out.append(Heading(3, "The scenes with content warnings, in full"))
        for node in warned:
            out.append(Heading(4, f"{node.title or node.id} ({', '.join(WARNING_NAMES.get(w, w) for w in node.content_warnings)})"))
            out.extend(_passage_paras(node.text))
    out.append(Heading(3, "Every ending's debrief"))
    for node in endings:
        assert node.ending is not None
        out.append(Heading(4, f"{node.display_title} ({story.kind_label(node.ending.kind)})"))
        if node.ending.debrief is not None:
            out.extend(_passage_paras(node.ending.debrief.why))
            out.extend(_passage_paras(node.ending.debrief.context))
    return out


def handout_blocks(story: Story) -> list[Block]:
    """A one- to two-page worksheet for students: what to notice, room for one fact and its source, three
    questions to reflect on."""
    return [
        Heading(1, f"{story.title}: worksheet"),
        Para(("Name or alias: ______________________________   Date: ______________",)),
        Heading(2, "While you play, notice"),
        Bullets((
            ("The risk of each step, and who carries it.",),
            ("Who helps, who is paid, and who can betray.",),
            ("The facts the story cites (press ", Code("f"), " in a scene): each comes with its source.",),
            ("What is decided by you, and what by chance or by others.",),
        )),
        Heading(2, "One fact and its source"),
        Para(("The fact, in your own words:",)),
        Lines(3),
        Para(("Its source (publisher, title, year):",)),
        Lines(2),
        Heading(2, "Reflect"),
        Bullets((
            ("Which decision was hardest, and what made it hard?",),
            ("What did your character risk that you had not expected?",),
            ("What would change the outcome for people making this journey today?",),
        ), numbered=True),
        Lines(6),
    ]


# --------------------------------------------------------------------------- writers


def _safe_url(url: str) -> bool:
    """Only web links become links: a story could hold javascript: or file: URLs."""
    return safe_url(url) is not None


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
        elif isinstance(block, Toc):
            out.extend(["**Contents**", ""])
            out.extend(f"{n}. {md_text(title)}" for n, (_, title) in enumerate(block.entries, 1))
            out.append("")
        elif isinstance(block, PageBreak):
            out.extend(["---", ""])
        elif isinstance(block, Lines):
            out.extend(["_" * 60 + "  " for _ in range(block.count)] + [""])
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


def _h(text: str) -> str:
    """Story text in HTML: escaped, and control characters and bidi overrides made visible."""
    return html.escape(inert(text), quote=True)


def _html_inline(part: Inline) -> str:
    if isinstance(part, Bold):
        return f"<strong>{_h(part.text)}</strong>"
    if isinstance(part, Em):
        return f"<em>{_h(part.text)}</em>" if part.text else ""
    if isinstance(part, Code):
        return f"<code>{_h(part.text)}</code>"
    if isinstance(part, Link):
        url = part.url.strip()
        if _safe_url(url):
            return f'<a href="{_h(url)}">{_h(url)}</a>'
        return _h(url)
    return _h(part)


def _html_line(line: Line) -> str:
    return "".join(_html_inline(p) for p in line)


GUIDE_CSS = """
:root { color-scheme: light; }
body { font-family: Georgia, "Times New Roman", serif; font-size: 12pt; line-height: 1.45; color: #111;
       background: #fff; max-width: 46rem; margin: 2rem auto; padding: 0 1.5rem; }
h1, h2, h3, h4 { font-family: "Helvetica Neue", Arial, sans-serif; line-height: 1.25; }
h1 { font-size: 1.8rem; margin-bottom: 0.4rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid #333; padding-bottom: 0.2rem; margin-top: 1.8rem; }
h3 { font-size: 1.1rem; margin: 1.1rem 0 0.3rem; }
h4 { font-size: 1rem; margin: 0.9rem 0 0.2rem; }
p { margin: 0.35rem 0; }
ul, ol { margin: 0.3rem 0; padding-left: 1.5rem; }
p.muted { color: #555; font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 0.92em; }
th, td { border: 1px solid #999; padding: 0.25rem 0.45rem; text-align: left; vertical-align: top; }
th { background: #eee; }
dt { font-weight: bold; margin-top: 0.4rem; }
dd { margin-left: 1.5rem; }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 0.88em; background: #f2f2f2; padding: 0 0.2em; }
a { color: #1a4a7a; overflow-wrap: anywhere; }
nav.toc ol { columns: 2; }
figure.map { margin: 1rem 0; text-align: center; }
figure.map svg { max-width: 100%; height: auto; max-height: 22cm; }
.lines .line { border-bottom: 1px solid #888; height: 2.1em; }
h2, h3, h4, dt { break-after: avoid; page-break-after: avoid; }
li, tr, dd, figure, p { break-inside: avoid; page-break-inside: avoid; }
@page { size: auto; margin: 1.6cm 1.6cm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  a { color: #000; text-decoration: none; }
  code { background: none; }
  h2 { margin-top: 1.2rem; }
  table { font-size: 8.5pt; }
  th, td { padding: 0.15rem 0.35rem; }
  section.map-page { break-before: page; break-after: page; page-break-before: always; page-break-after: always; }
  /* the map's own inline max-height (23cm) leaves no room for its heading on Letter paper:
     keep heading, map and caption within one page on A4 and Letter */
  section.map-page figure.map svg { max-height: 19cm !important; }
  .page-break { break-before: page; page-break-before: always; }
}
""".strip()


def to_html(blocks: Sequence[Block], title: str, map_svg: str | None = None) -> str:
    """A self-contained page: inline CSS, no scripts, fonts or images from elsewhere. ``map_svg`` is
    trusted markup (crossing.geo.svg_map escapes its own text) placed where the guide has a MapSlot."""
    body: list[str] = []
    for index, block in enumerate(blocks):
        if isinstance(block, Heading) and map_svg and index + 1 < len(blocks) and isinstance(blocks[index + 1], MapSlot):
            # the section's heading and the map together on a page of their own
            body.append(f'<section class="map-page"><h{block.level} id="{_anchor(block.text)}">{_h(block.text)}</h{block.level}>'
                        f'<figure class="map">{map_svg}<figcaption>The routes on the map.</figcaption></figure></section>')
        elif isinstance(block, MapSlot) and map_svg and index > 0 and isinstance(blocks[index - 1], Heading):
            pass  # drawn with its heading
        elif isinstance(block, Heading):
            anchor = block.anchor or (_anchor(block.text) if block.level == 2 else None)
            ident = f' id="{html.escape(anchor, quote=True)}"' if anchor else ""
            body.append(f"<h{block.level}{ident}>{html.escape(inert(block.text))}</h{block.level}>")
        elif isinstance(block, Toc):
            items = "".join(f'<li><a href="#{html.escape(a, quote=True)}">{html.escape(t)}</a></li>' for a, t in block.entries)
            body.append(f'<nav class="toc"><h2>Contents</h2><ol>{items}</ol></nav>')
        elif isinstance(block, PageBreak):
            body.append('<div class="page-break"></div>')
        elif isinstance(block, Lines):
            body.append('<div class="lines">' + '<div class="line"></div>' * block.count + "</div>")
        elif isinstance(block, Para):
            css = ' class="muted"' if block.muted else ""
            body.append(f"<p{css}>{_html_line(block.line)}</p>")
        elif isinstance(block, Bullets):
            tag = "ol" if block.numbered else "ul"
            body.append(f"<{tag}>" + "".join(f"<li>{_html_line(item)}</li>" for item in block.items) + f"</{tag}>")
        elif isinstance(block, Grid):
            head = "".join(f"<th>{_h(h)}</th>" for h in block.headers)
            rows = "".join("<tr>" + "".join(f"<td>{_h(c)}</td>" for c in row) + "</tr>" for row in block.rows)
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif isinstance(block, Terms):
            body.append("<dl>" + "".join(f"<dt>{_h(t)}</dt><dd>{_h(m)}</dd>" for t, m in block.items) + "</dl>")
        elif isinstance(block, MapSlot) and map_svg:
            body.append(f'<figure class="map">{map_svg}<figcaption>The routes on the map.</figcaption></figure>')
        elif isinstance(block, MapSlot):
            pass
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_h(title)}</title>\n<style>\n{GUIDE_CSS}\n</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def guide(story: Story, fmt: GuideFormat = "markdown", map_svg: str | None = None, *,
          lengths: RunLengths | None = None, measure: bool = True) -> str:
    """The teacher's guide. ``map_svg`` (an SVG document from crossing.maps.svg_map) draws the routes in
    the HTML guide; Markdown has no map. The lesson plan uses ``lengths``, measured from random runs when
    not given (``measure=False``: no figures)."""
    if lengths is None and measure:
        lengths = measure_runs(story)
    blocks = guide_blocks(story, lengths)
    if fmt == "html":
        return to_html(blocks, f"Teacher's guide: {story.title}", map_svg)
    return to_markdown(blocks)


def handout(story: Story, fmt: GuideFormat = "markdown") -> str:
    """The student worksheet (1-2 printed pages)."""
    blocks = handout_blocks(story)
    if fmt == "html":
        return to_html(blocks, f"{story.title}: worksheet")
    return to_markdown(blocks)


__all__ = ["GuideFormat", "RunLengths", "guide", "guide_blocks", "handout", "handout_blocks", "measure_runs",
           "routes_in_order"]
