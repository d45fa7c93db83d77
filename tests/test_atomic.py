"""Atomic writes: the old file or the new one, never half; shared files get the usual permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from crossing.atomic import write_atomic


def test_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.json"
    write_atomic(target, "one")
    write_atomic(target, b"two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["out.json"]


def test_a_failed_rename_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.txt"
    write_atomic(target, "old")

    def broken(src: str, dst: str) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="disk gone"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_permissions_follow_the_umask_unless_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "guide.html", "x")
        write_atomic(tmp_path / "save.json", "x", private=True)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "guide.html").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "save.json").stat().st_mode) == 0o600
