"""YAML story folders -> the model, keeping the file, line and column of everything.

This package is the only place that imports PyYAML. It composes each file with the C parser (the safe
composer knows no Python tags) and builds the model straight from the YAML node tree, so it sees
duplicate keys, positions and tags that ``yaml.safe_load`` would hide or lose. Every structural problem
is collected as a Diagnostic; graph and expression checks live in validation.py.

Modules: _limits (bounds and tags), _files (finding and decoding files safely), _yaml (composing safely),
_reader (YAML shapes into values), _build (the model), here (loading a folder).
"""

from __future__ import annotations

import gc
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from crossing.diagnostics import Diagnostic
from crossing.loader._build import StoryMeta, _Builder
from crossing.loader._files import _outside, _rel, _resolve, _story_files
from crossing.loader._limits import MAX_FILE_BYTES, MAX_FILES, MAX_NESTING, MAX_TOTAL_BYTES, STORY_FILE
from crossing.loader._reader import _Skip
from crossing.loader._yaml import _compose
from crossing.model import Location, Story


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
    meta = StoryMeta()
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
                    if meta.nodes is not None:
                        builder.nodes_block(meta.nodes)
                else:
                    builder.node_file(document)
            except _Skip:
                continue
    finally:
        if gc_was_enabled:
            gc.enable()
    if meta.title is None or meta.start is None:
        return LoadResult(None, builder.diagnostics, builder.goto_refs, builder.broken_nodes, True)
    story = Story(
        title=meta.title,
        start=meta.start,
        root=root,
        version=meta.version,
        description=meta.description,
        variables=builder.variables,
        sources=meta.sources,
        nodes=builder.nodes,
        glossary=meta.glossary,
        gentle_glossary=meta.gentle_glossary,
        places=meta.places,
        routes=meta.routes,
        ending_kinds=meta.ending_kinds,
        files=tuple(files),
        digest=digest.hexdigest(),
        start_loc=meta.start_loc,
    )
    return LoadResult(story, builder.diagnostics, builder.goto_refs, builder.broken_nodes, builder.incomplete)



__all__ = ["MAX_FILES", "MAX_FILE_BYTES", "MAX_NESTING", "MAX_TOTAL_BYTES", "STORY_FILE", "LoadResult", "load_story"]
