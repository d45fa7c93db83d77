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
from crossing.keys import Choose, Do, Invalid, parse_key
from crossing.playthrough import Playthrough, SceneShown, decisions, met_terms, shown_texts
from crossing.render import scene as views

# How a session ended (not to be confused with a choice's weighted outcomes in the model).
SessionEnd = Literal["ending", "quit", "input-ended", "again"]


class ReadKey(Protocol):
    def __call__(self, prompt: Text) -> str | None:
        """The player's answer to a prompt, or None when input has ended."""


@dataclass
class SessionOptions:
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


def pages(console: Console, parts: Sequence[RenderableType], room: int) -> list[list[RenderableType]]:
    """The parts in order, cut into pages of at most ``room`` lines (a part taller than that alone is a
    page of its own: it will scroll, but nothing else with it)."""
    out: list[list[RenderableType]] = [[]]
    used = 0
    for part in parts:
        lines = height(console, [part])
        if out[-1] and used + lines > room:
            while out[-1] and isinstance(out[-1][-1], Text) and not out[-1][-1].plain:
                out[-1].pop()  # a page does not end on a blank line
            out.append([])
            used = 0
            if isinstance(part, Text) and not part.plain:
                continue  # nor start with one
        out[-1].append(part)
        used += lines
    return out


class _Loop:
    def __init__(self, run: Playthrough, console: Console, read: ReadKey, options: SessionOptions) -> None:
        self.run, self.console, self.read, self.options = run, console, read, options
        self.last_action = ""

    def ask(self, prompt: Text) -> str:
        answer = self.read(prompt)
        if answer is None:
            raise _Stop("input-ended")
        return answer

    def show(self, head: list[RenderableType], tail: list[RenderableType]) -> None:
        """Head then tail; paged at a terminal when both do not fit one screen with the prompt."""
        console = self.console
        room = max(4, console.height - 1)
        if not self.options.page or height(console, head + tail) <= room:
            console.print(Group(*head, *tail))
            return
        tail_lines = height(console, tail)
        cut = pages(console, head, room)
        # The last page keeps the tail (choices, questions) with it when they fit together.
        last = cut.pop() if height(console, cut[-1]) + tail_lines <= room else []
        for page in cut:
            console.print(Group(*page))
            self.more()
        console.print(Group(*last, *tail))

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
        tail = views.scene_tail(shown.node, story, shown.offered, gentle=options.gentle, is_plain=options.plain,
                                facts_inline=options.facts_inline)
        self.show(head, tail)
        while not self.answer(shown):
            pass

    def answer(self, shown: SceneShown) -> bool:
        """One key at a scene; True when the run moved (a choice taken, or a step back)."""
        count = len(shown.offered)
        command = parse_key(self.ask(views.prompt_text(count)), count)
        if isinstance(command, Choose):
            self.run.choose(command.number)
            self.console.print()
            return True
        if isinstance(command, Invalid):
            self.console.print(views.hint(command.message))
            return False
        action = command.action
        if action == "glossary" and self.last_action == "glossary":
            action = "glossary-all"  # a second g in a row: the whole glossary
        self.last_action = command.action if action != "glossary-all" else ""
        if action == "quit":
            raise _Stop("quit")
        if action == "back":
            if self.run.back() is not None:
                self.console.print(views.hint("Back one choice."))
                self.console.print()
                return True
            self.console.print(views.hint("This is the first scene: there is nothing to go back to."))
            return False
        self.console.print(self.panel(action, shown))
        return False

    def panel(self, action: str, shown: SceneShown) -> RenderableType:
        engine, options = self.run.engine, self.options
        story = engine.story
        if action == "help":
            return views.keys_help(options.plain)
        if action == "state":
            return views.state_view(story, engine.state, options.plain)
        if action == "facts":
            return views.facts(shown.node, story, options.plain, gentle=options.gentle) if shown.node.facts else \
                views.hint("This scene lists no facts.")
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
        self.show(head, tail)
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
            if command == Do("facts"):
                self.console.print(views.facts(shown.node, story, options.plain, gentle=options.gentle) if shown.node.facts
                                   else views.hint("This ending lists no facts."))
            else:
                self.console.print(views.hint("Press Enter to play another life, f for the facts, or q to leave."))


def play(run: Playthrough, console: Console, read: ReadKey, options: SessionOptions) -> SessionEnd:
    """Play until an ending, a quit or the end of input."""
    loop = _Loop(run, console, read, options)
    if options.show_notice:
        notice = views.content_notice(run.engine.story, options.gentle)
        if notice is not None:
            console.print(notice)
            console.print()
    try:
        while True:
            shown = run.arrive()
            if shown.node.is_ending:
                why, context = run.engine.debrief_text(options.gentle)
                return loop.ending(shown, why, context)
            loop.scene(shown)
    except _Stop as stop:
        return stop.outcome
