"""The story as DOT, Mermaid and a tree: escaping of untrusted text, edge marks, ending styles, folding."""

from __future__ import annotations

import io
import re
from pathlib import Path

from rich.console import Console

from crossing.graph import SAFE_COLOUR, dot_string, mermaid_string, to_dot, to_mermaid, tree, tree_size
from crossing.model import Story
from crossing.render.analysis import tree_view
from crossing.render.theme import crossing_theme
from helpers import write_story
from test_analysis import load, story

# Titles and texts written to break out of labels, open shapes, inject HTML or terminal codes.
HOSTILE_META = """\
title: 'The "hostile" story [x] \\ end'
start: start
variables:
  money: 100
"""
HOSTILE_NODES = """\
nodes:
  start:
    title: 'Say "hi" ]; evil -> x [label=1 \\N'
    text: Start.
    choices:
      - text: "Pay | [the] (guard) {now} <b>bold</b> #1; `tick`"
        if: money >= 50
        goto: end
      - text: "Line one\\nline two"
        outcomes:
          - {weight: 3, goto: end}
          - {weight: 1, goto: start}
  end:
    title: End
    text: End.
    ending: {kind: safety, title: "[bold red]Styled?[/] \\x1b[31m red"}
"""

QSTR = r'"(?:[^"\\\n]|\\.)*"'
DOT_ATTR = rf"[a-z]+=(?:{QSTR}|[A-Za-z0-9_.#]+)"
DOT_STATEMENT = re.compile(rf"^  {QSTR}(?: -> {QSTR})? \[{DOT_ATTR}(?:, {DOT_ATTR})*\];$")
MERMAID_LABEL = r'"(?:[^"\[\]{}()<>|`\n]|<br/>)*"'
MERMAID_LINE = re.compile(
    rf"^  (?:n\d+(?:\[{MERMAID_LABEL}\]|\(\[{MERMAID_LABEL}\]\))"
    rf"|n\d+ (?:-->|-\.->|==>)\|{MERMAID_LABEL}\| n\d+"
    r"|classDef [A-Za-z0-9_]+ [a-z:#0-9,-]+|class n\d+ [A-Za-z0-9_]+|%% .*)$"
)


def hostile(tmp_path: Path) -> Story:
    return load(write_story(tmp_path / "h", {"story.yaml": HOSTILE_META, "nodes.yaml": HOSTILE_NODES}))


def test_dot_escapes_every_label(tmp_path: Path) -> None:
    text = to_dot(hostile(tmp_path))
    lines = text.splitlines()
    assert lines[1] == 'digraph "The \\"hostile\\" story [x] \\\\ end" {'
    assert lines[-1] == "}"
    body = [line for line in lines[2:-1] if not line.startswith("  graph ") and not line.startswith("  node ")
            and not line.startswith("  edge ")]
    assert body and all(DOT_STATEMENT.match(line) for line in body), body
    assert '\\"hi\\" ]; evil -> x [label=1 \\\\N' in text  # the title stays inside its quotes
    assert "\x1b" not in text
    assert "Line one line two" in text  # a newline in story text never reaches the DOT source raw


def test_dot_marks_conditions_random_edges_and_endings(tmp_path: Path) -> None:
    text = to_dot(story(tmp_path, "retry"))
    assert '"river" -> "far" [label="Try to cross 25%", style=dotted, arrowhead=normal];' in text
    assert '"river" -> "caught" [label="Try to cross 50%", style=dotted, arrowhead=normal];' in text
    assert '"river" -> "home" [label="Give up and go home"];' in text
    assert f'fillcolor="{SAFE_COLOUR}"' in text.split('"far" [')[1].split("\n")[0]
    assert 'class="ending repatriated"' in text
    conditional = to_dot(story(tmp_path, "wait"))
    assert '"wait" -> "wait" [label="Wait another night (if tries < 3)", style=dashed];' in conditional


def test_mermaid_escapes_every_label(tmp_path: Path) -> None:
    text = to_mermaid(hostile(tmp_path))
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    assert all(MERMAID_LINE.match(line) for line in lines[1:]), [line for line in lines[1:] if not MERMAID_LINE.match(line)]
    assert "#lt;b#gt;bold#lt;/b#gt;" in text and "<b>" not in text
    assert "#quot;hi#quot;" in text
    assert "Line one<br/>line two" not in text  # story newlines never become markup
    assert "\x1b" not in text


def test_mermaid_styles_endings_by_kind_and_marks_edges(tmp_path: Path) -> None:
    text = to_mermaid(story(tmp_path, "retry"))
    ids = dict(re.findall(r"^  (n\d+)[\[(]+\"([^\"]*)\"", text, re.M))
    far = next(k for k, v in ids.items() if v.startswith("far") or v.startswith("Across"))
    assert f"  class {far} kind0_safety" in text
    assert re.search(r"classDef kind0_safety fill:#b7e4b0", text)
    assert "classDef kind1_repatriated" in text and "classDef kind2_stayed" in text
    assert re.search(r'n\d+ ==>\|"Try to cross 25%"\| n\d+', text)
    wait = to_mermaid(story(tmp_path, "wait"))
    assert re.search(r'n0 -\.->\|"Wait another night #40;if tries #lt; 3#41;"\| n0', wait)


def test_label_helpers() -> None:
    assert dot_string('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'
    assert mermaid_string('say "[x]" | #') == '"say #quot;#91;x#93;#quot; #124; #35;"'


def test_tree_folds_nodes_already_shown(tmp_path: Path) -> None:
    root = tree(story(tmp_path, "retry"))
    assert root.node == "river" and not root.repeat
    children = [(c.node, c.edge.share if c.edge else None, c.repeat) for c in root.children]
    assert children == [("far", "25%", False), ("river", "25%", True), ("caught", "50%", False), ("home", None, False)]
    assert root.children[0].ending_kind == "safety" and root.children[0].safe
    visit = tree(story(tmp_path, "visit"))
    broker = visit.children[0]
    assert broker.node == "broker" and broker.children[0].node == "market" and broker.children[0].repeat


def test_tree_depth_limit(tmp_path: Path) -> None:
    loaded = story(tmp_path, "wait")
    full = tree(loaded)
    cut = tree(loaded, max_depth=0)
    assert tree_size(full) == 4 and tree_size(cut) == 1 and cut.cut


def render(renderable: object, width: int = 80) -> str:
    out = io.StringIO()
    Console(file=out, width=width, no_color=True, theme=crossing_theme(), emoji=False, markup=False,
            highlight=False).print(renderable)
    return out.getvalue()


def test_tree_view_shows_story_text_literally(tmp_path: Path) -> None:
    loaded = hostile(tmp_path)
    for is_plain in (False, True):
        text = render(tree_view(loaded, tree(loaded), is_plain), width=300)
        assert "[bold red]Styled?[/]" in text  # markup in a title is shown, not applied
        assert "\\x1b[31m" in text and "\x1b" not in text  # the escape code is made visible, not sent
        assert ("(see above)" if is_plain else "↺ see above") in text
    plain_text = render(tree_view(loaded, tree(loaded), True), width=40)
    assert not set(plain_text) & set("│├└─")
    assert max(len(line) for line in plain_text.splitlines()) <= 40
