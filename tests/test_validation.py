"""Every validation problem has a small broken story here, checked for its message, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from crossing.validation import validate_path
from helpers import BASE_META, write_story

GOOD_NODES = """\
nodes:
  start:
    title: Start
    text: The beginning.
    facts:
      - claim: Something true.
        source: src
    choices:
      - text: Go on
        goto: end
  end:
    text: The end.
    ending:
      kind: safety
      title: End
"""


def problems(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, int, int, str, str, str]]:
    result = validate_path(write_story(tmp_path / "s", files))
    return [(Path(d.file).name, d.line, d.column, d.severity, d.code, d.message) for d in result.diagnostics]


def only(tmp_path: Path, files: dict[str, str]) -> tuple[str, int, int, str, str, str]:
    found = problems(tmp_path, files)
    assert len(found) == 1, found
    return found[0]


def test_good_story_is_clean(tmp_path: Path) -> None:
    assert problems(tmp_path, {"story.yaml": BASE_META, "a.yaml": GOOD_NODES}) == []


CASES = [
    # (id, nodes file text replacing GOOD_NODES or a (old, new) edit, expected (file, line, col, severity, code, message))
    ("yaml-syntax", ("    text: The beginning.\n", "    text: [unclosed\n"),
     ("a.yaml", 5, 10, "error", "yaml-syntax", "YAML syntax: while parsing a flow sequence did not find expected ',' or ']'")),
    ("unknown-key", ("    title: Start\n", "    titel: Start\n"),
     ("a.yaml", 3, 5, "error", "unknown-key", "unknown key 'titel' in node 'start' (did you mean 'title'?)")),
    ("missing-text", ("    text: The beginning.\n", ""),
     ("a.yaml", 3, 5, "error", "missing-field", "node 'start' is missing the required field 'text'")),
    ("wrong-type", ("    title: Start\n", "    title: [a, b]\n"),
     ("a.yaml", 3, 12, "error", "wrong-type", "title must be a single value, not a list")),
    ("both-goto-outcomes", ("        goto: end\n", "        goto: end\n        outcomes:\n          - {weight: 1, goto: end}\n"),
     ("a.yaml", 9, 9, "error", "choice-target", "a choice needs exactly one of 'goto' or 'outcomes', this one has both 'goto' and 'outcomes'")),
    ("neither-goto-outcomes", ("        goto: end\n", ""),
     ("a.yaml", 9, 9, "error", "choice-target", "a choice needs exactly one of 'goto' or 'outcomes', this one has neither 'goto' nor 'outcomes'")),
    ("non-positive-weight", ("        goto: end\n", "        outcomes:\n          - weight: 0\n            goto: end\n"),
     ("a.yaml", 11, 21, "error", "bad-weight", "weight must be a positive number, not 0")),
    ("unknown-goto", ("        goto: end\n", "        goto: edn\n"),
     ("a.yaml", 10, 15, "error", "unknown-node", "goto to the unknown node 'edn' (did you mean 'end'?)")),
    ("undeclared-variable", ("        goto: end\n", "        goto: end\n        if: mony > 5\n"),
     ("a.yaml", 11, 13, "error", "unknown-variable", "'mony > 5' in node 'start' uses the undeclared variable 'mony' (did you mean 'money'?)")),
    ("set-undeclared", ("        goto: end\n", "        goto: end\n        set:\n          cash: 5\n"),
     ("a.yaml", 12, 11, "error", "unknown-variable", "'set' names the undeclared variable 'cash'")),
    ("unknown-node-in-expression", ("        goto: end\n", "        goto: end\n        if: visited(\"strat\")\n"),
     ("a.yaml", 11, 13, "error", "unknown-node", "'visited(\"strat\")' in node 'start' refers to the unknown node 'strat' (did you mean 'start'?)")),
    ("expression-syntax", ("        goto: end\n", "        goto: end\n        if: money >> 5\n"),
     ("a.yaml", 11, 20, "error", "expression-syntax", "the condition 'money >> 5': unexpected '>'")),
    ("expression-type", ("        goto: end\n", "        goto: end\n        if: money + 1\n"),
     ("a.yaml", 11, 13, "error", "expression-type", "the condition 'money + 1' in node 'start' must be true or false, not a number")),
    ("assignment-type", ("        goto: end\n", "        goto: end\n        set:\n          papers: money + 1\n"),
     ("a.yaml", 12, 19, "error", "expression-type", "'papers' holds a bool, but 'money + 1' gives a number")),
    ("unknown-source", ("        source: src\n", "        source: scr\n"),
     ("a.yaml", 7, 17, "error", "unknown-source", "fact cites the unknown source 'scr' (did you mean 'src'?)")),
    ("ending-with-choices", ("      title: End\n", "      title: End\n    choices:\n      - text: Again\n        goto: start\n"),
     ("a.yaml", 17, 7, "error", "ending-with-choices", "node 'end' is an ending and cannot have choices")),
    ("no-choices", ("    choices:\n      - text: Go on\n        goto: end\n", ""),
     ("a.yaml", 2, 3, "error", "no-choices", "node 'start' has no choices and is not an ending")),
    ("duplicate-key", ("    title: Start\n", "    title: Start\n    title: Again\n"),
     ("a.yaml", 4, 5, "error", "duplicate-key", "duplicate key 'title' in node 'start' (first defined on line 3)")),
    ("python-tag", ("    text: The beginning.\n", "    text: !!python/object/apply:os.system [ls]\n"),
     ("a.yaml", 4, 11, "error", "yaml-unsafe", "the YAML tag '!!python/object/apply:os.system' is not allowed in a story (stories are plain data)")),
    ("scalar-tag", ("    text: The beginning.\n", "    text: !!binary aGVsbG8=\n"),
     ("a.yaml", 4, 11, "error", "yaml-unsafe", "the YAML tag '!!binary' is not allowed in a story (stories are plain data)")),
]


@pytest.mark.parametrize(("edit", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_problem_is_reported_with_its_position(tmp_path: Path, edit: tuple[str, str], expected: tuple[object, ...]) -> None:
    old, new = edit
    assert old in GOOD_NODES
    found = problems(tmp_path, {"story.yaml": BASE_META, "a.yaml": GOOD_NODES.replace(old, new, 1)})
    assert expected in found, found
    # One mistake, one message: nothing else is reported as an error.
    assert [f for f in found if f[3] == "error" and f != expected] == []


def test_no_ending_reachable(tmp_path: Path) -> None:
    nodes = GOOD_NODES + """\
  loop-a:
    text: Round.
    choices:
      - text: Again
        goto: loop-b
  loop-b:
    text: And round.
    choices:
      - text: Again
        goto: loop-a
