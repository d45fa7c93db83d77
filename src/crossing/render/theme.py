"""Every style Crossing uses, by name, in one Theme."""

from __future__ import annotations

from rich.theme import Theme

STYLES: dict[str, str] = {
    "crossing.title": "bold",
    "crossing.route": "dim italic",
    "crossing.text": "",
    "crossing.warning": "bold yellow",
    "crossing.risk.low": "green",
    "crossing.risk.moderate": "yellow",
    "crossing.risk.high": "dark_orange",
    "crossing.risk.extreme": "bold red",
    "crossing.fact": "",
    "crossing.source": "dim",
    "crossing.choice.number": "bold cyan",
    "crossing.choice": "",
    "crossing.hint": "dim",
    "crossing.error": "bold red",
    "crossing.ending": "bold magenta",
    "crossing.ending.kind": "magenta",
    "crossing.heading": "bold underline",
    "crossing.stat": "cyan",
    "crossing.diagnostic.error": "bold red",
    "crossing.diagnostic.warning": "yellow",
    "crossing.location": "bold",
    "crossing.bar": "cyan",
    "crossing.class.title": "bold",
    "crossing.class.text": "",
    "crossing.class.number": "bold cyan",
    "crossing.class.choice": "bold",
    "crossing.class.winner": "bold green",
}


def crossing_theme(extra: dict[str, str] | None = None) -> Theme:
    from crossing.render.map import MAP_STYLES

    return Theme({**STYLES, **MAP_STYLES, **(extra or {})})
