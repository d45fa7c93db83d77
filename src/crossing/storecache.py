"""A cache of checked stories, so that play (and validate) start at once: the story folder is parsed and
validated once, then loaded from the user's own cache folder while none of its files changes.

The cache key is a hash of every *.yaml file's path and contents, with Crossing's and Python's versions,
this cache's format and the user. Only a story that validated without errors is cached, with its warnings.

What a cache file can hold is plain JSON data: no class, function or reference is ever named by the file
and then looked up. It is read *against the model's own type hints*: a value is accepted only where the
dataclass field it fills says it may be (a Node where a Node goes, a string where text goes), and every
object is rebuilt through the model's constructors; expressions are compiled again from their checked
trees. JSON has no references, so a file's size bounds the work of reading it (no shared sub-tree can be
visited 2^64 times), and nesting is bounded too. What is read is then re-checked cheaply (the start and
every goto exist). The folder is private (0700) and each file too (0600), whatever the umask; a file
that is not the user's own, or writable by others, is not used. Anything odd: the story is simply loaded
again, silently.

New model fields and classes need no code here: the encoding follows ``dataclasses.fields`` and the
type hints. A change of what a hint means would: then bump CACHE_FORMAT.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import hashlib
import json
import os
import stat
import sys
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from crossing import __version__, expressions
from crossing.atomic import write_atomic
from crossing.diagnostics import Validation
from crossing.model import CONTENT_WARNINGS, Node

CACHE_FORMAT = 2  # 1 was pickle; 2 is JSON read against the type hints
SUFFIX = ".json"
# The loader's own limits (tests check they agree): a story the loader would refuse is never cached.
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_FILES = 2_000
MAX_FOLDER_DEPTH = 32
# A cache file holds a story of at most MAX_TOTAL_BYTES of YAML; JSON of it is about as big.
MAX_CACHE_BYTES = 2 * MAX_TOTAL_BYTES
# Objects inside objects: a story nests about ten deep, expressions at most MAX_HEIGHT (128) more.
MAX_NESTING = 200
# Modules whose dataclasses a cache file may hold (only where a type hint asks for them).
_MODEL_MODULES = ("crossing.model", "crossing.expressions", "crossing.diagnostics", "crossing.validation",
                  "crossing.telling")


class _Bad(Exception):
    """The cache file does not fit the model: load the story again."""


# ------------------------------------------------------------------------------------------ where


def _user() -> str:
    getuid = getattr(os, "getuid", None)
    if getuid is not None:
        return str(getuid())
    return os.environ.get("USERNAME", "") or "user"


def cache_dir() -> Path | None:
    """The user's cache folder, or None where there is none (HOME unset and no passwd entry)."""
    override = os.environ.get("CROSSING_CACHE_DIR")
    if override:
        return Path(override)
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("crossing", appauthor=False))
    except Exception:  # platformdirs raises RuntimeError (or KeyError) when there is no home
        return None


def _private_folder(folder: Path) -> bool:
    """Make folder exist, be a real folder of this user's, and private (0700); False if it cannot be."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode):
            return False
        if hasattr(os, "getuid"):
            if info.st_uid != os.getuid():
                return False
            if stat.S_IMODE(info.st_mode) != 0o700:
                os.chmod(folder, 0o700)
    except OSError:
        return False
    return True


def _trusted_file(path: Path) -> bool:
    """A regular file (not a link) of this user's that nobody else may write."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False
    if hasattr(os, "getuid"):
        return info.st_uid == os.getuid() and not info.st_mode & 0o022
    return True


# ------------------------------------------------------------------------------------- fingerprint


