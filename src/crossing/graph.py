"""The story as a graph: Graphviz DOT and Mermaid text, and a tree model for the terminal view.

Story text is untrusted: every label is escaped for its format (quotes, brackets, newlines, control
characters), so a title can never close a label, start a new statement or inject markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crossing.immutable import immutable
from crossing.model import Choice, Story
from crossing.textsafety import without_controls

LABEL_WIDTH = 40
# Fill colours for ending kinds: safe kinds are green, the others take these in order of first use.
SAFE_COLOUR = "#b7e4b0"
KIND_COLOURS = ("#f4b6b6", "#f7d08a", "#c9c3f0", "#a9d3f0", "#e6b3d9", "#d9d9d9", "#f0e39a", "#b3e0d9")


def _clean(text: str) -> str:
    """One line: newlines and tabs become spaces, other control characters vanish."""
    return without_controls(re.sub(r"[\r\n\t]+", " ", text)).strip()


def shorten(text: str, width: int = LABEL_WIDTH) -> str:
    text = _clean(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def share(weight: float, total: float) -> str:
    """A weight's share of the total as a percentage: 75%, 33.3%."""
    percent = 100 * weight / total
    text = f"{percent:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


@immutable
class Edge:
    source: str
    target: str
    text: str  # the choice's text, shortened
    condition: str | None  # the choice's `if`, when it has one
    share: str | None  # the outcome's share of the weights, for a random choice

    @property
    def label(self) -> str:
        parts = [self.text]
        if self.condition:
            parts.append(f"(if {shorten(self.condition)})")
        if self.share:
            parts.append(self.share)
        return " ".join(parts)


def choice_edges(source: str, choice: Choice) -> list[Edge]:
    condition = choice.condition.source if choice.condition is not None else None
    text = shorten(choice.text)
    if choice.goto is not None:
        return [Edge(source, choice.goto, text, condition, None)]
    total = sum(o.weight for o in choice.outcomes)
    return [Edge(source, o.goto, text, condition, share(o.weight, total)) for o in choice.outcomes]


def edges(story: Story) -> list[Edge]:
    return [e for node in story.nodes.values() for choice in node.choices for e in choice_edges(node.id, choice)]


def kind_colours(story: Story) -> dict[str, str]:
    colours: dict[str, str] = {}
    others = 0
    for node in story.endings():
        kind = node.ending.kind  # type: ignore[union-attr]
        if kind in colours:
            continue
        if story.is_safe_kind(kind):
            colours[kind] = SAFE_COLOUR
        else:
            colours[kind] = KIND_COLOURS[others % len(KIND_COLOURS)]
            others += 1
    return colours


def display_title(story: Story, node_id: str) -> str:
    """The node's display title (Node.display_title: an ending by its ending's title)."""
    node = story.nodes[node_id]
    return node.display_title


def _node_label(story: Story, node_id: str) -> str:
    node = story.nodes[node_id]
    title = shorten(display_title(story, node_id))
    if node.ending is not None:
        return f"{title}\n({shorten(story.kind_label(node.ending.kind), 24)})"
    return title


# ------------------------------------------------------------------------------------------- DOT


def dot_string(text: str) -> str:
    """A DOT quoted string: backslashes and quotes escaped, each line break written as \\n, control
    characters dropped (so no label can end early or hold a DOT escape such as \\N)."""
    lines = [without_controls(line) for line in text.splitlines() or [""]]
    return '"' + "\\n".join(line.replace("\\", "\\\\").replace('"', '\\"') for line in lines) + '"'


