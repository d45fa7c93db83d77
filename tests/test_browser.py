"""The printable guide, handout and HTML report as a real browser prints them (headless Chromium from
Debian's packages): page counts and where the appendix starts, read from the PDF's own text.

Skipped with a clear reason where Chromium or poppler-utils is missing; mandatory when the environment
sets CROSSING_REQUIRE_BROWSER=1 (as .ci/run does after installing them)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crossing.cli import app

CLASSROOM = Path(__file__).parent / "stories" / "classroom"
runner = CliRunner()
APPENDIX = "Appendix: facts, sources, glossary, scenes"


def _tool(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    reason = f"{names[0]} is not installed (Debian: apt-get install {'chromium' if 'chromium' in names else 'poppler-utils'})"
    if os.environ.get("CROSSING_REQUIRE_BROWSER") == "1":
        pytest.fail(f"CROSSING_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def print_pdf(page: Path, pdf: Path, size: str | None = None) -> list[str]:
    """Print an HTML file to PDF in Chromium (paper size forced by CSS when given); the text of each page."""
    chromium = _tool("chromium", "chromium-browser", "google-chrome")
    pdftotext = _tool("pdftotext")
    source = page
    if size is not None:
        source = page.with_name(f"{page.stem}-{size}.html")
        source.write_text(page.read_text(encoding="utf-8").replace("</style>", f"@page {{ size: {size}; }}</style>", 1),
                          encoding="utf-8")
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", source.as_uri()], check=True, capture_output=True, timeout=120)
    text = subprocess.run([pdftotext, str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60).stdout
    return text.split("\f")[:-1]


@pytest.fixture(scope="module")
def guide_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("guide") / "guide.html"
    result = runner.invoke(app, ["guide", "--format", "html", "--output", str(out)])  # the default story
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.slow
@pytest.mark.parametrize("size", ["A4", "Letter"])
def test_teachers_part_is_at_most_twelve_pages_and_the_appendix_starts_a_page(guide_html: Path, size: str) -> None:
    pages = print_pdf(guide_html, guide_html.with_name(f"guide-{size}.pdf"), size)
    starts = [n for n, text in enumerate(pages, 1) if text.strip().startswith(APPENDIX)]
    assert starts, f"the appendix starts at the top of a page ({size})"
    assert starts[0] - 1 <= 12, f"the teacher's part takes {starts[0] - 1} pages on {size}"
    assert "Contents" in pages[0], "a table of contents on the first page"
    map_pages = [n for n, text in enumerate(pages, 1) if "The routes on the map." in text]
    assert len(map_pages) == 1
    # the map and its heading on one page: no page holding the heading alone before it ("The routes on the
    # map." alone would satisfy a plain `in`)
    assert pages[map_pages[0] - 1].strip().startswith("The routes\n"), f"the map page starts with its heading ({size})"
    assert not pages[map_pages[0] - 2].strip().endswith("The routes"), f"the heading is not left behind ({size})"


@pytest.mark.slow
def test_the_handout_is_one_or_two_pages(tmp_path: Path) -> None:
    out = tmp_path / "handout.html"
    result = runner.invoke(app, ["guide", "--handout", "--format", "html", "--output", str(out)])
    assert result.exit_code == 0, result.output
    pages = print_pdf(out, tmp_path / "handout.pdf", "A4")
    assert 1 <= len(pages) <= 2
    text = " ".join(" ".join(pages).split())
    assert "One fact and its source" in text and "While you play, notice" in text and "Reflect" in text


@pytest.mark.slow
def test_the_html_report_prints_with_its_roster_and_charts(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    for n, (name, answers) in enumerate([("Ana", "3\n"), ("Ben", "1\n1\n"), ("Cho", "2\n1\n2\n")]):
        play = runner.invoke(app, ["play", str(CLASSROOM), "--seed", str(n), "--transcript", str(folder / f"{name}.json"),
                                   "--name", name], input=answers)
        assert play.exit_code == 0, play.output
    page = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(folder), "--story", str(CLASSROOM), "-o", str(page)])
    assert result.exit_code == 0, result.output
    pages = print_pdf(page, tmp_path / "report.pdf", "A4")
    text = " ".join(" ".join(pages).split())
    for expected in ("Class report: Classroom crossing", "Students", "Ana", "Ben", "Cho", "Endings by kind",
                     "Questions to discuss", "Decisions, in story order"):
        assert expected in text
    chromium = _tool("chromium", "chromium-browser", "google-chrome")
    shot = tmp_path / "report.png"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--screenshot={shot}", "--window-size=1000,1400",
                    page.as_uri()], check=True, capture_output=True, timeout=120)
    assert shot.stat().st_size > 10_000, "a screenshot to look at"
    data = json.loads(runner.invoke(app, ["report", str(folder), "--story", str(CLASSROOM), "--json"]).stdout)
    assert {s["name"] for s in data["students"]} == {"Ana", "Ben", "Cho"}
