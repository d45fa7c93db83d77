"""Class mode: a lesson on a projector, paced by the teacher, each screen fitting the terminal.

Each scene comes in steps that fit the screen without scrolling: the story text large and alone (in as
many pages as it needs), then the risk (the facts on request, `f`), then the choices and the vote; then
what the class chose. The ending comes in pages, the questions to discuss last, staying on screen.
`b` goes back a step (from the first page of a scene it undoes the last vote), `q` asks "End the lesson?
(y/n)", and "Press Enter" takes only Enter.

The screens are made of render.scene's building blocks (body, risk, facts, content notice, hints).
Console and input are injected like in crossing.session, so tests drive a whole lesson with a script.
Vote parsing is pure, in crossing.votes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from crossing import telling
from crossing.engine import Engine, OfferedChoice
from crossing.model import Node, Story
from crossing.playthrough import ChoiceTaken, Ended, Event, Listener, Playthrough, SceneShown, WentBack
from crossing.render import scene as views
from crossing.render.report import NARROW, Responsive
from crossing.render.safe import literal
from crossing.session import ReadKey
from crossing.transcript import StepRecord, Transcript, TranscriptWriter
from crossing.votes import MAX_HANDS, TIE_RULE, VOTE_HELP, Vote, VoteError, parse_vote, vote_counts

__all__ = [
    "MAX_HANDS",
    "TIE_RULE",
    "VOTE_HELP",
    "ClassOptions",
    "Outcome",
    "Vote",
    "VoteError",
    "class_path_view",
    "class_transcript",
    "paginate",
    "parse_vote",
    "path_pages",
    "run_class",
    "vote_counts",
]

Outcome = Literal["ending", "quit", "input-ended"]
Page = list[RenderableType]
# Lines kept free below a page: a note (after a key that does nothing there) and the prompt.
RESERVED = 3

KEYS = "b: back · q: end the lesson"


@dataclass
class ClassOptions:
    gentle: bool = False
    plain: bool = False


def margin(console: Console) -> int:
    """Side margins that grow with the screen: a twentieth of the width each side, at least one column."""
    return max(1, console.width // 20)


def _width(console: Console) -> int:
    return max(20, console.width - 2 * margin(console))


def _height(console: Console) -> int:
    return max(6, console.height - RESERVED - 1)  # one line of top padding


# --------------------------------------------------------------------------- fitting pages to the screen


def _lines(console: Console, block: RenderableType, width: int) -> int:
    return len(console.render_lines(block, console.options.update(width=width), pad=False))


def _split_text(console: Console, block: Text, width: int, height: int) -> list[RenderableType]:
    """A paragraph taller than a page, as pieces of at most ``height`` wrapped lines."""
    wrapped = block.wrap(console, width)
    pieces: list[RenderableType] = []
    for start in range(0, len(wrapped), height):
        piece = Text("\n").join(wrapped[start:start + height])
        pieces.append(piece)
    return pieces


def paginate(console: Console, blocks: Sequence[RenderableType], *, height: int | None = None,
             heading: RenderableType | None = None) -> list[Page]:
    """Blocks (paragraphs, boxes, blank lines) laid out in pages that each fit the screen; a block taller
    than a page is split by its wrapped lines. ``heading`` starts every page after the first."""
    width = _width(console)
    room = height if height is not None else _height(console)
    head_lines = _lines(console, heading, width) + 1 if heading is not None else 0
    pages: list[Page] = []
    page: Page = []
    used = 0

    def close() -> None:
        nonlocal page, used
        while page and isinstance(page[-1], Text) and not page[-1].plain:
            page.pop()
        if page:
            pages.append(page)
        page, used = [], 0
        if heading is not None:
            page.extend([heading, Text("")])
            used = head_lines

    expanded: list[RenderableType] = []
    for block in blocks:
        if isinstance(block, Text) and _lines(console, block, width) > room - head_lines:
            expanded.extend(_split_text(console, block, width, room - head_lines))
        else:
            expanded.append(block)
    for block in expanded:
        blank = isinstance(block, Text) and not block.plain
        if blank and (not page or (used == head_lines and heading is not None and len(page) == 2)):
            continue  # no blank line at the top of a page
        size = _lines(console, block, width)
        if used + size > room and used > head_lines:
            close()
            if blank:
                continue
        page.append(block)
        used += size
    close()
    # close() leaves a fresh page started with the heading: drop it when nothing followed
    return pages or [[Text("")]]


# --------------------------------------------------------------------------- the blocks of each screen


def _header(node: Node, story: Story, is_plain: bool) -> Text:
    title = node.title or node.id
    route = story.route_title(node.route)
    header = literal(f"== {title} ==" if is_plain else title, "crossing.class.title")
    if route:
        header.append_text(literal(f"  ({route})", "crossing.hint"))
    return header


def warning_page(node: Node, header: Text, options: ClassOptions) -> Page | None:
    """A scene's content warning on a screen of its own, before the scene, so the class can prepare:
    what the scene describes, and whether it is told gently."""
    line = views.warning_line(node, options.gentle)
    if line is None:
        return None
    if options.gentle and node.gentle_text is not None:
        told = "Gentle telling: this scene is told without the details."
    elif options.gentle:
        told = "This scene has no gentler telling: it is told as written."
    else:
        told = "This scene is told in full: a lesson started with --gentle tells it without the details."
    return [header, Text(""), line, Text(""), Text(told, style="crossing.class.text")]


def _facts_blocks(story: Story, node: Node, options: ClassOptions) -> list[RenderableType]:
    """The heading once, then one block per fact, so a long list pages between facts rather than inside one."""
    shown = list(telling.shown_facts(story, node, options.gentle))
    if not shown:
        return []
    blocks: list[RenderableType] = []
    for claim, fact in shown:
        source = story.sources.get(fact.source)
        cite = source.citation(options.gentle) if source else (fact.source or "no source given")
        line = Text()
        line.append_text(literal(claim, "crossing.fact"))
        line.append("\n")
        line.append_text(literal(f"Source: {cite}", "crossing.source"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column()
        grid.add_row("-", line)
        # the heading travels with the first fact: never alone at the foot of a page
        blocks.extend([grid if blocks else Group(_heading("What this scene rests on", options.plain), grid), Text("")])
    return blocks


def title_blocks(story: Story, is_plain: bool, gentle: bool) -> list[RenderableType]:
    parts: list[RenderableType] = [literal(story.title, "crossing.class.title"), Text("")]
    if story.description:
        parts.extend([*views.body(story.description, "crossing.class.text"), Text("")])
    parts.append(Text("Class mode: read each scene together, talk it over, then vote with a show of hands.",
                      style="crossing.class.text"))
    parts.append(Text(f"{VOTE_HELP} {TIE_RULE}", style="crossing.hint"))
    notice = views.content_notice(story, gentle)
    if notice is not None:
        parts.extend([Text(""), notice])
    return parts


def choices_view(offered: Sequence[OfferedChoice], is_plain: bool) -> RenderableType:
    parts: list[RenderableType] = []
    for option in offered:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True)
        grid.add_column()
        grid.add_row(Text(f"{option.number}", style="crossing.class.number"), literal(option.text, "crossing.class.choice"))
        parts.extend([grid, Text("")])
    if len(offered) > 1:
        parts.append(Text(TIE_RULE, style="crossing.hint"))
    return Group(*parts)


def result_view(offered: Sequence[OfferedChoice], vote: Vote, target_random: bool) -> RenderableType:
    chosen = offered[vote.winner - 1]
    line = Text("The class chose ", style="crossing.class.text")
    line.append(f"{chosen.number}: ", style="crossing.class.number")
    line.append_text(literal(chosen.text, "crossing.class.winner"))
    parts: list[RenderableType] = [line]
    if vote.hands is not None:
        parts.append(Text("Hands: " + ", ".join(f"{n} for {o.number}" for n, o in zip(vote.hands, offered, strict=True)),
                          style="crossing.class.text"))
        if vote.tie:
            parts.append(Text("A tie: it goes to the choice listed first.", style="crossing.warning"))
    if target_random:
        parts.append(Text("What happens next is partly down to chance.", style="crossing.hint"))
    return Group(*parts)


def _tally(step: StepRecord) -> str:
    if step.votes is None:
        return "(one way on)"
    if any(v.hands is None for v in step.votes):
        return "winner given"
    tally = " / ".join(str(v.hands) for v in step.votes)
    return tally + (" (tie: first listed)" if step.tie else "")


def class_path_view(transcript: Transcript, is_plain: bool, *, start: int = 0, stop: int | None = None,
                    title: str = "The class's path") -> RenderableType:
    """The class's path with the votes taken at each step (steps ``start`` to ``stop``): a table, or
    numbered lines where the screen is too narrow for one (every title and choice whole, wrapped)."""
    steps = transcript.path_steps[start:stop]
    return Group(Text(title, style="" if is_plain else "crossing.heading"),
                 Responsive(lambda _: _path_table(transcript, steps, start, is_plain),
                            lambda _: _path_lines(transcript, steps, start), NARROW))


def path_pages(console: Console, transcript: Transcript, is_plain: bool, *, height: int | None = None) -> list[Page]:
    """The class's path in pages that each fit the screen, every page with its title and the table's
    header, so nothing the class must read scrolls away; a long path says which steps each page holds."""
    room = height if height is not None else _height(console)
    width = _width(console)
    total = len(transcript.path_steps)
    chunks: list[tuple[int, int]] = []
    start = 0
    while start < total:
        stop = start + 1
        while stop < total and _lines(console, class_path_view(transcript, is_plain, start=start, stop=stop + 1,
                                                               title="The class's path (steps 00-00 of 00)"), width) <= room:
            stop += 1
        chunks.append((start, stop))
        start = stop
    if len(chunks) == 1:
        return [[class_path_view(transcript, is_plain)]]
    return [[class_path_view(transcript, is_plain, start=a, stop=b,
                             title=f"The class's path (steps {a + 1}-{b} of {total})")] for a, b in chunks]


def _path_lines(transcript: Transcript, steps: Sequence[StepRecord], first: int) -> RenderableType:
    titles = {s.node: s.title or s.node for s in transcript.scenes}
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    for number, step in enumerate(steps, first + 1):
        chose = Text("The class chose: ")
        chose.append_text(literal(step.choice_text, "crossing.class.winner"))
        tally = _tally(step)
        grid.add_row(f"{number}.", Group(literal(titles.get(step.node, step.node), "crossing.class.title"), chose,
                                         Text(f"Hands: {tally}" if tally[:1].isdigit() else tally, style="crossing.hint")))
    return grid


def _path_table(transcript: Transcript, steps: Sequence[StepRecord], first: int, is_plain: bool) -> RenderableType:
    table = Table(box=None if is_plain else box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Scene", ratio=2)
    table.add_column("The class chose", ratio=3)
    table.add_column("Hands per choice", no_wrap=True)
    titles = {s.node: s.title or s.node for s in transcript.scenes}
    for number, step in enumerate(steps, first + 1):
        table.add_row(str(number), literal(titles.get(step.node, step.node)), literal(step.choice_text), _tally(step))
    return table


def _heading(text: str, is_plain: bool) -> Text:
    return Text(text, style="" if is_plain else "crossing.heading")


def ending_pages(console: Console, engine: Engine, transcript: Transcript, options: ClassOptions) -> list[Page]:
    """The ending in pages: what happened, why, the real world (with the facts), the class's path, and
    last the questions to discuss."""
    node, story = engine.node, engine.story
    assert node.ending is not None
    title = literal(node.display_title, "crossing.ending")
    kind = literal(f"Ending: {story.kind_label(node.ending.kind)}", "crossing.ending.kind")
    first = [*views.narration(_narrated(engine, options)), title, kind, Text(""),
             *views.body(engine.scene_text(options.gentle), "crossing.class.text")]
    pages = paginate(console, first, heading=title)
    if node.ending.debrief is not None:
        why, context = engine.debrief_text(options.gentle)
        pages += paginate(console, [_heading("What happened, and why", options.plain), Text(""),
                                    *views.body(why, "crossing.class.text")], heading=title)
        pages += paginate(console, [_heading("The real world", options.plain), Text(""), *views.body(context, "crossing.class.text"),
                                    Text(""), *_facts_blocks(story, node, options)], heading=title)
    elif node.facts:
        pages += paginate(console, _facts_blocks(story, node, options), heading=title)
    if transcript.path_steps:
        pages += path_pages(console, transcript, options.plain)
    questions = node.ending.debrief.questions if node.ending.debrief is not None else ()
    if questions:
        blocks: list[RenderableType] = [title, Text(""), _heading("To discuss", options.plain), Text("")]
        for number, question in enumerate(questions, 1):
            grid = Table.grid(padding=(0, 1))
            grid.add_column(justify="right", no_wrap=True)
            grid.add_column()
            grid.add_row(Text(f"{number}.", style="crossing.class.number"), literal(question, "crossing.class.text"))
            blocks.extend([grid, Text("")])
        pages += paginate(console, blocks, heading=title)
    return pages


# --------------------------------------------------------------------------- the lesson loop


Answer = str | None
# Where a vote's answer comes from instead of the teacher's typing (`class --live`: students' devices).
# It gets the engine and the choices on screen and answers as the teacher would type: hands per choice,
# the winning number, a key (b, q), or None when input has ended.
VoteSource = Callable[[Engine, Sequence[OfferedChoice]], Answer]


class _Screen:
    """Shows one page at a time (cleared first on a terminal) and asks; a key that does nothing there
    redraws the page with a note, so nothing ever scrolls."""

    def __init__(self, console: Console, read: ReadKey, votes: VoteSource | None = None) -> None:
        self.console, self.read, self.votes = console, read, votes

    def vote(self, page: Page, prompt: str, note: str | None, engine: Engine, offered: Sequence[OfferedChoice]) -> Answer:
        """The class's vote on the choices page: typed by the teacher, or from the vote source."""
        votes = self.votes
        if votes is None:
            return self.ask(page, prompt, note)
        return self.ask(page, prompt, note, read=lambda _prompt: votes(engine, offered))

    def ask(self, page: Page, prompt: str, note: str | None = None, read: ReadKey | None = None) -> Answer:
        if self.console.is_terminal:
            self.console.clear()
        m = margin(self.console)
        self.console.print(Padding(Group(*page), (1, m, 0, m)))
        if note:
            self.console.print(Padding(views.hint(note), (0, m)))
        return (read or self.read)(Text(" " * m + prompt, style="crossing.hint"))

    def confirm_end(self, page: Page) -> bool | None:
        """'End the lesson? (y/n)': True for y, False for n (or anything else); None when input ended."""
        answer = self.ask(page, "End the lesson? (y/n) ")
        if answer is None:
            return None
        return answer.strip().lower() in ("y", "yes")

    def pages(self, pages: Sequence[Page], *, last_prompt: str | None, at: int = 0,
              first_back: bool = True) -> Literal["done", "back", "quit", "input-ended"]:
        """Page through with Enter and b; ``last_prompt`` None: the last page is shown and stays."""
        i, note = at, None
        while True:
            is_last = i == len(pages) - 1
            if is_last and last_prompt is None:
                if self.console.is_terminal:
                    self.console.clear()
                m = margin(self.console)
                self.console.print(Padding(Group(*pages[i]), (1, m, 0, m)))
                return "done"
            prompt = (last_prompt if is_last and last_prompt else "Press Enter to go on") + f" ({KEYS}): "
            answer = self.ask(pages[i], prompt, note)
            note = None
            if answer is None:
                return "input-ended"
            key = answer.strip().lower()
            if answer == "":
                if is_last:
                    return "done"
                i += 1
            elif key == "b":
                if i > 0:
                    i -= 1
                elif first_back:
                    return "back"
                else:
                    note = "This is the first page: there is nothing to go back to."
            elif key == "q":
                ended = self.confirm_end(pages[i])
                if ended is None:
                    return "input-ended"
                if ended:
                    return "quit"
            else:
                note = "Press Enter to go on, b to go back, or q to end the lesson."