def fingerprint(root: Path) -> str | None:
    """A hash of every story file's path and contents (with the versions and the user); None when any
    file cannot be read as the loader would read it (too large, a named pipe, a device, folders too
    deep or too many files...): then the loader reads the story and says what is wrong.

    Contents, not times: a copy that keeps old modification times (cp -p, rsync -t, an unzipped archive)
    must never be served from the cache. Every file goes through crossing.files' checks first: a named
    pipe never blocks, /dev/zero or a sparse 3 GB file is refused from what the open file says.
    """
    from crossing.files import FileRefused, read_bytes, walk_files

    digest = hashlib.sha256(f"{CACHE_FORMAT}\n{__version__}\n{sys.version}\n{_user()}\n".encode())
    try:
        resolved = root.resolve()
    except (OSError, RuntimeError):
        return None
    digest.update(str(resolved).encode("utf-8", "surrogateescape") + b"\0")
    found = walk_files(resolved, suffixes=(".yaml",), hidden=True, max_depth=MAX_FOLDER_DEPTH, max_files=MAX_FILES)
    if found.truncated or found.skipped or not found.files:
        return None
    total = 0
    for path in found.files:
        try:
            content = read_bytes(path, limit=MAX_FILE_BYTES)
        except FileRefused:
            return None
        total += len(content)
        if total > MAX_TOTAL_BYTES:
            return None
        digest.update(os.path.relpath(path, resolved).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(len(content).to_bytes(8, "big") + content)
    return digest.hexdigest()


# ------------------------------------------------------------------------------------------ encode


_PLAIN = frozenset({type(None), bool, int, float, str})
# Each model class's field names, in order (dataclasses.fields builds a new tuple on every call: too slow
# for the tens of thousands of objects a big story holds).
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        if not dataclasses.is_dataclass(cls) or cls.__module__ not in _MODEL_MODULES:
            raise _Bad(f"{cls.__module__}.{cls.__name__} is not part of a story")
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _encode(value: object) -> object:
    """Plain JSON data for a model value: a dataclass is [its class name, its fields in order]."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is tuple or kind is list:
        return [_encode(item) for item in value]  # type: ignore[attr-defined]
    if kind is expressions.Expression:
        return ["Expression", value.source, _encode(value.tree)]  # type: ignore[attr-defined]
    if dataclasses.is_dataclass(kind):
        return [kind.__name__, *[_encode(getattr(value, name)) for name in _field_names(kind)]]
    return _encode_other(value)


def _encode_other(value: object) -> object:
    if isinstance(value, bool | int | float | str):  # a subclass of a plain type (an IntEnum, a str subclass)
        return value
    if isinstance(value, tuple | list | frozenset | set):
        items = sorted(value) if isinstance(value, frozenset | set) else value
        return [_encode(item) for item in items]
    if isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            raise _Bad("a mapping with keys that are not text")
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, Path):
        return os.fsdecode(value)
    raise _Bad(f"{type(value).__name__} cannot be cached")


# ------------------------------------------------------------------------------------------ decode

Decoder = Callable[[object, int], object]
_DECODERS: dict[object, Decoder] = {}


def _decoder(hint: object) -> Decoder:
    """A function that turns JSON data into a value of the type hint, or raises _Bad."""
    key = hint
    try:
        return _DECODERS[key]
    except (KeyError, TypeError):
        pass
    decoder = _build_decoder(hint)
    with contextlib.suppress(TypeError):
        _DECODERS[key] = decoder
    return decoder


def _scalar(kind: type) -> Decoder:
    def decode(data: object, depth: int) -> object:
        if kind is float and type(data) is int:
            return data  # an int is a float as type hints count (the loader keeps 0, not 0.0)
        if type(data) is not kind:
            raise _Bad(f"expected {kind.__name__}, found {type(data).__name__}")
        return data

    return decode


def _build_decoder(hint: object) -> Decoder:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is type(None):
        return _scalar(type(None))
    if hint in (str, int, float, bool):
        return _scalar(hint)
    if hint is Path:
        return lambda data, depth: Path(_scalar(str)(data, depth))  # type: ignore[arg-type]
    if hint is expressions.Expression:
        return _expression
    if origin is typing.Literal:
        allowed = set(args)
        return lambda data, depth: data if (isinstance(data, str | int) and data in allowed) else _fail("a value not allowed here")
    if origin in (typing.Union, types.UnionType):
        return _union(args)
    if origin is tuple or origin is list or origin in (frozenset, set):
        return _sequence(origin, args)
    if origin in (Mapping, dict):
        key_hint, value_hint = args
        if key_hint is not str:
            raise _Bad("mappings must have text keys")
        return _mapping(_decoder(value_hint))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint) and hint.__module__ in _MODEL_MODULES:
        return _dataclass(hint)
    raise _Bad(f"{hint!r} cannot be read from a cache")


def _fail(why: str) -> typing.NoReturn:
    raise _Bad(why)


def _union(args: tuple[object, ...]) -> Decoder:
    classes = {a.__name__: a for a in args if isinstance(a, type) and dataclasses.is_dataclass(a)}
    scalars = [a for a in args if a in (type(None), bool, int, float, str)]
    others = [a for a in args if a not in scalars and a not in classes.values()]

    def decode(data: object, depth: int) -> object:
        if isinstance(data, list) and data and isinstance(data[0], str) and data[0] in classes:
            return _decoder(classes[data[0]])(data, depth)
        for kind in scalars:
            if type(data) is kind:
                return data
        if float in scalars and type(data) is int:
            return data
        for other in others:
            with contextlib.suppress(_Bad):
                return _decoder(other)(data, depth)
        raise _Bad(f"{type(data).__name__} is not allowed here")

    return decode


def _sequence(origin: object, args: tuple[object, ...]) -> Decoder:
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item_decoders: list[Decoder] | None = None
        each = _decoder(args[0])
    elif origin is tuple:
        item_decoders, each = [_decoder(a) for a in args], _scalar(type(None))
    else:
        item_decoders, each = None, _decoder(args[0])
    build: Callable[[list[object]], object] = tuple if origin is tuple else (list if origin is list else frozenset)

    def decode(data: object, depth: int) -> object:
        if not isinstance(data, list):
            raise _Bad("expected a list")
        if depth > MAX_NESTING:
            raise _Bad("nested too deep")
        if item_decoders is not None:
            if len(data) != len(item_decoders):
                raise _Bad("a list of the wrong length")
            return build([d(item, depth + 1) for d, item in zip(item_decoders, data, strict=True)])
        return build([each(item, depth + 1) for item in data])

    return decode


def _mapping(each: Decoder) -> Decoder:
    def decode(data: object, depth: int) -> object:
        if not isinstance(data, dict):
            raise _Bad("expected a mapping")
        if depth > MAX_NESTING:
            raise _Bad("nested too deep")
        return {key: each(item, depth + 1) for key, item in data.items()}

    return decode


class LazyNodes(Mapping[str, Node]):
    """A story's nodes read from the cache one at a time, on first use: a run meets a few dozen scenes
    of a story's hundreds, and play starts without rebuilding the rest. A node is checked as it is
    rebuilt (its id, and every scene it leads to exists); one that does not fit sends the story back to
    the loader (and the cache file is written again), as a cache file that does not fit does at the start."""

    __slots__ = ("_built", "_decode", "_raw", "_reload")

    def __init__(self, raw: dict[str, object], decode: Decoder) -> None:
        self._raw, self._decode = raw, decode
        self._built: dict[str, Node] = {}
        self._reload: Callable[[], Mapping[str, Node]] | None = None

    def __getitem__(self, node_id: str) -> Node:
        try:
            return self._built[node_id]
        except KeyError:
            pass
        data = self._raw[node_id]  # KeyError for an unknown id, as a dict would
        if data is None and node_id in self._built:  # built meanwhile by another thread (serve's threads)
            return self._built[node_id]
        try:
            node = self._decode(data, 3)
            if not isinstance(node, Node) or not _node_fits(node_id, node, self._raw):
                raise _Bad(f"node {node_id} does not fit the story")
        except (_Bad, RecursionError, ValueError):
            node = self._from_files(node_id)
        self._built[node_id] = node
        self._raw[node_id] = None  # its data is not needed again (the key still says the node exists)
        return node

    def _from_files(self, node_id: str) -> Node:
        from crossing.errors import CrossingError

        fresh = self._reload() if self._reload is not None else {}
        if node_id not in fresh or set(fresh) != set(self._raw):
            raise CrossingError(f"scene {node_id} could not be read again from the story's files: were they changed?")
        self._built.update(fresh)  # every node now comes from the files
        return fresh[node_id]

    def content_warnings(self) -> set[str]:
        """Every scene's content warnings, read from the cached data without building the nodes."""
        found: set[str] = set()
        for node_id, data in self._raw.items():
            if node_id in self._built:
                found.update(self._built[node_id].content_warnings)
                continue
            listed = data[_NODE_WARNINGS] if isinstance(data, list) and len(data) == _NODE_SIZE else None
            if not (isinstance(listed, list) and all(w in CONTENT_WARNINGS for w in listed)):
                found.update(self[node_id].content_warnings)  # odd data: the node itself says (or is reloaded)
                continue
            found.update(listed)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._raw


# Where a node's content warnings sit in its cached list: [class name, *fields].
_NODE_SIZE = len(dataclasses.fields(Node)) + 1
_NODE_WARNINGS = 1 + [f.name for f in dataclasses.fields(Node)].index("content_warnings")


def _node_fits(node_id: str, node: Node, nodes: Mapping[str, object]) -> bool:
    """The cheap re-check of one node: it is the node its key names, it ends or offers choices, and every
    scene it leads to exists."""
    if node.id != node_id or (node.ending is None and not node.choices):
        return False
    for choice in node.choices:
        if (choice.goto is None) == (not choice.outcomes):
            return False
        if any(target not in nodes for target in choice.targets):
            return False
    return True


def _lazy_nodes(each: Decoder) -> Decoder:
    def decode(data: object, depth: int) -> object:
        if not isinstance(data, dict):
            raise _Bad("expected a mapping")
        return LazyNodes(data, each)

    return decode


# Fields read lazily: (class, field). Only a story's nodes are worth it (98% of a cache file).
_LAZY_FIELDS = {("Story", "nodes")}


def _scalar_kinds(hint: object) -> tuple[type, ...] | None:
    """The exact JSON types a field may hold when it is plain data (str, int | None, Value...), else None."""
    parts = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) else (hint,)
    kinds: list[type] = []
    for part in parts:
        if part not in (type(None), bool, int, float, str):
            return None
        kinds.append(part)
        if part is float:
            kinds.append(int)  # an int is a float as type hints count (the loader keeps 0, not 0.0)
    return tuple(kinds)