"""
    nodes = nodes.replace("        goto: end\n", "        goto: end\n      - text: Loop\n        goto: loop-a\n", 1)
    found = problems(tmp_path, {"story.yaml": BASE_META, "a.yaml": nodes})
    codes = {(f[1], f[4]) for f in found}
    assert (18, "no-ending-reachable") in codes and (23, "no-ending-reachable") in codes
    assert ("a.yaml", 18, 3, "error", "no-ending-reachable", "no ending can be reached from node 'loop-a'") in found


def test_duplicate_node_across_files(tmp_path: Path) -> None:
    found = problems(tmp_path, {"story.yaml": BASE_META, "a.yaml": GOOD_NODES,
                                "b.yaml": "nodes:\n  end:\n    text: Again.\n    ending: {kind: x}\n"})
    assert ("b.yaml", 2, 3, "error", "duplicate-node", "node 'end' is already defined at s/a.yaml:11:3") in found


def test_missing_start(tmp_path: Path) -> None:
    meta = BASE_META.replace("start: start\n", "")
    assert ("story.yaml", 1, 1, "error", "missing-field", "story.yaml is missing the required field 'start'") in problems(
        tmp_path, {"story.yaml": meta, "a.yaml": GOOD_NODES})


def test_unknown_start(tmp_path: Path) -> None:
    meta = BASE_META.replace("start: start\n", "start: strat\n")
    found = problems(tmp_path, {"story.yaml": meta, "a.yaml": GOOD_NODES})
    assert ("story.yaml", 2, 8, "error", "unknown-start", "start names the unknown node 'strat' (did you mean 'start'?)") in found


def test_warnings_unreachable_and_uncited(tmp_path: Path) -> None:
    meta = BASE_META + "  other:\n    title: B\n    publisher: C\n    year: 2001\n"
    nodes = GOOD_NODES + "  island:\n    text: Alone.\n    ending: {kind: safety}\n"
    found = problems(tmp_path, {"story.yaml": meta, "a.yaml": nodes})
    assert ("a.yaml", 16, 3, "warning", "unreachable", "node 'island' cannot be reached from the start") in found
    assert ("story.yaml", 12, 3, "warning", "unused-source", "source 'other' is never cited") in found
    assert all(f[3] == "warning" for f in found)


def test_lints_for_authors(tmp_path: Path) -> None:
    nodes = GOOD_NODES.replace("    text: The end.\n", "    text: Game over, try again.\n").replace(
        "    facts:\n      - claim: Something true.\n        source: src\n", "    facts:\n      - claim: Unsourced.\n")
    found = problems(tmp_path, {"story.yaml": BASE_META, "a.yaml": nodes})
    codes = {f[4] for f in found}
    assert {"win-lose-wording", "fact-without-source", "unused-source"} <= codes
    assert any(f[4] == "win-lose-wording" and "game over" in f[5].lower() for f in found)


def test_scene_without_fact_is_a_warning(tmp_path: Path) -> None:
    nodes = GOOD_NODES.replace("    facts:\n      - claim: Something true.\n        source: src\n", "")
    found = problems(tmp_path, {"story.yaml": BASE_META, "a.yaml": nodes})
    assert ("a.yaml", 2, 3, "warning", "scene-without-fact", "scene 'start' rests on no fact") in found


def test_every_problem_in_one_run_sorted(tmp_path: Path) -> None:
    nodes = GOOD_NODES.replace("        goto: end\n", "        goto: nowhere\n").replace("    title: Start\n", "    titel: Start\n")
    broken = "nodes:\n  x: [\n"
    found = problems(tmp_path, {"story.yaml": BASE_META, "a.yaml": nodes, "b.yaml": broken})
    errors = [f for f in found if f[3] == "error"]
    # b.yaml could not be read, so references are not checked (they might point into it).
    assert [f[4] for f in errors] == ["unknown-key", "yaml-syntax"]
    assert errors == sorted(errors, key=lambda f: (f[0], f[1], f[2]))


def test_literal_text_for_text_variables(tmp_path: Path) -> None:
    nodes = GOOD_NODES.replace("        goto: end\n", "        goto: end\n        set:\n          name: soldier\n          money: money - 5\n")
    result = validate_path(write_story(tmp_path / "s", {"story.yaml": BASE_META, "a.yaml": nodes}))
    assert result.errors == []
    assert result.story is not None
    choice = result.story.nodes["start"].choices[0]
    assert [(a.variable, a.expression.evaluate({"money": 10}, set())) for a in choice.assignments] == [("name", "soldier"), ("money", 5)]


def test_bad_node_id(tmp_path: Path) -> None:
    nodes = GOOD_NODES.replace("  end:\n", "  The End:\n").replace("goto: end\n", "goto: The End\n")
    found = problems(tmp_path, {"story.yaml": BASE_META, "a.yaml": nodes})
    assert found == [("a.yaml", 11, 3, "error", "bad-id", "node id 'The End' may use only lowercase letters, digits, '-' and '_'")]


def test_a_broken_condition_does_not_hide_the_rest_of_the_choice(tmp_path: Path) -> None:
    nodes = GOOD_NODES.replace("        goto: end\n", "        goto: end\n        if: mony >= 50 and\n        set:\n          cash: 1\n")
    found = problems(tmp_path, {"story.yaml": BASE_META, "a.yaml": nodes})
    assert [(f[1], f[4]) for f in found if f[3] == "error"] == [(11, "expression-syntax"), (13, "unknown-variable")]
    assert "the expression ends where a value is expected" in found[0][5]


def test_a_yaml_error_does_not_claim_sources_are_uncited(tmp_path: Path) -> None:
    found = problems(tmp_path, {"story.yaml": BASE_META, "a.yaml": GOOD_NODES, "b.yaml": "nodes:\n  x: [\n"})
    assert [f[4] for f in found] == ["yaml-syntax"]


def test_any_file_of_a_story_stands_for_its_folder(tmp_path: Path) -> None:
    root = write_story(tmp_path / "s", {"story.yaml": BASE_META, "a.yaml": GOOD_NODES})
    assert validate_path(root / "a.yaml").diagnostics == []
