"""The story that ships with Crossing: it validates cleanly, every run ends, and every scene carries
what the classroom needs (route, facts with sources, debriefs, gentle tellings, content warnings)."""

from __future__ import annotations

import dataclasses
import random
import re
from collections import Counter

import pytest

from crossing import telling
from crossing.analysis import analyze
from crossing.engine import Engine, apply_choice, initial_variables
from crossing.model import Story
from crossing.paths import default_story_path
from crossing.validation import validate_path
from helpers import run_crossing

ESCAPE_ROUTES = ("dmz", "china", "siberia")
BANNED = re.compile(r"\b(you win|you won(?!')|game over|try again|congratulations|you lose|you failed)\b", re.I)


@pytest.fixture(scope="module")
def story() -> Story:
    result = validate_path(default_story_path())
    assert result.story is not None
    return result.story


def test_validates_with_no_errors_and_no_warnings() -> None:
    result = validate_path(default_story_path())
    assert [d.format() for d in result.diagnostics] == []


def test_size_and_shape(story: Story) -> None:
    scenes = [n for n in story.nodes.values() if not n.is_ending]
    endings = story.endings()
    assert len(scenes) >= 75  # the second draft cut scenes so that a run fits a lesson
    assert len(endings) >= 15
    assert len({n.ending.kind for n in endings if n.ending}) >= 5
    for route in ESCAPE_ROUTES:
        nodes = [n for n in story.nodes.values() if n.route == route]
        decisions = [n for n in nodes if len(n.choices) >= 2]
        assert len(decisions) >= 4, route
        assert len([n for n in nodes if n.is_ending]) >= 4, route


def test_at_least_three_characters_to_follow(story: Story) -> None:
    start = story.nodes[story.start]
    reachable_routes = set()
    for choice in start.choices:
        for target in choice.targets:
            seen, stack = set(), [target]
            while stack:
                node = story.nodes[stack.pop()]
                if node.id in seen:
                    continue
                seen.add(node.id)
                if node.route in ESCAPE_ROUTES:
                    reachable_routes.add(node.route)
                    break
                stack.extend(t for c in node.choices for t in c.targets)
    assert reachable_routes == set(ESCAPE_ROUTES)


def test_every_node_is_grounded_and_cared_for(story: Story) -> None:
    for node in story.nodes.values():
        assert node.route in story.routes, node.id
        assert node.place in story.places, node.id
        text = " ".join(node.text.strings())
        # every paragraph, both branches of each condition: a bound, not what one reader sees
        assert 25 <= len(text.split()) <= 260, (node.id, len(text.split()))
        assert not BANNED.search(text), node.id
        if node.content_warnings:
            gentle = " ".join(node.gentle_text.strings()) if node.gentle_text else ""
            assert 25 <= len(gentle.split()) <= 260, node.id
        if not node.is_ending:
            assert node.facts, node.id
        for fact in node.facts:
            assert fact.source in story.sources, (node.id, fact.source)
        if node.ending is not None:
            debrief = node.ending.debrief
            assert debrief is not None, node.id
            why, context = " ".join(debrief.why.strings()), " ".join(debrief.context.strings())
            assert why.strip() and context.strip(), node.id
            assert re.search(r"\d", context), f"{node.id}: the context should carry figures"
            assert 2 <= len(debrief.questions) <= 3, node.id
            assert not BANNED.search(node.ending.title + " " + why), node.id


def test_sources_are_complete(story: Story) -> None:
    for source in story.sources.values():
        assert source.title.strip() and source.publisher.strip(), source.id
        assert 1950 <= source.year <= 2026, source.id
        assert source.url is None or source.url.startswith(("http://", "https://")), source.id


def test_glossary_covers_the_key_terms(story: Story) -> None:
    terms = {term.lower() for term in story.glossary}
    for term in ("broker", "hanawon", "kwanliso", "non-refoulement"):
        assert any(term in t for t in terms), term


def test_content_warnings_are_announced(story: Story) -> None:
    assert set(story.content_warnings()) >= {"violence", "torture", "death", "sexual-violence"}


def random_walk(story: Story, seed: int) -> tuple[str, int]:
    rng = random.Random(seed)
    engine = Engine(story, seed)
    for steps in range(500):
        if engine.finished:
            return engine.node.id, steps
        engine.choose(rng.randint(1, len(engine.offered())))
    raise AssertionError(f"seed {seed}: no ending after 500 choices")


