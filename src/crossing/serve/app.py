"""The web application: Starlette routes over a Room, with the lesson's security rules.

Every request is treated as hostile. A browser joins with the lesson's code and gets an unguessable
session token in an HttpOnly, SameSite=Strict cookie; every change is a POST carrying the session's CSRF
token; a session can only reach its own run (no URL names a run). Request bodies are capped, each
session's request rate is limited, and anything malformed is answered with a 4xx page, never a
traceback. Every response carries a Content-Security-Policy that allows only the app's own script and
style sheet.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from crossing.serve import pages
from crossing.serve.room import Bucket, Room, RoomError, Student

SESSION_COOKIE = "crossing_session"
JOIN_COOKIE = "crossing_join"
MAX_BODY = 8 * 1024  # the largest form (join: code and alias) is well under 1 KiB
MAX_FIELDS = 8
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
_NUMBER = re.compile(r"[0-9]{1,6}")
_JOIN_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
STATIC = Path(__file__).resolve().parent / "static"
STATIC_TYPES = {"app.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("crossing.serve")


class Refused(Exception):
    """Answer the request with this status and message (a page saying what went wrong)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class SecurityHeaders:
    """Pure ASGI middleware: the security headers on every response, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"server"]
                message["headers"] = headers + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, with_headers)


async def read_form(request: Request) -> dict[str, str]:
    """A urlencoded form of at most MAX_BODY bytes and MAX_FIELDS fields, each named once."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise Refused(415, "This page only accepts its own forms.")
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise Refused(413, f"That request is larger than this lesson accepts ({MAX_BODY // 1024} KiB).")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BODY:
            raise Refused(413, f"That request is larger than this lesson accepts ({MAX_BODY // 1024} KiB).")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body),
                          max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "That form could not be read.") from None
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:
            raise Refused(400, "That form could not be read (a field was sent twice).")
        form[name] = value
    return form


def number_field(form: dict[str, str], name: str) -> int:
    value = form.get(name)
    if value is None or not _NUMBER.fullmatch(value):
        raise Refused(400, f"That form could not be read (the {name} is not a number).")
    return int(value)


def page(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers={"cache-control": "no-store"})


def see(url: str) -> RedirectResponse:
    """Post, redirect, get: every form is answered with the page to show next."""
    return RedirectResponse(url, status_code=303, headers={"cache-control": "no-store"})


class _ToJoin(Exception):
    """A page was asked for by a browser with no place in the lesson: send it to the join form."""


