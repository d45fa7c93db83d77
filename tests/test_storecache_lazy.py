"""A story served from the cache builds its nodes when they are first needed (in-process: the cache is
written directly rather than when a process ends)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crossing import storecache
from crossing.engine import Engine
from crossing.errors import CrossingError
from crossing.model import Node
from crossing.paths import default_story_path
from crossing.validation import validate_path


def cached(path: Path) -> storecache.LazyNodes:
    target = storecache._target(path)
    assert target is not None
    storecache._write(target, validate_path(path, explore=False), False)
    story = storecache.load_checked(path).story
    assert story is not None and isinstance(story.nodes, storecache.LazyNodes)
    return story.nodes


def test_starting_a_run_builds_only_the_first_scene() -> None:
    nodes = cached(default_story_path())
    story = storecache.load_checked(default_story_path()).story
    assert story is not None and len(story.nodes) == 121
    Engine(story, seed=1).offered()
    assert len(nodes._built) < 5  # the content note, the first scene's choices: no need for the other 117


def test_content_warnings_read_unbuilt_match_the_built_story() -> None:
    fresh = validate_path(default_story_path(), explore=False).story
    cached(default_story_path())
    story = storecache.load_checked(default_story_path()).story
    assert fresh is not None and story is not None
    assert story.content_warnings() == fresh.content_warnings() == ["violence", "sexual-violence", "torture", "death"]
    assert len(story.nodes._built) == 0  # type: ignore[attr-defined]
    # and every node, once built, is the one the loader built (compared as data: a compiled condition is
    # a new function each time it is compiled)
    assert [storecache._encode(n) for n in story.nodes.values()] == [storecache._encode(n) for n in fresh.nodes.values()]


def test_a_node_that_cannot_be_read_again_is_a_clear_error(tmp_path: Path) -> None:
    nodes = storecache.LazyNodes({"a": ["Node", "broken"]}, storecache._decoder(Node))
    with pytest.raises(CrossingError, match="scene a could not be read again"):
        nodes["a"]
    with pytest.raises(KeyError):
        nodes["nowhere"]


def test_a_node_cached_as_null_is_read_from_the_files() -> None:
    nodes = cached(default_story_path())
    start = next(iter(nodes))
    nodes._raw[start] = None  # as a damaged cache file would hold it, never built
    assert nodes[start].id == start  # taken from the story's files, not a crash