def run_class(
    engine: Engine,
    console: Console,
    read: ReadKey,
    options: ClassOptions,
    writer: TranscriptWriter | None = None,
    *,
    on_change: Callable[[Engine, Transcript], None] | None = None,
    show_title: bool = True,
    transcript: Transcript | None = None,
    votes: VoteSource | None = None,
) -> Outcome:
    """Play the story with the whole class. With a writer, the class transcript is rewritten after every
    scene and vote; without one it is kept in memory for the closing screens. ``on_change`` is called
    after every step and step back (to keep the lesson for --resume)."""
    story = engine.story
    if writer is not None:
        transcript = writer.transcript
    elif transcript is None:
        transcript = Transcript.begin(story, engine.state.seed, gentle=options.gentle, mode="class")
    lesson_transcript = transcript
    screen = _Screen(console, read, votes)

    def changed() -> None:
        if on_change is not None:
            on_change(engine, lesson_transcript)

    run = Playthrough(engine, options.gentle, [class_transcript(transcript, writer, changed)])
    if show_title:
        went = screen.pages(paginate(console, title_blocks(story, options.plain, options.gentle)),
                            last_prompt="Press Enter to begin", first_back=False)
        if went in ("quit", "input-ended"):
            return went
    start_at_vote = False
    while True:
        run.arrive()
        if engine.finished:
            went = screen.pages(ending_pages(console, engine, transcript, options), last_prompt=None,
                                first_back=bool(engine.state.history))
            if went == "done":
                return "ending"
            if went != "back":
                return went
            transcript.ending = None  # the class went back from the ending: no longer reached
        else:
            outcome = _scene(screen, run, options, start_at_vote)
            start_at_vote = False
            if outcome in ("quit", "input-ended"):
                return outcome
            if outcome != "back":
                continue
        if run.back() is not None:
            start_at_vote = True


