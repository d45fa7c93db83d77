"""Bounds on analysis and random runs (issue 15): memory as well as states, a total number of steps for
a batch of runs, analysis that runs unasked stopping within seconds on adversarial stories, finite
outcome weights, abbreviated numbers in messages. What could exhaust the machine runs in a child
process under hard limits (resource.setrlimit), so a regression fails the test instead."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crossing import randomruns
from crossing.analysis import Budget, analyze
from crossing.cli import app
from crossing.expressions import EvaluationError, parse
from crossing.model import Story
from crossing.randomruns import run_many
from crossing.validation import validate_path
from helpers import write_story

resource = pytest.importorskip("resource")  # POSIX only: the limits below need it

SRC = Path(__file__).resolve().parents[1] / "src"

# Two texts that grow a character a step, read by a condition: every state is new.
GROWING_TEXT = {
    "story.yaml": 'title: Growing\nstart: loop\nvariables:\n  a: ""\n  b: ""\n',
    "nodes.yaml": """\
nodes:
  loop:
    text: Round and round.
    choices:
      - {text: Grow a, set: {a: a + "x"}, goto: loop}
      - {text: Grow b, set: {b: b + "y"}, goto: loop}
      - {text: Stop, if: a == b, goto: end}
  end:
    text: The end.
    ending: {kind: safety, title: End}
""",
}
# A counter that grows without end: states never repeat.
GROWING_COUNTER = {
    "story.yaml": "title: Counter\nstart: loop\nvariables:\n  n: 0\n",
    "nodes.yaml": """\
nodes:
  loop:
    text: Again.
    choices:
      - {text: Again, set: {n: n + 1}, goto: loop}
      - {text: Stop, if: n > 1000000000, goto: end}
  end:
    text: The end.
    ending: {kind: safety, title: End}
""",
}
# A loop no run leaves.
TRAPPED = {
    "story.yaml": "title: Trapped\nstart: a\n",
    "nodes.yaml": """\
nodes:
  a:
    text: A.
    choices: [{text: Onward, goto: b}]
  b:
    text: B.
    choices: [{text: Back, goto: a}, {text: Never, if: "1 == 2", goto: end}]
  end:
    text: End.
    ending: {kind: safety, title: End}
""",
}


def load(folder: Path) -> Story:
    result = validate_path(folder)
    assert not result.errors, result.errors
    assert result.story is not None
    return result.story


def limited(code: str, memory_mb: int, cpu_seconds: int) -> subprocess.CompletedProcess[str]:
    """Run Python code in a child limited to memory_mb of address space and cpu_seconds of CPU time."""
    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2**20, memory_mb * 2**20))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))

    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env,
                          preexec_fn=limits, timeout=10 * cpu_seconds, check=False)


# The child's own CPU seconds and peak resident memory in MB, printed as JSON by the code it runs.
USAGE = """
import resource, time
def usage(**more):
    self = resource.getrusage(resource.RUSAGE_SELF)
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KB elsewhere
    return json.dumps({"cpu": self.ru_utime + self.ru_stime, "mb": self.ru_maxrss * scale / 2**20, **more})
