"""Safe reading: only regular files, never blocking, never past a size limit; folders walked without
recursion; names that are not UTF-8 shown escaped; one home for control-character escaping."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crossing.files import FileRefused, describe_size, read_bytes, read_text, walk_files
from crossing.textsafety import inert, shown_name, without_controls

SRC = Path(__file__).resolve().parents[1] / "src"


def test_reads_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(b"{}")
    assert read_bytes(tmp_path / "a.json", limit=10) == b"{}"
    assert read_text(tmp_path / "a.json", limit=2) == "{}"


def test_a_named_pipe_is_refused_at_once(tmp_path: Path) -> None:
    pipe = tmp_path / "extra.yaml"
    os.mkfifo(pipe)
    started = time.monotonic()
    with pytest.raises(FileRefused, match="is a named pipe, not a file") as caught:
        read_bytes(pipe, limit=100)
    assert time.monotonic() - started < 2 and caught.value.kind == "not-a-file"


def test_a_folder_and_a_device_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FileRefused, match="is a folder"):
        read_bytes(tmp_path, limit=100)
    with pytest.raises(FileRefused, match="is a device"):
        read_bytes("/dev/zero", limit=100)
    link = tmp_path / "zero.json"
    link.symlink_to("/dev/zero")
    with pytest.raises(FileRefused, match="is a device"):
        read_bytes(link, limit=100)


def test_a_sparse_file_claiming_gigabytes_is_refused_from_its_size(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(3 * 10**9)  # sparse: takes no room on disk
    with pytest.raises(FileRefused, match=r"too large \(3\.0 GB; at most 32\.0 MB\)") as caught:
        read_bytes(big, limit=32 * 10**6)
    assert caught.value.kind == "too-large"


def test_missing_and_not_text(tmp_path: Path) -> None:
    with pytest.raises(FileRefused) as caught:
        read_bytes(tmp_path / "none", limit=1)
    assert caught.value.kind == "missing"
    (tmp_path / "latin.txt").write_bytes(b"caf\xe9")
    with pytest.raises(FileRefused, match="not UTF-8 text") as refused:
        read_text(tmp_path / "latin.txt", limit=10)
    assert refused.value.kind == "not-text"


def test_a_file_larger_than_the_limit_is_refused(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"x" * 11)
    with pytest.raises(FileRefused, match="too large"):
        read_bytes(tmp_path / "f", limit=10)


def test_hostile_reads_in_a_limited_process(tmp_path: Path) -> None:
    """The same refusals in a process with 256 MB of address space: a read of /dev/zero or of the sparse
    file would fail with MemoryError there instead of exhausting the machine."""
    big = tmp_path / "big"
    with big.open("wb") as handle:
        handle.truncate(3 * 10**9)
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (256 * 2**20, 256 * 2**20))\n"
        "from crossing.files import FileRefused, read_bytes\n"
        "for p in sys.argv[1:]:\n"
        "    try:\n"
        "        read_bytes(p, limit=2**20)\n"
        "    except FileRefused as exc:\n"
        "        print(exc.kind)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, "/dev/zero", str(big)], capture_output=True, text=True,
                            timeout=30, env={**os.environ, "PYTHONPATH": str(SRC)})
    assert result.stdout.split() == ["not-a-file", "too-large"], result.stderr


def test_walk_survives_a_thousand_nested_folders(tmp_path: Path) -> None:
    deep = nest(tmp_path, 1000)
    (deep / "x.yaml").write_text("x")
    (tmp_path / "top.yaml").write_text("y")
    try:
        found = walk_files(tmp_path, suffixes=(".yaml",), max_depth=32)
        assert found.files == [tmp_path / "top.yaml"]
        assert found.truncated
        assert any("more than 32 folders deep" in why for _, why in found.skipped)
    finally:
        unnest(tmp_path, 1000)


def nest(root: Path, levels: int) -> Path:
    """root/d/d/.../d, made one folder at a time (os.makedirs recurses once per level)."""
    deep = root
    for _ in range(levels):
        deep = deep / "d"
        deep.mkdir()
    return deep


def unnest(root: Path, levels: int) -> None:
    """Remove what nest made, deepest first (pytest's clean-up would recurse too)."""
    deep = root.joinpath(*["d"] * levels)
    for path in [deep, *deep.parents][:levels]:
        for child in path.iterdir():
            child.unlink()
        path.rmdir()


def test_walk_lists_what_it_does_not_read(tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text("{}")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.json").write_text("{}")
    (tmp_path / ".hidden.json").write_text("{}")
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "loop").symlink_to(tmp_path)  # never followed
    found = walk_files(tmp_path, suffixes=(".json",))
    assert found.files == [tmp_path / "b.json", tmp_path / "sub" / "a.json"]
    assert [(p.name, why) for p, why in found.skipped] == [("pipe.json", "is a named pipe, not a file; it is not read")]
    limited = walk_files(tmp_path, suffixes=(".json",), max_files=1)
    assert limited.files == [tmp_path / "b.json"] and limited.truncated


def test_names_that_are_not_utf8_are_shown_escaped(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9\x1b[2J.json")
    assert shown_name(name) == "caf\\xe9\\x1b[2J.json"
    shown_name(name).encode("ascii")  # printable anywhere
    assert shown_name(b"ok.json") == "ok.json"
    with pytest.raises(FileRefused) as caught:
        read_bytes(tmp_path / name, limit=1)
    str(caught.value).encode("utf-8")


def test_bidirectional_overrides_are_neutralised() -> None:
    text = "file\u202eexe.txt \u2066x\u2069 \x1b]0;title\x07"
    assert inert(text) == "file\\u202eexe.txt \\u2066x\\u2069 \\x1b]0;title\\x07"
    assert without_controls("a\u202eb\tc\nd\x1b") == "ab c d"
    assert inert("tab\there\nnext") == "tab    here\nnext"


def test_one_control_character_pattern_in_the_code() -> None:
    """Issue 10: one definition (textsafety.CONTROL), not a regex copied into each module."""
    copies = [p for p in SRC.rglob("*.py") if r"\x7f-\x9f" in p.read_text(encoding="utf-8")]
    assert [p.name for p in copies] == ["textsafety.py"]


def test_sizes_for_people() -> None:
    assert describe_size(1) == "1 byte"
    assert describe_size(3_200) == "3.2 KB"
    assert describe_size(3 * 10**9) == "3.0 GB"


def test_walk_folders_is_os_walk_without_recursion(tmp_path: Path) -> None:
    from crossing.files import walk_folders

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "x.yaml").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "a")
    walked = [(os.path.relpath(f, tmp_path), subs, names) for f, subs, names in walk_folders(tmp_path)]
    assert walked == [(".", ["a", "link"], []), ("a", ["b"], ["x.yaml"]), (os.path.join("a", "b"), [], [])]
    deep = nest(tmp_path / "a" / "b", 1000)
    try:
        skipped: list[str] = []
        folders = list(walk_folders(tmp_path, max_depth=10, too_deep=skipped.append))
        assert len(folders) == 11 and len(skipped) == 1
    finally:
        unnest(tmp_path / "a" / "b", 1000)
    assert not deep.exists()
