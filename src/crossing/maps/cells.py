"""Text in terminal cells: wide characters take two cells, marks join the character before."""

from __future__ import annotations

import unicodedata


def text_cells(text: str) -> list[str]:
    """Split text into terminal cells: a wide (CJK) character takes two cells, the second
    holding ``""``; combining marks join the previous cell; control characters become spaces."""
    cells: list[str] = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Mn", "Me") or ch in ("\u200d", "\ufe0f", "\ufe0e"):
            if cells:
                cells[-1 if cells[-1] else -2] += ch
            continue
        if category in ("Cc", "Cf", "Zl", "Zp"):
            cells.append(" ")
            continue
        cells.append(ch)
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            cells.append("")
    return cells


def text_width(text: str) -> int:
    return len(text_cells(text))


def fit_text(text: str, width: int, ellipsis: str = "…") -> str:
    """Text cut to ``width`` cells, ending in ``ellipsis`` (one cell) when cut."""
    cells = text_cells(text)
    if len(cells) <= width:
        return text
    if width <= 0:
        return ""
    kept = cells[: width - 1]
    if cells[width - 1] == "" and kept:
        kept = kept[:-1]  # do not keep the first half of a wide character
    return "".join(kept) + ellipsis


def ascii_text(text: str) -> str:
    """Text an ASCII terminal can show: accents dropped, anything else not ASCII a ``?``
    (one ``?`` per cell, so the width stays the same)."""
    out: list[str] = []
    for cell in text_cells(text):
        if not cell:
            out.append("?")  # second half of a wide character
            continue
        base = "".join(ch for ch in unicodedata.normalize("NFKD", cell) if not unicodedata.combining(ch))
        out.append(base if len(base) == 1 and base.isascii() and base.isprintable() else "?")
    return "".join(out)
