"""crossing.maps.cells: text measured in terminal cells."""

from __future__ import annotations

from crossing.maps.cells import ascii_text, fit_text, text_cells, text_width


def test_text_cells() -> None:
    assert text_cells("ab") == ["a", "b"]
    assert text_cells("평") == ["평", ""]
    assert text_cells("e\u0301x") == ["e\u0301", "x"]
    assert text_cells("a\nb") == ["a", " ", "b"]
    assert text_width("평양 x") == 6


def test_fit_text() -> None:
    assert fit_text("Vladivostok", 6) == "Vladi…"
    assert fit_text("Vladivostok", 6, "~") == "Vladi~"
    assert fit_text("Seoul", 6) == "Seoul"
    assert fit_text("Seoul", 0) == ""
    assert text_width(fit_text("평양평양", 4)) <= 4


def test_ascii_text_keeps_the_width() -> None:
    assert ascii_text("Chișinău → Ürümqi") == "Chisinau ? Urumqi"
    assert ascii_text("평양") == "????"
    for text in ("Chișinău", "평양 x", "e\u0301"):
        assert ascii_text(text).isascii() and len(ascii_text(text)) == text_width(text)
