"""The story that ships with Crossing: it validates cleanly, every run ends, and every scene carries
what the classroom needs (route, facts with sources, debriefs, gentle tellings, content warnings)."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from crossing.engine import Engine
from crossing.model import Story
from crossing.paths import default_story_path
from crossing.validation import validate_path
from helpers import run_crossing

ESCAPE_ROUTES = ("dmz", "china", "siberia")
BANNED = re.compile(r"\b(you win|you won|game over|try again|congratulations|you lose|you failed)\b", re.I)


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
    assert len(scenes) >= 90
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
        assert 60 <= len(text.split()) <= 220, (node.id, len(text.split()))
        assert not BANNED.search(text), node.id
        if node.content_warnings:
            gentle = " ".join(node.gentle_text.strings()) if node.gentle_text else ""
            assert 60 <= len(gentle.split()) <= 220, node.id
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
