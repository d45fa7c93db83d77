"""Story text as Rich Text: shown literally (markup never parsed), control characters made inert."""

from __future__ import annotations

from rich.text import Text

from crossing.textsafety import inert, paragraphs

__all__ = ["inert", "literal", "paragraphs"]


def literal(text: str, style: str = "") -> Text:
    """A Text that shows the string literally: Rich markup inside it is never parsed."""
    return Text(inert(text), style=style)
