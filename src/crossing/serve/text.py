"""What a student reads at a scene, by the same rules as the terminal (pure; no web code).

One place that turns a scene, a choice's outcome, an ending, a fact, a source and a glossary entry
into the text to show, so the pages never decide on their own which telling to use.
"""

from __future__ import annotations

from collections.abc import Container, Mapping

from crossing.expressions import Value
from crossing.model import Choice, Fact, Node, Source, Story


def scene_text(story: Story, node: Node, env: Mapping[str, Value], visited: Container[str], gentle: bool) -> str:
    return node.text_for(gentle)


def narration(story: Story, choice: Choice, outcome_index: int | None, gentle: bool) -> str | None:
    """What the drawn outcome of a chance says happened; None when it says nothing."""
    return None


def debrief_text(story: Story, node: Node, env: Mapping[str, Value], visited: Container[str], gentle: bool) -> tuple[str, str]:
    if node.ending is None or node.ending.debrief is None:
        return "", ""
    return node.ending.debrief.why, node.ending.debrief.context


def fact_claim(story: Story, node: Node, fact: Fact, gentle: bool) -> str | None:
    """The claim to show, or None when the telling leaves this fact out."""
    return fact.claim


def source_title(source: Source, gentle: bool) -> str:
    return source.title


def glossary_definition(story: Story, term: str, gentle: bool) -> str:
    return story.glossary[term]
