"""Class mode: one scene at a time on a projector, big and uncluttered; the class votes on each choice
and the teacher types the count, and a key press moves on so the teacher sets the pace.

Console and input are injected like in crossing.session, so tests drive a whole lesson with a script.
``parse_vote`` is pure and holds the tie rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from crossing.engine import Engine, OfferedChoice
from crossing.model import Node, Story
from crossing.render import scene as views
from crossing.render.report import NARROW, Responsive
from crossing.render.safe import plain
from crossing.session import ReadKey
from crossing.transcript import StepRecord, Transcript, TranscriptWriter, VoteCount

Outcome = Literal["ending", "quit", "input-ended"]

TIE_RULE = "A tie goes to the choice listed first."
# More hands than any class has: a typing slip (an extra digit), not a count.
MAX_HANDS = 1000
# Where a vote's answer comes from instead of the teacher's typing (`class --live`: students' devices).
# It gets the engine and the choices on screen and answers as the teacher would type: hands per choice,
# the winning number, "q", or None when input has ended.
VoteSource = Callable[[Engine, Sequence[OfferedChoice]], "str | None"]
VOTE_HELP = "Type the hands for each choice in order (e.g. '12 5 3'), or just the winning number (e.g. '2')."


# --------------------------------------------------------------------------- votes (pure)


class VoteError(ValueError):
    """What the teacher typed is not a vote; the message says what to type."""


@dataclass(frozen=True, slots=True)
class Vote:
    winner: int  # the choice number on screen, from 1
    hands: tuple[int, ...] | None  # None: only the winning number was typed
    tie: bool = False  # the top count was shared and the tie rule decided


def parse_vote(text: str, count: int) -> Vote:
    """Hands per choice ('12 5 3', commas allowed) or the winning number ('2'). Ties go to the choice
    listed first (the lowest number), as TIE_RULE says on screen."""
    words = [w for w in re.split(r"[\s,;]+", text.strip()) if w]
    if not words:
        raise VoteError(VOTE_HELP)
    if len(words) == 1:
        word = words[0]
        if not re.fullmatch(r"-?[0-9]+", word):
            raise VoteError(f"Only whole numbers, please. {VOTE_HELP}")
        if len(word) <= 6 and 1 <= int(word) <= count:
            return Vote(int(word), None)
        shown = word if len(word) <= 12 else word[:12] + "…"
        raise VoteError(f"There is no choice {shown}: type a number from 1 to {count}, or the hands for all {count} choices.")
    if any(re.fullmatch(r"-[0-9]+", w) for w in words):
        raise VoteError(f"Counts cannot be negative: type how many hands went up for each choice (0 or more). {VOTE_HELP}")
    if not all(re.fullmatch(r"[0-9]+", w) for w in words):  # [0-9], not isdigit(): int() raises on '²'
        raise VoteError(f"Only whole numbers, please. {VOTE_HELP}")
    # the length first: a runaway string of digits is no count (and int() refuses 4,300 digits)
    if any(len(w.lstrip("0")) > len(str(MAX_HANDS)) or int(w) > MAX_HANDS for w in words):
        raise VoteError(f"That is more hands than a class has: each count goes up to {MAX_HANDS}. Type the counts again.")
    numbers = [int(w) for w in words]
    if len(numbers) != count:
        raise VoteError(f"{len(numbers)} counts for {count} choices: type one count per choice, or just the winning number.")
    top = max(numbers)
    if top == 0:
        raise VoteError("No hands counted: type the counts again, or just the winning number.")
    leaders = [number for number, hands in enumerate(numbers, 1) if hands == top]
    return Vote(leaders[0], tuple(numbers), tie=len(leaders) > 1)


def vote_counts(offered: Sequence[OfferedChoice], vote: Vote) -> list[VoteCount]:
    return [
        VoteCount(o.number, o.index, o.text, vote.hands[i] if vote.hands is not None else None) for i, o in enumerate(offered)
    ]


# --------------------------------------------------------------------------- screens


@dataclass
class ClassOptions:
    gentle: bool = False
    plain: bool = False


def margin(console: Console) -> int:
    """Wide side margins on a wide screen: a tenth of the width each side, at least two columns."""
    return max(2, console.width // 10)


def _framed(renderable: RenderableType, console: Console) -> RenderableType:
    return Padding(renderable, (1, margin(console)))


def _big_text(text: str) -> list[RenderableType]:
    return views.body(text, "crossing.class.text")


def title_screen(story: Story, is_plain: bool, gentle: bool) -> RenderableType:
    parts: list[RenderableType] = [plain(story.title, "crossing.class.title"), Text("")]
    if story.description:
        parts.extend([*_big_text(story.description), Text("")])
    parts.append(Text("Class mode: read each scene together, talk it over, then vote with a show of hands.", style="crossing.class.text"))
    parts.append(Text(f"{VOTE_HELP} {TIE_RULE}", style="crossing.hint"))
    notice = views.content_notice(story, gentle)
    if notice is not None:
        parts.extend([Text(""), notice])
    if is_plain:
        return Group(*parts)
    return Panel(Group(*parts), box=box.HEAVY, padding=(1, 4))


def scene_screen(node: Node, story: Story, offered: Sequence[OfferedChoice], options: ClassOptions,
                 *, text: str, with_choices: bool = True) -> RenderableType:
    """The scene as the class reads it; without the choices when they come after a pause (a vote)."""
    body: list[RenderableType] = []
    if node.content_warnings:
        names = ", ".join(views.WARNING_NAMES[w] for w in node.content_warnings)
        told = " (gentle telling)" if options.gentle and node.gentle_text else ""
        body.extend([Text(f"Content warning: {names}{told}", style="crossing.warning"), Text("")])
    body.extend(_big_text(text))
    title = node.title or node.id
    route = story.route_title(node.route)
    out: list[RenderableType] = []
    if options.plain:
        header = plain(f"== {title} ==", "crossing.class.title")
        if route:
            header.append_text(plain(f"\n({route})"))
        out.extend([header, Text(""), *body])
    else:
        out.append(Panel(Group(*body), title=plain(title, "crossing.class.title"),
                         subtitle=plain(route, "crossing.route") if route else None, box=box.HEAVY, padding=(1, 4)))
    if node.risk is not None:
        out.extend([Text(""), views.risk(node, options.plain)])
    if node.facts:
        out.extend([Text(""), views.facts(node, story, options.plain)])
    if with_choices:
        out.extend([Text(""), choices_view(offered, options.plain)])
    return Group(*out)


def choices_view(offered: Sequence[OfferedChoice], is_plain: bool) -> RenderableType:
    parts: list[RenderableType] = []
    for option in offered:
        label = Text(f"{option.number}  ", style="crossing.class.number")
        label.append_text(plain(option.text, "crossing.class.choice"))
        parts.append(label if is_plain else Panel(label, box=box.ROUNDED, padding=(0, 2)))
        if is_plain:
            parts.append(Text(""))
    if len(offered) > 1:
        parts.append(Text(TIE_RULE, style="crossing.hint"))
    return Group(*parts)


def result_view(offered: Sequence[OfferedChoice], vote: Vote, target_random: bool) -> RenderableType:
    chosen = offered[vote.winner - 1]
    line = Text("The class chose ", style="crossing.class.text")
    line.append(f"{chosen.number}: ", style="crossing.class.number")
    line.append_text(plain(chosen.text, "crossing.class.winner"))
    parts: list[RenderableType] = [line]
    if vote.hands is not None:
        parts.append(Text("Hands: " + ", ".join(f"{n} for {o.number}" for n, o in zip(vote.hands, offered, strict=True)), style="crossing.class.text"))
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


def class_path_view(transcript: Transcript, is_plain: bool) -> RenderableType:
    """The class's path with the votes taken at each step: a table, or numbered lines where the screen
    is too narrow for one (every title and choice whole, wrapped)."""
    return Group(Text("The class's path", style="" if is_plain else "crossing.heading"),
                 Responsive(lambda _: _path_table(transcript, is_plain), lambda _: _path_lines(transcript), NARROW))


def _path_lines(transcript: Transcript) -> RenderableType:
    titles = {s.node: s.title or s.node for s in transcript.scenes}
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    for number, step in enumerate(transcript.path_steps, 1):
        chose = Text("The class chose: ")
        chose.append_text(plain(step.choice_text, "crossing.class.winner"))
        tally = _tally(step)
        grid.add_row(f"{number}.", Group(plain(titles.get(step.node, step.node), "crossing.class.title"), chose,
                                         Text(f"Hands: {tally}" if tally[:1].isdigit() else tally, style="crossing.hint")))
    return grid


def _path_table(transcript: Transcript, is_plain: bool) -> RenderableType:
    table = Table(box=None if is_plain else box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Scene", ratio=2)
    table.add_column("The class chose", ratio=3)
    table.add_column("Hands per choice", no_wrap=True)
    titles = {s.node: s.title or s.node for s in transcript.scenes}
    for number, step in enumerate(transcript.path_steps, 1):
        table.add_row(str(number), plain(titles.get(step.node, step.node)), plain(step.choice_text), _tally(step))
    return table


def ending_screen(node: Node, story: Story, transcript: Transcript, options: ClassOptions,
                  *, text: str, why: str, context: str) -> RenderableType:
    assert node.ending is not None
    body: list[RenderableType] = [plain(f"Ending: {story.kind_label(node.ending.kind)}", "crossing.ending.kind"), Text("")]
    body.extend(_big_text(text))
    out: list[RenderableType] = []
    if options.plain:
        out.extend([plain(f"== {node.ending.title} ==", "crossing.class.title"), Text(""), *body])
    else:
        out.append(Panel(Group(*body), title=plain(node.ending.title, "crossing.ending"), box=box.DOUBLE, padding=(1, 4)))
    if node.ending.debrief is not None:
        out.extend([Text(""), views.debrief(node, why, context, options.plain)])
    if node.facts:
        out.extend([Text(""), views.facts(node, story, options.plain)])
    out.extend([Text(""), class_path_view(transcript, options.plain)])
    return Group(*out)


# --------------------------------------------------------------------------- the lesson loop


def run_class(
    engine: Engine,
    console: Console,
    read: ReadKey,
    options: ClassOptions,
    writer: TranscriptWriter | None = None,
    votes: VoteSource | None = None,
) -> Outcome:
    """Play the story with the whole class. With a writer, the class transcript is rewritten after
    every scene and vote; without one it is kept in memory for the closing screen."""
    story = engine.story
    transcript = writer.transcript if writer is not None else Transcript.begin(
        story, engine.state.seed, gentle=options.gentle, mode="class")

    def save() -> None:
        if writer is not None:
            writer.write()

    def clear() -> None:
        if console.is_terminal:
            console.clear()

    def pause(message: str) -> Literal["go", "quit", "input-ended"]:
        answer = read(Text(f"{message} (q to stop): ", style="crossing.hint"))
        if answer is None:
            return "input-ended"
        return "quit" if answer.strip().lower() == "q" else "go"

    clear()
    console.print(_framed(title_screen(story, options.plain, options.gentle), console))
    if (went := pause("Press Enter to begin")) != "go":
        return went
    while True:
        clear()
        node = engine.node
        transcript.record_scene(engine)
        save()
        if node.is_ending:
            transcript.record_ending(engine)
            save()
            why, context = engine.debrief_text(options.gentle)
            console.print(_framed(ending_screen(node, story, transcript, options, text=engine.scene_text(options.gentle),
                                                why=why, context=context), console))
            return "ending"
        offered = engine.offered()
        voting = len(offered) > 1
        console.print(_framed(scene_screen(node, story, offered, options, text=engine.scene_text(options.gentle),
                                           with_choices=not voting), console))
        if not voting:
            if (went := pause("Press Enter to go on")) != "go":
                return went
            step = engine.choose(1)
            transcript.record_step(engine, step)
            save()
            continue
        # the class reads the scene (and talks it over) before the choices push it up the screen
        if (went := pause("Press Enter to see the choices")) != "go":
            return went
        console.print(_framed(choices_view(offered, options.plain), console))
        while True:
            answer = votes(engine, offered) if votes is not None else read(
                Text(f"Votes for 1-{len(offered)}, or the winning number (q to stop): ", style="crossing.hint"))
            if answer is None:
                return "input-ended"
            if answer.strip().lower() == "q":
                return "quit"
            try:
                vote = parse_vote(answer, len(offered))
                break
            except VoteError as problem:
                console.print(Padding(views.hint(str(problem)), (0, margin(console))))
        step = engine.choose(vote.winner)
        transcript.record_step(engine, step, vote_counts(offered, vote), tie=vote.tie)
        save()
        console.print(_framed(result_view(offered, vote, offered[vote.winner - 1].choice.is_random), console))
        if (went := pause("Press Enter for the next scene")) != "go":
            return went
