"""Measure queries and HTML bytes of each benchmarked page, read wrk's output, write a table.

``bench/run.sh`` calls it as ``python -m bench.report RESULTS_DIR`` after the load runs; it
writes ``RESULTS_DIR/latest.md`` and prints it.
"""

import os
import platform
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import django

TOPIC_URL = "/forums/topic/benchmark-topic/"


@dataclass(frozen=True)
class Scenario:
    name: str
    label: str
    path: str
    page_cache: bool
    member: bool = False


DEEP_URL = f"{TOPIC_URL}page/40/"
BASELINE_URL = "/bench/baseline/benchmark-topic/"
SCENARIOS = [
    Scenario("trivial", "Trivial 30-byte view, same middleware", "/bench/trivial/", True),
    Scenario("topic-cached", "Topic page 1, page cache on (default)", TOPIC_URL, True),
    Scenario("topic", "Topic page 1, page cache off", TOPIC_URL, False),
    Scenario("topic-member", "Topic page 1, logged-in member", TOPIC_URL, True, member=True),
    Scenario("topic-deep", "Topic page 40 (posts 976–1000), cache off", DEEP_URL, False),
    Scenario("index-cached", "Forum index, page cache on", "/forums/", True),
    Scenario("forum-cached", "Forum page 1, page cache on", "/forums/forum/benchmark/", True),
    Scenario("baseline", "Bare 3-query Django page, same 25 posts", BASELINE_URL, False),
]


@dataclass(frozen=True)
class PageFacts:
    queries: int
    html_bytes: int
    cpu_ms: float


def page_facts(scenario: Scenario) -> PageFacts:
    """Queries, bytes and CPU time of an anonymous GET, as a steady-state request makes them."""
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from bench.member_session import MEMBER

    for cache in caches.all():
        cache.clear()
    client = Client()
    if scenario.member:
        from accounts.models import User

        client.force_login(User.objects.get(username=MEMBER))
    with override_settings(FORUM_PAGE_CACHE_SECONDS=300 if scenario.page_cache else 0):
        client.get(scenario.path)  # fills the page cache when it is on
        with CaptureQueriesContext(connection) as queries:
            response = client.get(scenario.path)
        query_count = len(queries)  # now: the next request's start clears Django's query log
        cpu_ms = _cpu_ms_per_request(client, scenario.path)
    if response.status_code != 200:
        raise SystemExit(f"{scenario.path} answered {response.status_code}")
    return PageFacts(queries=query_count, html_bytes=len(response.content), cpu_ms=cpu_ms)


def _cpu_ms_per_request(client, path: str, *, batches: int = 5, size: int = 40) -> float:
    """CPU time of one request in this process, database included (SQLite runs in-process),
    best of a few batches: steadier than throughput on a shared machine."""
    best = float("inf")
    for _ in range(batches):
        started = time.process_time()
        for _ in range(size):
            client.get(path)
        best = min(best, (time.process_time() - started) / size * 1000)
    return best


@dataclass(frozen=True)
class LoadFacts:
    requests_per_second: float
    latency: dict[str, str]
    errors: str
    worker_cpu_ms: float | None  # the server's CPU per request over the run


def read_wrk(output: str) -> LoadFacts:
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rate is None:
        raise SystemExit(f"wrk printed no Requests/sec:\n{output}")
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", output, flags=re.MULTILINE))
    problems = re.findall(r"(Non-2xx or 3xx responses: \d+|Socket errors: .*)", output)
    requests = re.search(r"(\d+) requests in", output)
    cpu = re.search(r"worker_cpu_seconds: ([\d.]+)", output)
    worker_cpu_ms = (
        float(cpu.group(1)) * 1000 / int(requests.group(1)) if cpu and requests else None
    )
    return LoadFacts(float(rate.group(1)), latency, "; ".join(problems) or "none", worker_cpu_ms)


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), flags=re.MULTILINE)
        cpu = names[0] if names else cpu
    return f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}"


def report(results: Path) -> str:
    from django.conf import settings
    from django.db import connection

    cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    lines = [
        f"Database: {connection.vendor}; cache: {cache_backend}; {machine()}.",
        f"Load: `wrk {os.environ.get('WRK_ARGS', '')}` against gunicorn with 2 sync workers; "
        f"each page loaded {os.environ.get('ROUNDS', '?')} times in turn; the median round shown.",
        "",
        "| page | req/s (median) | req/s (all rounds) | p50 | p90 | p99 | server CPU ms/request "
        "(median, all rounds) | queries | HTML bytes | in-process CPU ms/request | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for scenario in SCENARIOS:
        facts = page_facts(scenario)
        rounds = sorted(
            (
                read_wrk(path.read_text())
                for path in results.glob(f"wrk-{scenario.name}-[0-9]*.txt")
            ),
            key=lambda load: load.requests_per_second,
        )
        if not rounds:
            raise SystemExit(f"no wrk output for {scenario.name} in {results}")
        load = rounds[len(rounds) // 2]
        errors = "; ".join(r.errors for r in rounds if r.errors != "none") or "none"
        spread = f"{rounds[0].requests_per_second:.0f}–{rounds[-1].requests_per_second:.0f}"
        cpu_rounds = sorted(r.worker_cpu_ms for r in rounds if r.worker_cpu_ms is not None)
        server_cpu = (
            f"{cpu_rounds[len(cpu_rounds) // 2]:.2f} "
            f"({', '.join(f'{ms:.2f}' for ms in cpu_rounds)})"
            if cpu_rounds
            else "?"
        )
        lines.append(
            f"| {scenario.label} | {load.requests_per_second:.1f} | {spread} "
            f"| {load.latency.get('50', '?')} "
            f"| {load.latency.get('90', '?')} | {load.latency.get('99', '?')} | {server_cpu} "
            f"| {facts.queries} "
            f"| {facts.html_bytes:,} | {facts.cpu_ms:.1f} | {errors} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    results_dir = Path(sys.argv[1])
    table = report(results_dir)
    (results_dir / "latest.md").write_text(table)
    print(table)
