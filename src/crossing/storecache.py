"""A cache of checked stories, so that play starts at once: the story folder is parsed and validated
once, then loaded from the user's cache folder while none of its files changes.

The cache key is a fingerprint of every *.yaml file's path, size and modification time, with Crossing's
and Python's versions. `crossing validate` never uses the cache. A cache file is only ever read with an
unpickler that accepts Crossing's own model classes, so a tampered file cannot run code; anything odd
about it and the story is simply loaded again.
"""

from __future__ import annotations

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

_ALLOWED = {
    "crossing.model": None,
    "crossing.expressions": None,
    "crossing.diagnostics": {"Diagnostic"},
    "crossing.validation": {"Validation"},
    "pathlib": {"Path", "PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath"},
    "builtins": {"frozenset", "set", "tuple", "list", "dict"},
}


class _ModelUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        allowed = _ALLOWED.get(module, set())
        if module in _ALLOWED and (allowed is None or name in allowed) and not name.startswith("__"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a story")


def cache_dir() -> Path:
    override = os.environ.get("CROSSING_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("crossing"))


def fingerprint(root: Path) -> str | None:
    """Path, size and modification time of every story file; None when the folder cannot be read."""
    entries: list[str] = []
    try:
        resolved = root.resolve()
        for folder, _subfolders, names in os.walk(resolved):
            for name in names:
                if name.endswith(".yaml"):
                    stat = os.stat(os.path.join(folder, name))
                    entries.append(f"{os.path.relpath(os.path.join(folder, name), resolved)}\0{stat.st_size}\0{stat.st_mtime_ns}")
    except OSError:
        return None
    entries.sort()
    key = "\n".join([__version__, sys.version, str(resolved), *entries])
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


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
        with contextlib.suppress(OSError, pickle.PicklingError, RecursionError):
            write_atomic(target, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL), private=True)
    return result
