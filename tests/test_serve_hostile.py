"""Hostile requests against `crossing serve`: each gets the right 4xx page (never a traceback), and the
lesson goes on unharmed. Loopback only; every loop bounded."""

from __future__ import annotations

import http.client
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from crossing.model import Story
from crossing.serve.app import MAX_BODY
from crossing.serve.room import Room
from serve_support import Client, Reply, choice_numbers, field_value, hostile_story, running

CODE = "RIVER7"


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    return hostile_story(tmp_path_factory.mktemp("story"))


@pytest.fixture(scope="module")
def room(story: Story, tmp_path_factory: pytest.TempPathFactory) -> Room:
    """One lesson for every attack in this module: each must leave it working for the next."""
    return Room(story, tmp_path_factory.mktemp("lesson"), code=CODE, max_students=1000)


@pytest.fixture(scope="module")
def base(room: Room) -> Iterator[str]:
    with running(room) as url:
        yield url


def form(client: Client, path: str, body: bytes, content_type: str = "application/x-www-form-urlencoded") -> Reply:
    return client.request("POST", path, body, {"Content-Type": content_type})


def unharmed(base: str, room: Room) -> None:
    """After the attack: a new student still joins and plays, and nothing failed on the server."""
    client = Client(base)
    page = client.join(CODE).body
    assert choice_numbers(page)
    after = client.post("/choose", {"csrf": field_value(page, "csrf", "/choose"), "step": "0", "choice": "1"})
    assert after.status == 200 and "The far bank" in after.body
    assert room.errors == 0


def no_traceback(text: str) -> None:
    assert "Traceback" not in text and "File \"" not in text


def test_wrong_join_code_is_refused(base: str, room: Room) -> None:
    client = Client(base)
    page = client.get("/")
    reply = client.post("/join", {"csrf": field_value(page.body, "csrf"), "code": "WRONG1", "alias": "x"})
    assert reply.status == 403 and "not the join code" in reply.body
    assert "crossing_session" not in client.cookies
    assert client.get("/play").status == 303  # still sent to join
    unharmed(base, room)


def test_join_without_its_form_token_is_refused(base: str, room: Room) -> None:
    client = Client(base)
    client.get("/")
    assert client.post("/join", {"code": CODE}).status == 403
    assert client.post("/join", {"csrf": "x" * 32, "code": CODE}).status == 403
    assert Client(base).post("/join", {"csrf": "x" * 32, "code": CODE}).status == 403  # no cookie at all
    unharmed(base, room)


def test_missing_or_forged_csrf_token_is_refused(base: str, room: Room) -> None:
    client = Client(base)
    page = client.join(CODE).body
    assert client.post("/choose", {"step": "0", "choice": "1"}).status == 403
    assert client.post("/choose", {"csrf": "forged", "step": "0", "choice": "1"}).status == 403
    assert client.post("/choose", {"csrf": field_value(page, "csrf") + "x", "step": "0", "choice": "1"}).status == 403
    assert client.post("/back", {"csrf": "", "step": "0"}).status == 403
    assert "The night is quiet" in client.get("/play").body  # nothing moved
    unharmed(base, room)


def test_one_student_cannot_reach_another_students_run(base: str, room: Room) -> None:
    ana, bo = Client(base), Client(base)
    ana_page = ana.join(CODE, "Ana").body
    bo.join(CODE, "Bo")
    # Bo's session with Ana's form token: refused, and Ana's run does not move
    stolen = bo.post("/choose", {"csrf": field_value(ana_page, "csrf", "/choose"), "step": "0", "choice": "1"})
    assert stolen.status == 403
    assert "The night is quiet" in ana.get("/play").body
    # every page Bo can ask for shows Bo's own run; no address names a run
    assert "Ana" not in bo.get("/play").body and "Ana" not in bo.get("/transcript.md").body
    assert bo.get("/transcript.md?student=1").body == bo.get("/transcript.md").body
    # a made-up session token is nobody's
    forged = Client(base, {"crossing_session": "A" * 43})
    assert forged.get("/play").status == 303
    assert forged.post("/choose", {"csrf": field_value(ana_page, "csrf", "/choose"), "step": "0", "choice": "1"}).status == 403
    unharmed(base, room)


