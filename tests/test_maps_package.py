"""crossing.maps as a package: pure, small functions, and a public face that covers its callers."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import crossing.maps as maps

MAPS = Path(maps.__file__).resolve().parent
SRC = MAPS.parent


def test_maps_never_import_rich_or_typer_nor_print() -> None:
    for path in sorted(MAPS.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        for edge in (r"^\s*(import|from) (rich|typer)\b", r"(?<![\w.])print\(", r"(?<![\w.])input\("):
            assert not re.search(edge, source, re.M), f"{path.name} matches {edge!r}"


def test_no_function_over_80_lines() -> None:
    for path in sorted(MAPS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                assert length <= 80, f"{path.name}: {node.name} is {length} lines"


def test_public_names_exist_and_callers_use_only_them() -> None:
    for name in maps.__all__:
        assert hasattr(maps, name), name
    # outside the package (and its tests), code imports maps only through its public face
    for path in sorted(SRC.rglob("*.py")):
        if MAPS in path.parents:
            continue
        for match in re.finditer(r"from crossing\.maps(\.\w+)? import \(?([^)]*?)\)?$", path.read_text(encoding="utf-8"), re.M | re.S):
            assert match.group(1) is None, f"{path.name} reaches into crossing.maps{match.group(1)}"
