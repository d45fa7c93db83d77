from __future__ import annotations

import pytest

from crossing.expressions import (
    EvaluationError,
    ExpressionError,
    infer_type,
    parse,
)

ENV = {"money": 100, "health": 2, "papers": False, "name": "Mi-rae", "rate": 0.5}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("7 // 2", 3),
        ("7 % 4", 3),
        ("7 / 2", 3.5),
        ("-money + 10", -90),
        ("money >= 50 and not papers", True),
        ("money < 50 or papers", False),
        ("not not true", True),
        ('name == "Mi-rae"', True),
        ("name != 'x'", True),
        ('"a" + "b" == "ab"', True),
        ("health - 1 > 0", True),
        ("rate * 4", 2.0),
        ("1 == 1.0", True),
        ("papers == false", True),
        ('visited("river")', True),
        ('visited("sea")', False),
        ("1 - 2 - 3", -4),
        ("100 / 10 / 5", 2.0),
    ],
)
def test_evaluates(source: str, expected: object) -> None:
    assert parse(source).evaluate(ENV, {"river"}) == expected


@pytest.mark.parametrize(
    ("source", "message", "offset"),
    [
        ("money >", "expected", 7),
        ("money.__class__", "'.'", 5),
        ("__import__('os')", "'__import__(...)' is not allowed", 0),
        ("open('x')", "'open(...)' is not allowed", 0),
        ("lambda: 1", "':'", 6),
        ("[x for x in money]", "'['", 0),
        ("2 ** 10", "'**'", 2),
        ("1 < 2 < 3", "cannot be chained", 6),
        ("visited(river)", "one quoted node id", 8),
        ("'open", "closed on the same line", 0),
        ("money = 5", "'='", 6),
        ("", "empty expression", 0),
        ("(" * 70 + "1" + ")" * 70, "nested more than", 64),
        ("1" * 20, "longer than 15 digits", 0),
        ("money money", "unexpected 'money'", 6),
    ],
)
def test_rejects_with_position(source: str, message: str, offset: int) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(source)
    assert message in info.value.message
    assert info.value.offset == offset


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("money / (health - 2)", "division by zero"),
        ("money // 0", "division by zero"),
        ("money % 0", "division by zero"),
        ("papers + 1", "needs numbers"),
        ("name < 3", "cannot compare"),
        ("money and papers", "needs true or false"),
        ("not money", "needs true or false"),
        ("-name", "needs numbers"),
        ("999999999999999 * 999999999999999", "too large"),
        ("missing + 1", "unknown variable"),
    ],
)
def test_runtime_errors_are_evaluation_errors(source: str, problem: str) -> None:
    with pytest.raises(EvaluationError, match=problem):
        parse(source).evaluate(ENV, set())


def test_infers_types_and_reports_mismatches() -> None:
    types = {"money": "number", "papers": "bool", "name": "string"}
    assert infer_type(parse("money + 1").tree, types) == ("number", [])  # type: ignore[arg-type]
    assert infer_type(parse("money > 1 and papers").tree, types)[0] == "bool"  # type: ignore[arg-type]
    _, problems = infer_type(parse("papers + 1").tree, types)  # type: ignore[arg-type]
    assert [p.message for p in problems] == ["'+' needs numbers, not a bool"]
    _, problems = infer_type(parse('name == 3').tree, types)  # type: ignore[arg-type]
    assert problems[0].message == "'==' compares a string with a number"
    assert problems[0].offset == 5


def test_names_and_visited_refs_are_listed() -> None:
    expr = parse('money > 5 and visited("river") or not papers')
    assert [n.name for n in expr.names()] == ["money", "papers"]
    assert [v.node_id for v in expr.visited_ids()] == ["river"]


def test_booleans_are_not_numbers() -> None:
    with pytest.raises(EvaluationError):
        parse("papers * 2").evaluate(ENV, set())
    assert parse("papers == 0").evaluate(ENV, set()) is False