def test_oversized_bodies_are_refused(base: str, room: Room) -> None:
    client = Client(base)
    client.join(CODE)
    assert form(client, "/choose", b"csrf=" + b"a" * (MAX_BODY + 1)).status == 413
    # a body that says it is small but is sent in chunks past the limit
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.putrequest("POST", "/choose")
        connection.putheader("Content-Type", "application/x-www-form-urlencoded")
        connection.putheader("Transfer-Encoding", "chunked")
        connection.putheader("Cookie", "; ".join(f"{k}={v}" for k, v in client.cookies.items()))
        connection.endheaders()
        chunk = b"a" * 4096
        for _ in range(4):
            connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        connection.send(b"0\r\n\r\n")
        reply = connection.getresponse()
        assert reply.status == 413
        no_traceback(reply.read().decode())
    finally:
        connection.close()
    unharmed(base, room)


def test_a_flood_from_one_session_is_slowed_down(base: str, room: Room) -> None:
    client = Client(base)
    client.join(CODE)
    statuses = [client.get("/play").status for _ in range(int(room.burst) + 20)]
    assert statuses[0] == 200 and 429 in statuses
    limited = client.get("/play")
    assert limited.status == 429 and limited.headers["retry-after"] == "1" and "Too many requests" in limited.body
    unharmed(base, room)  # another session is not slowed


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"csrf={csrf}&step=0&choice=abc", None, 400),
        (b"csrf={csrf}&step=0&choice=99", None, 400),
        (b"csrf={csrf}&step=0&choice=0", None, 400),
        (b"csrf={csrf}&step=-1&choice=1", None, 400),
        (b"csrf={csrf}&step=0&choice=1&choice=2", None, 400),
        (b"csrf={csrf}&step=0&choice=" + b"9" * 5000, None, 400),
        (b"csrf={csrf}&step=0&choice=%FF%FE", None, 400),
        (b"csrf={csrf}&step=0&choice=\xff", None, 400),
        (b"csrf={csrf}&step=0&choice=%EF%BC%91", None, 400),  # a full-width digit one
        (b"csrf={csrf}&" + b"&".join(b"f%d=1" % i for i in range(50)), None, 400),
        (b"{{\"choice\": 1}}", "application/json", 415),
        (b"csrf={csrf}&step=0&choice=1", "multipart/form-data; boundary=x", 415),
    ],
)
def test_malformed_form_values_are_refused(base: str, room: Room, body: bytes, content_type: str | None, status: int) -> None:
    client = Client(base)
    page = client.join(CODE).body
    payload = body.replace(b"{csrf}", field_value(page, "csrf", "/choose").encode()).replace(b"{{", b"{").replace(b"}}", b"}")
    reply = form(client, "/choose", payload, content_type or "application/x-www-form-urlencoded")
    assert reply.status == status, reply.body
    no_traceback(reply.body)
    assert "The night is quiet" in client.get("/play").body
    unharmed(base, room)


@pytest.mark.parametrize("path", ["/nowhere", "/static/../../etc/passwd", "/static/..%2f..%2fetc%2fpasswd", "/..",
                                  "/static/room.py", "/static/", "/%2e%2e/%2e%2e/etc/passwd", "/play/../../x"])
def test_unknown_paths_and_dot_dot_are_not_found(base: str, room: Room, path: str) -> None:
    # sent raw, as written: no client-side clean-up of the path
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        for _ in range(100):
            chunk = raw.recv(65536)
            if not chunk:
                break
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    assert status == 404, answer[:200]
    assert b"root:" not in answer
    no_traceback(answer.decode("utf-8", "replace"))
    unharmed(base, room)


def test_wrong_methods_and_garbage_requests(base: str, room: Room) -> None:
    client = Client(base)
    assert client.request("DELETE", "/play").status == 405
    assert client.request("GET", "/choose").status == 405
    assert client.request("POST", "/play", b"", {"Content-Type": "application/x-www-form-urlencoded"}).status == 405
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(b"\x16\x03\x01garbage that is no HTTP\r\n\r\n")
        answer = raw.recv(65536)
    assert answer == b"" or answer.startswith(b"HTTP/1.1 4")
    with socket.create_connection((host, int(port)), timeout=10) as raw:  # a header far too large
        raw.sendall(b"GET /play HTTP/1.1\r\nHost: x\r\nCookie: " + b"a" * 200_000 + b"\r\n\r\n")
        try:
            answer = raw.recv(65536)
        except ConnectionResetError:
            answer = b""
    assert answer == b"" or answer.startswith(b"HTTP/1.1 4")
    unharmed(base, room)


def test_the_room_is_full_at_max_students(story: Story, tmp_path: Path) -> None:
    small = Room(story, tmp_path / "small", code=CODE, max_students=3)
    with running(small) as base:
        for _ in range(small.max_students - 1):
            assert Client(base).join(CODE).status == 200
        unharmed(base, small)  # the last place
        full = Client(base).join(CODE)
        assert full.status == 503 and "The lesson is full (3 students)" in full.body
