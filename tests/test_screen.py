"""One screen per scene: what a reader must read never scrolls away. Rendered at fixed sizes in-process,
and in a real pseudo-terminal whose screen is emulated by pyte (what a student's terminal would show)."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pyte
import pytest
from rich.console import Console

from crossing.engine import Engine, OfferedChoice
from crossing.loader import load_story
from crossing.model import Story
from crossing.paths import default_story_path
from crossing.playthrough import Playthrough
from crossing.render import scene as views
from crossing.render.theme import crossing_theme
from crossing.session import SessionOptions, height, play
from helpers import BASE_META, write_story

WORDS_120 = " ".join(["The river is low and the night is cold now."] * 12)  # 12 x 10 words = 120


def long_scene_story(tmp_path: Path, words: str = WORDS_120) -> Story:
    nodes = f"""\
nodes:
  start:
    title: A hundred and twenty words
    route: river
    text: {words}
    risk: {{level: moderate, note: Patrols pass every hour.}}
    facts:
      - {{claim: Rivers are cold., source: src}}
      - {{claim: Guards patrol., source: src}}
    choices:
      - {{text: Wade across where the water is lowest, goto: end}}
      - {{text: Wait for the patrol to pass and then cross, goto: end}}
      - {{text: Go back home before anyone notices, goto: end}}
  end:
    text: The end.
    ending: {{kind: safety, title: Across, debrief: {{why: You crossed., context: Many cross., questions: [Why?, How?]}}}}
