"""Limits on what a story folder may hold, and the YAML tags of plain data."""

from __future__ import annotations

import re
from typing import TypeVar

import yaml

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
