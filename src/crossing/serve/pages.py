"""The pages a student's browser shows, as HTML strings (pure; no web framework here).

Every piece of story text, alias and choice goes through ``esc``: HTML-escaped, control characters made
visible, so a story or an alias containing ``<script>`` shows as text. Pages are plain semantic HTML
with labelled forms that work without JavaScript (each form posts, the server redirects back); the
app's own script, when it runs, submits the same forms in the background and swaps ``<main>``.
No inline script or style anywhere (the Content-Security-Policy forbids them).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import lru_cache

from crossing import telling
from crossing.engine import Engine, OfferedChoice
from crossing.model import Node, Story
from crossing.playthrough import decisions
from crossing.serve.room import LiveVote, Student
from crossing.textsafety import inert, paragraphs, plural

WARNING_NAMES = {"violence": "violence", "sexual-violence": "sexual violence", "torture": "torture", "death": "death"}
ASSETS = "/static/app.css", "/static/app.js"


def esc(text: str) -> str:
    return html.escape(inert(text), quote=True)


def paras(text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return "".join(f"<p{attr}>{esc(p)}</p>" for p in paragraphs(text))


def layout(title: str, body: str, *, story_title: str, who: str | None = None, poll: int | None = None,
           role: str = "Playing as") -> str:
    """A whole page. ``poll``: seconds between refreshes (the script fetches; without it a meta refresh)."""
    refresh = f'<noscript><meta http-equiv="refresh" content="{poll}"></noscript>' if poll else ""
    main_attrs = f' data-poll="{poll}"' if poll else ""
    badge = f'<p class="who">{role} <strong>{esc(who)}</strong></p>' if who else ""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n{refresh}"
        f'<link rel="stylesheet" href="{ASSETS[0]}">\n<script src="{ASSETS[1]}" defer></script>\n</head>\n'
        f'<body>\n<a class="skip" href="#main">Skip to the story</a>\n'
        f'<header><p class="story-title">{esc(story_title)}</p>{badge}</header>\n'
        f'<main id="main" tabindex="-1"{main_attrs}>\n{body}\n</main>\n</body>\n</html>\n'
    )


def _hidden(csrf: str, **fields: int | str) -> str:
    out = f'<input type="hidden" name="csrf" value="{esc(csrf)}">'
    return out + "".join(f'<input type="hidden" name="{name}" value="{esc(str(value))}">' for name, value in fields.items())


# --------------------------------------------------------------------------- joining


def join_page(story: Story, csrf: str, *, message: str | None = None, alias: str = "", live: bool = False) -> str:
    problem = f'<p class="problem" role="alert" id="problem">{esc(message)}</p>' if message else ""
    described = ' aria-describedby="problem"' if message else ""
    what = ("Vote with your class on what happens next." if live
            else "Play the story on this device, at your own pace. Your run is kept on your teacher's computer.")
    about = paras(story.description, "about") if story.description else ""
    body = (
        f'<h1 tabindex="-1">Join the lesson</h1>\n{about}<p>{esc(what)}</p>\n{problem}'
        '<form method="post" action="/join" class="join">\n'
        f'<input type="hidden" name="csrf" value="{esc(csrf)}">\n'
        '<p><label for="code">Join code <span class="hint">(on the board)</span></label>\n'
        f'<input id="code" name="code" required autocomplete="off" autocapitalize="characters" spellcheck="false" '
        f'maxlength="20" inputmode="text"{described}></p>\n'
        '<p><label for="alias">Your name or a nickname <span class="hint">(optional; it goes on your '
        'transcript)</span></label>\n'
        f'<input id="alias" name="alias" maxlength="40" autocomplete="nickname" value="{esc(alias)}"></p>\n'
        '<p><button type="submit" class="primary">Join</button></p>\n</form>'
    )
    return layout(f"Join the lesson: {story.title}", body, story_title=story.title)


# --------------------------------------------------------------------------- a scene


def _warning(node: Node, gentle: bool) -> str:
    if not node.content_warnings:
        return ""
    names = ", ".join(WARNING_NAMES.get(w, w) for w in node.content_warnings)
    told = " (gentle telling)" if gentle and node.gentle_text else ""
    return f'<p class="warning"><strong>Content warning:</strong> {esc(names + told)}</p>\n'


def _narration(student: Student, engine: Engine) -> str:
    if student.narration and student.narration_at == len(engine.state.history):
        return f'<div class="narration" role="status"><h2 class="visually-hidden">What happened</h2>{paras(student.narration)}</div>\n'
    return ""


def _risk(node: Node) -> str:
    if node.risk is None:
        return ""
    level = node.risk.level  # said in words, as in the terminal: a scale out of 4 read like a score
    note = f" {esc(node.risk.note)}" if node.risk.note else ""
    return f'<p class="risk risk-{esc(level)}"><strong>Risk: {esc(level)}.</strong>{note}</p>\n'


def _sources(node: Node, story: Story, gentle: bool) -> str:
    items: list[str] = []
    for fact in node.facts:
        claim = telling.fact_claim(story, node, fact, gentle)
        if claim is None:
            continue
        source = story.sources.get(fact.source)
        if source is not None:
            cite = f"{source.publisher}, {telling.source_title(source, gentle)}, {source.year}"
            url = f' <span class="url">{esc(source.url)}</span>' if source.url else ""
        else:
            cite, url = fact.source or "no source given", ""
        items.append(f'<li><p>{esc(claim)}</p><p class="cite">Source: {esc(cite)}.{url}</p></li>')
    if not items:
        return ""
    return (f'<details class="sources"><summary>Sources: what this scene rests on ({len(items)})</summary>\n'
            f'<ul>{"".join(items)}</ul></details>\n')


def _tools(student: Student, engine: Engine, *, download: bool = True) -> str:
    back = ""
    if engine.state.history:
        back = (f'<form method="post" action="/back" class="back">{_hidden(student.csrf, step=len(engine.state.history))}'
                '<button type="submit">Go back one step</button></form>')
    transcript = '<a href="/transcript.md" data-download>Download your transcript</a>' if download else ""
    return (f'<nav class="tools" aria-label="Your run">{back}'
            f'<a href="/map">Map of your journey</a><a href="/glossary">Glossary</a>{transcript}</nav>\n')


def choices_form(action: str, csrf: str, offered: Sequence[tuple[int, str]], legend: str, **fields: int | str) -> str:
    buttons = "".join(
        f'<li><button type="submit" name="choice" value="{number}" class="choice">'
        f'<span class="num" aria-hidden="true">{number}</span> {esc(text)}</button></li>'
        for number, text in offered
    )
    return (f'<form method="post" action="{action}" class="choices">{_hidden(csrf, **fields)}'
            f'<fieldset><legend>{esc(legend)}</legend><ol>{buttons}</ol></fieldset></form>\n')


def scene_page(story: Story, student: Student, engine: Engine, offered: Sequence[OfferedChoice], *,
               gentle: bool, notice: str | None = None) -> str:
    node = engine.node
    state = engine.state
    if node.is_ending:
        return ending_page(story, student, engine, gentle=gentle, notice=notice)
    where = [story.route_title(node.route)]
    if node.place and node.place in story.places:
        where.append(story.places[node.place].name)
    where_line = " · ".join(w for w in where if w)
    head = f'<p class="where">{esc(where_line)}</p>\n' if where_line else ""
    note = f'<p class="notice" role="status">{esc(notice)}</p>\n' if notice else ""
    text = telling.scene_text(story, node, state.variables, state.visited, gentle)
    legend = "What do you do?" if len(offered) > 1 else "Go on"
    body = (
        f'{note}{head}<h1 tabindex="-1">{esc(node.title or node.id)}</h1>\n{_warning(node, gentle)}'
        f'{_narration(student, engine)}<div class="story-text">{paras(text)}</div>\n{_risk(node)}'
        + choices_form("/choose", student.csrf, [(o.number, o.text) for o in offered], legend,
                       step=len(state.history))
        + _sources(node, story, gentle) + _tools(student, engine)
    )
    return layout(f"{node.title or node.id}: {story.title}", body, story_title=story.title, who=student.name)


def _path_summary(story: Story, engine: Engine) -> str:
    from crossing.journeys import journey  # geography only when a run ends

    items = [f"<li>Decisions taken: {decisions(engine)}</li>"]
    routes: list[str] = []
    for node_id in engine.state.path:
        node = story.nodes.get(node_id)
        if node is not None and node.route and (not routes or routes[-1] != node.route):
            routes.append(node.route)
    if routes:
        items.append(f"<li>Route: {esc(' → '.join(story.route_title(r) for r in routes))}</li>")
    trip = journey(story, engine.state.path)
    if trip.places:
        items.append(f"<li>Places: {esc(' → '.join(p.name for p in trip.places))}</li>")
    if trip.legs:
        items.append(f"<li>Distance travelled: {esc(_km(trip.km))} as the crow flies, in {plural(len(trip.legs), 'leg')}</li>")
    return f'<section aria-labelledby="path-h"><h2 id="path-h">Your path</h2><ul>{"".join(items)}</ul></section>\n'


def _km(km: float) -> str:
    from crossing.maps import format_km

    return format_km(km)


def ending_page(story: Story, student: Student, engine: Engine, *, gentle: bool, notice: str | None = None) -> str:
    node = engine.node
    assert node.ending is not None
    end = node.ending
    state = engine.state
    note = f'<p class="notice" role="status">{esc(notice)}</p>\n' if notice else ""
    parts = [
        f'{note}<p class="kind">Ending: {esc(story.kind_label(end.kind))}</p>\n<h1 tabindex="-1">{esc(node.display_title)}</h1>\n',
        _warning(node, gentle), _narration(student, engine),
        f'<div class="story-text">{paras(telling.scene_text(story, node, state.variables, state.visited, gentle))}</div>\n',
    ]
    if end.debrief is not None:
        why, context = telling.debrief_text(story, node, state.variables, state.visited, gentle)
        parts.append(f'<section aria-labelledby="why-h"><h2 id="why-h">What happened, and why</h2>{paras(why)}</section>\n')
        parts.append(f'<section aria-labelledby="world-h"><h2 id="world-h">The real world</h2>{paras(context)}</section>\n')
    parts.append(_path_summary(story, engine))
    parts.append(_sources(node, story, gentle))
    if end.debrief is not None and end.debrief.questions:
        questions = "".join(f"<li>{esc(q)}</li>" for q in end.debrief.questions)
        parts.append(f'<section aria-labelledby="discuss-h"><h2 id="discuss-h">To discuss</h2><ol>{questions}</ol></section>\n')
    parts.append('<p class="download"><a href="/transcript.md" data-download class="primary">'
                 'Download your transcript (Markdown)</a></p>\n')
    parts.append(f'<form method="post" action="/again" class="again">{_hidden(student.csrf, step=len(state.history))}'
                 '<button type="submit" aria-describedby="again-hint">Play another life</button>'
                 '<p class="hint" id="again-hint">From the start, with new chances; this run stays saved.</p></form>\n')
    parts.append(_tools(student, engine, download=False))
    return layout(f"Ending: {node.display_title}: {story.title}", "".join(parts), story_title=story.title, who=student.name)


# --------------------------------------------------------------------------- map and glossary


# The map is drawn this wide and scaled to the screen: its 12-unit labels read at about 10 px on a phone.
MAP_WIDTH = 480


@lru_cache(maxsize=256)
def _svg(places: tuple[tuple[str, str, float, float], ...], title: str) -> str:
    from crossing.maps import MapPlace, MapRoute, fitted_viewport, load_region, svg_map  # only when asked

    stops = [MapPlace(*p) for p in places]
    line = [MapRoute("Your journey", tuple(p.id for p in stops), 0)] if len(stops) > 1 else []
    # around the journey, with enough of the region round it to see where it is
    view = fitted_viewport([(p.lat, p.lon) for p in stops], margin=1.0, min_span=5.0)
    svg: str = svg_map(load_region(), stops, line, stops[-1].id if stops else None, width=MAP_WIDTH, viewport=view, title=title)
    # inline in the page: the viewBox scales it to the screen (the fixed size would overflow a phone), and
    # the style sheet sizes it: a style attribute is inline style, which the Content-Security-Policy refuses
    svg = re.sub(r'\sstyle="[^"]*"', "", svg)
    return svg.replace("<svg ", '<svg class="map" aria-labelledby="map-h" ', 1)


def map_page(story: Story, student: Student, path: Sequence[str]) -> str:
    from crossing.journeys import journey

    if not story.places:
        body = '<h1 tabindex="-1">Map</h1><p>This story has no map (it declares no places).</p>'
    else:
        trip = journey(story, path)
        key = tuple((p.id, p.name, p.lat, p.lon) for p in trip.places)
        if not trip.places:
            body = '<h1 tabindex="-1" id="map-h">Map of your journey</h1>\n<p>No place on your journey yet.</p>\n'
        else:
            names = " → ".join(p.name for p in trip.places)
            told = (f"<p>{esc(plural(len(trip.places), 'place'))} so far: {esc(names)}; "
                    f"{esc(_km(trip.km))} as the crow flies.</p>")
            body = (f'<h1 tabindex="-1" id="map-h">Map of your journey</h1>\n{told}\n'
                    f'<figure>{_svg(key, "Map of your journey")}</figure>\n')
    body += '<p><a href="/play" class="primary">Back to the story</a></p>'
    return layout(f"Map: {story.title}", body, story_title=story.title, who=student.name)


def glossary_page(story: Story, who: str | None, gentle: bool, met: Sequence[str] = ()) -> str:
    """The terms met so far in this run first (as `g` shows them in the terminal), then every term."""

    def entries(terms: Sequence[str]) -> str:
        rows = "".join(f"<dt>{esc(term)}</dt><dd>{esc(' '.join(paragraphs(telling.glossary_definition(story, term, gentle))))}</dd>"
                       for term in sorted(terms, key=str.lower))
        return f"<dl>{rows}</dl>"

    if not story.glossary:
        shown = "<p>This story has no glossary.</p>"
    elif met:
        shown = (f'<section aria-labelledby="met-h"><h2 id="met-h">Terms you have met</h2>{entries(met)}</section>\n'
                 f'<details><summary>Every term in the story ({len(story.glossary)})</summary>{entries(list(story.glossary))}</details>')
    else:
        shown = entries(list(story.glossary))
    body = f'<h1 tabindex="-1">Glossary</h1>\n{shown}\n<p><a href="/play" class="primary">Back to the story</a></p>'
    return layout(f"Glossary: {story.title}", body, story_title=story.title, who=who)


# --------------------------------------------------------------------------- class --live


def vote_page(story: Story, student: Student, vote: LiveVote | None, showing: str, voted: bool) -> str:
    if vote is not None and vote.open and not voted:
        body = (f'<p class="where">Class vote</p><h1 tabindex="-1">{esc(vote.title)}</h1>\n'
                '<p>Read the scene on the projector, then choose. Your vote is anonymous: only the tally is shown.</p>\n'
                + choices_form("/vote", student.csrf, list(enumerate(vote.choices, 1)), "Your vote", vote=vote.id))
        return layout(f"Vote: {story.title}", body, story_title=story.title, who=student.name, poll=3, role="Joined as")
    if vote is not None and vote.open:
        message = "Your vote is in. The class's tally is on the projector."
    elif vote is not None:
        message = "The vote is closed. Watch the projector for what happens next."
    else:
        message = "Read the scene on the projector. The vote opens here when your teacher asks for it."
    title = showing or "Waiting for the lesson to begin"
    body = f'<p class="where">Class vote</p><h1 tabindex="-1">{esc(title)}</h1>\n<p role="status">{esc(message)}</p>'
    return layout(f"Vote: {story.title}", body, story_title=story.title, who=student.name, poll=3, role="Joined as")


# --------------------------------------------------------------------------- errors

ERROR_TITLES = {
    400: "That request could not be read",
    403: "Not allowed",
    404: "There is no such page",
    405: "Not allowed",
    409: "Not in this lesson",
    413: "Too much data",
    415: "That request could not be read",
    429: "Too many requests",
    503: "Cannot join now",
}


def error_page(status: int, message: str, story_title: str) -> str:
    title = ERROR_TITLES.get(status, "Something went wrong")
    body = (f'<h1 tabindex="-1">{esc(title)}</h1>\n<p class="problem" role="alert">{esc(message)}</p>\n'
            '<p><a href="/" class="primary">Back to the lesson</a></p>')
    return layout(title, body, story_title=story_title)
