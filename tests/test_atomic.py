"""Atomic writes: the old file or the new one, never half; shared files get the usual permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from crossing.atomic import OutputRefused, write_atomic, write_output


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


# ------------------------------------------------------------------ --output onto what is not a file

def test_output_replaces_a_regular_file_and_creates_a_new_one(tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    assert write_output(target, "one") == "created"
    assert write_output(target, "two") == "replaced"
    assert target.read_text() == "two"


def test_output_through_a_link_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert write_output(link, "new") == "replaced"
    assert link.is_symlink() and real.read_text() == "new"


def test_output_onto_a_link_to_nothing_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "dangling.md"
    link.symlink_to(tmp_path / "nowhere" / "x.md")
    with pytest.raises(OutputRefused, match="does not exist"):
        write_output(link, "x")
    assert link.is_symlink() and not (tmp_path / "nowhere").exists()


def test_output_onto_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputRefused, match="is a folder"):
        write_output(tmp_path, "x")


def test_output_onto_a_device_streams_to_it_and_never_replaces_it(tmp_path: Path) -> None:
    """A private null device (root only can make one), so that a regression cannot touch /dev/null."""
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, AttributeError, OSError):
        pytest.skip("making a device node needs root")
    assert write_output(device, "a" * 200_000) == "streamed"
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_output_onto_a_named_pipe_streams_to_its_reader(tmp_path: Path) -> None:
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(OutputRefused, match="nothing reads"):
        write_output(pipe, "nobody")
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    import time

    deadline = time.monotonic() + 5
    while True:  # the reader's open() must come first, or writing would find no reader
        try:
            assert write_output(pipe, "hello") == "streamed"
            break
        except OutputRefused:
            assert time.monotonic() < deadline
            time.sleep(0.01)
    reader.join(5)
    assert received == [b"hello"] and stat.S_ISFIFO(os.lstat(pipe).st_mode)


def test_output_to_dev_stdout_reaches_stdout(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = "import sys; from pathlib import Path; from crossing.atomic import write_output; " \
           "print('first', flush=True); print(write_output(Path('/dev/stdout'), 'second\\n'), file=sys.stderr)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")})
    assert result.stdout == "first\nsecond\n" and result.stderr.strip() == "streamed"


def test_atomic_write_never_replaces_a_link_or_pipe(tmp_path: Path) -> None:
    pipe = tmp_path / "save.json"
    os.mkfifo(pipe)
    with pytest.raises(OSError, match="named pipe"):
        write_atomic(pipe, "x")
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
