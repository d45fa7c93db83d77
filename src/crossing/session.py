"""The terminal play loop: shows each scene so that it fits the screen, reads keys, asks again on bad input.

The loop only reads, parses (crossing.keys), dispatches and draws; the run itself is a Playthrough whose
listeners (autosave, transcript) hear every event. Console and input are injected, so tests drive it with a
script and the CLI with the terminal or standard input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from rich.console import Console, Group, RenderableType
from rich.text import Text

from crossing.engine import summarize_run
from crossing.keys import Action, Choose, Do, Invalid, parse_key
from crossing.playthrough import Playthrough, SceneShown, decisions, met_terms, shown_texts
from crossing.render import scene as views

# How a session ended (not to be confused with a choice's weighted outcomes in the model).
SessionEnd = Literal["ending", "quit", "input-ended", "again"]
# What the keys can still show once the story has ended.
ENDING_PANELS = ("facts", "state", "glossary", "glossary-all", "map", "help")


class ReadKey(Protocol):
    def __call__(self, prompt: Text) -> str | None:
        """The player's answer to a prompt, or None when input has ended."""


@dataclass
class SessionOptions:
    """How the terminal loop shows a run: gentle text, plain output, facts inline, paging."""

    gentle: bool = False
    plain: bool = False
    show_notice: bool = True
    facts_inline: bool = False  # the facts under every scene instead of behind 'f'
    page: bool = False  # a person at a terminal: page what does not fit, and ask at the ending
    # (scripted and piped play prints everything and ends at the ending)


class _Stop(Exception):
    def __init__(self, outcome: SessionEnd) -> None:
        self.outcome = outcome


def height(console: Console, parts: Sequence[RenderableType]) -> int:
    """How many lines the parts take at the console's width."""
    return len(console.render_lines(Group(*parts), console.options, pad=False))


def _blank(part: RenderableType) -> bool:
    return isinstance(part, Text) and not part.plain


def _trimmed(parts: Sequence[RenderableType]) -> list[RenderableType]:
    """Without blank lines at either end: a page neither starts nor ends on one."""
    out = list(parts)
    while out and _blank(out[0]):
        out.pop(0)
    while out and _blank(out[-1]):
        out.pop()
    return out


def pages(console: Console, head: Sequence[RenderableType], tail: Sequence[RenderableType], room: int) -> list[list[RenderableType]]:
    """Pages of at most ``room`` lines: the text in order, then the tail (what the reader can do) whole on
    the last page. Text that would leave the tail alone on its page moves over to it, as long as the page
    before keeps its opening (a part taller than a page is a page alone: it scrolls, but nothing else)."""
    out: list[list[RenderableType]] = [[]]
    used = 0
    for part in head:
        lines = height(console, [part])
        if out[-1] and used + lines > room:
            out.append([])
            used = 0
        out[-1].append(part)
        used += lines
    last = list(tail)
    if height(console, out[-1] + last) <= room:
        out[-1].extend(last)
        return [page for page in (_trimmed(p) for p in out) if page]
    before = out[-1]
    # Until the last page is half full: the page before keeps at least half of what it held.
    full = height(console, before)
    while (len(before) > 1 and 2 * height(console, last) < room and height(console, [before[-1], *last]) <= room
           and 2 * height(console, before[:-1]) >= full):
        last.insert(0, before.pop())
    return [page for page in (_trimmed(p) for p in [*out, last]) if page]


