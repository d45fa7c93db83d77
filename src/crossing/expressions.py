"""The story expression language: a small safe parser, a static checker and compiled evaluators.

Grammar (lowest precedence first)::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (("=="|"!="|"<"|"<="|">"|">=") sum)?
    sum     := product (("+"|"-") product)*
    product := unary (("*"|"/"|"//"|"%") unary)*
    unary   := ("-"|"+") unary | atom
    atom    := NUMBER | STRING | "true" | "false" | NAME | "visited" "(" STRING ")" | "(" expr ")"

Nothing is ever handed to ``eval``: the text becomes a tree of the classes below, and the tree is turned
into plain Python closures once, at load time, so that play, random runs and analysis never re-parse.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Mapping
from typing import Literal

from crossing.immutable import immutable

Value = int | float | bool | str
Env = Mapping[str, Value]
Evaluator = Callable[[Env, Container[str]], Value]
TypeName = Literal["number", "bool", "string"]

MAX_SOURCE_LENGTH = 2_000
MAX_DEPTH = 64
# Operators chained without brackets (1 + 1 + ... + 1) build a tree as deep as the chain, and compiling,
# type checking and evaluating recurse once per level: bounded so no expression can exhaust the stack.
MAX_HEIGHT = 128
MAX_NUMBER_DIGITS = 15
# Results beyond this size are refused: no story needs them and they could only slow everything down.
MAX_MAGNITUDE = 10**15
# Joining texts is refused beyond this length: a loop of `name: name + name` would otherwise double a
# text at every step until memory runs out.
MAX_TEXT_LENGTH = 10_000


class ExpressionError(Exception):
    """A problem in an expression's text, with the character offset where it was found."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class EvaluationError(Exception):
    """A run-time problem (a type mismatch, division by zero) in an expression that did parse."""


# ---------------------------------------------------------------------------------------------- tree


@immutable
class Literal_:
    """A number, text or true/false written in an expression."""

    value: Value
    offset: int


@immutable
class Name:
    """A variable named in an expression."""

    name: str
    offset: int


@immutable
class Visited:
    """``visited("node")``: whether the run has been to a scene."""

    node_id: str
    offset: int


@immutable
class Unary:
    """``not x``, ``-x`` or ``+x``."""

    op: str
    operand: Expr
    offset: int


@immutable
class Binary:
    """Two sub-expressions joined by an operator (arithmetic, comparison, and/or)."""

    op: str
    left: Expr
    right: Expr
    offset: int


Expr = Literal_ | Name | Visited | Unary | Binary


@immutable
class Expression:
    """A parsed expression: its source text, its tree and its compiled evaluator."""

    source: str
    tree: Expr
    evaluate: Evaluator
    # Listed once at parse time: validation and analysis ask for them many times.
    variable_refs: tuple[Name, ...] = ()
    visited_refs: tuple[Visited, ...] = ()

    def names(self) -> tuple[Name, ...]:
        return self.variable_refs

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Closures cannot be pickled: keep the tree and compile it again (cheap) when loaded.
        return (_restore, (self.source, self.tree, self.variable_refs, self.visited_refs))

    def visited_ids(self) -> tuple[Visited, ...]:
        return self.visited_refs


def walk(tree: Expr) -> list[Expr]:
    """Every sub-tree, parents first (iterative, so deep trees cannot overflow the stack)."""
    out: list[Expr] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        out.append(node)
        if isinstance(node, Unary):
            stack.append(node.operand)
        elif isinstance(node, Binary):
            stack.extend((node.right, node.left))
    return out


