"""The grown forum's pages through gunicorn and wrk: median latency and server CPU a request.

``bench/grown_forum.py build`` makes the data; this serves that database with the production
settings (``bench.settings``) on gunicorn with 2 sync workers and the page cache off (every
request builds its page: what the first reader, a crawler walking deep pages, or a member
costs), and loads each page of ``bench.grown_forum.pages()`` with ``wrk -t1 -c4`` (4
connections, as issue 10's table was measured). It prints a Markdown table: p50 latency,
requests per second, and the CPU the gunicorn processes spent per request (``/proc``; on
SQLite that includes the database, on PostgreSQL the server's own processes are not counted).

    export DATABASE_URL=sqlite:////tmp/grown_bench.sqlite3   # the grown database
    python -m bench.grown_load [--seconds 5] [--port 8111]

    # The same pages of the small forum bench/run.sh builds, to compare against:
    DATABASE_URL=sqlite:///$PWD/bench/results/bench.sqlite3 python -m bench.grown_load --small

``REDIS_URL`` may be set as for ``bench/run.sh``.
"""

import argparse
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import django

from bench.worker_cpu import cpu_seconds

ROOT = Path(__file__).resolve().parent.parent
# bench/seed_data.py's forum: one topic of 1,000 replies by 50 members (bench01 wrote 20 of
# them), beside the seeded guide.
SMALL_FORUM_PAGES = [
    ("forum index", "/forums/", False),
    ("member profile", "/forums/users/bench01/", False),
    ("forum p1", "/forums/forum/benchmark/", False),
    ("topic p1", "/forums/topic/benchmark-topic/", False),
    ("member replies p1", "/forums/users/bench01/replies/", False),
]


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=env.get("SECRET_KEY") or f"bench-only-{secrets.token_hex(24)}",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        BENCH_RUN_ID=f"grown-{int(time.time())}",
        LOG_LEVEL="ERROR",
        FORUM_PAGE_CACHE_SECONDS="0",
    )
    return env


def _wait_for(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{url} does not answer")


def _load(url: str, cookie: str, seconds: int, master: int) -> tuple[str, float, float]:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    subprocess.run(["wrk", "-t1", "-c4", "-d1s", *headers, url], capture_output=True, check=True)
    before = cpu_seconds(master)
    output = subprocess.run(
        ["wrk", "-t1", "-c4", f"-d{seconds}s", "--latency", *headers, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    spent = cpu_seconds(master) - before
    if re.search(r"Non-2xx or 3xx responses", output):
        sys.exit(f"{url} answered errors:\n{output}")
    p50 = re.search(r"^\s+50%\s+(\S+)", output, flags=re.MULTILINE).group(1)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return p50, rate, spent * 1000 / requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--port", type=int, default=8111)
    parser.add_argument(
        "--small", action="store_true", help="the small forum of bench/seed_data.py instead"
    )
    options = parser.parse_args()
    env = _environment()
    os.environ.update(env)
    django.setup()
    from django.db import connection

    from bench.grown_forum import MODERATOR, pages
    from bench.member_session import member_cookie

    pages_to_load = SMALL_FORUM_PAGES if options.small else pages()
    moderator = member_cookie(MODERATOR)
    connection.close()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [gunicorn, "config.wsgi", "--workers", "2", "--worker-class", "sync",
         "--no-control-socket", "--log-level", "warning", "--bind", f"127.0.0.1:{options.port}"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{options.port}"
    try:
        _wait_for(f"{base}/healthz")
        print(f"{connection.vendor}; wrk -t1 -c4 -d{options.seconds}s a page; page cache off")
        print()
        print("| page | p50 | req/s | server CPU ms/request |")
        print("|---|---:|---:|---:|")
        for name, path, moderating in pages_to_load:
            p50, rate, cpu_ms = _load(
                base + path, moderator if moderating else "", options.seconds, server.pid
            )
            print(f"| {name} | {p50} | {rate:.0f} | {cpu_ms:.1f} |", flush=True)
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