class _Loop:
    def __init__(self, run: Playthrough, console: Console, read: ReadKey, options: SessionOptions) -> None:
        self.run, self.console, self.read, self.options = run, console, read, options
        self.last_action = ""
        self.notice: str | None = None  # said at the top of the next scene

    def ask(self, prompt: Text) -> str:
        answer = self.read(prompt)
        if answer is None:
            raise _Stop("input-ended")
        return answer

    def show(self, head: list[RenderableType], tail: list[RenderableType], title: str) -> None:
        """Head then tail. At a terminal each scene starts on a clear screen, and one that does not fit is
        paged, every page under the scene's title, so nothing the reader must read scrolls away."""
        console, options = self.console, self.options
        if not options.page:
            console.print(Group(*head, *tail))
            return
        console.clear()
        room = max(4, console.height - 1)
        if height(console, head + tail) <= room:
            console.print(Group(*head, *tail))
            return
        continued = [*views.header(f"{title} (continued)", "", options.plain), Text("")]
        cut = pages(console, head, tail, max(4, room - height(console, continued)))
        for number, page in enumerate(cut):
            if number:
                console.clear()
                console.print(Group(*continued))
            console.print(Group(*page))
            if number < len(cut) - 1:
                self.more()

    def more(self) -> None:
        while True:
            command = parse_key(self.ask(views.more_prompt()), 0, paged=True)
            if command == Do("more"):
                return
            if command == Do("quit"):
                raise _Stop("quit")
            self.console.print(views.hint("Press Enter for more (q to save and leave)."))

    # -- a scene

    def scene(self, shown: SceneShown) -> None:
        story, options = self.run.engine.story, self.options
        head = views.scene_head(shown.node, story, shown.text, gentle=options.gentle, is_plain=options.plain,
                                narrated=shown.narration)
        if self.notice:
            head = [views.hint(self.notice), Text(""), *head]
            self.notice = None
        tail = views.scene_tail(shown.node, story, shown.offered, gentle=options.gentle, is_plain=options.plain,
                                facts_inline=options.facts_inline)
        self.show(head, tail, shown.node.title or shown.node.id)
        while not self.answer(shown):
            pass

    def answer(self, shown: SceneShown) -> bool:
        """One key at a scene; True when the run moved (a choice taken, or a step back)."""
        count = len(shown.offered)
        command = parse_key(self.ask(views.prompt_text(count)), count)
        if not isinstance(command, Do):
            self.last_action = ""
        if isinstance(command, Choose):
            self.run.choose(command.number)
            self.console.print()
            return True
        if isinstance(command, Invalid):
            self.console.print(views.hint(command.message))
            return False
        action = self.glossary_once_more(command.action)
        if action == "quit":
            raise _Stop("quit")
        if action == "back":
            if self.run.back() is not None:
                if self.options.page:
                    self.notice = "Back one choice."  # the screen is cleared for the scene: say it there
                else:
                    self.console.print(views.hint("Back one choice."))
                    self.console.print()
                return True
            self.console.print(views.hint("This is the first scene: there is nothing to go back to."))
            return False
        self.console.print(self.panel(action, shown))
        return False

    def glossary_once_more(self, action: Action) -> Action:
        """A second g in a row means the whole glossary."""
        second = action == "glossary" and self.last_action == "glossary"
        self.last_action = "" if second else action
        return "glossary-all" if second else action

    def panel(self, action: str, shown: SceneShown) -> RenderableType:
        engine, options = self.run.engine, self.options
        story = engine.story
        if action == "help":
            return views.keys_help(options.plain)
        if action == "state":
            return views.state_view(story, engine.state, options.plain)
        if action == "facts":
            if shown.node.facts:
                return views.facts(shown.node, story, options.plain, gentle=options.gentle)
            return views.hint(f"This {'ending' if shown.node.is_ending else 'scene'} lists no facts.")
        if action == "glossary":
            met = met_terms(story.glossary, shown_texts(engine, options.gentle))
            return views.glossary(story, options.plain, terms=met, gentle=options.gentle)
        if action == "glossary-all":
            return views.glossary(story, options.plain, gentle=options.gentle)
        if action == "map":
            from crossing.render.journey import journey_map  # the map's data only when asked

            map_height = min(22, max(8, self.console.height - 4))
            return journey_map(story, engine.state, is_plain=options.plain, width=self.console.width, height=map_height)
        return views.hint("Type a number to choose, or h for help.")

    # -- the ending

    def ending(self, shown: SceneShown, why: str, context: str) -> SessionEnd:
        engine, options = self.run.engine, self.options
        story = engine.story
        head = views.ending_head(shown.node, story, shown.text, why, context, gentle=options.gentle,
                                 is_plain=options.plain, narrated=shown.narration)
        tail = views.ending_tail(shown.node, story, summarize_run(story, engine.state), decisions=decisions(engine),
                                 is_plain=options.plain)
        self.show(head, tail, shown.node.display_title)
        if not options.page:
            return "ending"
        while True:
            answer = self.read(views.ending_prompt())
            if answer is None:
                return "ending"
            command = parse_key(answer, 0, paged=True)
            if command == Do("more"):
                return "again"
            if command == Do("quit"):
                return "ending"
            if isinstance(command, Do) and command.action in ENDING_PANELS:
                self.console.print(self.panel(self.glossary_once_more(command.action), shown))
            else:
                self.last_action = ""
                self.console.print(views.hint("Press Enter to play another life, f for the facts, or q to leave."))


def play(run: Playthrough, console: Console, read: ReadKey, options: SessionOptions) -> SessionEnd:
    """Play until an ending, a quit or the end of input."""
    loop = _Loop(run, console, read, options)
    if options.show_notice:
        notice = views.content_notice(run.engine.story, options.gentle)
        if notice is not None:
            console.print(notice)
            console.print()
            if options.page:  # read before the first scene clears the screen
                answer = read(views.hint("Press Enter to begin (q to leave): "))
                if answer is None:
                    return "input-ended"
                if answer.strip().lower() == "q":
                    return "quit"
    try:
        while True:
            shown = run.arrive()
            if shown.node.is_ending:
                why, context = run.engine.debrief_text(options.gentle)
                return loop.ending(shown, why, context)
            loop.scene(shown)
    except _Stop as stop:
        return stop.outcome
