"""What a run reads and decides: the decision rule, words (conditional paragraphs, narrated outcomes,
the gentle telling), reading time, grouping by route and ending kind, --from, and the JSON keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crossing.analysis import ASKED, analyze
from crossing.cli import app
from crossing.model import Story
from crossing.randomruns import run_many
from crossing.rules import count_decisions, is_decision
from crossing.validation import validate_path
from helpers import write_story

META = """\
title: Reading
start: gate
variables:
  papers: false
routes:
  home: {title: At home}
  river: {title: Over the river}
"""
# gate (3 words, one choice) -> fork (4 words + 2 if papers) -> swim (random: narrated 2 or 3 words)
# or stay; far (5 words) on the river route, home (2 words, gentle 1) on the home route.
NODES = """\
nodes:
  gate:
    route: home
    text: One two three.
    choices:
      - text: Go on
        set: {papers: true}
        goto: fork
  fork:
    text:
      - Four words are here.
      - {if: papers, text: With papers., else: No papers at all.}
    choices:
      - text: Swim
        outcomes:
          - {weight: 1, goto: far, text: You made it.}
          - {weight: 1, goto: home, text: The current won.}
      - text: Stay
        goto: home
  far:
    route: river
    text: One two three four five.
    ending: {kind: safety, title: Across the river}
  home:
    route: home
    text: Home again.
    gentle_text: Home.
    ending: {kind: stayed, title: Home}