"""
    meta = BASE_META + "routes:\n  river: {title: Across the river}\n"
    result = load_story(write_story(tmp_path / "long", {"story.yaml": meta, "n.yaml": nodes}))
    assert result.story is not None, result.diagnostics
    return result.story


def console(width: int, rows: int) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=width, height=rows, no_color=True, theme=crossing_theme(), markup=False,
                   highlight=False, emoji=False, force_terminal=False, safe_box=True, legacy_windows=False), buffer


def scene_lines(story: Story, node_id: str, width: int, rows: int, *, plain: bool = False) -> int:
    engine = Engine(story, 1)
    node = story.nodes[node_id]
    engine.state.node, engine.state.path = node_id, [node_id]
    offered: list[OfferedChoice] = [OfferedChoice(i + 1, i, c) for i, c in enumerate(node.choices)]
    out, _ = console(width, rows)
    head = views.scene_head(node, story, " ".join(node.text.strings()), gentle=False, is_plain=plain)
    tail = views.scene_tail(node, story, offered, gentle=False, is_plain=plain)
    return height(out, head + tail)


@pytest.mark.parametrize("plain", [False, True])
def test_a_120_word_scene_with_three_choices_fits_80x24(tmp_path: Path, plain: bool) -> None:
    story = long_scene_story(tmp_path)
    assert len(" ".join(story.nodes["start"].text.strings()).split()) == 120
    assert scene_lines(story, "start", 80, 24, plain=plain) <= 23  # one line left for the prompt


def run_paged(story: Story, width: int, rows: int, answers: list[str]) -> str:
    out, buffer = console(width, rows)
    it: Iterator[str] = iter(answers)

    def read(prompt: object) -> str | None:
        answer = next(it, None)
        out.print(prompt, end="")  # type: ignore[arg-type]
        out.print(answer or "")
        return answer

    play(Playthrough(Engine(story, 1)), out, read, SessionOptions(plain=True, page=True))
    return buffer.getvalue()


def test_a_scene_too_long_for_40_columns_is_paged_and_every_page_fits(tmp_path: Path) -> None:
    story = long_scene_story(tmp_path)
    text = run_paged(story, 40, 24, ["", "1", "q"])
    pages = text.split("Enter for more: ")
    assert len(pages) >= 2, text
    first_page = pages[0].rstrip("\n").split("\n")
    assert first_page[0] == "== A hundred and twenty words ==" and len(first_page) <= 23
    rest = pages[1].split("Choose 1-3 (h for help): ")[0].strip("\n").split("\n")
    assert len(rest) <= 23 and rest[-1].startswith("3. Go back home"), rest
    assert " ".join(text.split()).count("The river is low") == 12  # every sentence shown, once


def test_a_paged_scene_asks_again_on_a_wrong_key_and_q_leaves(tmp_path: Path) -> None:
    story = long_scene_story(tmp_path)
    text = run_paged(story, 40, 24, ["x", "q"])
    assert "Press Enter for more (q to save and leave)." in " ".join(text.split())
    assert "What do you do?" not in text  # never got past the first page


def test_the_ending_asks_to_play_again_and_again_starts_a_new_life(tmp_path: Path) -> None:
    story = long_scene_story(tmp_path)
    out, buffer = console(80, 40)
    answers = iter(["1", "z", "f", ""])

    def read(prompt: object) -> str | None:
        return next(answers, None)

    outcome = play(Playthrough(Engine(story, 1)), out, read, SessionOptions(plain=True, page=True))
    shown = buffer.getvalue()
    assert outcome == "again"
    assert "Press Enter to play another life, f for the facts, or q to leave." in shown
    assert "This ending lists no facts." in shown
    # the questions come last, after the path
    assert shown.index("Your path") < shown.index("To discuss") < shown.index("2. How?")


def test_scripted_play_ends_at_the_ending_without_asking(tmp_path: Path) -> None:
    story = long_scene_story(tmp_path)
    out, buffer = console(80, 40)
    answers = iter(["1"])
    outcome = play(Playthrough(Engine(story, 1)), out, lambda prompt: next(answers, None), SessionOptions(plain=True))
    assert outcome == "ending"
    assert "play again" not in buffer.getvalue()


def test_no_line_ends_in_spaces_through_the_real_command(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from crossing.cli import app

    story = long_scene_story(tmp_path)
    for args in (["play", str(story.root), "--choices", "f,s,g,h,1"], ["show", "start", str(story.root)],
                 ["play", str(story.root), "--facts", "--choices", "1"]):
        result = CliRunner().invoke(app, args, env={"COLUMNS": "60", "NO_COLOR": ""})
        assert result.exit_code == 0, result.output
        assert "╭" in result.output or "─" in result.output  # boxed mode, where Rich pads
        padded = [line for line in result.output.splitlines() if line.endswith(" ")]
        assert padded == [], padded


def test_the_default_story_fits_one_screen_at_80x24() -> None:
    """Every scene in its longest telling (each conditional paragraph counted with its longer branch)."""
    result = load_story(default_story_path())
    assert result.story is not None
    story = result.story
    scenes = [n for n in story.nodes.values() if not n.is_ending]
    too_long = []
    for node in scenes:
        out, _ = console(80, 24)
        longest = " ".join(max((p.text, p.otherwise or ""), key=len) for p in node.text.paragraphs)
        offered = [OfferedChoice(i + 1, i, c) for i, c in enumerate(node.choices)]
        lines = height(out, views.scene_head(node, story, longest, gentle=False, is_plain=False)
                       + views.scene_tail(node, story, offered, gentle=False, is_plain=False))
        if lines > 23:
            too_long.append((node.id, lines))
    share = 1 - len(too_long) / len(scenes)
    print(f"{len(scenes) - len(too_long)} of {len(scenes)} scenes fit one 80x24 screen ({share:.0%})")
    assert share >= 0.9, sorted(too_long, key=lambda item: -item[1])


LANTERN = Path(__file__).parent / "stories" / "lantern"


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX only")
@pytest.mark.parametrize("plain", [False, True])
def test_the_title_is_on_screen_when_the_prompt_appears(plain: bool) -> None:
    """A real terminal of 80x24, emulated: after each choice, the new scene's title is still visible."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env["TERM"] = "xterm-256color"
    if plain:
        env["NO_COLOR"] = "1"
    screen = pyte.Screen(80, 24)
    stream = pyte.Stream(screen)
    child = pexpect.spawn(sys.executable, ["-m", "crossing", "play", str(LANTERN), "--seed", "3"], env=env,
                          dimensions=(24, 80), encoding="utf-8", codec_errors="replace", timeout=20)
    try:
        for key, title in (("", "The kitchen"), ("1", "The lane"), ("1", "The truck")):
            if key:
                child.sendline(key)
            child.expect(r"\(h for help\): ")
            stream.feed(child.before + child.after)
            shown = "\n".join(screen.display)
            assert title in shown, shown
            assert "What do you do?" in shown
    finally:
        child.close(force=True)
