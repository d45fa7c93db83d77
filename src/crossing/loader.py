"""YAML story folders -> the model, keeping the file, line and column of everything.

This is the only module that imports PyYAML. It composes each file with the C parser (the safe
composer knows no Python tags) and builds the model straight from the YAML node tree, so it sees
duplicate keys, positions and tags that ``yaml.safe_load`` would hide or lose. Every structural problem
is collected as a Diagnostic; graph and expression checks live in validation.py.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import hashlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from crossing import expressions
from crossing.diagnostics import Diagnostic, Severity
from crossing.expressions import Expression, ExpressionError, Value
from crossing.model import (
    CONTENT_WARNINGS,
    RISK_LEVELS,
    Assignment,
    Choice,
    Debrief,
    Ending,
    EndingKind,
    Fact,
    Location,
    Node,
    Outcome,
    Paragraph,
    Passage,
    Place,
    Risk,
    Route,
    Source,
    Story,
    Variable,
)

try:  # the C loader where it is available: much faster, same safe behaviour
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

STORY_FILE = "story.yaml"
ID_PATTERN = re.compile(r"^[a-z0-9_-]+$")
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_FILES = 2_000
# The C composer recurses once per nesting level and crashes the process on very deep input, so depth
# is bounded before composing (a real story nests fewer than ten levels).
MAX_NESTING = 200

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SCALAR_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL}
_CONSTRUCT = yaml.constructor.SafeConstructor()

T = TypeVar("T")


@dataclass
class LoadResult:
    story: Story | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    goto_refs: list[tuple[str, Location]] = field(default_factory=list)
    # Nodes that were written but could not be built, and whether a whole file could not be read:
    # references to them are not reported again as unknown (one mistake, one message).
    broken_nodes: set[str] = field(default_factory=set)
    incomplete: bool = False

    @property
    def ok(self) -> bool:
        return self.story is not None and not any(d.severity == "error" for d in self.diagnostics)


class _Skip(Exception):
    """Raised inside a builder after reporting a problem that makes the element unusable."""


# ------------------------------------------------------------------------------------- reading files


def _resolve(path: Path) -> Path | None:
    """The real path, or None for a symlink loop (Python 3.11 raises RuntimeError for those, later
    versions OSError) or a path that cannot be looked up."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def _outside(path: Path, resolved_root: Path, root: Path, report: Callable[[str, int, int, str, str], None]) -> bool:
    """Report a file that is a symlink loop or links outside the story folder (it is never read)."""
    real = _resolve(path)
    if real is None:
        report(_rel(root, path), 0, 0, "unsafe-path", "is a symbolic link that loops back on itself; it is not read")
        return True
    if not real.is_relative_to(resolved_root):
        kind = "folder" if real.is_dir() else "file"
        report(_rel(root, path), 0, 0, "unsafe-path", f"links to a {kind} outside the story folder; it is not read")
        return True
    return False


def _story_files(root: Path, report: Callable[[str, int, int, str, str], None]) -> list[Path]:
    """story.yaml first, then every other *.yaml below root in sorted path order."""
    found: list[Path] = []
    resolved_root = _resolve(root) or root.absolute()
    paths: list[Path] = []

    def unreadable(exc: OSError) -> None:
        where = _rel(root, Path(exc.filename)) if exc.filename else str(root)
        report(where, 0, 0, "unreadable", f"cannot read this folder: {exc.strerror or exc}")

    # os.walk does not follow symlinked folders (so none can loop); one that leads outside is reported.
    for folder, subfolders, names in os.walk(root, onerror=unreadable):
        here = Path(folder)
        for name in subfolders:
            if (here / name).is_symlink():
                _outside(here / name, resolved_root, root, report)
        paths.extend(here / name for name in names if name.endswith(".yaml"))
    for path in sorted(paths):
        if path.name == STORY_FILE and path.parent == root:
            continue
        if _outside(path, resolved_root, root, report):
            continue
        if not path.is_file():
            continue
        found.append(path)
        if len(found) > MAX_FILES:
            report(_rel(root, path), 0, 0, "too-many-files",
                   f"the story folder holds more than {MAX_FILES} YAML files; the rest are not read")
            break
    return found


