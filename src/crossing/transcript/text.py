"""Text written into files others open (Markdown, HTML, CSV, plain text): shown exactly, never acting.

One home for the escaping every output shares: control characters and bidirectional overrides made
visible and inert, Markdown markup escaped, only http(s) URLs written as links, spreadsheet formula
cells neutralised. Pure string functions: no Rich, no Typer.
"""

from __future__ import annotations

import re

from crossing.textsafety import inert

__all__ = ["csv_cell", "inert", "inert_keep_lines", "md_paragraphs", "md_text", "md_url", "safe_url"]

_INLINE = re.compile(r"([\\`*_\[\]<>|])")
_BLOCK_MARK = re.compile(r"^(\s*)([#>+\-=])")
_LIST_NUMBER = re.compile(r"^(\s*\d+)([.)])")
_URL_OK = re.compile(r"https?://[^\s<>\"'`\\]+", re.IGNORECASE)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert_keep_lines(text: str) -> str:
    """inert, keeping line breaks (CR LF and CR become LF)."""
    return inert(text.replace("\r\n", "\n").replace("\r", "\n"))


def safe_url(url: str) -> str | None:
    """The URL when it may be written as a link: http or https, nothing that could end the link or start
    markup. None for anything else (javascript:, file:, data:, spaces, quotes, angle brackets)."""
    candidate = url.strip()
    return candidate if _URL_OK.fullmatch(candidate) else None


def md_text(text: str, *, line_start: bool = True) -> str:
    """Story text as Markdown that shows exactly what was written: markup characters escaped, line
    breaks made spaces. ``line_start``: the text begins a line, where '#', '-' or '1.' would start a block."""
    text = inert(text.replace("\r\n", "\n"))
    text = re.sub(r"[ ]*\n\s*", " ", text)
    text = _INLINE.sub(r"\\\1", text)
    if line_start:
        text = _BLOCK_MARK.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
        text = _LIST_NUMBER.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return text


def md_paragraphs(text: str) -> list[str]:
    """Paragraphs (split at blank lines), each followed by a blank line."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        if block.strip():
            out.extend([md_text(block.strip()), ""])
    return out


def md_url(url: str) -> str:
    """A URL in Markdown: an autolink when it is a safe web link, else escaped plain text."""
    ok = safe_url(url)
    return f"<{ok}>" if ok is not None else md_text(url, line_start=False)


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet will not run: text beginning with = + - @ a tab or a carriage return
    gets a leading apostrophe (numbers stay numbers); control characters are made inert."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_START):
        value = "'" + value
    return inert(value)
