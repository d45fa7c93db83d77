"""A JSON Schema of the story format, for editors with a YAML language server (see docs/story-format.md)."""

from __future__ import annotations

from typing import Any

from crossing.model import CONTENT_WARNINGS, RISK_LEVELS

ID = "^[a-z0-9_-]+$"


def _obj(properties: dict[str, Any], required: list[str] | None = None, description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = required
    if description:
        schema["description"] = description
    return schema


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "description": description}


EXPRESSION = {
    "description": 'An expression: numbers, true/false, "text", variables, + - * / // %, comparisons, '
    'and/or/not, parentheses and visited("node-id").',
    "type": ["string", "number", "boolean"],
}


def _passage(description: str) -> dict[str, Any]:
    """Text that answers the player: one string, or a list of paragraphs, each a string or {if, text, else}."""
    paragraph = {
        "oneOf": [
            _text("A paragraph shown in every state."),
            _obj(
                {"if": {**EXPRESSION, "description": "Shown only while this is true (evaluated on arrival)."},
                 "text": _text("The paragraph."),
                 "else": _text("Shown instead when the condition is false.")},
                ["text"],
                "A paragraph that depends on the state; 'else' needs 'if'.",
            ),
        ]
    }
    return {
        "description": description,
        "oneOf": [_text("Plain text; a blank line separates paragraphs."), {"type": "array", "minItems": 1, "items": paragraph}],
    }


ASSIGNMENTS = {
    "type": "object",
    "description": "Declared variables and the expressions (or literals) they are set to, in order.",
    "additionalProperties": EXPRESSION,
}


def story_schema() -> dict[str, Any]:
    outcome = _obj(
        {"weight": {"type": "number", "exclusiveMinimum": 0}, "goto": {"type": "string", "pattern": ID}, "set": ASSIGNMENTS,
         "text": _text("Narrated when this outcome is drawn, before the next scene: a sentence or two."),
         "gentle_text": _text("The narration for younger students, shown with --gentle.")},
        ["weight", "goto"],
        "One possible result of a random choice: taken with probability weight / sum of weights.",
    )
    choice = _obj(
        {
            "text": _text("What the player reads."),
            "goto": {"type": "string", "pattern": ID, "description": "The node this choice leads to."},
            "outcomes": {"type": "array", "minItems": 1, "items": outcome},
            "if": {**EXPRESSION, "description": "Offered only while this expression is true."},
            "set": ASSIGNMENTS,
        },
        ["text"],
        "A choice: exactly one of goto or outcomes.",
    )
    choice["oneOf"] = [{"required": ["goto"]}, {"required": ["outcomes"]}]
    node = _obj(
        {
            "title": _text("The scene's title."),
            "text": _passage("The scene: plain text, or paragraphs that may depend on the state."),
            "route": {"type": "string", "description": "The route this node belongs to (see routes)."},
            "place": {"type": "string", "description": "Where the scene happens: an id from places."},
            "risk": _obj({"level": {"enum": list(RISK_LEVELS)}, "note": {"type": "string"}}, ["level"]),
            "facts": {"type": "array", "items": _obj({"claim": _text("What the scene rests on."), "source": {"type": "string"},
                                                       "gentle_claim": _text("The same truth for younger students (--gentle).")},
                                                      ["claim"])},
            "choices": {"type": "array", "minItems": 1, "items": choice},
            "ending": _obj(
                {
                    "kind": {"type": "string", "description": "A short word that groups endings."},
                    "title": {"type": "string"},
                    "debrief": _obj(
                        {"why": _passage("What happened and why."), "context": _passage("The real-world context, with figures."),
                         "questions": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                         "gentle_why": _passage("'why' for younger students (--gentle)."),
                         "gentle_context": _passage("'context' for younger students (--gentle).")},
                        ["why", "context", "questions"],
                    ),
                },
                ["kind"],
            ),
            "content_warnings": {"type": "array", "items": {"enum": list(CONTENT_WARNINGS)}},
            "gentle_text": _passage("A gentler telling for younger students, shown with --gentle."),
        },
        ["text"],
    )
    node["not"] = {"required": ["ending", "choices"]}
    variable = {
        "oneOf": [
            {"type": ["number", "boolean", "string"]},
            _obj({"value": {"type": ["number", "boolean", "string"]}, "min": {"type": "number"}, "max": {"type": "number"}, "label": {"type": "string"}}, ["value"]),
        ]
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Crossing story file",
        "description": "story.yaml (metadata) or any other *.yaml file of a story folder (nodes).",
        **_obj(
            {
                "title": _text("The story's title."),
                "start": {"type": "string", "pattern": ID, "description": "The id of the first node."},
                "version": {"type": ["string", "number"]},
                "description": {"type": "string"},
                "author": {"type": "string"},
                "variables": {"type": "object", "additionalProperties": variable},
                "sources": {
                    "type": "object",
                    "propertyNames": {"pattern": ID},
                    "additionalProperties": _obj(
                        {"title": _text("Title."), "publisher": _text("Publisher."), "year": {"type": "integer"}, "url": {"type": "string"},
                         "gentle_title": _text("A title fit for younger students, shown with --gentle."),
                         "note": _text("A note on the source, e.g. that its title is descriptive.")},
                        ["title", "publisher", "year"],
                    ),
                },
                "glossary": {"type": "object", "additionalProperties": {"oneOf": [
                    _text("The definition."),
                    _obj({"definition": _text("The definition."), "gentle_definition": _text("For younger students (--gentle).")},
                         ["definition"]),
                ]}},
                "places": {
                    "type": "object",
                    "additionalProperties": _obj(
                        {"name": _text("Name."), "lat": {"type": "number", "minimum": -90, "maximum": 90},
                         "lon": {"type": "number", "minimum": -180, "maximum": 180}},
                        ["name", "lat", "lon"],
                    ),
                },
                "routes": {"type": "object", "additionalProperties": _obj({"title": _text("Title."), "description": {"type": "string"}}, ["title"])},
                "ending_kinds": {"type": "object", "additionalProperties": _obj({"label": _text("Label."), "safe": {"type": "boolean"}}, ["label"])},
                "nodes": {"type": "object", "propertyNames": {"pattern": ID}, "additionalProperties": node},
            }
        ),
    }