@pytest.mark.slow  # the whole default story, end to end
def test_every_random_walk_ends_and_every_ending_is_met(story: Story) -> None:
    reached = Counter(random_walk(story, seed)[0] for seed in range(3000))
    assert set(reached) <= {n.id for n in story.endings()}
    missing = {n.id for n in story.endings()} - set(reached)
    assert not missing, f"endings never reached in 3000 random walks: {sorted(missing)}"


@pytest.mark.parametrize("first", [1, 2, 3])
def test_scripted_runs_through_the_real_command(first: int, tmp_path: object) -> None:
    # Always the first offered choice after picking whom to follow: the run must still end.
    result = run_crossing("play", "--plain", "--seed", "7", "--choices", ",".join([str(first)] + ["1"] * 80), cwd=tmp_path)  # type: ignore[arg-type]
    assert result.returncode == 0, result.stderr
    assert "Your path" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_content_note_and_gentle_mode(tmp_path: object) -> None:
    result = run_crossing("play", "--plain", "--gentle", "--choices", "1", cwd=tmp_path)  # type: ignore[arg-type]
    assert "Content note: some scenes in this story describe" in result.stdout
    assert "Gentle mode is on" in result.stdout


GENTLE_NEVER = re.compile(r"\b(rape|raped|sexual abuse|abortions?|infanticide|body searches|body-cavity|strip-searched|stripped (?:naked|and searched)|sex slaves?|corpses?|beaten with|electric shocks?|water torture)\b", re.I)


def _random_runs(story: Story, runs: int, gentle: bool):  # type: ignore[no-untyped-def]
    """Random runs from the start: yields (engine, texts shown, decisions, words of story, single-option steps)."""
    for seed in range(runs):
        rng, engine = random.Random(seed), Engine(story, seed)
        shown: list[str] = []
        decisions = words = forced = in_a_row = worst_row = 0
        while True:
            node = engine.node
            text = engine.scene_text(gentle)
            words += telling.word_count(text)
            shown.append(text)
            for claim, fact in telling.shown_facts(story, node, gentle):
                shown += [claim, telling.source_title(story.sources[fact.source], gentle)]
            if engine.finished:
                shown += list(engine.debrief_text(gentle))
                break
            offered = engine.offered()
            if len(offered) > 1:
                decisions, in_a_row = decisions + 1, 0
            else:
                forced, in_a_row = forced + 1, in_a_row + 1
                worst_row = max(worst_row, in_a_row)
            step = engine.choose(rng.randint(1, len(offered)))
            said = engine.narration(step, gentle)
            if said:
                words += telling.word_count(said)
                shown.append(said)
        yield engine, shown, decisions, words, (forced, worst_row)


@pytest.mark.slow  # the whole default story, end to end
def test_gentle_mode_never_shows_the_graphic_words(story: Story) -> None:
    for engine, shown, *_ in _random_runs(story, 1500, gentle=True):
        for text in shown:
            assert not GENTLE_NEVER.search(text), (engine.state.path, text)
    for term in story.glossary:
        assert not GENTLE_NEVER.search(telling.glossary_definition(story, term, True)), term