def _dataclass(cls: type) -> Decoder:
    names = [f.name for f in dataclasses.fields(cls) if f.init]
    if len(names) != len(dataclasses.fields(cls)):
        raise _Bad(f"{cls.__name__} has fields that are not set by its constructor")
    hints = typing.get_type_hints(cls)
    size, name = len(names) + 1, cls.__name__
    # Worked out on first use (classes refer to each other): plain fields are only type-checked, the
    # others decoded. Most objects (locations, facts) hold plain fields only: the fast path matters.
    plain: list[tuple[int, tuple[type, ...]]] | None = None
    nested: list[tuple[int, Decoder]] = []

    def decode(data: object, depth: int) -> object:
        nonlocal plain
        if type(data) is not list or len(data) != size or data[0] != name:
            raise _Bad(f"expected {name}")
        if depth > MAX_NESTING:
            raise _Bad("nested too deep")
        if plain is None:
            found: list[tuple[int, tuple[type, ...]]] = []
            for index, field_name in enumerate(names):
                kinds = _scalar_kinds(hints[field_name])
                if kinds is not None:
                    found.append((index, kinds))
                elif (name, field_name) in _LAZY_FIELDS:
                    nested.append((index, _lazy_nodes(_decoder(typing.get_args(hints[field_name])[1]))))
                else:
                    nested.append((index, _decoder(hints[field_name])))
            plain = found
        values = data[1:]
        for index, kinds in plain:
            if type(values[index]) not in kinds:
                raise _Bad(f"{name}.{names[index]} holds {type(values[index]).__name__}")
        for index, decoder in nested:
            values[index] = decoder(values[index], depth + 1)
        try:
            return cls(*values)
        except (TypeError, ValueError) as exc:
            raise _Bad(str(exc)) from None

    return decode