def class_transcript(transcript: Transcript, writer: TranscriptWriter | None, changed: Callable[[], None]) -> Listener:
    """The class transcript as a listener of the lesson's Playthrough: each scene and the ending, each step
    with the class's votes, each step taken back; rewritten to its files after each event with a writer,
    kept in memory without one. ``changed`` is called after every event (to keep the lesson for --resume)."""
    keeper = writer if writer is not None else TranscriptWriter([], transcript)  # no files: kept in memory

    def note(run: Playthrough, event: Event) -> None:
        engine = run.engine
        if isinstance(event, SceneShown):
            keeper.on_scene(engine)
        elif isinstance(event, Ended):
            keeper.on_end(engine)
        elif isinstance(event, ChoiceTaken):
            # the narration as the transcript tells it (gently or not), as it always has been
            keeper.on_choice(engine, event.step, event.votes, tie=event.tie)
        elif isinstance(event, WentBack):
            keeper.on_back(engine)
        changed()

    return note


@dataclass
class _ScenePages:
    """A scene's pages before the vote: its content warning (``warned`` pages), the text, the risk; and the
    facts pages, put in after the page where the class asked for them (``facts_at``)."""

    header: Text
    pages: list[Page]
    warned: int
    facts_pages: list[Page]
    facts_at: int | None = None