def _rel(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root.parent)) if root.parent != path else str(path)
    except ValueError:
        return str(path)


def _decode(raw: bytes) -> tuple[str | None, str | None, int]:
    """The text, or a problem and its byte offset."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, "the file starts with a byte-order mark; save it as UTF-8 without BOM", 0
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, "the file is UTF-16; save it as UTF-8", 0
    try:
        return raw.decode("utf-8"), None, 0
    except UnicodeDecodeError as exc:
        return None, f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})", exc.start


def _line_col(text_or_raw: bytes, offset: int) -> tuple[int, int]:
    before = text_or_raw[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


_LEADING = re.compile(r"^[ \t?:-]*", re.M)


def _nesting_bound(text: str) -> int:
    """A cheap upper bound on how deeply the YAML can nest (block indicators plus flow brackets)."""
    leading = max(map(len, _LEADING.findall(text)), default=0)
    return leading + 1 + text.count("[") + text.count("{")


def _exact_nesting(text: str) -> tuple[int, Any]:
    depth = deepest = 0
    mark: Any = None
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > deepest:
                    deepest, mark = depth, event.start_mark
                    if deepest > MAX_NESTING:
                        break
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # Newer libyaml builds stop very deep flow nesting themselves, scanning ahead of the events:
        # the same problem, so the same message.
        if "nesting depth" not in str(exc.problem):
            raise
        return MAX_NESTING + 1, mark or exc.problem_mark
    return deepest, mark


# --------------------------------------------------------------------------------------- the builder


class _Builder:
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

    # -- story.yaml

    def story_meta(self, node: yaml.Node) -> dict[str, Any]:
        fields = self.fields(
            node, "story.yaml",
            ("title", "start", "variables", "sources", "version", "description", "author", "glossary",
             "places", "routes", "ending_kinds", "nodes"),
        )
        meta: dict[str, Any] = {}
        for key in ("title", "start"):
            if key not in fields:
                self.report_at(self.file, 1, 1, "missing-field", f"story.yaml is missing the required field '{key}'")
        for key, build in (
            ("title", lambda n: self.string(n, "title")),
            ("start", lambda n: (self.string(n, "start"), self.loc(n))),
            ("version", lambda n: self.string(n, "version")),
            ("description", lambda n: self.text(n, "description")),
            ("author", lambda n: self.string(n, "author")),
            ("variables", self.variables_block),
            ("sources", self.sources_block),
            ("glossary", self.glossary_block),
            ("places", self.places_block),
            ("routes", self.routes_block),
            ("ending_kinds", self.ending_kinds_block),
        ):
            if key in fields:
                with contextlib.suppress(_Skip):
                    meta[key] = build(fields[key])
        meta["nodes_node"] = fields.get("nodes")
        return meta

    def variables_block(self, node: yaml.Node) -> dict[str, Variable]:
        for name, key_node, value_node in self.mapping(node, "variables"):
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name) or name in ("and", "or", "not", "true", "false", "visited"):
                self.report(key_node, "bad-id", f"variable name '{name}' must be a word of letters, digits and '_' (and not a keyword)")
                continue
            try:
                self.variables[name] = self.variable(name, value_node)
            except _Skip:
                continue
        return self.variables

    def variable(self, name: str, node: yaml.Node) -> Variable:
        if isinstance(node, yaml.MappingNode):
            fields = self.fields(node, f"variable '{name}'", ("value", "min", "max", "label"), ("value",))
            initial = self.scalar(fields["value"], f"the value of '{name}'")
            low = self.number(fields["min"], "min") if "min" in fields else None
            high = self.number(fields["max"], "max") if "max" in fields else None
            label = self.string(fields["label"], "label") if "label" in fields else None
            if isinstance(initial, bool) or not isinstance(initial, int | float):
                if low is not None or high is not None:
                    self.report(node, "wrong-type", f"only a number variable can have bounds ('{name}')")
            elif (low is not None and initial < low) or (high is not None and initial > high):
                self.report(fields["value"], "wrong-type", f"the starting value of '{name}' lies outside its bounds")
            if low is not None and high is not None and low > high:
                self.report(node, "wrong-type", f"'{name}' has min greater than max")
        else:
            initial, low, high, label = self.scalar(node, f"the value of '{name}'"), None, None, None
        if initial is None:
            self.report(node, "wrong-type", f"variable '{name}' needs a starting value (a number, true/false or text)")
            raise _Skip
        return Variable(name, initial, low, high, label, self.loc(node))

    def sources_block(self, node: yaml.Node) -> dict[str, Source]:
        sources: dict[str, Source] = {}
        for source_id, key_node, value_node in self.mapping(node, "sources"):
            self.identifier(key_node, source_id, "source")
            try:
                fields = self.fields(value_node, f"source '{source_id}'",
                                     ("title", "publisher", "year", "url", "gentle_title", "note"),
                                     ("title", "publisher", "year"))
                sources[source_id] = Source(
                    source_id,
                    self.string(fields["title"], "title"),
                    self.string(fields["publisher"], "publisher"),
                    self.integer(fields["year"], "year"),
                    self.string(fields["url"], "url") if "url" in fields else None,
                    self.loc(key_node),
                    self.string(fields["gentle_title"], "gentle_title") if "gentle_title" in fields else None,
                    self.text(fields["note"], "note") if "note" in fields else None,
                )
            except _Skip:
                continue
        return sources

    def glossary_block(self, node: yaml.Node) -> tuple[dict[str, str], dict[str, str]]:
        """Each term's definition, and the gentler definitions some terms carry."""
        glossary: dict[str, str] = {}
        gentle: dict[str, str] = {}
        for term, _key, value_node in self.mapping(node, "glossary"):
            what = f"the glossary entry '{term}'"
            try:
                if isinstance(value_node, yaml.MappingNode):
                    fields = self.fields(value_node, what, ("definition", "gentle_definition"), ("definition",))
                    glossary[term] = self.text(fields["definition"], what)
                    if "gentle_definition" in fields:
                        gentle[term] = self.text(fields["gentle_definition"], f"the gentle definition of '{term}'")
                else:
                    glossary[term] = self.text(value_node, what)
            except _Skip:
                continue
        return glossary, gentle

    def places_block(self, node: yaml.Node) -> dict[str, Place]:
        places: dict[str, Place] = {}
        for place_id, key_node, value_node in self.mapping(node, "places"):
            self.identifier(key_node, place_id, "place")
            try:
                fields = self.fields(value_node, f"place '{place_id}'", ("name", "lat", "lon"), ("name", "lat", "lon"))
                lat, lon = self.number(fields["lat"], "lat"), self.number(fields["lon"], "lon")
                if not -90 <= lat <= 90:
                    self.report(fields["lat"], "bad-coordinates", f"latitude {lat} of '{place_id}' is outside -90..90")
                if not -180 <= lon <= 180:
                    self.report(fields["lon"], "bad-coordinates", f"longitude {lon} of '{place_id}' is outside -180..180")
                places[place_id] = Place(place_id, self.string(fields["name"], "name"), lat, lon, self.loc(key_node))
            except _Skip:
                continue
        return places

    def routes_block(self, node: yaml.Node) -> dict[str, Route]:
        routes: dict[str, Route] = {}
        for route_id, key_node, value_node in self.mapping(node, "routes"):
            self.identifier(key_node, route_id, "route")
            try:
                fields = self.fields(value_node, f"route '{route_id}'", ("title", "description"), ("title",))
                description = self.text(fields["description"], "description") if "description" in fields else ""
                routes[route_id] = Route(route_id, self.string(fields["title"], "title"), description, self.loc(key_node))
            except _Skip:
                continue
        return routes

    def ending_kinds_block(self, node: yaml.Node) -> dict[str, EndingKind]:
        kinds: dict[str, EndingKind] = {}
        for kind, key_node, value_node in self.mapping(node, "ending_kinds"):
            self.identifier(key_node, kind, "ending kind")
            try:
                fields = self.fields(value_node, f"ending kind '{kind}'", ("label", "safe"), ("label",))
                safe = self.boolean(fields["safe"], "safe") if "safe" in fields else False
                kinds[kind] = EndingKind(kind, self.string(fields["label"], "label"), safe)
            except _Skip:
                continue
        return kinds

    # -- node files

    def node_file(self, node: yaml.Node) -> None:
        fields = self.fields(node, "a node file", ("nodes",), ("nodes",))
        self.nodes_block(fields["nodes"])

    def nodes_block(self, node: yaml.Node) -> None:
        for node_id, key_node, value_node in self.mapping(node, "nodes"):
            self.identifier(key_node, node_id, "node")
            previous = self.nodes.get(node_id)
            if previous is not None:
                self.report(key_node, "duplicate-node", f"node '{node_id}' is already defined at {previous.loc}")
                continue
            try:
                self.nodes[node_id] = self.node(node_id, key_node, value_node)
            except _Skip:
                self.broken_nodes.add(node_id)

    def node(self, node_id: str, key_node: yaml.Node, node: yaml.Node) -> Node:
        what = f"node '{node_id}'"
        fields = self.fields(
            node, what,
            ("title", "text", "route", "place", "risk", "facts", "choices", "ending", "content_warnings", "gentle_text"),
            ("text",),
        )
        text = self.passage(fields["text"], f"the text of {what}")

        def optional(key: str, build: Callable[[yaml.Node], T]) -> T | None:
            if key not in fields:
                return None
            try:
                return build(fields[key])
            except _Skip:
                return None

        ending = optional("ending", lambda n: self.ending(n, what))
        choices = optional("choices", lambda n: tuple(self.each(self.sequence(n, "choices"), lambda c: self.choice(c, what))))
        if ending is not None and "choices" in fields:
            self.report(fields["choices"], "ending-with-choices", f"{what} is an ending and cannot have choices")
        if ending is None and "ending" not in fields and not choices and "choices" not in fields:
            self.report(key_node, "no-choices", f"{what} has no choices and is not an ending")
        elif ending is None and "choices" in fields and isinstance(fields["choices"], yaml.SequenceNode) and not fields["choices"].value:
            self.report(fields["choices"], "no-choices", f"{what} has an empty list of choices and is not an ending")
        return Node(
            id=node_id,
            text=text,
            title=optional("title", lambda n: self.string(n, "title")),
            route=optional("route", lambda n: self.string(n, "route")),
            place=optional("place", lambda n: self.string(n, "place")),
            risk=optional("risk", self.risk),
            facts=tuple(optional("facts", lambda n: self.each(self.sequence(n, "facts"), self.fact)) or ()),
            choices=choices or (),
            ending=ending,
            content_warnings=tuple(optional("content_warnings", self.warnings) or ()),
            gentle_text=optional("gentle_text", lambda n: self.passage(n, f"the gentle_text of {what}")),
            loc=self.loc(key_node),
            place_loc=self.loc(fields["place"]) if "place" in fields else self.loc(key_node),
        )

    def risk(self, node: yaml.Node) -> Risk:
        fields = self.fields(node, "risk", ("level", "note"), ("level",))
        level = self.string(fields["level"], "risk level")
        if level not in RISK_LEVELS:
            self.report(fields["level"], "bad-value", f"risk level '{level}' must be one of {', '.join(RISK_LEVELS)}")
            raise _Skip
        note = self.string(fields["note"], "risk note") if "note" in fields else ""
        return Risk(level, note, self.loc(node))

    def fact(self, node: yaml.Node) -> Fact:
        fields = self.fields(node, "a fact", ("claim", "source", "gentle_claim"), ("claim",))
        source = self.string(fields["source"], "source") if "source" in fields else ""
        gentle = self.text(fields["gentle_claim"], "gentle_claim") if "gentle_claim" in fields else None
        return Fact(self.text(fields["claim"], "claim"), source, self.loc(fields.get("source", node)), gentle)

    def warnings(self, node: yaml.Node) -> list[str]:
        found = []
        for item in self.sequence(node, "content_warnings"):
            try:
                tag = self.string(item, "a content warning")
            except _Skip:
                continue
            if tag not in CONTENT_WARNINGS:
                self.report(item, "bad-value", f"content warning '{tag}' must be one of {', '.join(CONTENT_WARNINGS)}")
                continue
            found.append(tag)
        return found

    def ending(self, node: yaml.Node, what: str) -> Ending:
        fields = self.fields(node, f"the ending of {what}", ("kind", "title", "debrief"), ("kind",))
        kind = self.string(fields["kind"], "ending kind")
        title = self.string(fields["title"], "ending title") if "title" in fields else kind
        debrief = None
        if "debrief" in fields:
            with contextlib.suppress(_Skip):
                debrief = self.debrief(fields["debrief"])
        return Ending(kind, title, debrief, self.loc(node), "title" in fields)

    def debrief(self, node: yaml.Node) -> Debrief:
        fields = self.fields(node, "debrief", ("why", "context", "questions", "gentle_why", "gentle_context"),
                             ("why", "context", "questions"))
        questions = self.each(self.sequence(fields["questions"], "questions"), lambda q: self.text(q, "a question"))

        def gentle(key: str) -> Passage | None:
            return self.passage(fields[key], key) if key in fields else None

        return Debrief(self.passage(fields["why"], "why"), self.passage(fields["context"], "context"), tuple(questions),
                       gentle("gentle_why"), gentle("gentle_context"))

    def choice(self, node: yaml.Node, what: str) -> Choice:
        fields = self.fields(node, f"a choice of {what}", ("text", "goto", "outcomes", "if", "set"), ("text",))
        has_goto, has_outcomes = "goto" in fields, "outcomes" in fields
        if has_goto == has_outcomes:
            both = "both 'goto' and 'outcomes'" if has_goto else "neither 'goto' nor 'outcomes'"
            self.report(node, "choice-target", f"a choice needs exactly one of 'goto' or 'outcomes', this one has {both}")
            raise _Skip
        goto = self.target(fields["goto"]) if has_goto else None
        outcomes: tuple[Outcome, ...] = ()
        if has_outcomes:
            items = self.sequence(fields["outcomes"], "outcomes")
            if not items:
                self.report(fields["outcomes"], "choice-target", "'outcomes' must list at least one outcome")
                raise _Skip
            outcomes = tuple(self.each(items, self.outcome))
            if len(outcomes) != len(items):
                raise _Skip
        condition = None
        if "if" in fields:
            # A broken condition is reported; the rest of the choice is still checked (one run, every problem).
            with contextlib.suppress(_Skip):
                condition = self.expression(fields["if"], "the condition")
        assignments = self.assignments(fields["set"], "set") if "set" in fields else ()
        return Choice(
            text=self.string(fields["text"], "choice text"),
            goto=goto,
            outcomes=outcomes,
            condition=condition,
            assignments=assignments,
            loc=self.loc(node),
            condition_loc=self.loc(fields["if"]) if "if" in fields else self.loc(node),
        )

    def target(self, node: yaml.Node) -> str:
        target = self.string(node, "goto")
        self.goto_refs.append((target, self.loc(node)))
        return target

    def outcome(self, node: yaml.Node) -> Outcome:
        fields = self.fields(node, "an outcome", ("weight", "goto", "set", "text", "gentle_text"), ("weight", "goto"))
        weight = self.number(fields["weight"], "weight")
        if not weight > 0 or weight != weight or weight == float("inf"):
            self.report(fields["weight"], "bad-weight", f"weight must be a positive number, not {weight}")
            raise _Skip
        assignments = self.assignments(fields["set"], "set") if "set" in fields else ()
        text = self.text(fields["text"], "the outcome's text") if "text" in fields else None
        gentle = self.text(fields["gentle_text"], "the outcome's gentle_text") if "gentle_text" in fields else None
        return Outcome(weight, self.target(fields["goto"]), assignments, self.loc(node), text, gentle)


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


