"""The one bar chart: a share drawn in full blocks, or '#' where box drawing is off (--plain)."""

from __future__ import annotations

from rich.text import Text


def bar(share: float, is_plain: bool, width: int, *, padded: bool = False) -> Text:
    """``share`` (0 to 1) of ``width`` cells; ``padded`` fills the rest with spaces so that the figures
    after a column of bars line up."""
    cells = round(max(0.0, min(1.0, share)) * width)
    drawn = ("#" if is_plain else "█") * cells
    return Text(drawn + (" " * (width - cells) if padded else ""), style="crossing.bar")