def _scene_pages(console: Console, engine: Engine, options: ClassOptions) -> _ScenePages:
    node, story = engine.node, engine.story
    header = _header(node, story, options.plain)
    text = engine.scene_text(options.gentle)
    read_blocks = [*views.narration(_narrated(engine, options)), header, Text(""), *views.body(text, "crossing.class.text")]
    warning = warning_page(node, header, options)
    warned = 0 if warning is None else 1  # the pages before the scene's own: its content warning
    pages = ([] if warning is None else [warning]) + paginate(console, read_blocks, heading=header)
    if node.risk is not None:
        pages += paginate(console, [header, Text(""), views.risk(node, options.plain)], heading=header)
    facts = _facts_blocks(story, node, options)
    facts_pages = paginate(console, [header, Text(""), *facts], heading=header) if facts else []
    return _ScenePages(header, pages, warned, facts_pages)


def _scene(screen: _Screen, run: Playthrough, options: ClassOptions,
           start_at_vote: bool) -> Literal["next", "back", "quit", "input-ended"]:
    engine = run.engine
    view = _scene_pages(screen.console, engine, options)
    offered = engine.offered()
    i = len(view.pages) if start_at_vote else 0
    while True:
        if i < len(view.pages):
            read = _read_pages(screen, engine, view, i)
            if isinstance(read, str):
                return read
            i = read
            continue
        voted = _vote(screen, run, options, view.header, offered)
        if voted == "pages":
            i = len(view.pages) - 1
        elif voted != "again":
            return voted


