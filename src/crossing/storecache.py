"""A cache of checked stories, so that play starts at once: the story folder is parsed and validated
once, then loaded from the user's cache folder while none of its files changes.

The cache key is a hash of every *.yaml file's path and contents, with Crossing's and Python's versions. `crossing validate` never uses the cache. A cache file is only ever read with an
unpickler that accepts Crossing's own model classes, so a tampered file cannot run code; anything odd
about it and the story is simply loaded again.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import io
import os
import pickle
import sys
from pathlib import Path

from crossing import __version__
from crossing.atomic import write_atomic
from crossing.validation import Validation

# Exactly the classes (and the one rebuilding function) a pickled Validation holds: nothing else can be
# named, so a tampered cache file cannot reach any callable that runs code.
_ALLOWED: dict[str, frozenset[str]] = {
    "crossing.model": frozenset({
        "Location", "Source", "Fact", "Risk", "Assignment", "Outcome", "Choice", "Debrief", "Ending", "Node",
        "Variable", "Place", "Route", "EndingKind", "Story", "Paragraph", "Passage",
    }),
    "crossing.expressions": frozenset({"Literal_", "Name", "Visited", "Unary", "Binary", "_restore"}),
    "crossing.diagnostics": frozenset({"Diagnostic"}),
    "crossing.validation": frozenset({"Validation"}),
    "pathlib": frozenset({"Path", "PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath"}),
    "builtins": frozenset({"frozenset", "set", "tuple", "list", "dict"}),
}


class _ModelUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        # Dotted names (protocol 4) would walk attributes from an allowed class to anything: refuse them.
        if "." not in name and name in _ALLOWED.get(module, frozenset()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a story")


def cache_dir() -> Path:
    override = os.environ.get("CROSSING_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("crossing"))


def fingerprint(root: Path) -> str | None:
    """A hash of every story file's path and contents (with Crossing's and Python's versions); None when
    the folder cannot be read. Contents, not times: a copy that keeps old modification times
    (cp -p, rsync -t, an unzipped archive) must never be served from the cache."""
    digest = hashlib.sha256(f"{__version__}\n{sys.version}\n".encode())
    try:
        resolved = root.resolve()
        digest.update(str(resolved).encode("utf-8", "surrogateescape") + b"\0")
        found: list[str] = []
        for folder, _subfolders, names in os.walk(resolved):
            found.extend(os.path.join(folder, name) for name in names if name.endswith(".yaml"))
        for path in sorted(found):
            with open(path, "rb") as handle:
                content = handle.read()
            digest.update(os.path.relpath(path, resolved).encode("utf-8", "surrogateescape") + b"\0")
            digest.update(len(content).to_bytes(8, "big") + content)
    except OSError:
        return None
    return digest.hexdigest()


def _read(path: Path) -> Validation | None:
    try:
        loaded = _ModelUnpickler(io.BytesIO(path.read_bytes())).load()
    except Exception:  # any broken cache file just means loading the story again
        return None
    return loaded if isinstance(loaded, Validation) and loaded.story is not None else None


def load_checked(path: Path) -> Validation:
    """The validated story at path: from the cache when its files are unchanged, else freshly."""
    root = path.parent if path.is_file() else path
    key = fingerprint(root) if root.is_dir() else None
    target = cache_dir() / f"story-{key}.pickle" if key else None
    if target is not None and target.is_file():
        cached = _read(target)
        if cached is not None and cached.story is not None and cached.story.root == root:
            return cached
    from crossing.validation import validate_path

    result = validate_path(path, explore=False)  # its warnings are for authors; playing needs the errors
    if target is not None and result.story is not None and not result.errors:
        # Written when the program ends, so the first scene is not kept waiting for it.
        atexit.register(_write, target, result)
    return result


def _write(target: Path, result: Validation) -> None:
    with contextlib.suppress(OSError, pickle.PicklingError, RecursionError):
        write_atomic(target, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL), private=True)