class Lesson:
    """The request handlers over one room (each route is a method)."""

    def __init__(self, room: Room) -> None:
        self.room = room
        self.story = room.story
        self.static = {name: (STATIC / name).read_bytes() for name in STATIC_TYPES}
        self.joins = Bucket(rate=20.0, burst=80.0, tokens=80.0, last=time.monotonic())
        self.home = "/vote" if room.mode == "vote" else "/play"
        if self.story.places and room.mode == "play":
            # the geography now, not in the middle of the lesson: the first ending or map would wait for it
            from crossing.journeys import journey
            from crossing.maps import load_region

            load_region()
            journey(self.story, [room.start])

    # -- who is asking

    def session(self, request: Request, *, post: bool) -> Student:
        """The request's student (rate-limited); a GET without one is sent to join, a POST refused."""
        student = self.room.find(request.cookies.get(SESSION_COOKIE))
        if student is None:
            if post:
                raise Refused(403, "Join the lesson first: this browser has no place in it.")
            raise _ToJoin
        if not self.room.allow(student):
            raise Refused(429, "Too many requests at once. Wait a moment, then go on.")
        return student

    async def posted(self, request: Request) -> tuple[Student, dict[str, str]]:
        """The student and the form of a POST that carries this session's CSRF token."""
        student = self.session(request, post=True)
        form = await read_form(request)
        if not student.csrf_ok(form.get("csrf")):
            raise Refused(403, "This form is out of date or did not come from this lesson. Go back to the lesson and try again.")
        return student, form

    def playing(self, request: Request) -> Student:
        student = self.session(request, post=False)
        if self.room.mode == "vote":
            raise _ToHome
        return student

    # -- joining

    async def index(self, request: Request) -> Response:
        if self.room.find(request.cookies.get(SESSION_COOKIE)) is not None:
            return see(self.home)
        return self.join_form(request)

    def join_form(self, request: Request, message: str | None = None, alias: str = "", status: int = 200) -> Response:
        token = request.cookies.get(JOIN_COOKIE, "")
        if not _JOIN_TOKEN.fullmatch(token):
            token = secrets.token_urlsafe(24)
        response = page(pages.join_page(self.story, token, message=message, alias=alias, live=self.room.mode == "vote"), status)
        response.set_cookie(JOIN_COOKIE, token, httponly=True, samesite="strict", path="/")
        return response

    async def join(self, request: Request) -> Response:
        if not self.joins.take(time.monotonic()):
            raise Refused(429, "Many students are joining at once. Wait a moment and try again.")
        form = await read_form(request)
        cookie = request.cookies.get(JOIN_COOKIE, "")
        given = form.get("csrf", "")
        if not _JOIN_TOKEN.fullmatch(cookie) or not hmac.compare_digest(cookie.encode(), given.encode("utf-8", "replace")):
            raise Refused(403, "This form is out of date or did not come from this lesson. Open the lesson's address again.")
        if self.room.find(request.cookies.get(SESSION_COOKIE)) is not None:
            return see(self.home)  # already in the lesson (a second click on Join)
        alias = form.get("alias", "")
        try:
            token, _ = self.room.join(form.get("code", ""), alias)
        except RoomError as problem:
            return self.join_form(request, problem.message, alias[:40], problem.status)
        response = see(self.home)
        response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", path="/", max_age=12 * 3600)
        response.delete_cookie(JOIN_COOKIE, path="/", httponly=True, samesite="strict")
        return response

    # -- a student's own run

    async def play(self, request: Request) -> Response:
        student = self.playing(request)
        notice = "That page was out of date: here is where your run is now." if request.query_params.get("n") == "stale" else None
        with student.lock:
            engine = self.room.run_of(student).engine
            offered = [] if engine.finished else engine.offered()
            text = pages.scene_page(self.story, student, engine, offered, gentle=self.room.gentle, notice=notice)
        return page(text)

    async def choose(self, request: Request) -> Response:
        student, form = await self.posted(request)
        step, number = number_field(form, "step"), number_field(form, "choice")
        return see("/play" if self.room.choose(student, step, number) else "/play?n=stale")

    async def back(self, request: Request) -> Response:
        student, form = await self.posted(request)
        return see("/play" if self.room.back(student, number_field(form, "step")) else "/play?n=stale")

    async def again(self, request: Request) -> Response:
        student, form = await self.posted(request)
        return see("/play" if self.room.again(student, number_field(form, "step")) else "/play?n=stale")

    async def map_view(self, request: Request) -> Response:
        student = self.playing(request)
        with student.lock:
            path = list(self.room.run_of(student).engine.state.path)
        # drawing a new journey takes some milliseconds: off the event loop, so other students wait less
        return page(await run_in_threadpool(pages.map_page, self.story, student, path))

    async def glossary(self, request: Request) -> Response:
        student = self.session(request, post=False)
        return page(pages.glossary_page(self.story, student.name, self.room.gentle, self.room.met_terms(student)))

    async def transcript(self, request: Request) -> Response:
        student = self.session(request, post=False)
        if self.room.mode == "vote":
            raise Refused(409, "A class vote keeps one transcript, on your teacher's computer.")
        text = self.room.transcript_markdown(student)
        name = student.file.with_suffix(".md").name
        return Response(text, media_type="text/markdown; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{name}"', "cache-control": "no-store"})

    # -- class --live

    async def vote(self, request: Request) -> Response:
        student = self.session(request, post=False)
        if self.room.mode != "vote":
            return see("/play")
        with self.room.lock:
            current, showing = self.room.vote, self.room.showing
        return page(pages.vote_page(self.story, student, current, showing, self.room.has_voted(student)))

    async def cast(self, request: Request) -> Response:
        if self.room.mode != "vote":
            self.session(request, post=True)
            raise Refused(409, "There is no class vote in this lesson.")
        student, form = await self.posted(request)
        self.room.cast(student, number_field(form, "vote"), number_field(form, "choice"))
        return see("/vote")

    # -- the app's own files, and errors

    async def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in self.static:
            raise Refused(404, "There is no such page in this lesson.")
        return Response(self.static[name], media_type=STATIC_TYPES[name], headers={"cache-control": "no-cache"})

    async def refused(self, request: Request, exc: Exception) -> Response:
        if isinstance(exc, _ToJoin):
            return see("/")
        if isinstance(exc, _ToHome):
            return see(self.home)
        if isinstance(exc, Refused | RoomError):
            status, message = exc.status, exc.message
        elif isinstance(exc, HTTPException):
            status = exc.status_code
            message = {404: "There is no such page in this lesson.", 405: "That page cannot be used that way."}.get(
                status, "That request could not be answered.")
        else:
            status, message = 400, "That request could not be answered."
        response = page(pages.error_page(status, message, self.story.title), status)
        if status == 429:
            response.headers["retry-after"] = "1"
        return response

    async def crashed(self, request: Request, exc: Exception) -> Response:
        log.error("error answering %s %s", request.method, request.url.path, exc_info=exc)
        self.room.errors += 1
        return page(pages.error_page(500, "Something went wrong on the teacher's computer. Reload the page.", self.story.title), 500)


class _ToHome(Exception):
    """A page of the other kind of lesson (a run's page in a class vote): send the browser home."""


def create_app(room: Room) -> Starlette:
    lesson = Lesson(room)
    routes = [
        Route("/", lesson.index, methods=["GET"]),
        Route("/join", lesson.join, methods=["POST"]),
        Route("/play", lesson.play, methods=["GET"]),
        Route("/choose", lesson.choose, methods=["POST"]),
        Route("/back", lesson.back, methods=["POST"]),
        Route("/again", lesson.again, methods=["POST"]),
        Route("/map", lesson.map_view, methods=["GET"]),
        Route("/glossary", lesson.glossary, methods=["GET"]),
        Route("/transcript.md", lesson.transcript, methods=["GET"]),
        Route("/vote", lesson.vote, methods=["GET"]),
        Route("/vote", lesson.cast, methods=["POST"]),
        Route("/static/{name}", lesson.asset, methods=["GET"]),
    ]
    refused = lesson.refused
    app = Starlette(routes=routes, exception_handlers={
        _ToJoin: refused, _ToHome: refused, Refused: refused, RoomError: refused, HTTPException: refused,
        Exception: lesson.crashed,
    })
    app.add_middleware(SecurityHeaders)
    return app
