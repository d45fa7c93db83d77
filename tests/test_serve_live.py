"""`crossing class --live`: students vote from their devices, the projector shows the tally, the teacher
closes the vote with a key; class mode's own rules decide. Also `--lan`'s choice of address, the command
lines, and the layers (the web stack is loaded by `serve` and `class --live` only)."""

from __future__ import annotations

import io
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from crossing.engine import Engine
from crossing.render.classroom import ClassOptions, run_class
from crossing.render.theme import crossing_theme
from crossing.serve import network
from crossing.serve.live import Keys, LiveVotes
from crossing.serve.room import Room
from crossing.transcript import Transcript
from helpers import run_crossing
from serve_support import Client, choice_numbers, field_value, hostile_story, running

CODE = "VOTE42"
REPO = Path(__file__).resolve().parents[1]


def wait_for(condition, what: str, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def lines_from(source: queue.Queue[str | None]) -> Iterator[str]:
    while (line := source.get(timeout=30)) is not None:
        yield line


def test_a_class_votes_from_devices_and_the_teacher_closes_each_vote(tmp_path: Path) -> None:
    story = hostile_story(tmp_path / "story")
    room = Room(story, tmp_path / "lesson", code=CODE, mode="vote")
    teacher: queue.Queue[str | None] = queue.Queue()
    screen = io.StringIO()
    console = Console(file=screen, width=80, theme=crossing_theme(), no_color=True, highlight=False, markup=False)
    votes = LiveVotes(room, console, Keys(lines=lines_from(teacher)), every=0.02)
    engine = Engine(story, 3)
    transcript = Transcript.begin(story, 3, mode="class")
    outcome: list[str] = []

    def enter(prompt: object) -> str:
        return ""  # the teacher presses Enter at every page but the votes (those come from `teacher`)

    with running(room) as base:
        lesson = threading.Thread(target=lambda: outcome.append(
            run_class(engine, console, enter, ClassOptions(plain=True), transcript=transcript, votes=votes)))
        students = [Client(base) for _ in range(3)]
        pages = [s.join(CODE).body for s in students]
        assert all("Waiting for the lesson to begin" in p for p in pages)
        lesson.start()
        wait_for(lambda: room.vote is not None and room.vote.open, "the first vote to open")
        ballots = [s.get("/vote").body for s in students]
        assert choice_numbers(ballots[0]) == [1, 2] and "Wade across &lt;img" in ballots[0]
        for student, page, pick in zip(students, ballots, ("2", "2", "1"), strict=True):
            voted = student.post("/vote", {"csrf": field_value(page, "csrf"), "vote": field_value(page, "vote"), "choice": pick})
            assert voted.status == 200 and "Your vote is in" in voted.body
        # one vote per device per scene: a second vote (even from an old page) does not count
        again = students[0].post("/vote", {"csrf": field_value(ballots[0], "csrf"), "vote": field_value(ballots[0], "vote"), "choice": "1"})
        assert again.status == 200 and "Your vote is in" in again.body
        assert room.tally() == (1, 2)
        teacher.put("")  # Enter closes the vote: 1 / 2, choice 2 wins
        wait_for(lambda: room.vote is not None and room.vote.id == 2, "the second vote")
        assert "Take the bus" in students[2].get("/vote").body
        late = students[2].post("/vote", {"csrf": field_value(ballots[2], "csrf"), "vote": field_value(ballots[2], "vote"), "choice": "1"})
        assert late.status == 200 and room.tally() == (0, 0)  # a vote for the last scene does not count here
        teacher.put("")  # Enter with no votes: the vote stays open
        wait_for(teacher.empty, "the teacher's Enter to be read")
        time.sleep(0.2)
        assert room.vote.open and room.vote.id == 2  # type: ignore[union-attr]
        teacher.put("1")  # the teacher types the winner instead
        lesson.join(20)
        assert not lesson.is_alive()
        teacher.put(None)
    assert outcome == ["ending"]
    stood = transcript.path_steps
    assert [s.choice_text for s in stood[:2]] == ["Wait for a guide", "Take the bus"]
    assert [v.hands for v in stood[0].votes or ()] == [1, 2]
    assert [v.hands for v in stood[1].votes or ()] == [None, None]
    shown = screen.getvalue()
    assert "No votes yet" in shown and "Votes from the class's devices" in shown
    assert "Wade across <img src=x onerror=alert(1)>" in shown


def test_a_tie_from_devices_goes_to_the_choice_listed_first(tmp_path: Path) -> None:
    story = hostile_story(tmp_path / "story")
    room = Room(story, tmp_path / "lesson", code=CODE, mode="vote")
    teacher: queue.Queue[str | None] = queue.Queue()
    console = Console(file=io.StringIO(), width=80, no_color=True)
    votes = LiveVotes(room, console, Keys(lines=lines_from(teacher)), every=0.02)
    engine = Engine(story, 3)
    with running(room) as base:
        answer: list[str | None] = []
        worker = threading.Thread(target=lambda: answer.append(votes(engine, engine.offered())))
        worker.start()
        wait_for(lambda: room.vote is not None, "the vote")
        for pick in ("2", "1"):
            client = Client(base)
            page = client.join(CODE).body
            page = client.get("/vote").body
            client.post("/vote", {"csrf": field_value(page, "csrf"), "vote": field_value(page, "vote"), "choice": pick})
        teacher.put("")
        worker.join(10)
        teacher.put(None)
    assert answer == ["1 1"]  # class mode's parse_vote turns a 1-1 tie into choice 1, as for typed hands


def test_lan_chooses_a_private_network_address() -> None:
    choose = network.choose_lan_address
    assert choose(["127.0.0.1", "192.168.1.20"]) == "192.168.1.20"
    assert choose(["172.17.0.1", "10.0.0.5"]) == "10.0.0.5"  # a school network before a container bridge
    assert choose(["10.1.2.3", "192.168.0.9"]) == "10.1.2.3"  # equally private: the order found (default route first)
    assert choose(["169.254.3.4", "172.20.0.2"]) == "172.20.0.2"
    assert choose(["fe80::1", "::1", "8.8.8.8"]) == "8.8.8.8"
    for nothing in ([], ["127.0.0.1", "127.0.1.1"], ["169.254.1.1", "0.0.0.0", "224.0.0.1", "192.0.2.1", "junk"]):
        with pytest.raises(network.NoNetworkError):
            choose(nothing)
    assert network.listen_address(False) == "127.0.0.1"
    assert network.listen_address(True, ["127.0.0.1", "192.168.5.5"]) == "192.168.5.5"
    # finding this machine's own candidates sends nothing anywhere (a UDP socket is only connected)
    found = network.lan_candidates()
    assert all(isinstance(address, str) for address in found)
    assert network.url_for("192.168.5.5", 8765) == "http://192.168.5.5:8765/"


def test_the_qr_code_encodes_the_address() -> None:
    rows = network.qr_rows("http://192.168.5.5:8765/")
    assert len(rows) == len(rows[0]) >= 25 and not any(rows[0])  # square, with a quiet zone


def test_serve_command_line_errors_are_messages() -> None:
    bad = run_crossing("serve", "--join-code", "no spaces", "--port", "0")
    assert bad.returncode == 2 and "--join-code: a join code is 4 to 12 letters or digits" in bad.stderr
    assert "Traceback" not in bad.stderr
    missing = run_crossing("serve", "--from", "no-such-scene", "--port", "0")
    assert missing.returncode == 2 and "no scene 'no-such-scene'" in missing.stderr
    with network.bind("127.0.0.1", 0) as taken:
        port = taken.getsockname()[1]
        busy = run_crossing("serve", "--port", str(port))
        assert busy.returncode == 1 and f"cannot listen on port {port} of 127.0.0.1" in busy.stderr and "Traceback" not in busy.stderr


@pytest.mark.slow
def test_serve_runs_a_lesson_and_ctrl_c_ends_it_cleanly(tmp_path: Path) -> None:
    folder = tmp_path / "lesson"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    # SIGINT ignored in this process (some in-process command may have left it so) is inherited: the
    # server must install its own Ctrl-C handling, and this test checks that it does
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        process = subprocess.Popen([sys.executable, "-m", "crossing", "serve", "--port", "0", "--join-code", CODE,
                                    "--transcripts", str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env=env)
    finally:
        signal.signal(signal.SIGINT, previous)
    try:
        assert process.stdout is not None
        url = None
        for _ in range(200):
            line = process.stdout.readline()
            found = re.search(r"(http://127\.0\.0\.1:[0-9]+)/", line)
            if found:
                url = found.group(1)
                break
        if url is None:
            process.kill()
            raise AssertionError(f"the server did not say its address: {process.communicate()}")
        client = Client(url)
        page = client.join(CODE, "Kim").body
        assert "Playing as" in page
        client.post("/choose", {"csrf": field_value(page, "csrf", "/choose"), "step": "0", "choice": "1"})
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, (out, err)
    assert "The lesson has ended. 1 run saved (0 finished)" in out and f"crossing report {folder}" in out, out
    assert "Traceback" not in err
    data = Transcript.from_json(next(folder.glob("*.json")).read_text(encoding="utf-8"))
    assert data.name == "Kim" and len(data.path_steps) == 1


def test_class_live_command_line_starts_and_stops(tmp_path: Path) -> None:
    env = {"CROSSING_DATA_DIR": str(tmp_path / "data")}
    result = run_crossing("class", str(REPO / "tests" / "stories" / "classroom"), "--live", "--port", "0",
                          "--join-code", CODE, input="q\n", env=env)
    assert result.returncode == 0, result.stderr
    assert re.search(r"Students open http://127\.0\.0\.1:[0-9]+/ +and type the join code VOTE42", result.stdout)
    assert "Traceback" not in result.stderr


WEB = ("starlette", "uvicorn", "segno")


def test_only_serve_loads_the_web_stack() -> None:
    code = ("import sys, crossing.cli; from crossing.cli import app; "
            "import typer.main; typer.main.get_command(app); "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {WEB!r}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_web_stack_and_rich_stay_in_their_modules() -> None:
    src = REPO / "src" / "crossing"
    for path in sorted(src.rglob("*.py")):
        relative = path.relative_to(src).as_posix()
        text = path.read_text(encoding="utf-8")
        if not (relative.startswith("serve/") or relative == "cli/serve.py"):
            for name in WEB:
                assert not re.search(rf"^\s*(import|from) {name}\b", text, re.M), f"{relative} imports {name}"
        if relative.startswith("serve/") and relative not in ("serve/terminal.py", "serve/live.py"):
            assert not re.search(r"^\s*(import|from) rich\b", text, re.M), f"{relative} imports Rich"
            assert not re.search(r"^\s*(import|from) (typer|yaml)\b", text, re.M), relative


def test_lan_without_a_network_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(network, "lan_candidates", lambda: ["127.0.0.1", "169.254.0.7"])
    result = run_crossing("serve", "--lan", "--port", "0")
    assert result.returncode == 1 and "--lan: this computer has no address on a local network" in result.stderr
    live = run_crossing("class", str(REPO / "tests" / "stories" / "classroom"), "--live", "--lan", "--port", "0")
    assert live.returncode == 1 and "--lan: this computer has no address on a local network" in live.stderr
