"""Finding a story's files safely (no links out of the folder, no loops, bounded counts) and decoding them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from crossing.files import DEFAULT_MAX_DEPTH, walk_folders
from crossing.loader._limits import MAX_FILES, STORY_FILE


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

    def too_deep(path: str) -> None:
        report(_rel(root, Path(path)), 0, 0, "too-deep",
               f"folders nested more than {DEFAULT_MAX_DEPTH} deep are not read")

    # Like os.walk, without its recursion (1,000 nested folders): symlinked folders are not followed (so
    # none can loop); one that leads outside is reported.
    for folder, subfolders, names in walk_folders(root, onerror=unreadable, too_deep=too_deep):
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
