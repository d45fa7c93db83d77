"""Story text is data from whoever wrote it: shown exactly, never interpreted by the terminal.

Pure string functions (no Rich), so that commands which print plain lines can use them too.
"""

from __future__ import annotations

import re

# C0 and C1 control characters (ESC, BEL, CSI, ...) except newline, and the bidi embeddings, overrides and
# isolates (U+202A-E, U+2066-9) that make text read differently from what it is; tabs become spaces.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    """Replace control characters by a visible escape such as \\x1b, so none reaches the terminal."""
    text = text.replace("\t", "    ")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


def paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines; line breaks inside a paragraph become spaces."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return [" ".join(line.strip() for line in block.splitlines()) for block in blocks if block.strip()]


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 place', '2 places' (or the given plural form)."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"