"""


@pytest.mark.slow
def test_unasked_analysis_of_growing_texts_stops_within_seconds_and_samples(tmp_path: Path) -> None:
    folder = write_story(tmp_path / "g", GROWING_TEXT)
    done = limited(f"""
        import json, sys
        {USAGE.strip().replace(chr(10), chr(10) + "        ")}
        from crossing.validation import validate_path
        from crossing.analysis import analyze
        story = validate_path({str(folder)!r}).story
        result = analyze(story)  # as report runs it: unasked
        print(usage(exact=result.exact, why=result.fallback_reason, runs=result.runs))
    """, memory_mb=1500, cpu_seconds=30)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert not data["exact"] and data["why"] in ("time", "memory") and data["runs"] > 0
    assert data["cpu"] < 4.5  # about 3 s: 1.5 exploring, 1 sampling, the rest starting and compiling
    assert data["mb"] < 300


@pytest.mark.slow
def test_the_validate_lint_stays_bounded_on_growing_texts(tmp_path: Path) -> None:
    folder = write_story(tmp_path / "g", GROWING_TEXT)
    done = limited(f"""
        import json, sys
        {USAGE.strip().replace(chr(10), chr(10) + "        ")}
        from crossing.validation import validate_path
        result = validate_path({str(folder)!r})
        print(usage(errors=len(result.errors)))
    """, memory_mb=1000, cpu_seconds=20)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["errors"] == 0 and data["cpu"] < 3.0 and data["mb"] < 300


def test_memory_bounds_exploration_not_only_the_state_count(tmp_path: Path) -> None:
    story = load(write_story(tmp_path / "c", GROWING_COUNTER))
    small = Budget(memory_mb=8, explore_seconds=None, sample_seconds=0.2)
    result = analyze(story, max_states=10**20, budget=small, sample_runs=200)
    assert not result.exact and result.fallback_reason == "memory"
    assert result.max_states == small.state_cap < 10**20


def test_a_huge_max_states_is_capped_with_a_message(tmp_path: Path) -> None:
    folder = write_story(tmp_path / "t", TRAPPED)
    result = CliRunner().invoke(app, ["analyze", str(folder), "--max-states", "99999999999999999999", "--json"])
    assert result.exit_code == 0
    assert "--max-states is capped at" in result.stderr
    data = json.loads(result.stdout)
    assert data["exact"] and data["max_states"] < 10**10


def test_a_batch_of_runs_is_bounded_by_total_steps_reproducibly(tmp_path: Path) -> None:
    story = load(write_story(tmp_path / "t", TRAPPED))
    stats = run_many(story, 1000, seed=4, step_cap=100, max_steps=1050)
    assert stats.runs == 10 and stats.asked == 1000 and stats.out_of_steps
    assert stats.capped == 10 and stats.steps <= 1050 + 100
    assert run_many(story, 1000, seed=4, step_cap=100, max_steps=1050).to_dict(story) == stats.to_dict(story)
    result = CliRunner().invoke(app, ["stats", str(tmp_path / "t"), "--runs", "1000", "--max-steps", "25000"])
    assert result.exit_code == 0
    assert "2 of 1,000 runs were made" in " ".join(result.stderr.split())


def test_ctrl_c_prints_the_runs_finished_so_far(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_story(tmp_path / "t", TRAPPED)
    real = randomruns._Batch.one
    calls = []

    def interrupted(self: randomruns._Batch, limit: int) -> tuple[int, int]:
        calls.append(limit)
        if len(calls) == 6:
            raise KeyboardInterrupt
        return real(self, limit)

    monkeypatch.setattr(randomruns._Batch, "one", interrupted)
    result = CliRunner().invoke(app, ["stats", str(folder), "--runs", "100", "--json"])
    assert result.exit_code == 130
    assert json.loads(result.stdout)["runs"] == 5
    assert "interrupted: 5 of 100 runs were made" in " ".join(result.stderr.split())


def test_outcome_weights_must_add_up_to_a_finite_number(tmp_path: Path) -> None:
    folder = write_story(tmp_path / "w", {
        "story.yaml": "title: W\nstart: a\n",
        "nodes.yaml": """\
nodes:
  a:
    text: A.
    choices:
      - text: Cross
        outcomes:
          - {weight: 1.0e+308, goto: x}
          - {weight: 1.0e+308, goto: y}
          - {weight: 1.0e+308, goto: y}
  x:
    text: X.
    ending: {kind: safety, title: X}
  y:
    text: Y.
    ending: {kind: died, title: Y}
""",
    })
    errors = validate_path(folder).errors
    assert [(Path(d.file).name, d.line, d.column, d.code) for d in errors] == [("nodes.yaml", 5, 9, "bad-weight")]  # the choice
    assert "add up to more than a number can hold" in errors[0].message


def test_too_large_numbers_are_abbreviated_in_messages() -> None:
    with pytest.raises(EvaluationError) as caught:
        parse("big + 1").evaluate({"big": 10**4000}, set())
    message = str(caught.value)
    assert len(message) < 80 and "about 4,001 digits" in message
    with pytest.raises(EvaluationError) as caught:
        parse("big > 1").evaluate({"big": "x" * 5000}, set())
    assert len(str(caught.value)) < 150 and "5,000 characters" in str(caught.value)


def test_the_default_story_is_still_analysed_exactly_unasked() -> None:
    start = time.process_time()
    result = analyze(load(Path(__file__).resolve().parents[1] / "story"))
    assert result.exact and not result.fallback_reason
    assert time.process_time() - start < 3.0