def _height(tree: Expr) -> int:
    """How deep the tree is (iterative: it is asked before anything recursive may run)."""
    deepest = 0
    stack: list[tuple[Expr, int]] = [(tree, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(node, Unary):
            stack.append((node.operand, level + 1))
        elif isinstance(node, Binary):
            stack.extend(((node.left, level + 1), (node.right, level + 1)))
    return deepest


# ------------------------------------------------------------------------------------------- tokens

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>[0-9]+(?:\.[0-9]+)?)
  | (?P<string>"[^"\\\n]*"|'[^'\\\n]*')
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>//|==|!=|<=|>=|[-+*/%<>()])
    """,
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "true", "false"}
_COMPARISONS = {"==", "!=", "<", "<=", ">", ">="}


@immutable
class _Token:
    """One token of an expression's text, with its offset for error messages."""

    kind: str
    text: str
    offset: int


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None:
            char = source[pos]
            hint = ""
            if char in "\"'":
                hint = " (strings must be closed on the same line)"
            elif char in "[]{}.,=!&|^~@:;":
                hint = f" ('{char}' is not part of the expression language)"
            raise ExpressionError(f"unexpected character {char!r}{hint}", pos)
        kind = match.lastgroup or ""
        if kind != "space":
            text = match.group()
            if kind == "name" and text in _KEYWORDS:
                kind = text
            tokens.append(_Token(kind, text, pos))
        pos = match.end()
    tokens.append(_Token("end", "", len(source)))
    return tokens


# ------------------------------------------------------------------------------------------- parser


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = _tokenize(source)
        self.pos = 0
        self.depth = 0

    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expect(self, kind: str, what: str) -> _Token:
        token = self.peek()
        if token.kind != kind and token.text != kind:
            raise ExpressionError(f"expected {what}, found {_describe(token)}", token.offset)
        return self.take()

    def enter(self, offset: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"expression nested more than {MAX_DEPTH} levels deep", offset)

    def parse(self) -> Expr:
        tree = self.parse_or()
        token = self.peek()
        if token.kind != "end":
            raise ExpressionError(f"unexpected {_describe(token)}", token.offset)
        return tree

    def parse_or(self) -> Expr:
        left = self.parse_and()
        while self.peek().kind == "or":
            token = self.take()
            left = Binary("or", left, self.parse_and(), token.offset)
        return left

    def parse_and(self) -> Expr:
        left = self.parse_not()
        while self.peek().kind == "and":
            token = self.take()
            left = Binary("and", left, self.parse_not(), token.offset)
        return left

    def parse_not(self) -> Expr:
        token = self.peek()
        if token.kind == "not":
            self.take()
            self.enter(token.offset)
            operand = self.parse_not()
            self.depth -= 1
            return Unary("not", operand, token.offset)
        return self.parse_compare()

    def parse_compare(self) -> Expr:
        left = self.parse_sum()
        token = self.peek()
        if token.text in _COMPARISONS and token.kind == "op":
            self.take()
            right = self.parse_sum()
            after = self.peek()
            if after.text in _COMPARISONS and after.kind == "op":
                raise ExpressionError(
                    "comparisons cannot be chained: join them with 'and'", after.offset
                )
            return Binary(token.text, left, right, token.offset)
        return left

    def parse_sum(self) -> Expr:
        left = self.parse_product()
        while self.peek().text in ("+", "-") and self.peek().kind == "op":
            token = self.take()
            left = Binary(token.text, left, self.parse_product(), token.offset)
        return left

    def parse_product(self) -> Expr:
        left = self.parse_unary()
        while self.peek().text in ("*", "/", "//", "%") and self.peek().kind == "op":
            token = self.take()
            if self.peek().text == "*":
                raise ExpressionError("'**' (power) is not part of the language", token.offset)
            left = Binary(token.text, left, self.parse_unary(), token.offset)
        return left

    def parse_unary(self) -> Expr:
        token = self.peek()
        if token.kind == "op" and token.text in ("-", "+"):
            self.take()
            self.enter(token.offset)
            operand = self.parse_unary()
            self.depth -= 1
            return Unary(token.text, operand, token.offset)
        return self.parse_atom()

    def parse_atom(self) -> Expr:
        token = self.take()
        if token.kind == "number":
            return Literal_(_number(token), token.offset)
        if token.kind == "string":
            return Literal_(token.text[1:-1], token.offset)
        if token.kind in ("true", "false"):
            return Literal_(token.kind == "true", token.offset)
        if token.kind == "name":
            if self.peek().text == "(":
                return self.parse_call(token)
            if self.peek().text == ".":
                raise ExpressionError("attribute access is not allowed", self.peek().offset)
            return Name(token.text, token.offset)
        if token.text == "(":
            self.enter(token.offset)
            inner = self.parse_or()
            self.depth -= 1
            self.expect(")", "')'")
            return inner
        if token.kind == "end":
            raise ExpressionError("the expression ends where a value is expected", token.offset)
        raise ExpressionError(f"unexpected {_describe(token)}", token.offset)

    def parse_call(self, name: _Token) -> Expr:
        if name.text != "visited":
            raise ExpressionError(
                f"'{name.text}(...)' is not allowed: the only function is visited(\"node-id\")",
                name.offset,
            )
        self.expect("(", "'('")
        argument = self.peek()
        if argument.kind != "string":
            raise ExpressionError('visited() takes one quoted node id, e.g. visited("river")', argument.offset)
        self.take()
        self.expect(")", "')' after the node id")
        return Visited(argument.text[1:-1], name.offset)


def _number(token: _Token) -> int | float:
    digits = token.text.replace(".", "")
    if len(digits) > MAX_NUMBER_DIGITS:
        raise ExpressionError(f"number literal longer than {MAX_NUMBER_DIGITS} digits", token.offset)
    return float(token.text) if "." in token.text else int(token.text)


def _describe(token: _Token) -> str:
    return "the end of the expression" if token.kind == "end" else repr(token.text)


# ----------------------------------------------------------------------------------------- checker


def type_of_value(value: Value) -> TypeName:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return "string"
    return "number"


@immutable
class TypeProblem:
    """A type error found in an expression before any run, with the offset it points at."""

    message: str
    offset: int


def infer_type(tree: Expr, variables: Mapping[str, TypeName]) -> tuple[TypeName | None, list[TypeProblem]]:
    """The type an expression yields and every type problem in it (unknown names are left to callers)."""
    problems: list[TypeProblem] = []

    def visit(node: Expr) -> TypeName | None:
        if isinstance(node, Literal_):
            return type_of_value(node.value)
        if isinstance(node, Name):
            return variables.get(node.name)
        if isinstance(node, Visited):
            return "bool"
        if isinstance(node, Unary):
            inner = visit(node.operand)
            wanted: TypeName = "bool" if node.op == "not" else "number"
            if inner is not None and inner != wanted:
                problems.append(TypeProblem(f"'{node.op}' needs a {wanted}, not a {inner}", node.offset))
            return wanted
        left, right = visit(node.left), visit(node.right)
        if node.op in ("and", "or"):
            for side in (left, right):
                if side is not None and side != "bool":
                    problems.append(TypeProblem(f"'{node.op}' needs true/false values, not a {side}", node.offset))
            return "bool"
        if node.op in ("==", "!="):
            if left is not None and right is not None and left != right:
                problems.append(TypeProblem(f"'{node.op}' compares a {left} with a {right}", node.offset))
            return "bool"
        if node.op == "+" and left == "string" and right == "string":
            return "string"
        for side in (left, right):
            if side is not None and side != "number":
                problems.append(TypeProblem(f"'{node.op}' needs numbers, not a {side}", node.offset))
        return "bool" if node.op in _COMPARISONS else "number"

    # Deep trees are bounded by MAX_DEPTH in the parser, so recursion here is safe.
    return visit(tree), problems


# ---------------------------------------------------------------------------------------- compiler


def shown(value: Value) -> str:
    """A value for a message: a huge number or a long text abbreviated (Python will not even write out
    a whole number of more than 4,300 digits)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**30:
        digits = int(value.bit_length() * 0.30103) + 1  # log10(2): within one of the true count
        return f"{'-' if value < 0 else ''}a number of about {digits:,} digits"
    if isinstance(value, str) and len(value) > 60:
        return f"{value[:40]!r}... ({len(value):,} characters)"
    return repr(value)


def _check_number(value: Value, op: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise EvaluationError(f"'{op}' needs numbers, got {shown(value)}")
    return value


def _check_size(value: int | float) -> int | float:
    if not abs(value) <= MAX_MAGNITUDE:  # written so that NaN (from an infinite variable) fails too
        raise EvaluationError(f"result {shown(value)} is too large")
    return value


def _arith(op: str, a: Value, b: Value) -> Value:
    if op == "+" and isinstance(a, str) and isinstance(b, str):
        if len(a) + len(b) > MAX_TEXT_LENGTH:
            raise EvaluationError(f"joined text longer than {MAX_TEXT_LENGTH} characters")
        return a + b
    x, y = _check_number(a, op), _check_number(b, op)
    try:
        if op == "+":
            return _check_size(x + y)
        if op == "-":
            return _check_size(x - y)
        if op == "*":
            return _check_size(x * y)
        if y == 0:
            raise EvaluationError(f"division by zero in '{op}'")
        if op == "/":
            return _check_size(x / y)
        if op == "//":
            return _check_size(x // y)
        return _check_size(x % y)
    except OverflowError:
        # A huge whole number declared in YAML does not fit a float ('/' or mixing with a decimal).
        raise EvaluationError(f"'{op}' gives a result too large to compute") from None


def _compare(op: str, a: Value, b: Value) -> bool:
    if op == "==":
        return type_of_value(a) == type_of_value(b) and a == b
    if op == "!=":
        return not (type_of_value(a) == type_of_value(b) and a == b)
    if type_of_value(a) != type_of_value(b) or isinstance(a, bool):
        raise EvaluationError(f"'{op}' cannot compare {shown(a)} with {shown(b)}")
    if op == "<":
        return a < b  # type: ignore[operator]
    if op == "<=":
        return a <= b  # type: ignore[operator]
    if op == ">":
        return a > b  # type: ignore[operator]
    return a >= b  # type: ignore[operator]


def _truth(value: Value, op: str) -> bool:
    if not isinstance(value, bool):
        raise EvaluationError(f"'{op}' needs true or false, got {shown(value)}")
    return value


def compile_tree(tree: Expr) -> Evaluator:
    """Turn a tree into nested closures: no parsing or tree walking happens during play."""
    if isinstance(tree, Literal_):
        constant = tree.value
        return lambda env, visited: constant
    if isinstance(tree, Name):
        name = tree.name

        def lookup(env: Env, visited: Container[str]) -> Value:
            try:
                return env[name]
            except KeyError:
                raise EvaluationError(f"unknown variable '{name}'") from None

        return lookup
    if isinstance(tree, Visited):
        node_id = tree.node_id
        return lambda env, visited: node_id in visited
    if isinstance(tree, Unary):
        inner = compile_tree(tree.operand)
        if tree.op == "not":
            return lambda env, visited: not _truth(inner(env, visited), "not")
        if tree.op == "-":
            return lambda env, visited: -_check_number(inner(env, visited), "-")
        return lambda env, visited: _check_number(inner(env, visited), "+")
    left, right, op = compile_tree(tree.left), compile_tree(tree.right), tree.op
    if op == "and":
        return lambda env, visited: _truth(left(env, visited), "and") and _truth(right(env, visited), "and")
    if op == "or":
        return lambda env, visited: _truth(left(env, visited), "or") or _truth(right(env, visited), "or")
    if op in _COMPARISONS:
        return lambda env, visited: _compare(op, left(env, visited), right(env, visited))
    return lambda env, visited: _arith(op, left(env, visited), right(env, visited))


def parse(source: str) -> Expression:
    """Parse and compile an expression; raises ExpressionError with the offset of the problem."""
    if len(source) > MAX_SOURCE_LENGTH:
        raise ExpressionError(f"expression longer than {MAX_SOURCE_LENGTH} characters")
    if not source.strip():
        raise ExpressionError("empty expression")
    tree = _Parser(source).parse()
    if _height(tree) > MAX_HEIGHT:
        raise ExpressionError(f"expression more than {MAX_HEIGHT} operators deep: split it, or use brackets")
    parts = walk(tree)
    return Expression(
        source,
        tree,
        compile_tree(tree),
        tuple(n for n in parts if isinstance(n, Name)),
        tuple(n for n in parts if isinstance(n, Visited)),
    )


def _restore(source: str, tree: Expr, names: tuple[Name, ...], visited: tuple[Visited, ...]) -> Expression:
    return Expression(source, tree, compile_tree(tree), names, visited)


def constant(value: Value) -> Expression:
    """An expression for a literal written directly in YAML (``money: 50``, ``has_papers: true``)."""
    tree = Literal_(value, 0)
    text = ("true" if value else "false") if isinstance(value, bool) else repr(value)
    return Expression(text, tree, compile_tree(tree))