# Expressions already rebuilt, by source text: a story repeats its conditions (the default story's 670
# expressions have 188 sources), and the same text always parses to the same tree. Emptied when a story
# is read; its nodes read later (LazyNodes) share it, so it stays about the size of one story's conditions.
_SEEN_EXPRESSIONS: dict[str, object] = {}


def _expression(data: object, depth: int) -> object:
    """An expression rebuilt from its tree: height checked before anything recursive, then compiled."""
    if not (isinstance(data, list) and len(data) == 3 and data[0] == "Expression" and isinstance(data[1], str)):
        raise _Bad("expected an expression")
    seen = _SEEN_EXPRESSIONS.get(data[1])
    if seen is not None:
        return seen
    if len(data[1]) > expressions.MAX_SOURCE_LENGTH:
        raise _Bad("an expression too long")
    if depth > MAX_NESTING:
        raise _Bad("nested too deep")
    tree = _tree_decoder()(data[2], depth + 1)
    if expressions._height(tree) > expressions.MAX_HEIGHT:  # type: ignore[arg-type]
        raise _Bad("an expression too deep")
    for part in expressions.walk(tree):  # type: ignore[arg-type]
        if isinstance(part, expressions.Unary) and part.op not in ("not", "-", "+"):
            raise _Bad("an unknown operator")
        if isinstance(part, expressions.Binary) and part.op not in _BINARY_OPS:
            raise _Bad("an unknown operator")
    rebuilt = _SEEN_EXPRESSIONS[data[1]] = _rebuilt(data[1], tree)
    return rebuilt


