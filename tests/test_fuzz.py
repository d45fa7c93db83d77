"""Fuzzing (Hypothesis) the two doors a story comes in by: the expression parser and the loader.

Whatever the input, parsing raises only ExpressionError, evaluating only EvaluationError, and loading or
validating never raises at all (every problem is a diagnostic). Structured random stories that validate
are then walked: playing raises only the project's own CrossingError.
"""

from __future__ import annotations

import contextlib
import random
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossing.diagnostics import CrossingError
from crossing.engine import Engine
from crossing.expressions import EvaluationError, ExpressionError, infer_type, parse
from crossing.loader import load_story
from crossing.validation import validate_path

FUZZ = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
FEW = settings(FUZZ, max_examples=60)

# ------------------------------------------------------------------------------------- expressions

NAMES = ["money", "papers", "name", "rate", "missing"]
ENVS = st.fixed_dictionaries({
    "money": st.one_of(st.integers(-10**18, 10**18), st.floats(allow_nan=True, allow_infinity=True)),
    "papers": st.booleans(),
    "name": st.text(max_size=30),
    "rate": st.floats(allow_nan=False, allow_infinity=True),
})
TYPES = {"money": "number", "papers": "bool", "name": "string", "rate": "number"}


def atoms() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(0, 10**20).map(str),
        st.decimals(allow_nan=False, allow_infinity=False, places=3).map(lambda d: str(abs(d))),
        st.sampled_from(["true", "false", '"text"', "'x'", '""', *NAMES]),
        st.sampled_from(["visited(\"a\")", "visited('b')", "visited(a)", "visited()", "open('x')", "a.b", "x[0]"]),
    )


def grammar_shaped() -> st.SearchStrategy[str]:
    ops = ["+", "-", "*", "/", "//", "%", "==", "!=", "<", "<=", ">", ">=", "and", "or", "**", "=", "<>", ","]
    return st.recursive(
        atoms(),
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(ops), inner).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
            st.tuples(st.sampled_from(["not ", "-", "+", "not not ", "("]), inner).map("".join),
            inner.map(lambda s: f"({s})"),
            st.tuples(inner, st.sampled_from(["", ")", "(", " if x else y", ":", " lambda"])).map("".join),
        ),
        max_leaves=40,
    )


@FUZZ
@given(st.text(max_size=200))
def test_random_text_parses_or_raises_expression_error(source: str) -> None:
    try:
        parse(source)
    except ExpressionError as exc:
        assert 0 <= exc.offset <= len(source)


@FUZZ
@given(st.text(alphabet="()+-*/%<>=!&|. \"'0123456789.abnotrufvisdx_", max_size=120))
def test_operator_soup_parses_or_raises_expression_error(source: str) -> None:
    with contextlib.suppress(ExpressionError):
        parse(source)


@FUZZ
@given(grammar_shaped(), ENVS, st.sets(st.sampled_from(["a", "b"])))
def test_grammar_shaped_expressions_parse_check_and_evaluate_safely(source: str, env: dict[str, Any], visited: set[str]) -> None:
    try:
        expression = parse(source)
    except ExpressionError:
        return
    infer_type(expression.tree, TYPES)  # type: ignore[arg-type]
    try:
        value = expression.evaluate(env, visited)
    except EvaluationError:
        return
    assert isinstance(value, int | float | bool | str)


@FUZZ
@given(st.integers(1, 400), st.sampled_from(["+", "and", "or", "-", "*"]))
def test_long_chains_never_exhaust_the_stack(length: int, op: str) -> None:
    source = f" {op} ".join(["1"] * length) if op not in ("and", "or") else f" {op} ".join(["true"] * length)
    try:
        expression = parse(source)
    except ExpressionError as exc:
        assert "operators deep" in exc.message or "longer than" in exc.message
        return
    with contextlib.suppress(EvaluationError):
        expression.evaluate({}, set())


# ------------------------------------------------------------------------------------------ loader

YAMLISH = st.lists(
    st.one_of(
        st.sampled_from(["title", "start", "nodes", "variables", "sources", "text", "choices", "goto", "if", "set",
                         "outcomes", "weight", "ending", "kind", "facts", "claim", "source", "risk", "level",
                         "glossary", "places", "lat", "lon", "routes", "x", "a", "b"]),
        st.sampled_from([":", ": ", "\n", "\n  ", "\n    ", "- ", "[", "]", "{", "}", ", ", "&a ", "*a", "&b ", "*b",
                         "!!python/object:os.system ", "!t ", "? ", "|\n", ">\n", "'", '"', "#", "---\n", "<<: ",
                         "~", "null", "true", "1e400", "0x1F", "2024-01-01", "\t", "\\e[2J", "\ufeff", "\x00"]),
        st.text(max_size=8),
    ),
    max_size=80,
).map("".join)


