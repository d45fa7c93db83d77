"""Story text is data from whoever wrote it: shown exactly, never interpreted by the terminal.

Pure string functions (no Rich), so that commands which print plain lines can use them too.
"""

from __future__ import annotations

import os
import re

# The one definition of what must never reach a terminal, a spreadsheet or a viewer as it is: C0 and C1
# control characters (ESC, BEL, CSI, ...) except tab and newline, and the bidirectional overrides and
# isolates (U+202A-U+202E, U+2066-U+2069) that make text display in another order than it is written.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape_char(char: str) -> str:
    """A visible escape for one character: \\x1b, \\u202e."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: str) -> str:
    """Replace control characters and bidirectional overrides by a visible escape such as \\x1b or
    \\u202e, so none acts on the terminal or file viewer; tabs become four spaces, newlines stay."""
    text = text.replace("\t", "    ")
    return CONTROL.sub(lambda m: escape_char(m.group()), text)


def without_controls(text: str) -> str:
    """The text with every control character and bidirectional override removed (tabs and newlines
    too): for one-line labels (graphs) where an escape would only be noise."""
    return CONTROL.sub("", text.replace("\t", " ").replace("\n", " "))


def shown_name(name: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> str:
    """A file name fit to print in any encoding: bytes that are not UTF-8 (kept by Python as lone
    surrogates) shown as \\xNN, control characters and bidirectional overrides escaped."""
    raw = os.fsdecode(name)
    escaped = "".join(_unsurrogate(c) if 0xD800 <= ord(c) <= 0xDFFF else c for c in raw)
    return CONTROL.sub(lambda m: escape_char(m.group()), escaped)


def _unsurrogate(char: str) -> str:
    code = ord(char)
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines; line breaks inside a paragraph become spaces."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return [" ".join(line.strip() for line in block.splitlines()) for block in blocks if block.strip()]


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 place', '2 places' (or the given plural form)."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"
