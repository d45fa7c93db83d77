"""`crossing analyze`, `stats` and `graph` through the real command line, at 80 and 40 columns and plain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crossing.cli import app
from helpers import run_crossing, write_story
from test_analysis import story_dir, synth

runner = CliRunner()
BOX = set("─│┌┐└┘├┤┬┴┼━█")


def invoke(*args: str, columns: int = 80) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": str(columns)})
    return result.exit_code, result.output


def widest(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def test_analyze_json_maps_every_ending_to_its_probability(tmp_path: Path) -> None:
    code, out = invoke("analyze", str(story_dir(tmp_path, "retry")), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["exact"] is True
    assert data["endings"] == pytest.approx({"far": 1 / 7, "caught": 2 / 7, "home": 4 / 7})
    assert data["best"]["home"] == pytest.approx(1.0)
    assert data["expected_decisions"] == pytest.approx(8 / 7)
    assert data["longest"]["far"] == "unbounded"
    assert data["kinds"] == pytest.approx({"safety": 1 / 7, "repatriated": 2 / 7, "stayed": 4 / 7})


def test_analyze_text_at_80_columns_with_colour(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR")
    code, out = invoke("analyze", str(story_dir(tmp_path, "retry")))
    assert code == 0
    assert widest(out) <= 80
    for expected in ("Outcome analysis: Retry", "Exact, over all 4 reachable states", "Ending", "Best", "Worst",
                     "14.3%", "33.3%", "1-unbounded", "Reaching safety", "1. Try to cross",
                     "Decisions per run: 1.1 on average"):
        assert expected in out, expected
    assert "█" in out and "─" in out  # bars and a table rule


@pytest.mark.parametrize("columns", [40, 80])
def test_analyze_plain_is_readable_and_has_no_boxes(tmp_path: Path, columns: int) -> None:
    code, out = invoke("analyze", str(story_dir(tmp_path, "trap")), "--plain", columns=columns)
    assert code == 0
    assert widest(out) <= columns
    assert not set(out) & BOX
    for expected in ("Across (safety)", "random", "best 100%", "Stuck: 25.0%", "Never ending: 25.0%",
                     "tries // 0", "unbounded"):
        assert expected in out.replace("\n", " ") or expected in out, expected


def test_analyze_falls_back_to_sampling_past_max_states(tmp_path: Path) -> None:
    folder = synth(tmp_path, 100)
    code, out = invoke("analyze", str(folder), "--max-states", "20", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["exact"] is False and data["runs"] > 0
    assert 0 < data["margin"] < 0.05
    assert sum(data["endings"].values()) == pytest.approx(1.0)
    code, out = invoke("analyze", str(folder), "--max-states", "20")
    assert code == 0 and "Estimated from" in out and "more than 20 states" in " ".join(out.split())


def test_stats_json_counts_every_ending(tmp_path: Path) -> None:
    folder = story_dir(tmp_path, "trap")
    code, out = invoke("stats", str(folder), "--runs", "50", "--seed", "4", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data["endings"]) == {"far", "never"} and data["endings"]["never"] == 0
    assert data["runs"] == 50 and data["seed"] == 4
    assert data["endings"]["far"] + data["stuck"] + data["capped"] + data["errored"] == 50
    assert data["never_reached_nodes"] == ["never"]
    assert data["capped"] > 0 and 0 < data["longest_run"] < data["step_cap"]  # capped runs are not "longest"
    again = json.loads(invoke("stats", str(folder), "--runs", "50", "--seed", "4", "--json")[1])
    assert again == data


@pytest.mark.parametrize(("columns", "plain"), [(80, False), (40, False), (40, True)])
def test_stats_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columns: int, plain: bool) -> None:
    monkeypatch.delenv("NO_COLOR")
    args = ["stats", str(story_dir(tmp_path, "retry")), "--runs", "700", "--seed", "1"] + (["--plain"] if plain else [])
    code, out = invoke(*args, columns=columns)
    assert code == 0
    assert widest(out) <= columns
    flat = " ".join(out.split())
    for expected in ("700 runs (seed 1)", "Coverage", "Scenes reached: 4 of 4", "Decisions per run"):
        assert expected in flat, expected
    if plain:
        assert not set(out) & BOX


def test_graph_formats(tmp_path: Path) -> None:
    folder = str(story_dir(tmp_path, "retry"))
    code, dot = invoke("graph", folder, "--format", "dot")
    assert code == 0 and dot.startswith("// ") and "digraph" in dot and dot.rstrip().endswith("}")
    code, mermaid = invoke("graph", folder, "--format", "mermaid")
    assert code == 0 and mermaid.startswith("flowchart TD")
    code, tree = invoke("graph", folder, "--format", "tree", "--plain", columns=40)
    assert code == 0 and "(see above)" in " ".join(tree.split()) and widest(tree) <= 40
    assert not set(tree) & BOX
    code, _ = invoke("graph", folder, "--format", "svg")
    assert code == 2


def test_graph_tree_with_guides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR")
    code, out = invoke("graph", str(story_dir(tmp_path, "visit")))
    assert code == 0
    assert "├── Ask the broker" in out or "└── Ask the broker" in out
    assert "↺ see above" in out


def test_broken_story_exits_1(tmp_path: Path) -> None:
    folder = write_story(tmp_path / "bad", {"story.yaml": "title: T\nstart: nowhere\n", "n.yaml": "nodes: {}\n"})
    for command in ("analyze", "stats", "graph"):
        result = runner.invoke(app, [command, str(folder)])
        assert result.exit_code == 1, command


def test_real_entry_point(tmp_path: Path) -> None:
    done = run_crossing("analyze", str(story_dir(tmp_path, "wait")), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["endings"] == pytest.approx({"far": 0.5, "caught": 0.5})
    done = run_crossing("stats", str(story_dir(tmp_path, "wait")), "--runs", "50", "--json")
    assert done.returncode == 0 and sum(json.loads(done.stdout)["endings"].values()) == 50
