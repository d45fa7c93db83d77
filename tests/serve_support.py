"""Shared by the tests of `crossing serve`: a hostile test story, a server on loopback, a plain HTTP client.

Only loopback traffic: every server listens on 127.0.0.1 on a free port, every client talks to it.
"""

from __future__ import annotations

import http.client
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

from crossing.model import Story
from crossing.serve import network
from crossing.serve.room import Room
from crossing.serve.server import LessonServer
from crossing.storecache import load_checked
from helpers import write_story

SCRIPT = "<script>alert('story')</script>"

# A small story whose text, titles, choices and glossary try to inject markup; a chance; places; a debrief.
HOSTILE_STORY = {
    "story.yaml": """\
        title: "The <b>river</b> & the road"
        start: start
        version: "1"
        description: "A test story <script>alert('description')</script>"
        variables:
          money: {value: 100, min: 0}
        sources:
          src:
            title: "A <i>source</i>"
            publisher: A publisher
            year: 2020
        routes:
          river:
            title: "The river <route>"
        places:
          home: {name: Hyesan, lat: 41.40, lon: 128.18}
          far: {name: "Changbai <x>", lat: 41.42, lon: 128.20}
          city: {name: Yanji, lat: 42.90, lon: 129.51}
        glossary:
          "<term>": "A term with <markup> & an ampersand."
          far bank: The Chinese side of the river.
        nodes:
          start:
            title: "Home <script>alert('title')</script>"
            route: river
            place: home
            text: |
              The night is quiet. <script>alert('story')</script>

              A second paragraph & more.
            risk: {level: moderate, note: "Patrols <em>often</em> pass."}
            facts:
              - claim: "A claim with <script>alert('fact')</script> in it."
                source: src
            choices:
              - text: "Wade across <img src=x onerror=alert(1)>"
                goto: bank
              - text: Wait for a guide
                set: {money: money - 10}
                goto: bank
          bank:
            title: The far bank
            route: river
            place: far
            text: You stand on the far bank, soaked.
            choices:
              - text: Take the bus
                outcomes:
                  - {weight: 1, goto: city, text: "The bus <b>comes</b> at dawn."}
                  - {weight: 1, goto: city, text: "The bus is late, but it <b>comes</b>."}
              - text: Walk
                goto: city
          city:
            title: The city
            route: river
            place: city
            text:
              - A city of lights.
              - {if: "money < 100", text: "Your purse is lighter <i>now</i>.", else: "Your purse is full."}
            choices:
              - text: Go on
                goto: end
          end:
            title: Safe
            route: river
            place: city
            text: "You are safe. <script>alert('ending')</script>"
            ending:
              kind: safety
              title: "Safe <b>at last</b>"
              debrief:
                why: Because you were careful.
                context: Many are not so lucky.
                questions:
                  - "What would you do? <script>alert('q')</script>"
                  - Why?
""",
}


def hostile_story(root: Path) -> Story:
    write_story(root, HOSTILE_STORY)
    result = load_checked(root)
    assert result.story is not None, [d.format() for d in result.errors]
    return result.story


@contextmanager
def running(room: Room) -> Iterator[str]:
    """The room's app served on 127.0.0.1 on a free port; yields the base address."""
    server = LessonServer(room, network.bind("127.0.0.1", 0))
    server.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: str

    @property
    def location(self) -> str | None:
        return self.headers.get("location")


@dataclass
class Client:
    """A browser without JavaScript: keeps cookies, posts forms, follows redirects when asked."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> Reply:
        host, port = self.base.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            sent = dict(headers or {})
            if self.cookies:
                sent.setdefault("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("set-cookie") or []:
                name, _, rest = header.partition("=")
                value = rest.split(";")[0]
                if "Max-Age=0" in header or value in ('""', ""):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
            return Reply(response.status, response.headers, text)
        finally:
            connection.close()

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, fields: dict[str, str] | list[tuple[str, str]], *, follow: bool = True) -> Reply:
        body = urlencode(fields).encode()
        reply = self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})
        if follow and reply.status == 303 and reply.location:
            return self.get(reply.location)
        return reply

    def join(self, code: str, alias: str = "") -> Reply:
        page = self.get("/")
        return self.post("/join", {"csrf": field_value(page.body, "csrf"), "code": code, "alias": alias})


def field_value(page: str, name: str, form: str | None = None) -> str:
    """The value of a hidden field (in the form posting to `form`, when given)."""
    if form is not None:
        match = re.search(rf'<form method="post" action="{re.escape(form)}".*?</form>', page, re.S)
        assert match, f"no form posting to {form}"
        page = match.group(0)
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no field {name}"
    return unescape(found.group(1))


def choice_numbers(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'name="choice" value="([0-9]+)"', page)]


def visible_text(page: str) -> str:
    """The page's text as a reader sees it (tags dropped, entities decoded)."""
    body = re.sub(r"<script\b[^>]*>.*?</script>", "", page, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", body))