_BINARY_OPS = frozenset({"and", "or", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "//", "%"})


def _tree_decoder() -> Decoder:
    global _TREE
    if _TREE is None:
        _TREE = _decoder(expressions.Expr)
    return _TREE


_TREE: Decoder | None = None


def _rebuilt(source: str, tree: Any) -> object:
    parts = expressions.walk(tree)
    return expressions._restore(
        source, tree,
        tuple(p for p in parts if isinstance(p, expressions.Name)),
        tuple(p for p in parts if isinstance(p, expressions.Visited)),
    )


def decode_validation(data: object) -> Validation:
    """A Validation from cache data; raises _Bad when anything does not fit the model."""
    _SEEN_EXPRESSIONS.clear()
    result = _decoder(Validation)(data, 0)
    assert isinstance(result, Validation)
    return result


def _consistent(result: Validation, root: Path) -> bool:
    """The cheap re-check: a clean story of this folder whose start exists (each node is checked as it is
    read: LazyNodes)."""
    story = result.story
    if story is None or result.errors or story.root != root:
        return False
    nodes = story.nodes
    if story.start not in nodes:
        return False
    if not isinstance(nodes, LazyNodes) and not all(_node_fits(node_id, node, nodes) for node_id, node in nodes.items()):
        return False
    return all(variable.name == name for name, variable in story.variables.items())


# -------------------------------------------------------------------------------------- load/save


def _target(root: Path) -> Path | None:
    folder = cache_dir()
    if folder is None or not root.is_dir():
        return None
    key = fingerprint(root)
    if key is None:
        return None
    return folder / f"story-{_user()}-{key[:40]}{SUFFIX}"


def _read(target: Path, root: Path, *, explored: bool) -> Validation | None:
    from crossing.files import FileRefused, read_bytes

    if not _trusted_file(target) or not _trusted_file_folder(target.parent):
        return None
    try:
        document = json.loads(read_bytes(target, limit=MAX_CACHE_BYTES))
        if not isinstance(document, dict) or document.get("format") != CACHE_FORMAT:
            return None
        if document.get("user") != _user() or (explored and document.get("explored") is not True):
            return None
        result = decode_validation(document.get("validation"))
    except (FileRefused, ValueError, RecursionError, MemoryError, _Bad):
        return None
    return result if _consistent(result, root) else None


def _trusted_file_folder(folder: Path) -> bool:
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    return not hasattr(os, "getuid") or (info.st_uid == os.getuid() and not info.st_mode & 0o077)


def load_checked(path: Path, *, explore: bool = False) -> Validation:
    """The validated story at path: from the cache when its files are unchanged, else freshly.

    ``explore``: the result must include the lints that explore the story (what `crossing validate`
    reports); play needs only the errors.
    """
    root = path.parent if path.is_file() else path
    try:
        target = _target(root)
    except (OSError, RuntimeError, RecursionError):
        target = None
    if target is not None:
        cached = _read(target, root, explored=explore)
        if cached is not None:
            if cached.story is not None and isinstance(cached.story.nodes, LazyNodes):
                cached.story.nodes._reload = lambda: _reloaded_nodes(path, target, explore)
            return cached
    from crossing.validation import validate_path

    result = validate_path(path, explore=explore)
    if target is not None and result.story is not None and not result.errors:
        # Written when the program ends, so the first scene is not kept waiting for it.
        atexit.register(_write, target, result, explore)
    return result


def _reloaded_nodes(path: Path, target: Path, explore: bool) -> Mapping[str, Node]:
    """The nodes from the story's files, when a cached node did not fit; the cache is written again."""
    from crossing.validation import validate_path

    result = validate_path(path, explore=explore)
    if result.story is None or result.errors:
        return {}
    atexit.register(_write, target, result, explore)
    return result.story.nodes


def _write(target: Path, result: Validation, explored: bool) -> None:
    with contextlib.suppress(OSError, _Bad, RecursionError, ValueError):
        if not _private_folder(target.parent):
            return
        document = {"format": CACHE_FORMAT, "user": _user(), "explored": explored, "validation": _encode(result)}
        write_atomic(target, json.dumps(document, ensure_ascii=False, separators=(",", ":")), private=True)