def load_and_validate(files: dict[str, str | bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "story"
        root.mkdir()
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", errors="surrogatepass")
        load_story(root)  # never raises
        result = validate_path(root)
        if result.story is None:
            assert result.errors, "a story that failed to load must say why"


@FUZZ
@given(YAMLISH, YAMLISH)
def test_yaml_ish_text_never_breaks_the_loader(meta: str, nodes: str) -> None:
    load_and_validate({"story.yaml": "title: t\nstart: a\n" + meta, "nodes.yaml": nodes})


@FEW
@given(st.binary(max_size=300), st.binary(max_size=300))
def test_random_bytes_never_break_the_loader(meta: bytes, nodes: bytes) -> None:
    load_and_validate({"story.yaml": meta, "n/nodes.yaml": nodes})


# ---------------------------------------------------------------------------- structured stories

IDS = st.sampled_from(["start", "a", "b", "c", "end", "gone", "bad id", ""])
EXPRESSIONS = st.one_of(grammar_shaped(), st.integers(-5, 5), st.booleans())
ANY_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-10, 10**30), st.floats(), st.text(max_size=20))


def choices() -> st.SearchStrategy[dict[str, Any]]:
    outcome = st.fixed_dictionaries({"weight": st.one_of(st.integers(-1, 5), st.floats()), "goto": IDS},
                                    optional={"set": st.dictionaries(st.sampled_from(["money", "papers", "x"]), EXPRESSIONS, max_size=2)})
    return st.fixed_dictionaries(
        {"text": st.one_of(st.text(max_size=30), ANY_SCALAR)},
        optional={
            "goto": IDS,
            "outcomes": st.lists(outcome, max_size=3),
            "if": EXPRESSIONS,
            "set": st.dictionaries(st.sampled_from(["money", "papers", "name", "x"]), EXPRESSIONS, max_size=3),
        },
    )


NODE = st.fixed_dictionaries(
    {"text": st.one_of(st.text(min_size=1, max_size=40), ANY_SCALAR)},
    optional={
        "title": st.text(max_size=20),
        "choices": st.lists(choices(), max_size=3),
        "ending": st.fixed_dictionaries({"kind": st.sampled_from(["safety", "caught", ""])}),
        "risk": st.fixed_dictionaries({"level": st.sampled_from(["low", "high", "huge"])}),
        "facts": st.lists(st.fixed_dictionaries({"claim": st.text(max_size=10)}, optional={"source": st.text(max_size=5)}), max_size=2),
        "content_warnings": st.lists(st.sampled_from(["violence", "death", "spiders"]), max_size=2),
        "gentle_text": st.text(max_size=20),
    },
)
STORY = st.fixed_dictionaries({
    "meta": st.fixed_dictionaries(
        {"title": st.one_of(st.text(min_size=1, max_size=20), ANY_SCALAR), "start": IDS},
        optional={
            "variables": st.dictionaries(st.sampled_from(["money", "papers", "name", "and", "1x"]), ANY_SCALAR, max_size=4),
            "version": st.text(max_size=5),
        },
    ),
    "nodes": st.dictionaries(IDS, NODE, max_size=6),
})


@FEW
@given(STORY, st.integers(0, 2**31))
def test_structured_random_stories_validate_and_play_safely(story: dict[str, Any], seed: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "story.yaml").write_text(yaml.safe_dump(story["meta"], allow_unicode=True), encoding="utf-8")
        (root / "nodes.yaml").write_text(yaml.safe_dump({"nodes": story["nodes"]}, allow_unicode=True), encoding="utf-8")
        result = validate_path(root)
        if result.errors or result.story is None:
            return
        dice = random.Random(seed)
        for _ in range(3):
            engine = Engine(result.story, dice.randrange(2**31))
            try:
                for _ in range(30):
                    if engine.finished:
                        break
                    offered = engine.offered()
                    engine.choose(dice.randrange(len(offered)) + 1)
                    if dice.random() < 0.2:
                        engine.back()
            except CrossingError:
                continue


# ------------------------------------------------------------ edges found while fuzzing, kept as examples


def test_only_ascii_digits_are_numbers() -> None:
    with contextlib.suppress(ExpressionError):
        parse("١ + 1")  # an Arabic-Indic digit: int() would accept it, the language does not
        raise AssertionError("a non-ASCII digit was read as a number")


def test_a_long_chain_is_refused_before_anything_recurses() -> None:
    try:
        parse("+".join(["1"] * 999))  # 1997 characters: within the length limit
    except ExpressionError as exc:
        assert "operators deep" in exc.message
    else:
        raise AssertionError("998 chained operators were accepted")
    assert parse(" + ".join(["1"] * 100)).evaluate({}, set()) == 100


def test_huge_declared_numbers_fail_as_evaluation_errors() -> None:
    env: dict[str, Any] = {"big": 10**4000, "inf": float("inf"), "word": "ab" * 3000}
    for source in ("big / 3", "big * 1.5", "big + 1", "inf * 0", "inf - inf", "word + word"):
        try:
            parse(source).evaluate(env, set())
        except EvaluationError:
            continue
        raise AssertionError(f"{source} was computed")
