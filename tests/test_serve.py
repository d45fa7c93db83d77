"""`crossing serve` over plain HTTP (a browser without JavaScript): joining, a whole run to an ending,
reloads, going back, escaping, saved runs, transcripts that `crossing report` counts."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from crossing.model import Story
from crossing.report import build_report
from crossing.serve.room import Room, check_join_code, clean_alias, new_join_code
from crossing.transcript import Transcript
from serve_support import SCRIPT, Client, choice_numbers, field_value, hostile_story, running, visible_text

CODE = "RIVER7"


@pytest.fixture
def story(tmp_path: Path) -> Story:
    return hostile_story(tmp_path / "story")


@pytest.fixture
def room(story: Story, tmp_path: Path) -> Room:
    return Room(story, tmp_path / "lesson", code=CODE)


@pytest.fixture
def base(room: Room) -> Iterator[str]:
    with running(room) as url:
        yield url


def play_to_end(client: Client, page: str, pick: int = 1, limit: int = 20) -> str:
    for _ in range(limit):
        numbers = choice_numbers(page)
        if not numbers:
            return page
        reply = client.post("/choose", {"csrf": field_value(page, "csrf", "/choose"), "step": field_value(page, "step", "/choose"),
                                        "choice": str(min(pick, len(numbers)))})
        assert reply.status == 200, reply.body
        page = reply.body
    raise AssertionError("no ending within the limit")


def test_a_run_without_javascript_reaches_an_ending_and_report_counts_it(base: str, room: Room, story: Story) -> None:
    client = Client(base)
    page = client.join("river7", "Ana").body  # the code in any case
    assert "Playing as" in page and "Ana" in page
    end = play_to_end(client, page)
    text = visible_text(end)
    assert "Ending:" in text and "Safe <b>at last</b>" in text
    assert text.index("What happened, and why") < text.index("The real world") < text.index("Your path") < text.index("To discuss")
    assert "Decisions taken: 2" in text and "Hyesan" in text
    room.flush_all()
    files = sorted(room.folder.glob("*.json"))
    assert [f.name for f in files] == ["001-ana.json"]
    transcript = Transcript.from_json(files[0].read_text(encoding="utf-8"))
    assert transcript.finished and transcript.name == "Ana"
    assert build_report(story, [room.folder], with_odds=False).runs == 1
    markdown = client.get("/transcript.md")
    assert markdown.status == 200 and "attachment" in markdown.headers["content-disposition"]
    assert "# The <b>river</b>" not in markdown.body and "Ana" in markdown.body and "Ending" in markdown.body


def test_another_life_is_a_new_run_and_the_finished_one_stays(base: str, room: Room, story: Story) -> None:
    client = Client(base)
    first = client.join(CODE, "Ana").body
    stale = client.post("/again", {"csrf": field_value(first, "csrf", "/choose"), "step": "0"})
    assert "out of date" in stale.body  # not at an ending: nothing happens
    end = play_to_end(client, first)
    again = client.post("/again", {"csrf": field_value(end, "csrf", "/again"), "step": field_value(end, "step", "/again")}).body
    assert "The night is quiet" in visible_text(again) and "Go back one step" not in again
    assert client.post("/again", {"csrf": field_value(end, "csrf", "/again"), "step": field_value(end, "step", "/again")}).status == 200
    room.flush_all()
    assert sorted(f.name for f in room.folder.glob("*.json")) == ["001-ana-2.json", "001-ana.json"]
    assert Transcript.from_json((room.folder / "001-ana.json").read_text(encoding="utf-8")).finished
    assert build_report(story, [room.folder]).runs == 2
    view = room.snapshot()
    assert view.students[0].life == 2 and view.endings == (("Safe <b>at last</b>", 1),) and view.finished == 0


def test_reload_loses_nothing_and_back_undoes_one_step(base: str) -> None:
    client = Client(base)
    first = client.join(CODE).body
    second = client.post("/choose", {"csrf": field_value(first, "csrf", "/choose"), "step": "0", "choice": "2"}).body
    assert "The far bank" in second
    assert client.get("/play").body == second  # a reload shows the same scene
    # the same form sent again (a double click, a resubmitted page) changes nothing
    again = client.post("/choose", {"csrf": field_value(first, "csrf", "/choose"), "step": "0", "choice": "1"})
    assert "out of date" in again.body and "The far bank" in again.body
    back = client.post("/back", {"csrf": field_value(second, "csrf", "/back"), "step": field_value(second, "step", "/back")}).body
    assert "The night is quiet" in visible_text(back)
    assert "Go back one step" not in back  # nothing left to go back to


def test_story_text_and_alias_are_shown_as_text(base: str) -> None:
    client = Client(base)
    page = client.join(CODE, "<script>alert('alias')</script>").body
    assert page.count("<script") == 1 and '<script src="/static/app.js" defer></script>' in page  # only the app's own
    text = visible_text(page)
    for shown in (SCRIPT, "<script>alert('alias')</script>", "Home <script>alert('title')</script>",
                  "Wade across <img src=x onerror=alert(1)>", "A claim with <script>alert('fact')</script> in it.",
                  "Patrols <em>often</em> pass.", "The river <route>"):
        assert shown in text
    glossary = client.get("/glossary").body
    assert "&lt;term&gt;" in glossary and "<markup>" not in glossary
    assert "Terms you have met" not in glossary  # none yet: every term, plainly
    client.post("/choose", {"csrf": field_value(page, "csrf", "/choose"), "step": "0", "choice": "1"})
    met = visible_text(client.get("/glossary").body)
    assert "Terms you have met" in met and met.index("far bank") < met.index("Every term in the story (2)")
    join_page = Client(base).get("/").body
    assert join_page.count("<script") == 1 and "alert('description')" in visible_text(join_page)


def test_a_drawn_outcome_is_narrated_and_text_follows_the_state(base: str) -> None:
    client = Client(base)
    page = client.join(CODE).body
    page = client.post("/choose", {"csrf": field_value(page, "csrf", "/choose"), "step": "0", "choice": "2"}).body  # pays 10
    city = client.post("/choose", {"csrf": field_value(page, "csrf", "/choose"), "step": "1", "choice": "1"}).body  # the bus
    text = visible_text(city)
    assert "The bus <b>comes</b> at dawn." in text or "The bus is late, but it <b>comes</b>." in text
    assert "Your purse is lighter <i>now</i>." in text and "Your purse is full." not in text
    assert client.get("/play").body == city  # a reload keeps the narration
    ending = client.post("/choose", {"csrf": field_value(city, "csrf", "/choose"), "step": "2", "choice": "1"}).body
    assert "The bus" not in visible_text(ending)  # said once, with the scene it led to


def test_map_page_draws_the_journey_as_svg(base: str) -> None:
    client = Client(base)
    page = client.join(CODE).body
    client.post("/choose", {"csrf": field_value(page, "csrf", "/choose"), "step": "0", "choice": "1"})
    shown = client.get("/map").body
    assert "<svg" in shown and " style=" not in shown and "Changbai &lt;x&gt;" in shown and "<x>" not in shown.replace("&lt;x&gt;", "")
    assert "2 places so far" in visible_text(shown)


def test_every_response_has_the_security_headers_and_a_strict_cookie(base: str) -> None:
    client = Client(base)
    page = client.get("/")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    joined = client.request("POST", "/join", f"csrf={field_value(page.body, 'csrf')}&code={CODE}".encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})
    cookie = next(h for h in joined.headers.get_all("set-cookie") or [] if h.startswith("crossing_session="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert len(cookie.split(";")[0].split("=", 1)[1]) >= 43
    assert client.get("/nowhere").headers["content-security-policy"]
    assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")


def test_a_session_that_went_idle_or_a_restarted_server_continues_the_run(story: Story, tmp_path: Path) -> None:
    folder = tmp_path / "lesson"
    clock = [1000.0]
    room = Room(story, folder, code=CODE, clock=lambda: clock[0])
    with running(room) as base:
        client = Client(base)
        page = client.join(CODE, "Bo").body
        after = client.post("/choose", {"csrf": field_value(page, "csrf", "/choose"), "step": "0", "choice": "1"}).body
        clock[0] += room.idle_seconds + 1
        assert room.rest_idle() == 1 and room.in_memory() == 0
        assert client.get("/play").body == after  # read back from disk
        assert room.in_memory() == 1
    # a new server on the same folder: the same browser continues
    again = Room(story, folder, code=CODE)
    with running(again) as base:
        client.base = base
        assert "The far bank" in client.get("/play").body
        assert "Bo" in client.get("/play").body
    sessions = list((folder / ".sessions").glob("*.json"))
    assert len(sessions) == 1 and client.cookies["crossing_session"] not in sessions[0].read_text(encoding="utf-8")


def test_a_new_lesson_in_the_same_folder_never_replaces_a_transcript(story: Story, tmp_path: Path) -> None:
    folder = tmp_path / "lesson"
    first = Room(story, folder, code=CODE)
    first.join(CODE, "Ana")
    first.end()
    again = Room(story, folder, code=CODE, max_students=1)
    _, student = again.join(CODE, "Bo")
    again.end()
    assert student.number == 2 and sorted(f.name for f in folder.glob("*.json")) == ["001-ana.json", "002-bo.json"]


def test_the_room_counts_students_routes_and_endings(base: str, room: Room) -> None:
    one, two = Client(base), Client(base)
    play_to_end(one, one.join(CODE, "One").body)
    two.join(CODE)
    view = room.snapshot()
    assert [(s.number, s.name) for s in view.students] == [(1, "One"), (2, "Student 2")]
    assert view.students[0].ending == "Safe <b>at last</b>" and view.students[0].safe
    assert view.students[1].scene.startswith("Home") and view.students[1].route == "The river <route>"
    assert view.endings == (("Safe <b>at last</b>", 1),) and view.finished == 1


def test_gentle_and_from_apply_to_every_student(story: Story, tmp_path: Path) -> None:
    room = Room(story, tmp_path / "g", code=CODE, gentle=True, start="bank")
    with running(room) as base:
        page = Client(base).join(CODE).body
        assert "The far bank" in page
    room.flush_all()
    data = json.loads(next((tmp_path / "g").glob("*.json")).read_text(encoding="utf-8"))
    assert data["gentle"] is True


def test_join_codes_and_aliases() -> None:
    assert re.fullmatch(r"[A-Z2-9]{6}", new_join_code())
    assert check_join_code(" river7 ") == "RIVER7"
    for bad in ("abc", "with space", "x" * 13, "<script>"):
        with pytest.raises(ValueError):
            check_join_code(bad)
    assert clean_alias("  Ana \x1b[31m  B  ") == "Ana [31m B"
    assert clean_alias("   ") is None
    assert len(clean_alias("x" * 500) or "") == 40


def test_the_teachers_view_shows_the_room_and_takes_names_literally(base: str, room: Room) -> None:
    import io

    from rich.console import Console

    from crossing.render.theme import crossing_theme
    from crossing.serve.terminal import ended, join_banner, qr_code, room_view

    one, two = Client(base), Client(base)
    play_to_end(one, one.join(CODE, "[bold]Ana[/bold] \x1b[31m").body)
    two.join(CODE, "Bo")
    out = io.StringIO()
    console = Console(file=out, width=200, theme=crossing_theme(), no_color=True, markup=False, highlight=False)
    console.print(room_view(room, room.snapshot(), height=30, is_plain=True))
    console.print(join_banner("http://127.0.0.1:8765/", CODE, lan=False, what="Transcripts go to x", is_plain=True,
                              qr=[[True, False], [False, True]]))
    console.print(ended(room.folder, 2, 1, "crossing report lesson"))
    shown = out.getvalue()
    assert "2 students joined · 2 active · 1 finished · limit 60" in shown
    assert "[bold]Ana[/bold] [31m" in shown and "\x1b" not in shown
    assert "Safe <b>at last</b>" in shown and "Endings so far: Safe <b>at last</b> (1)" in shown
    assert "Home <script>alert('title')</script>" in shown and "The river <route>" in shown
    assert "Students open http://127.0.0.1:8765/  and type the join code RIVER7" in shown
    assert "this computer only (127.0.0.1)" in shown
    assert "For the class's results: crossing report lesson" in shown
    assert qr_code([[True, False], [False, True]], True).plain == "▄▀"  # dark modules blank on a dark terminal