def to_dot(story: Story) -> str:
    colours = kind_colours(story)
    lines = [
        f"// {_clean(story.title)}: dashed edges are conditional (if), dotted ones random outcomes",
        f"digraph {dot_string(_clean(story.title))} {{",
        "  graph [rankdir=TB, fontname=\"Helvetica\"];",
        "  node [shape=box, style=\"rounded\", fontname=\"Helvetica\"];",
        "  edge [fontname=\"Helvetica\", fontsize=10];",
    ]
    for node in story.nodes.values():
        attrs = [f"label={dot_string(_node_label(story, node.id))}"]
        if node.ending is not None:
            attrs += ["shape=box", "style=\"rounded,filled,bold\"", f"fillcolor={dot_string(colours[node.ending.kind])}",
                      f"class={dot_string('ending ' + _clean(node.ending.kind))}"]
        if node.id == story.start:
            attrs.append("peripheries=2")
        lines.append(f"  {dot_string(node.id)} [{', '.join(attrs)}];")
    for edge in edges(story):
        attrs = [f"label={dot_string(edge.label)}"]
        if edge.condition is not None:
            attrs.append("style=dashed")
        elif edge.share is not None:
            attrs.append("style=dotted")
        if edge.share is not None:
            attrs.append("arrowhead=odot" if edge.condition is not None else "arrowhead=normal")
        if edge.target not in story.nodes:
            attrs.append("color=red")
        lines.append(f"  {dot_string(edge.source)} -> {dot_string(edge.target)} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------- Mermaid

# Mermaid reads #name; and #number; as entities inside quoted labels: everything that could end a
# label, open a shape or carry HTML becomes one.
_MERMAID = {
    ord("#"): "#35;",
    ord('"'): "#quot;",
    ord("<"): "#lt;",
    ord(">"): "#gt;",
    ord("&"): "#amp;",
    ord("`"): "#96;",
    ord("|"): "#124;",
    ord("["): "#91;",
    ord("]"): "#93;",
    ord("{"): "#123;",
    ord("}"): "#125;",
    ord("("): "#40;",
    ord(")"): "#41;",
    ord(";"): "#59;",
}


def mermaid_string(text: str) -> str:
    """A quoted Mermaid label; line breaks become <br/> (written by us, not by the story)."""
    return '"' + "<br/>".join(_clean(part).translate(_MERMAID) for part in text.split("\n")) + '"'


def _class_name(kind: str, index: int) -> str:
    return f"kind{index}_" + re.sub(r"[^A-Za-z0-9_]", "_", kind)[:30]


def to_mermaid(story: Story) -> str:
    # Node ids are replaced by n0, n1...: story ids such as "end" or "o-x" mean something to Mermaid.
    ids = {node_id: f"n{i}" for i, node_id in enumerate(story.nodes)}
    colours = kind_colours(story)
    classes = {kind: _class_name(kind, i) for i, kind in enumerate(colours)}
    lines = ["flowchart TD", f"  %% {_clean(story.title).replace('%', '')}: dotted edges are conditional (if), thick ones random outcomes"]
    for node in story.nodes.values():
        label = mermaid_string(_node_label(story, node.id))
        if node.ending is not None:
            lines.append(f"  {ids[node.id]}([{label}])")
        else:
            lines.append(f"  {ids[node.id]}[{label}]")
    missing = 0
    for edge in edges(story):
        target = ids.get(edge.target)
        if target is None:
            target = f"missing{missing}"
            missing += 1
            lines.append(f"  {target}[{mermaid_string('missing: ' + edge.target)}]")
        arrow = "-.->" if edge.condition is not None else ("==>" if edge.share is not None else "-->")
        lines.append(f"  {ids[edge.source]} {arrow}|{mermaid_string(edge.label)}| {target}")
    for kind, colour in colours.items():
        stroke = "#2e7d32" if story.is_safe_kind(kind) else "#555555"
        lines.append(f"  classDef {classes[kind]} fill:{colour},stroke:{stroke},stroke-width:2px")
    for node in story.endings():
        lines.append(f"  class {ids[node.id]} {classes[node.ending.kind]}")  # type: ignore[union-attr]
    if story.start in ids:
        lines.append("  classDef start stroke-width:4px")
        lines.append(f"  class {ids[story.start]} start")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------ tree


@dataclass
class TreeItem:
    """One line of the tree view: a node reached by an edge (the root has none)."""

    node: str
    title: str
    edge: Edge | None = None
    ending_kind: str | None = None
    safe: bool = False
    repeat: bool = False  # already shown above: not expanded again
    cut: bool = False  # below the depth limit: its choices are not shown
    missing: bool = False  # the edge leads to an unknown node
    children: list[TreeItem] = field(default_factory=list)


def tree(story: Story, root: str | None = None, max_depth: int | None = None) -> TreeItem:
    """The story unfolded from root (the start by default) as a tree, depth first: each node's choices
    are shown once, where it first appears; later appearances are folded (``repeat``)."""
    start = root or story.start

    def item(node_id: str, edge: Edge | None) -> TreeItem:
        node = story.nodes.get(node_id)
        if node is None:
            return TreeItem(node_id, node_id, edge, missing=True)
        kind = node.ending.kind if node.ending is not None else None
        return TreeItem(node_id, display_title(story, node_id), edge, kind, kind is not None and story.is_safe_kind(kind))

    top = item(start, None)
    shown: set[str] = set()
    stack: list[tuple[TreeItem, int]] = [(top, 0)]
    while stack:
        current, depth = stack.pop()
        node = story.nodes.get(current.node)
        if node is None or not node.choices:
            continue
        if current.node in shown:
            current.repeat = True
            continue
        if max_depth is not None and depth >= max_depth:
            current.cut = True
            continue
        shown.add(current.node)
        current.children = [item(e.target, e) for choice in node.choices for e in choice_edges(node.id, choice)]
        # pushed in reverse so they are expanded in the author's order, depth first
        stack.extend((child, depth + 1) for child in reversed(current.children))
    return top


def tree_size(item: TreeItem) -> int:
    count, stack = 0, [item]
    while stack:
        current = stack.pop()
        count += 1
        stack.extend(current.children)
    return count