def _read_pages(screen: _Screen, engine: Engine, view: _ScenePages, i: int) -> int | Literal["back", "quit", "input-ended"]:
    """Page through the scene from page ``i`` until past the last page (its number is returned: the vote
    comes next), or the class goes back a scene, ends the lesson or input ends."""
    pages, note = view.pages, None
    while i < len(pages):
        offer_facts = bool(view.facts_pages) and view.facts_at is None and i >= view.warned
        prompt = ("Press Enter to continue" if i < view.warned else "Press Enter to go on") + \
            (" (f: the facts, " if offer_facts else " (") + f"{KEYS}): "
        answer = screen.ask(pages[i], prompt, note)
        note = None
        if answer is None:
            return "input-ended"
        key = answer.strip().lower()
        if answer == "":
            i += 1
        elif key == "b":
            if i == 0:
                if engine.state.history:
                    return "back"
                note = "This is the first scene: there is nothing to go back to."
            else:
                i -= 1
        elif key == "q":
            ended = screen.confirm_end(pages[i])
            if ended is None:
                return "input-ended"
            if ended:
                return "quit"
        elif key == "f" and offer_facts:
            view.facts_at = i + 1
            pages[view.facts_at:view.facts_at] = view.facts_pages
            i = view.facts_at
        else:
            note = "Press Enter to go on" + (", f for the facts" if offer_facts else "") + ", b to go back, or q to end the lesson."
    return i


