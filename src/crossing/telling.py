"""What a reader is told in a given state: the paragraphs of a scene, the narration of a draw, a debrief,
the facts and sources in the telling chosen (gentle or not). Pure: no Rich, no printing.

Conditions in text are evaluated on arrival at a node, after the effects of the choice (and outcome) that
led there, with the node itself already visited. Text never changes state.
"""

from __future__ import annotations

from collections.abc import Container, Iterator, Mapping

from crossing.errors import StoryRuntimeError
from crossing.expressions import EvaluationError, Value
from crossing.model import Choice, Fact, Node, Paragraph, Passage, Source, Story


def paragraphs(passage: Passage, env: Mapping[str, Value], visited: Container[str], node_id: str) -> list[str]:
    """The paragraphs of a passage a reader sees in this state, in the author's order."""
    shown: list[str] = []
    for paragraph in passage.paragraphs:
        text = _chosen(paragraph, env, visited, node_id)
        if text is not None:
            shown.append(text)
    return shown


def _chosen(paragraph: Paragraph, env: Mapping[str, Value], visited: Container[str], node_id: str) -> str | None:
    if paragraph.condition is None:
        return paragraph.text
    try:
        holds = paragraph.condition.evaluate(env, visited)
    except EvaluationError as exc:
        raise StoryRuntimeError(node_id, paragraph.condition.source, str(paragraph.condition_loc), str(exc)) from None
    return paragraph.text if holds is True else paragraph.otherwise


def passage_text(passage: Passage, env: Mapping[str, Value], visited: Container[str], node_id: str) -> str:
    """The passage as one text, paragraphs separated by a blank line."""
    return "\n\n".join(paragraphs(passage, env, visited, node_id))


def scene_text(story: Story, node: Node, env: Mapping[str, Value], visited: Container[str], gentle: bool) -> str:
    """The scene's text for this state, in the telling chosen."""
    return passage_text(node.text_for(gentle), env, visited, node.id)


def narration(story: Story, choice: Choice, outcome_index: int | None, gentle: bool) -> str | None:
    """The sentence or two an outcome narrates when it is drawn, or None (a goto, or a silent outcome)."""
    if outcome_index is None or not 0 <= outcome_index < len(choice.outcomes):
        return None
    outcome = choice.outcomes[outcome_index]
    if gentle and outcome.gentle_text:
        return outcome.gentle_text
    return outcome.text


def debrief_text(story: Story, node: Node, env: Mapping[str, Value], visited: Container[str], gentle: bool) -> tuple[str, str]:
    """An ending's ``why`` and ``context`` for this run, in the telling chosen; empty without a debrief."""
    debrief = node.ending.debrief if node.ending is not None else None
    if debrief is None:
        return "", ""
    why = debrief.gentle_why if gentle and debrief.gentle_why is not None else debrief.why
    context = debrief.gentle_context if gentle and debrief.gentle_context is not None else debrief.context
    return passage_text(why, env, visited, node.id), passage_text(context, env, visited, node.id)


def fact_claim(story: Story, node: Node, fact: Fact, gentle: bool) -> str | None:
    """The claim as told; None when a gentle telling must not show it (a scene with content warnings
    whose fact has no gentler wording)."""
    if not gentle:
        return fact.claim
    if fact.gentle_claim:
        return fact.gentle_claim
    return None if node.content_warnings else fact.claim


def shown_facts(story: Story, node: Node, gentle: bool) -> Iterator[tuple[str, Fact]]:
    """The facts of a scene a reader may see, each with its claim as told."""
    for fact in node.facts:
        claim = fact_claim(story, node, fact, gentle)
        if claim is not None:
            yield claim, fact


def source_title(source: Source, gentle: bool) -> str:
    return source.gentle_title if gentle and source.gentle_title else source.title


def glossary_definition(story: Story, term: str, gentle: bool) -> str:
    if gentle and term in story.gentle_glossary:
        return story.gentle_glossary[term]
    return story.glossary[term]


def word_count(text: str) -> int:
    return len(text.split())
