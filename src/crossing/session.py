"""The interactive play loop: shows scenes, reads keys, asks again on bad input. Console and input are
injected, so tests drive it with a script and the CLI with the terminal or standard input."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from rich.console import Console, RenderableType
from rich.text import Text

from crossing.engine import Engine, summarize_run
from crossing.render import scene as views
from crossing.render.safe import inert

Outcome = Literal["ending", "quit", "input-ended"]


class ReadKey(Protocol):
    def __call__(self, prompt: Text) -> str | None:
        """The player's answer to a prompt, or None when input has ended."""


@dataclass
class SessionOptions:
    gentle: bool = False
    plain: bool = False
    show_notice: bool = True


@dataclass
class Hooks:
    """What the edge wants to know or add: saving after a step, drawing a map on 'm'."""

    after_step: Callable[[Engine], None] | None = None
    on_scene: Callable[[Engine], None] | None = None
    show_map: Callable[[Engine], RenderableType] | None = None


def play(engine: Engine, console: Console, read: ReadKey, options: SessionOptions, hooks: Hooks | None = None) -> Outcome:
    hooks = hooks or Hooks()
    story = engine.story
    if options.show_notice:
        notice = views.content_notice(story, options.gentle)
        if notice is not None:
            console.print(notice)
            console.print()
    while True:
        node = engine.node
        if hooks.on_scene is not None:
            hooks.on_scene(engine)
        if node.is_ending:
            why, context = engine.debrief_text(options.gentle)
            console.print(views.ending(node, story, summarize_run(story, engine.state), text=engine.scene_text(options.gentle),
                                       why=why, context=context, gentle=options.gentle, is_plain=options.plain))
            return "ending"
        offered = engine.offered()
        console.print(views.scene(node, story, offered, text=engine.scene_text(options.gentle), gentle=options.gentle,
                                  is_plain=options.plain))
        while True:
            answer = read(views.prompt_text(len(offered)))
            if answer is None:
                return "input-ended"
            key = answer.strip().lower()
            # ASCII and short: int() raises on '²' and on digit strings longer than Python's limit.
            if key.isascii() and key.isdigit() and len(key) < 10 and 1 <= int(key) <= len(offered):
                engine.choose(int(key))
                if hooks.after_step is not None:
                    hooks.after_step(engine)
                console.print()
                break
            if key == "q":
                return "quit"
            if key == "b":
                if engine.back():
                    if hooks.after_step is not None:
                        hooks.after_step(engine)
                    console.print(views.hint("Back one choice."))
                    console.print()
                    break
                console.print(views.hint("This is the first scene: there is nothing to go back to."))
            elif key in ("h", "?"):
                console.print(views.keys_help(options.plain))
            elif key == "s":
                console.print(views.state_view(story, engine.state, options.plain))
            elif key == "g":
                console.print(views.glossary(story, options.plain))
            elif key == "m":
                if hooks.show_map is not None:
                    console.print(hooks.show_map(engine))
                else:
                    from crossing.render.journey import journey_map  # the map's data only when asked

                    height = min(22, max(8, console.height - 4))
                    console.print(journey_map(story, engine.state, is_plain=options.plain, width=console.width, height=height))
            elif key.isdigit():
                console.print(views.hint(f"There is no choice {key} here: type a number from 1 to {len(offered)}."))
            elif not key:
                console.print(views.hint(f"Type a number from 1 to {len(offered)}, or h for help."))
            else:
                console.print(views.hint(f"'{inert(answer.strip()[:20])}' is not a key here: type a number from 1 to {len(offered)}, or h for help."))
