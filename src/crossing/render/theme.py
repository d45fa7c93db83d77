"""Every style Crossing uses, by name, in one Theme."""

from __future__ import annotations

from rich.theme import Theme

STYLES: dict[str, str] = {
    "crossing.title": "bold",
    "crossing.route": "dim italic",
    "crossing.text": "",
    "crossing.narration": "italic",
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


MAP_STYLES: dict[str, str] = {
    "crossing.map.coast": "steel_blue",
    "crossing.map.border": "grey50",
    "crossing.map.place": "bold",
    "crossing.map.current": "bold black on yellow",
    "crossing.map.label": "default",
    "crossing.map.country": "italic grey50",
    "crossing.map.route.0": "bold red",
    "crossing.map.route.1": "bold green",
    "crossing.map.route.2": "bold magenta",
    "crossing.map.route.3": "bold dark_orange",
    "crossing.map.route.4": "bold cyan",
    "crossing.map.route.5": "bold dodger_blue1",
}


def crossing_theme(extra: dict[str, str] | None = None) -> Theme:
    return Theme({**STYLES, **MAP_STYLES, **(extra or {})})
