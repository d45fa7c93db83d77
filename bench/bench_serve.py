#!/usr/bin/env python3
"""A classroom against `crossing serve`: many simulated students playing whole runs at once, on loopback.

usage: python bench/bench_serve.py [--students 40] [--think 0.2:0.6] [--arrive 3] [--seed 1]

Starts the real command (`python -m crossing serve --port 0`, the default story, transcripts in a
temporary folder) and, from this process, runs one thread per student. Each student joins with its own
alias and plays a whole run as a browser without JavaScript would: post a choice, follow the redirect to
the next scene, now and then go back a step or look at the map or glossary, and at the ending download
its transcript. Students open the page at random moments within the first 3 s (--arrive; 0 makes all 40
join in the same instant), and between choices each "reads" for a random think time (default 0.2-0.6 s,
a hundred times less than a person reads, so all 40 runs overlap). Every request's time is measured from sending it to
having read the whole answer.

Targets: no errors (every answer 200 or the expected 303), p95 at most 50 ms, server memory at most 1 MB
per student beyond its base (RSS after start-up and before anyone joins), and `crossing report` on the
transcripts folder counting every run. The server is ended with Ctrl-C (SIGINT), as a teacher would.
Only loopback traffic; every loop is bounded. BENCH_TRACE=1 prints every request's time, BENCH_THREADS=1
the CPU time of each of the server's threads.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
CODE = "BENCH1"
MAX_STEPS = 300


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


@dataclass
class Student:
    number: int
    port: int
    rng: random.Random
    think: tuple[float, float]
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cookies: dict[str, str] = field(default_factory=dict)
    steps: int = 0
    ended: bool = False

    def __post_init__(self) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def request(self, method: str, path: str, fields: dict[str, str] | None = None, expect: int = 200) -> str:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = response_ = self.connection.getresponse()
                text = response_.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # a keep-alive connection the server closed while idle: a browser reconnects too
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
        self.times.append(time.perf_counter() - started)
        if os.environ.get("BENCH_TRACE"):
            print(f"{method} {path} {1000 * self.times[-1]:.1f}", file=sys.stderr)
        for header in response.headers.get_all("set-cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";")[0]
            if "Max-Age=0" in header:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if response.status != expect:
            self.errors.append(f"{method} {path}: {response.status} {text[:120]!r}")
        if response.status == 303:
            return self.request("GET", response.headers["location"])
        return text

    def pause(self) -> None:
        time.sleep(self.rng.uniform(*self.think))

    def play(self, start: threading.Barrier, arrive: float) -> None:
        start.wait()
        time.sleep(self.rng.uniform(0, arrive))  # students open the page as they sit down, not in one instant
        page = self.request("GET", "/")
        csrf = _field(page, "csrf")
        page = self.request("POST", "/join", {"csrf": csrf, "code": CODE, "alias": f"bench-{self.number:02d}"}, expect=303)
        for _ in range(MAX_STEPS):
            if self.errors:
                return
            numbers = [int(n) for n in re.findall(r'name="choice" value="([0-9]+)"', page)]
            if not numbers:
                self.ended = "Ending:" in page
                break
            self.pause()
            roll = self.rng.random()
            if roll < 0.05:
                self.request("GET", "/map")
            elif roll < 0.08:
                self.request("GET", "/glossary")
            if roll > 0.92 and 'action="/back"' in page:
                page = self.request("POST", "/back", {"csrf": _field(page, "csrf", "/back"), "step": _field(page, "step", "/back")},
                                    expect=303)
                continue
            choice = str(self.rng.choice(numbers))
            page = self.request("POST", "/choose", {"csrf": _field(page, "csrf", "/choose"), "step": _field(page, "step", "/choose"),
                                                    "choice": choice}, expect=303)
            self.steps += 1
        self.request("GET", "/transcript.md")
        self.connection.close()


def _field(page: str, name: str, form: str | None = None) -> str:
    if form is not None:
        match = re.search(rf'<form method="post" action="{re.escape(form)}".*?</form>', page, re.S)
        if match is None:
            raise RuntimeError(f"no form {form}")
        page = match.group(0)
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    if found is None:
        raise RuntimeError(f"no field {name}")
    return unescape(found.group(1))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--think", default="0.2:0.6", help="seconds a student reads between choices, MIN:MAX")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--arrive", type=float, default=3.0,
                        help="students join at random moments within this many seconds (0: all in one instant)")
    args = parser.parse_args()
    think = tuple(float(x) for x in args.think.split(":"))
    assert len(think) == 2

    work = Path(tempfile.mkdtemp(prefix="crossing-bench-serve-"))
    folder = work / "lesson"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "CROSSING_DATA_DIR": str(work / "data"),
           "CROSSING_CACHE_DIR": str(work / "cache"), "NO_COLOR": "1"}
    server = subprocess.Popen([sys.executable, "-m", "crossing", "serve", "--port", "0", "--join-code", CODE,
                               "--transcripts", str(folder), "--max-students", str(max(60, args.students))],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert server.stdout is not None
        port = None
        for _ in range(300):
            line = server.stdout.readline()
            found = re.search(r"http://127\.0\.0\.1:([0-9]+)/", line)
            if found:
                port = int(found.group(1))
                break
        if port is None:
            raise RuntimeError("the server did not say its address")
        threading.Thread(target=server.stdout.read, daemon=True).start()  # keep its output flowing
        # the base: the server started and answering, nobody joined
        probe = Student(0, port, random.Random(0), think)
        probe.request("GET", "/")
        probe.request("GET", "/static/app.css")
        probe.connection.close()
        time.sleep(0.5)
        base = rss_kib(server.pid)

        students = [Student(n, port, random.Random(args.seed * 1000 + n), think) for n in range(1, args.students + 1)]
        barrier = threading.Barrier(len(students))
        threads = [threading.Thread(target=s.play, args=(barrier, args.arrive)) for s in students]
        began = time.perf_counter()
        cpu_before = cpu_seconds(server.pid)
        load_before = os.getloadavg()[0]
        for thread in threads:
            thread.start()
        peak = base
        while any(t.is_alive() for t in threads):
            peak = max(peak, rss_kib(server.pid))
            time.sleep(0.1)
        wall = time.perf_counter() - began
        cpu = cpu_seconds(server.pid) - cpu_before
        if os.environ.get("BENCH_THREADS"):
            for task in sorted(Path(f"/proc/{server.pid}/task").iterdir()):
                stat = (task / "stat").read_text()
                name = stat[stat.index("(") + 1:stat.rindex(")")]
                f = stat.rsplit(")", 1)[1].split()
                print(f"thread {name}: user {int(f[11]) / os.sysconf('SC_CLK_TCK'):.2f} s, system {int(f[12]) / os.sysconf('SC_CLK_TCK'):.2f} s")
        load_after = os.getloadavg()[0]
        after = rss_kib(server.pid)
        peak = max(peak, after)
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=60)
        stopped = server.returncode
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()

    times = [t for s in students for t in s.times]
    errors = [e for s in students for e in s.errors]
    report = subprocess.run([sys.executable, "-m", "crossing", "report", str(folder), "--json"],
                            capture_output=True, text=True, env=env, timeout=120)
    counted = json.loads(report.stdout)["runs"] if report.returncode == 0 else None
    finished = sum(1 for s in students if s.ended)
    per_student = (peak - base) / 1024 / len(students)
    p95 = percentile(times, 0.95) * 1000

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{len(students)} students joining within {args.arrive:g} s, think time {think[0]}-{think[1]} s, wall {wall:.1f} s")
    print(f"requests: {len(times)} ({len(times) / wall:.0f}/s), errors: {len(errors)}; server CPU {cpu:.2f} s "
          f"({1000 * cpu / max(1, len(times)):.2f} ms a request); load average {load_before:.1f} before, {load_after:.1f} after")
    for problem in errors[:10]:
        print(f"  {problem}")
    print(f"response ms: median {statistics.median(times) * 1000:.1f}, p95 {p95:.1f}, "
          f"p99 {percentile(times, 0.99) * 1000:.1f}, max {max(times) * 1000:.1f}")
    print(f"choices per run: median {statistics.median(s.steps for s in students):.0f}, max {max(s.steps for s in students)}; "
          f"reached an ending: {finished}/{len(students)}")
    print(f"server RSS: base {base / 1024:.1f} MiB, peak {peak / 1024:.1f} MiB, after {after / 1024:.1f} MiB; "
          f"{per_student:.2f} MiB per student beyond the base")
    print(f"server exit after Ctrl-C: {stopped}{' ' + err.strip()[:200] if err.strip() else ''}")
    print(f"crossing report counted {counted} runs")
    ok = (not errors and p95 <= 50 and per_student <= 1.0 and counted == len(students) and finished == len(students)
          and stopped == 0)
    print("all targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
