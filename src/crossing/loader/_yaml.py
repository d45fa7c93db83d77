"""Composing YAML safely: bounded nesting, only plain-data tags, aliases that cannot blow a file up."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import yaml

from crossing.loader._files import _decode, _line_col
from crossing.loader._limits import _SCALAR_TAGS, MAX_NESTING

try:  # the C loader where it is available: much faster, same safe behaviour
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

if TYPE_CHECKING:
    from crossing.loader._reader import _Reader


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


def _compose(builder: _Reader, raw: bytes) -> yaml.Node | None:
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
