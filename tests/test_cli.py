"""The command line through its real entry point (a new Python process running `python -m crossing`)."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import BASE_META, run_crossing, write_story

MINI = Path(__file__).parent / "stories" / "mini"
BOX_CHARS = set("╭╮╰╯│─┏┓┗┛┃━╔╗╚╝║═")


def test_validate_clean_story_exits_0() -> None:
    result = run_crossing("validate", str(MINI))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("0 errors, 0 warnings in ")


def test_validate_broken_story_exits_1_with_positions(tmp_path: Path) -> None:
    root = write_story(tmp_path / "broken", {"story.yaml": BASE_META, "a.yaml": "nodes:\n  start:\n    text: x\n    choices:\n      - text: go\n        goto: nowhere\n"})
    result = run_crossing("validate", str(root))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert "broken/a.yaml:6:15: error: goto to the unknown node 'nowhere'" in lines
    assert "broken/a.yaml:2:3: warning: scene 'start' rests on no fact" in lines
    assert lines[-1].startswith("1 error, 2 warnings in ")


def test_validate_json_lists_the_same_findings(tmp_path: Path) -> None:
    root = write_story(tmp_path / "broken", {"story.yaml": BASE_META, "a.yaml": "nodes:\n  start:\n    text: x\n    choices:\n      - text: go\n        goto: nowhere\n"})
    result = run_crossing("validate", str(root), "--format", "json")
    assert result.returncode == 1
    findings = json.loads(result.stdout)
    assert {"file": "broken/a.yaml", "line": 6, "column": 15, "severity": "error", "code": "unknown-node",
            "message": "goto to the unknown node 'nowhere'"} in findings
    assert all(set(f) == {"file", "line", "column", "severity", "code", "message"} for f in findings)


def test_validate_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_crossing("validate", str(tmp_path / "nope")).returncode == 2
    assert run_crossing("validate", "--format", "xml", str(MINI)).returncode == 2


def test_folder_without_story_yaml_is_an_error(tmp_path: Path) -> None:
    result = run_crossing("validate", str(tmp_path))
    assert result.returncode == 1
    assert "has no story.yaml" in result.stdout


def test_play_with_choices_is_reproducible() -> None:
    first = run_crossing("play", str(MINI), "--choices", "2", "--seed", "5", "--plain")
    second = run_crossing("play", str(MINI), "--choices", "2", "--seed", "5", "--plain")
    assert first.returncode == 0 and first.stdout == second.stdout
    assert "== Across ==" in first.stdout or "== Sent back ==" in first.stdout
    outcomes = {("Across" in run_crossing("play", str(MINI), "--choices", "2", "--seed", str(s)).stdout) for s in range(12)}
    assert outcomes == {True, False}  # the seed really drives the draw


def test_play_reads_piped_choices_and_asks_again_on_bad_lines() -> None:
    result = run_crossing("play", str(MINI), "--plain", input="\nzz\n9\n1\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Choose 1-2 (h for help):") == 4
    assert "There is no choice 9 here" in result.stdout and "'zz' is not a key here" in result.stdout
    assert "== Across ==" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_play_stops_cleanly_when_input_ends() -> None:
    result = run_crossing("play", str(MINI), "--plain", "--seed", "3", input="")
    assert result.returncode == 0
    assert "The run stopped before an ending (seed 3)." in result.stdout


def test_plain_and_no_color_have_no_boxes_or_colour() -> None:
    plain = run_crossing("play", str(MINI), "--choices", "1", "--plain")
    assert not BOX_CHARS & set(plain.stdout) and "\x1b[" not in plain.stdout
    no_color = run_crossing("play", str(MINI), "--choices", "1", env={"NO_COLOR": "1"})
    assert no_color.stdout == plain.stdout
    boxed = run_crossing("play", str(MINI), "--choices", "1", env={"NO_COLOR": ""})
    assert BOX_CHARS & set(boxed.stdout)


def test_play_refuses_a_broken_story(tmp_path: Path) -> None:
    root = write_story(tmp_path / "broken", {"story.yaml": BASE_META, "a.yaml": "nodes:\n  start:\n    text: x\n"})
    result = run_crossing("play", str(root))
    assert result.returncode == 1
    assert "broken/a.yaml:2:3: error: node 'start' has no choices and is not an ending" in result.stderr
    assert "Traceback" not in result.stderr


def test_schema_is_json_schema_covering_the_format() -> None:
    result = run_crossing("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    node = schema["properties"]["nodes"]["additionalProperties"]
    assert {"text", "choices", "ending", "facts", "risk", "route", "place", "gentle_text", "content_warnings"} <= set(node["properties"])
    assert set(schema["properties"]) >= {"title", "start", "variables", "sources", "nodes"}


def test_schema_output_file(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    assert run_crossing("schema", "--output", str(target)).returncode == 0
    assert json.loads(target.read_text())["title"] == "Crossing story file"


def test_glossary_command(tmp_path: Path) -> None:
    root = write_story(tmp_path / "g", {"story.yaml": "title: t\nstart: e\nglossary:\n  Hanawon: A resettlement centre.\n",
                                        "n.yaml": "nodes:\n  e:\n    text: x\n    ending: {kind: safety}\n"})
    result = run_crossing("glossary", str(root), "--plain")
    assert result.returncode == 0
    assert "Hanawon  A resettlement centre." in result.stdout


def test_schema_output_problems_are_messages(tmp_path: Path) -> None:
    result = run_crossing("schema", "--output", str(tmp_path / "missing" / "schema.json"))
    assert result.returncode == 1
    assert "cannot write the schema to" in result.stderr and "Traceback" not in result.stderr


def test_version() -> None:
    result = run_crossing("--version")
    assert result.returncode == 0 and result.stdout.startswith("crossing ")