def _vote(screen: _Screen, run: Playthrough, options: ClassOptions, header: Text,
          offered: Sequence[OfferedChoice]) -> Literal["next", "pages", "again", "quit", "input-ended"]:
    """The choices and the vote (Enter where there is one way on), then what the class chose: "pages" goes
    back to the scene's last page, "again" asks for the vote again (the class undid it)."""
    vote_page: Page = [header, Text(""), choices_view(offered, options.plain)]
    voting = len(offered) > 1
    prompt = (f"Votes for 1-{len(offered)}, or the winning number ({KEYS}): " if voting
              else f"Press Enter to go on this way ({KEYS}): ")
    engine, note = run.engine, None
    while True:
        answer = screen.vote(vote_page, prompt, note, engine, offered) if voting else screen.ask(vote_page, prompt, note)
        note = None
        if answer is None:
            return "input-ended"
        key = answer.strip().lower()
        if key == "b":
            return "pages"
        if key == "q":
            ended = screen.confirm_end(vote_page)
            if ended is None:
                return "input-ended"
            if ended:
                return "quit"
            continue
        if not voting:
            if answer != "":
                note = "Press Enter to go on, b to go back, or q to end the lesson."
                continue
            run.choose(1)
            return "next"
        try:
            vote = parse_vote(answer, len(offered))
        except VoteError as problem:
            note = str(problem)
            continue
        run.choose(vote.winner, vote_counts(offered, vote), tie=vote.tie)
        return _result(screen, run, [header, Text(""), result_view(offered, vote, offered[vote.winner - 1].choice.is_random)])


def _result(screen: _Screen, run: Playthrough, result: Page) -> Literal["next", "again", "quit", "input-ended"]:
    """What the class chose, until Enter (the next scene), b (undo the vote: "again") or q."""
    note: str | None = None
    while True:
        answer = screen.ask(result, "Press Enter for the next scene (b: undo this vote · q: end the lesson): ", note)
        note = None
        if answer is None:
            return "input-ended"
        key = answer.strip().lower()
        if answer == "":
            return "next"
        if key == "b":
            run.back()
            return "again"
        if key == "q":
            ended = screen.confirm_end(result)
            if ended is None:
                return "input-ended"
            if ended:
                return "quit"
            continue
        note = "Press Enter for the next scene, b to undo this vote, or q to end the lesson."


def _narrated(engine: Engine, options: ClassOptions) -> str | None:
    """What chance decided on the way here (the last draw's narration), told before the scene, as in play."""
    history = engine.state.history
    return engine.narration(history[-1], options.gentle) if history else None
