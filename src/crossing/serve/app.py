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


def create_app(room: Room) -> Starlette:
    story = room.story
    static = {name: (STATIC / name).read_bytes() for name in STATIC_TYPES}
    joins = Bucket(rate=20.0, burst=80.0, tokens=80.0, last=time.monotonic())
    home = "/vote" if room.mode == "vote" else "/play"
    if story.places and room.mode == "play":
        # the geography now, not in the middle of the lesson: the first ending or map would wait for it
        from crossing.journeys import journey
        from crossing.maps import load_region

        load_region()
        journey(story, [room.start])

    def page(text: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(text, status_code=status, headers={"cache-control": "no-store"})

    def see(url: str) -> RedirectResponse:
        return RedirectResponse(url, status_code=303, headers={"cache-control": "no-store"})

    def session(request: Request, *, post: bool) -> Student:
        """The request's student (rate-limited); a GET without one is sent to join, a POST refused."""
        student = room.find(request.cookies.get(SESSION_COOKIE))
        if student is None:
            if post:
                raise Refused(403, "Join the lesson first: this browser has no place in it.")
            raise _ToJoin
        if not room.allow(student):
            raise Refused(429, "Too many requests at once. Wait a moment, then go on.")
        return student

    def checked(student: Student, form: dict[str, str]) -> None:
        if not student.csrf_ok(form.get("csrf")):
            raise Refused(403, "This form is out of date or did not come from this lesson. Go back to the lesson and try again.")

    async def index(request: Request) -> Response:
        if room.find(request.cookies.get(SESSION_COOKIE)) is not None:
            return see(home)
        return join_form(request)

    def join_form(request: Request, message: str | None = None, alias: str = "", status: int = 200) -> Response:
        token = request.cookies.get(JOIN_COOKIE, "")
        if not _JOIN_TOKEN.fullmatch(token):
            token = secrets.token_urlsafe(24)
        response = page(pages.join_page(story, token, message=message, alias=alias, live=room.mode == "vote"), status)
        response.set_cookie(JOIN_COOKIE, token, httponly=True, samesite="strict", path="/")
        return response

    async def join(request: Request) -> Response:
        if not joins.take(time.monotonic()):
            raise Refused(429, "Many students are joining at once. Wait a moment and try again.")
        form = await read_form(request)
        cookie = request.cookies.get(JOIN_COOKIE, "")
        given = form.get("csrf", "")
        if not _JOIN_TOKEN.fullmatch(cookie) or not hmac.compare_digest(cookie.encode(), given.encode("utf-8", "replace")):
            raise Refused(403, "This form is out of date or did not come from this lesson. Open the lesson's address again.")
        if room.find(request.cookies.get(SESSION_COOKIE)) is not None:
            return see(home)  # already in the lesson (a second click on Join)
        alias = form.get("alias", "")
        try:
            token, _ = room.join(form.get("code", ""), alias)
        except RoomError as problem:
            return join_form(request, problem.message, alias[:40], problem.status)
        response = see(home)
        response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", path="/",
                            max_age=12 * 3600)
        response.delete_cookie(JOIN_COOKIE, path="/", httponly=True, samesite="strict")
        return response

    async def play(request: Request) -> Response:
        student = session(request, post=False)
        if room.mode == "vote":
            return see("/vote")
        notice = "That page was out of date: here is where your run is now." if request.query_params.get("n") == "stale" else None
        with student.lock:
            engine = room.run_of(student).engine
            offered = [] if engine.finished else engine.offered()
            text = pages.scene_page(story, student, engine, offered, gentle=room.gentle, notice=notice)
        return page(text)

    async def choose(request: Request) -> Response:
        student = session(request, post=True)
        form = await read_form(request)
        checked(student, form)
        step, number = number_field(form, "step"), number_field(form, "choice")
        return see("/play" if room.choose(student, step, number) else "/play?n=stale")

    async def back(request: Request) -> Response:
        student = session(request, post=True)
        form = await read_form(request)
        checked(student, form)
        return see("/play" if room.back(student, number_field(form, "step")) else "/play?n=stale")

    async def again(request: Request) -> Response:
        student = session(request, post=True)
        form = await read_form(request)
        checked(student, form)
        return see("/play" if room.again(student, number_field(form, "step")) else "/play?n=stale")

    async def map_view(request: Request) -> Response:
        student = session(request, post=False)
        if room.mode == "vote":
            return see("/vote")
        with student.lock:
            path = list(room.run_of(student).engine.state.path)
        # drawing a new journey takes some milliseconds: off the event loop, so other students wait less
        return page(await run_in_threadpool(pages.map_page, story, student, path))

    async def glossary(request: Request) -> Response:
        student = session(request, post=False)
        return page(pages.glossary_page(story, student.name, room.gentle, room.met_terms(student)))

    async def transcript(request: Request) -> Response:
        student = session(request, post=False)
        if room.mode == "vote":
            raise Refused(409, "A class vote keeps one transcript, on your teacher's computer.")
        text = room.transcript_markdown(student)
        name = student.file.with_suffix(".md").name
        return Response(text, media_type="text/markdown; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{name}"', "cache-control": "no-store"})

    async def vote(request: Request) -> Response:
        student = session(request, post=False)
        if room.mode != "vote":
            return see("/play")
        with room.lock:
            current, showing = room.vote, room.showing
        return page(pages.vote_page(story, student, current, showing, room.has_voted(student)))

    async def cast(request: Request) -> Response:
        student = session(request, post=True)
        if room.mode != "vote":
            raise Refused(409, "There is no class vote in this lesson.")
        form = await read_form(request)
        checked(student, form)
        room.cast(student, number_field(form, "vote"), number_field(form, "choice"))
        return see("/vote")

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in static:
            raise Refused(404, "There is no such page in this lesson.")
        return Response(static[name], media_type=STATIC_TYPES[name], headers={"cache-control": "no-cache"})

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/join", join, methods=["POST"]),
        Route("/play", play, methods=["GET"]),
        Route("/choose", choose, methods=["POST"]),
        Route("/back", back, methods=["POST"]),
        Route("/again", again, methods=["POST"]),
        Route("/map", map_view, methods=["GET"]),
        Route("/glossary", glossary, methods=["GET"]),
        Route("/transcript.md", transcript, methods=["GET"]),
        Route("/vote", vote, methods=["GET"]),
        Route("/vote", cast, methods=["POST"]),
        Route("/static/{name}", asset, methods=["GET"]),
    ]

    async def refused(request: Request, exc: Exception) -> Response:
        if isinstance(exc, _ToJoin):
            return see("/")
        if isinstance(exc, Refused | RoomError):
            status, message = exc.status, exc.message
        elif isinstance(exc, HTTPException):
            status = exc.status_code
            message = {404: "There is no such page in this lesson.", 405: "That page cannot be used that way."}.get(
                status, "That request could not be answered.")
        else:
            status, message = 400, "That request could not be answered."
        response = page(pages.error_page(status, message, story.title), status)
        if status == 429:
            response.headers["retry-after"] = "1"
        return response

    async def crashed(request: Request, exc: Exception) -> Response:
        log.error("error answering %s %s", request.method, request.url.path, exc_info=exc)
        room.errors += 1
        return page(pages.error_page(500, "Something went wrong on the teacher's computer. Reload the page.", story.title), 500)

    app = Starlette(routes=routes, exception_handlers={
        _ToJoin: refused, Refused: refused, RoomError: refused, HTTPException: refused, Exception: crashed,
    })
    app.add_middleware(SecurityHeaders)
    return app


class _ToJoin(Exception):
    """A page was asked for by a browser with no place in the lesson: send it to the join form."""
