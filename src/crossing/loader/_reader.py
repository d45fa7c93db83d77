"""Reading YAML shapes into values with positions: mappings, fields, scalars, text, expressions."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from crossing import expressions
from crossing.diagnostics import Diagnostic, Severity
from crossing.expressions import Expression, ExpressionError, Value
from crossing.loader._limits import (
    _BOOL,
    _CONSTRUCT,
    _FLOAT,
    _INT,
    _NULL,
    _SCALAR_TAGS,
    _STR,
    ID_PATTERN,
    T,
)
from crossing.loader._yaml import _tag_name
from crossing.model import (
    Assignment,
    Location,
    Node,
    Paragraph,
    Passage,
    Variable,
)


class _Skip(Exception):
    """Raised inside a builder after reporting a problem that makes the element unusable."""


class _Reader:
    """Reading YAML nodes into values, reporting every problem at its file, line and column."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.diagnostics: list[Diagnostic] = []
        self.file = ""
        self.variables: dict[str, Variable] = {}
        self.nodes: dict[str, Node] = {}
        self.goto_refs: list[tuple[str, Location]] = []
        self.broken_nodes: set[str] = set()
        self.incomplete = False
        self._expression_cache: dict[str, Expression | ExpressionError] = {}

    # -- reporting

    def report(self, node: yaml.Node | None, code: str, message: str, severity: Severity = "error") -> None:
        line, column = (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (0, 0)
        self.diagnostics.append(Diagnostic(self.file, line, column, severity, code, message))

    def report_at(self, file: str, line: int, column: int, code: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(file, line, column, "error", code, message))

    def loc(self, node: yaml.Node) -> Location:
        return Location(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    # -- YAML shapes

    def mapping(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            self.report(node, "wrong-type", f"{what} must be a mapping (key: value lines), not {_shape(node)}")
            raise _Skip
        items: list[tuple[str, yaml.Node, yaml.Node]] = []
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                self.report(key_node, "wrong-type", f"keys in {what} must be plain words")
                continue
            key = str(key_node.value)
            if key in seen:
                first = seen[key].start_mark.line + 1
                self.report(key_node, "duplicate-key", f"duplicate key '{key}' in {what} (first defined on line {first})")
                continue
            seen[key] = key_node
            items.append((key, key_node, value_node))
        return items

    def fields(
        self,
        node: yaml.Node,
        what: str,
        allowed: tuple[str, ...],
        required: tuple[str, ...] = (),
    ) -> dict[str, yaml.Node]:
        found: dict[str, yaml.Node] = {}
        if isinstance(node, yaml.MappingNode):
            # The common case, a well-formed mapping of known keys, in one quick pass (this is the
            # loader's hot loop); anything unusual takes the careful path below and gets reported.
            for key_node, value_node in node.value:
                key = key_node.value
                if key_node.tag != _STR or key not in allowed or key in found:
                    found = {}
                    break
                found[key] = value_node
            else:
                if all(key in found for key in required):
                    return found
                found = {}
        for key, key_node, value_node in self.mapping(node, what):
            if key not in allowed:
                guess = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (did you mean '{guess[0]}'?)" if guess else f" (allowed: {', '.join(allowed)})"
                self.report(key_node, "unknown-key", f"unknown key '{key}' in {what}{hint}")
                continue
            found[key] = value_node
        missing = [key for key in required if key not in found]
        for key in missing:
            self.report(node, "missing-field", f"{what} is missing the required field '{key}'")
        if missing:
            raise _Skip
        return found

    def scalar(self, node: yaml.Node, what: str) -> Value | None:
        if not isinstance(node, yaml.ScalarNode):
            self.report(node, "wrong-type", f"{what} must be a single value, not {_shape(node)}")
            raise _Skip
        tag = node.tag
        if tag == _STR:
            return str(node.value)
        if tag == _NULL:
            return None
        try:
            if tag == _INT:
                value: Value = _CONSTRUCT.construct_yaml_int(node)
            elif tag == _FLOAT:
                value = _CONSTRUCT.construct_yaml_float(node)
            elif tag == _BOOL:
                value = _CONSTRUCT.construct_yaml_bool(node)
            elif tag == "tag:yaml.org,2002:timestamp":
                self.report(node, "wrong-type", f"{what}: {_brief(node.value)} reads as a date in YAML; put it in quotes to use it as text")
                raise _Skip
            else:
                self.report(node, "yaml-tag", f"the YAML tag '{_tag_name(tag)}' is not allowed in a story (stories are plain data)")
                raise _Skip
        except (ValueError, OverflowError):
            self.report(node, "wrong-type", f"{what}: cannot read {_brief(node.value)} as a number")
            raise _Skip from None
        return value

    def string(self, node: yaml.Node, what: str, *, allow_empty: bool = False) -> str:
        value = self.scalar(node, what)
        if isinstance(value, bool) or value is None or not isinstance(value, str | int | float):
            self.report(node, "wrong-type", f"{what} must be text, not {_kind(value)}")
            raise _Skip
        text = str(value)
        if not text.strip() and not allow_empty:
            self.report(node, "wrong-type", f"{what} must not be empty")
            raise _Skip
        return text

    def text(self, node: yaml.Node, what: str) -> str:
        value = self.scalar(node, what)
        if not isinstance(value, str):
            self.report(node, "wrong-type", f"{what} must be text, not {_kind(value)}")
            raise _Skip
        if not value.strip():
            self.report(node, "wrong-type", f"{what} must not be empty")
            raise _Skip
        return value.strip("\n").rstrip()

    def passage(self, node: yaml.Node, what: str) -> Passage:
        """Text that may answer the player: one string, or a list of paragraphs, each a string or
        ``{if: EXPR, text: ..., else: ...}``."""
        if not isinstance(node, yaml.SequenceNode):
            return Passage.of(self.text(node, what), self.loc(node))
        if not node.value:
            self.report(node, "empty-text", f"{what} is an empty list: give at least one paragraph")
            raise _Skip
        paragraphs = self.each(list(enumerate(node.value, 1)), lambda item: self.paragraph(item[1], f"paragraph {item[0]} of {what}"))
        if len(paragraphs) != len(node.value):
            raise _Skip
        return Passage(tuple(paragraphs))

    def paragraph(self, node: yaml.Node, what: str) -> Paragraph:
        if not isinstance(node, yaml.MappingNode):
            if isinstance(node, yaml.ScalarNode) and node.tag == _STR and not str(node.value).strip():
                self.report(node, "empty-text", f"{what} is empty")
                raise _Skip
            return Paragraph(self.text(node, what), loc=self.loc(node))
        fields = self.fields(node, what, ("if", "text", "else"))
        if "else" in fields and "if" not in fields:
            self.report(fields["else"], "else-without-if", f"{what} has 'else' but no 'if': 'else' is shown when the 'if' condition is false")
            raise _Skip
        if "text" not in fields:
            self.report(node, "missing-field", f"{what} is missing the required field 'text'")
            raise _Skip
        condition = self.expression(fields["if"], "the condition") if "if" in fields else None
        return Paragraph(
            self.text(fields["text"], what),
            condition,
            self.text(fields["else"], f"the 'else' of {what}") if "else" in fields else None,
            self.loc(fields["text"]),
            self.loc(fields["if"]) if "if" in fields else self.loc(node),
        )

    def number(self, node: yaml.Node, what: str) -> float:
        value = self.scalar(node, what)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.report(node, "wrong-type", f"{what} must be a number, not {_kind(value)}")
            raise _Skip
        return value

    def integer(self, node: yaml.Node, what: str) -> int:
        value = self.scalar(node, what)
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(node, "wrong-type", f"{what} must be a whole number, not {_kind(value)}")
            raise _Skip
        return value

    def boolean(self, node: yaml.Node, what: str) -> bool:
        value = self.scalar(node, what)
        if not isinstance(value, bool):
            self.report(node, "wrong-type", f"{what} must be true or false, not {_kind(value)}")
            raise _Skip
        return value

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.report(node, "wrong-type", f"{what} must be a list (lines starting with '- '), not {_shape(node)}")
            raise _Skip
        return list(node.value)

    def each(self, items: list[T] | Iterator[T], build: Callable[[T], Any]) -> list[Any]:
        """Build every element, skipping (after reporting) the ones that are broken."""
        built = []
        for item in items:
            try:
                built.append(build(item))
            except _Skip:
                continue
        return built

    def identifier(self, key_node: yaml.Node, key: str, what: str) -> None:
        if not ID_PATTERN.match(key):
            self.report(key_node, "bad-id", f"{what} id '{key}' may use only lowercase letters, digits, '-' and '_'")

    # -- expressions

    def expression(self, node: yaml.Node, what: str) -> Expression:
        value = self.scalar(node, what)
        if value is None:
            self.report(node, "wrong-type", f"{what} is empty")
            raise _Skip
        if not isinstance(value, str):
            return expressions.constant(value)
        cached = self._expression_cache.get(value)
        if cached is None:
            try:
                cached = expressions.parse(value)
            except ExpressionError as exc:
                cached = exc
            self._expression_cache[value] = cached
        if isinstance(cached, ExpressionError):
            shift = 1 if getattr(node, "style", None) in ("'", '"') else 0
            self.diagnostics.append(Diagnostic(
                self.file, node.start_mark.line + 1, node.start_mark.column + 1 + shift + cached.offset,
                "error", "expression-syntax", f"{what} '{value}': {cached.message}",
            ))
            raise _Skip
        return cached

    def assignments(self, node: yaml.Node, what: str) -> tuple[Assignment, ...]:
        built: list[Assignment] = []
        for name, key_node, value_node in self.mapping(node, what):
            try:
                built.append(Assignment(name, self.assigned_value(name, value_node), self.loc(value_node)))
            except _Skip:
                continue
            if name not in self.variables:
                self.report(key_node, "unknown-variable", f"'set' names the undeclared variable '{name}'{_suggest(name, self.variables)}")
        return tuple(built)

    def assigned_value(self, name: str, node: yaml.Node) -> Expression:
        """An expression; for a text variable, text that is no valid expression is taken literally."""
        variable = self.variables.get(name)
        if variable is not None and isinstance(variable.initial, str) and isinstance(node, yaml.ScalarNode) and node.tag == _STR:
            try:
                parsed = expressions.parse(node.value)
                if all(n.name in self.variables for n in parsed.names()):
                    return parsed
            except ExpressionError:
                pass
            return expressions.constant(str(node.value))
        return self.expression(node, f"the value for '{name}'")



def _shape(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"the value {_brief(node.value)}"


def _brief(value: str, limit: int = 60) -> str:
    """A value quoted for a message, cut short: a message names the problem, it does not repeat the file."""
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def _kind(value: Value | None) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    return f"the text {value!r}"


def _suggest(name: str, known: dict[str, Any]) -> str:
    guess = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{guess[0]}'?)" if guess else ""


# ---------------------------------------------------------------------------------------- entry point