def test_runs_fit_a_lesson(story: Story) -> None:
    """Medians over random runs: at most 2,000 words of story in any run; runs that end resettled at most
    3,000 words and 20 decisions. Never two single-option scenes in a row, at most three in a run."""
    all_words, safe_words, safe_decisions = [], [], []
    for engine, _shown, decisions, words, (forced, worst_row) in _random_runs(story, 1500, gentle=False):
        assert forced <= 3 and worst_row <= 1, engine.state.path
        all_words.append(words)
        if engine.node.ending and engine.node.ending.kind == "resettled":
            safe_words.append(words)
            safe_decisions.append(decisions)
    assert sorted(all_words)[len(all_words) // 2] <= 2000
    assert sorted(safe_words)[len(safe_words) // 2] <= 3000
    assert sorted(safe_decisions)[len(safe_decisions) // 2] <= 20


def _from_route(story: Story, first: int) -> Story:
    """The story started where the prologue's choice number `first` leads, with that choice's effects applied."""
    prologue = story.nodes[story.start]
    env = initial_variables(story)
    target, _ = apply_choice(story, prologue, prologue.choices[first - 1], env, {prologue.id}, 0.0)
    variables = {name: dataclasses.replace(var, initial=env[name]) for name, var in story.variables.items()}
    return dataclasses.replace(story, start=target, variables=variables)


def test_route_odds_follow_the_record(story: Story) -> None:
    """China's best strategy reaches South Korea more often than Siberia's; care helps, nothing is certain;
    the China route rarely kills under random play."""
    china = analyze(_from_route(story, 2))
    siberia = analyze(_from_route(story, 3))
    assert china.best_safe is not None and siberia.best_safe is not None
    assert 0.60 <= china.best_safe <= 0.75, china.best_safe
    assert china.best_safe > siberia.best_safe
    assert china.kinds.get("died", 0.0) < 0.10
    assert china.safe > 0.0 and (china.worst_safe or 0.0) == 0.0


def test_dmz_is_the_deadliest_route_and_siberia_rarely_reaches_seoul(story: Story) -> None:
    """The record: the DMZ kills more of those who try it than any other route (the highest chance of an ending
    of kind died under random play), and only about a hundred loggers ever reached Seoul from Russia, so the
    Siberian route's best strategy stays at or below 45% and random play rarely gets there. Both routes can
    end in safety, and both can fail whatever the player does."""
    dmz, china, siberia = (analyze(_from_route(story, n)) for n in (1, 2, 3))
    died = {name: a.kinds.get("died", 0.0) for name, a in (("dmz", dmz), ("china", china), ("siberia", siberia))}
    assert max(died, key=lambda name: died[name]) == "dmz", died
    assert siberia.best_safe is not None and 0.0 < siberia.best_safe <= 0.45, siberia.best_safe
    assert siberia.safe <= 0.15, siberia.safe
    assert dmz.best_safe is not None and 0.0 < dmz.best_safe < 1.0, dmz.best_safe
    assert dmz.safe > 0.0


@pytest.mark.slow  # the whole default story, end to end
def test_the_lesson_length_and_route_odds_as_the_commands_report_them() -> None:
    """What an author reads from `crossing stats --json` and `crossing analyze --json` (issue 12's targets)."""
    import json

    from typer.testing import CliRunner

    from crossing.cli import app

    stats = json.loads(CliRunner().invoke(app, ["stats", "--runs", "10000", "--seed", "1", "--json"]).stdout)
    assert stats["words"]["median"] <= 2000  # any run
    resettled = stats["by_kind"]["resettled"]
    assert resettled["words"]["median"] <= 3000 and resettled["decisions"]["median"] <= 20
    assert resettled["minutes"]["median"] <= 15
    routes = json.loads(CliRunner().invoke(app, ["analyze", "--json"]).stdout)["routes"]
    escapes = ("dmz", "china", "siberia")
    assert routes["china"]["best_safe"] > routes["siberia"]["best_safe"]
    died = {route: routes[route]["kinds"].get("died", 0.0) for route in escapes}
    assert max(died, key=lambda route: died[route]) == "dmz", died
    for route in escapes:  # every route can end in safety, and can fail whatever the player does
        assert routes[route]["safe"] > 0 and routes[route]["best_safe"] < 1, (route, routes[route])


@pytest.mark.slow  # the whole default story, end to end
def test_every_ending_played_gentle_and_plain_shows_none_of_the_graphic_words(story: Story) -> None:
    """Through the real command: one run into each ending (found by random walks, replayed by seed and
    choices), under --gentle --plain, with the facts of every scene opened (f) on the way."""
    from typer.testing import CliRunner

    from crossing.cli import app

    routes: dict[str, tuple[int, list[str]]] = {}
    endings = {node.id for node in story.endings()}
    for seed in range(5000):
        if len(routes) == len(endings):
            break
        rng, engine, keys = random.Random(seed), Engine(story, seed), []
        while not engine.finished:
            number = rng.randint(1, len(engine.offered()))
            keys += ["f", str(number)]
            engine.choose(number)
        routes.setdefault(engine.node.id, (seed, keys))
    assert set(routes) == endings
    for ending, (seed, keys) in sorted(routes.items()):
        result = CliRunner().invoke(app, ["play", "--gentle", "--plain", "--seed", str(seed), "--choices", ",".join(keys)])
        assert result.exit_code == 0, result.output
        assert story.nodes[ending].display_title in result.stdout, ending
        found = GENTLE_NEVER.search(result.stdout)
        assert found is None, (ending, found.group(0) if found else "")