# Tags a story may use: plain data. A timestamp is let through here and reported, in context, by scalar().
_DATA_TAGS = _SCALAR_TAGS | {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "tag:yaml.org,2002:timestamp"}
# Aliases (*name) may repeat a value, a shared list of outcomes say, but not make a file stand for
# vastly more values than it holds: a few lines of 'billion laughs' stand for billions, and building the
# story from them would never finish.
MAX_ALIAS_GROWTH = 10
MIN_ALIAS_ROOM = 100_000
_SIZE_CAP = 10**12  # keeps the counts small numbers however far a file would expand
# An anchor (&name) or a tag (!name) can only start a value after one of these; without one the walk
# below has nothing to find, and big stories skip it.
_MAYBE_PROPERTIES = re.compile(r"(?:^|[\s\[{,:])[&!]")


def _tag_name(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def _check_graph(document: yaml.Node) -> tuple[yaml.Node, str] | None:
    """One walk over the composed nodes (iterative, shared nodes counted once): the first thing that
    makes the file unusable, with where it is. Composing never expands aliases, so this is cheap."""
    sizes: dict[int, int] = {}
    shared: dict[int, yaml.Node] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(document, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children: list[yaml.Node] = (
            [] if isinstance(node, yaml.ScalarNode)
            else [part for pair in node.value for part in pair] if isinstance(node, yaml.MappingNode)
            else list(node.value)
        )
        if done:
            open_nodes.discard(key)
            sizes[key] = min(_SIZE_CAP, 1 + sum(sizes[id(child)] for child in children))
            continue
        if key in sizes:
            shared[key] = node
            continue
        if key in open_nodes:
            return node, "an alias (*name) refers to a value that contains it, so the value never ends"
        if node.tag not in _DATA_TAGS:
            if node.tag == "tag:yaml.org,2002:merge":
                return node, "merge keys ('<<') are not supported in a story: write the keys out"
            return node, f"the YAML tag '{_tag_name(node.tag)}' is not allowed in a story (stories are plain data)"
        if not children:
            sizes[key] = 1
            continue
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(children))
    total = sizes[id(document)]
    if total > MAX_ALIAS_GROWTH * len(sizes) + MIN_ALIAS_ROOM:
        culprit = max(shared.values(), key=lambda n: sizes[id(n)])
        shown = f"{total:,}" if total < _SIZE_CAP else f"more than {_SIZE_CAP:,}"
        return culprit, (f"aliases (*name) repeat this value so often that the file would hold {shown} values "
                         f"(a 'billion laughs' file); write the values out instead")
    return None


def _compose(builder: _Builder, raw: bytes) -> yaml.Node | None:
    """Decode, bound and compose one file; problems become diagnostics."""
    text, problem, offset = _decode(raw)
    if text is None:
        line, column = _line_col(raw, offset)
        builder.report_at(builder.file, line, column, "encoding", problem or "unreadable")
        return None
    try:
        if _nesting_bound(text) > MAX_NESTING:
            depth, mark = _exact_nesting(text)
            if depth > MAX_NESTING:
                line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
                builder.report_at(builder.file, line, column, "too-deep",
                                  f"the YAML nests more than {MAX_NESTING} levels deep")
                return None
        documents = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        # libyaml does not name the character it stumbled on: look at the line for a tab.
        lines = text.split("\n", line)
        line_text = lines[line - 1] if mark and line <= len(lines) else ""
        if "\t" in line_text[: column]:
            message += " (there is a tab here: YAML does not allow tabs for indentation, use spaces)"
        builder.report_at(builder.file, line, column, "yaml-syntax", f"YAML syntax: {message}")
        return None
    except yaml.reader.ReaderError as exc:
        # A character YAML refuses outright (NUL, ESC, ...): say which, and where, in one line.
        before = text[: exc.position]
        line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        builder.report_at(builder.file, line, column, "yaml-syntax",
                          f"YAML syntax: the character 0x{code:02x} is not allowed in a YAML file ({exc.reason}); remove it")
        return None
    except yaml.YAMLError as exc:
        builder.report_at(builder.file, 1, 1, "yaml-syntax", f"YAML syntax: {exc}")
        return None
    except RecursionError:  # only the pure-Python composer (no libyaml) recurses in Python frames
        builder.report_at(builder.file, 1, 1, "too-deep", "the YAML nests too deeply to be read")
        return None
    if len(documents) > 1:
        builder.report_at(builder.file, 1, 1, "yaml-syntax", "the file holds more than one YAML document ('---')")
        return None
    if documents and ("&" in text or "!" in text) and _MAYBE_PROPERTIES.search(text):
        unusable = _check_graph(documents[0])
        if unusable is not None:
            builder.report(unusable[0], "yaml-unsafe", unusable[1])
            return None
    return documents[0] if documents else None


def load_story(path: Path | str) -> LoadResult:
    """Load a story folder (or its story.yaml); never raises for problems in the story itself."""
    root = Path(path)
    if root.is_file() and (root.name == STORY_FILE or (root.parent / STORY_FILE).is_file()):
        root = root.parent  # any file of a story stands for its folder
    builder = _Builder(root)
    builder.file = str(root / STORY_FILE)
    if not root.is_dir():
        builder.report_at(str(root), 0, 0, "no-story", "no such story folder")
        return LoadResult(None, builder.diagnostics)
    if not os.access(root, os.R_OK | os.X_OK):
        builder.report_at(str(root), 0, 0, "unreadable", "cannot read the story folder: permission denied")
        return LoadResult(None, builder.diagnostics)
    # story.yaml itself must not be a link out of the folder (to /etc/passwd, say) or a link loop.
    if (root / STORY_FILE).is_symlink() and _outside(root / STORY_FILE, _resolve(root) or root.absolute(), root, builder.report_at):
        return LoadResult(None, builder.diagnostics)
    if not (root / STORY_FILE).is_file():
        builder.report_at(str(root), 0, 0, "no-story", f"this folder has no {STORY_FILE}, so it is not a story")
        return LoadResult(None, builder.diagnostics)
    files = [root / STORY_FILE, *_story_files(root, builder.report_at)]
    digest = hashlib.sha256()
    meta: dict[str, Any] = {}
    total = 0
    # Composing allocates many small objects; the cyclic collector would rescan them again and again
    # (quadratic on big stories) although nothing here makes cycles.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for index, file in enumerate(files):
            builder.file = _rel(root, file)
            try:
                size = file.stat().st_size
                if size > MAX_FILE_BYTES or total + size > MAX_TOTAL_BYTES:
                    builder.report_at(builder.file, 0, 0, "too-large",
                                      f"the file is too large ({size / 1e6:.1f} MB; a story file may hold at most {MAX_FILE_BYTES // 2**20} MB, a story {MAX_TOTAL_BYTES // 2**20} MB)")
                    builder.incomplete = True
                    continue
                raw = file.read_bytes()
            except OSError as exc:
                builder.report_at(builder.file, 0, 0, "unreadable", f"cannot read the file: {exc.strerror or exc}")
                builder.incomplete = True
                continue
            total += len(raw)
            digest.update(str(file.relative_to(root)).encode() + b"\0" + raw + b"\0")
            document = _compose(builder, raw)
            if document is None:
                builder.incomplete = True
                if index > 0 and not any(d.file == builder.file for d in builder.diagnostics):
                    builder.report_at(builder.file, 1, 1, "missing-field", "the file is empty: a node file needs 'nodes:'")
                continue
            try:
                if index == 0:
                    meta = builder.story_meta(document)
                    if meta.get("nodes_node") is not None:
                        builder.nodes_block(meta["nodes_node"])
                else:
                    builder.node_file(document)
            except _Skip:
                continue
    finally:
        if gc_was_enabled:
            gc.enable()
    if "title" not in meta or "start" not in meta:
        return LoadResult(None, builder.diagnostics, builder.goto_refs, builder.broken_nodes, True)
    start, start_loc = meta["start"]
    story = Story(
        title=meta["title"],
        start=start,
        root=root,
        version=meta.get("version", ""),
        description=meta.get("description", ""),
        variables=builder.variables,
        sources=meta.get("sources", {}),
        nodes=builder.nodes,
        glossary=meta.get("glossary", ({}, {}))[0],
        gentle_glossary=meta.get("glossary", ({}, {}))[1],
        places=meta.get("places", {}),
        routes=meta.get("routes", {}),
        ending_kinds=meta.get("ending_kinds", {}),
        files=tuple(files),
        digest=digest.hexdigest(),
        start_loc=start_loc,
    )
    return LoadResult(story, builder.diagnostics, builder.goto_refs, builder.broken_nodes, builder.incomplete)