"""


def reading_story(tmp_path: Path) -> Path:
    return write_story(tmp_path / "r", {"story.yaml": META, "nodes.yaml": NODES})


def load(folder: Path) -> Story:
    result = validate_path(folder)
    assert not result.errors, result.errors
    assert result.story is not None
    return result.story


def test_a_decision_is_a_step_at_a_scene_offering_more_than_one_choice() -> None:
    assert not is_decision(0) and not is_decision(1) and is_decision(2) and is_decision(5)
    assert count_decisions([1, 2, 1, 3]) == 2


def test_stats_and_analysis_count_decisions_the_same_way(tmp_path: Path) -> None:
    story = load(reading_story(tmp_path))
    stats = run_many(story, 400, seed=1)
    # gate offers one choice (a step), fork two (a decision): every run decides exactly once
    assert stats.shortest == stats.longest == 1
    assert stats.total_decisions == 400
    result = analyze(story)
    assert result.expected_decisions == pytest.approx(1.0)
    assert result.shortest == {"far": 1, "home": 1} and result.longest == {"far": 1, "home": 1}


def test_words_follow_the_paragraphs_shown_and_the_outcome_narrated(tmp_path: Path) -> None:
    story = load(reading_story(tmp_path))
    stats = run_many(story, 400, seed=2)
    # papers is true on arrival at fork: "Four words are here." + "With papers." = 6 words
    far = 3 + 6 + 3 + 5  # gate, fork, "You made it.", far
    current = 3 + 6 + 3 + 2  # "The current won.", home
    stayed = 3 + 6 + 2
    words = stats.reading.words
    assert set(words) == {far, current, stayed}
    assert stats.by_kind["safety"].words == {far: stats.endings["far"]}
    figures = stats.reading.figures()
    assert figures["words"]["min"] == stayed and figures["words"]["max"] == far
    assert figures["minutes"]["max"] == pytest.approx(far / 200)
    gentle = run_many(story, 400, seed=2, gentle=True)
    assert set(gentle.reading.words) == {far, current - 1, stayed - 1}  # "Home." instead of "Home again."


def test_runs_count_under_the_first_route_they_enter_other_than_the_start(tmp_path: Path) -> None:
    story = load(reading_story(tmp_path))
    stats = run_many(story, 400, seed=3)
    assert stats.by_route["river"].runs == stats.endings["far"]
    assert stats.by_route["home"].runs == stats.endings["home"]  # never left the start's route
    assert sum(g.runs for g in stats.by_kind.values()) == 400


def test_percentiles_are_nearest_rank(tmp_path: Path) -> None:
    from collections import Counter

    from crossing.randomruns import spread

    assert spread(Counter({1: 5, 10: 4, 100: 1})) == {"min": 1, "median": 1, "p90": 10, "max": 100}
    assert spread(Counter({7: 1})) == {"min": 7, "median": 7, "p90": 7, "max": 7}


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "80", "NO_COLOR": "1"})
    return result.exit_code, result.stdout, result.stderr


def test_stats_json_has_the_reading_keys(tmp_path: Path) -> None:
    code, out, _ = invoke("stats", str(reading_story(tmp_path)), "--runs", "200", "--json")
    assert code == 0
    data = json.loads(out)
    four = {"min", "median", "p90", "max"}
    for key in ("words", "decisions", "minutes"):
        assert set(data[key]) == four
    assert set(data["by_route"]) == {"home", "river"} and set(data["by_kind"]) == {"safety", "stayed"}
    for group in (*data["by_route"].values(), *data["by_kind"].values()):
        assert {"words", "decisions", "minutes", "runs"} <= set(group)
    assert data["decisions"] == {"min": 1, "median": 1, "p90": 1, "max": 1}


def test_from_starts_every_run_at_the_scene(tmp_path: Path) -> None:
    folder = reading_story(tmp_path)
    code, out, _ = invoke("stats", str(folder), "--runs", "200", "--json", "--from", "fork")
    data = json.loads(out)
    assert code == 0 and data["start"] == "fork" and data["nodes"]["gate"] == 0
    # papers at its starting value (false): "Four words are here. No papers at all." = 8 words
    assert data["words"]["min"] == 8 + 2
    code, out, _ = invoke("analyze", str(folder), "--json", "--from", "fork")
    data = json.loads(out)
    assert data["start"] == "fork"
    assert data["endings"] == pytest.approx({"far": 0.25, "home": 0.75})
    for command in ("stats", "analyze"):
        code, out, err = invoke(command, str(folder), "--from", "nowhere")
        assert code == 2 and "no scene 'nowhere'" in err


def test_analyze_gives_chances_per_route_from_its_entry_scene(tmp_path: Path) -> None:
    code, out, _ = invoke("analyze", str(reading_story(tmp_path)), "--json")
    routes = json.loads(out)["routes"]
    assert set(routes) == {"home", "river"}
    assert routes["river"]["entry"] == "far"
    assert routes["river"]["safe"] == 1.0 and routes["river"]["kinds"] == {"safety": 1.0, "stayed": 0.0}
    assert routes["home"]["entry"] == "gate"
    assert routes["home"]["safe"] == pytest.approx(0.25) and routes["home"]["best_safe"] == pytest.approx(0.5)
    code, out, _ = invoke("analyze", str(reading_story(tmp_path)))
    assert code == 0 and "By route" in out and "Over the river (from Across the river)" in out


def test_a_route_entered_at_the_start_takes_the_main_analysis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The home route is entered at the start: its chances are the main analysis's, not a second one
    alike; with fewer states allowed the main analysis is another one, and the route is analysed anew."""
    from crossing.analysis import core, route_odds

    story = load(reading_story(tmp_path))
    fresh = route_odds(story, ASKED)
    main = analyze(story, budget=ASKED)
    starts: list[str | None] = []
    real = core.analyze
    monkeypatch.setattr(core, "analyze", lambda *a, **k: starts.append(k.get("start")) or real(*a, **k))
    assert route_odds(story, ASKED, main=main) == fresh and starts == ["far"]
    assert route_odds(story, ASKED, main=analyze(story, max_states=3, budget=ASKED)) == fresh
    assert starts == ["far", "gate", "far"]

def test_graph_and_analyze_call_an_ending_by_the_same_title(tmp_path: Path) -> None:
    folder = write_story(tmp_path / "t", {
        "story.yaml": "title: T\nstart: a\n",
        "n.yaml": """\
nodes:
  a:
    text: A.
    choices: [{text: Stay, goto: stayed}, {text: Go, goto: gone}]
  stayed:
    title: Staying
    text: You stay.
    ending: {kind: stayed, title: Staying on the river}
  gone:
    text: Gone.
    ending: {kind: safety, title: Gone}
""",
    })
    assert load(folder).nodes["stayed"].display_title == "Staying on the river"
    outputs = [invoke("graph", str(folder), "--format", fmt)[1] for fmt in ("tree", "mermaid", "dot")]
    outputs += [invoke("analyze", str(folder))[1], invoke("stats", str(folder), "--runs", "50")[1]]
    for out in outputs:
        assert "Staying on the river" in out


def test_analysis_budget_asked_is_exact_on_the_reading_story(tmp_path: Path) -> None:
    result = analyze(load(reading_story(tmp_path)), budget=ASKED)
    assert result.exact and result.endings == pytest.approx({"far": 0.25, "home": 0.75})
