"""Many members replying to one topic at once, through gunicorn: replies a second, errors, and
whether every counter still equals the rows afterwards.

    .venv/bin/python -m bench.concurrent_replies                       # SQLite, 20 writers, 30 s
    .venv/bin/python -m bench.concurrent_replies --postgres postgres://postgres@127.0.0.1:5432

A throw-away database (a SQLite file under bench/results/, or "forum_writes" on the server
named, dropped and made again), production settings (bench.settings) with flood control off,
gunicorn with 2 sync workers on a free loopback port. Each writer is a logged-in member with
its own connection, posting the reply form (with its CSRF token and a fresh idempotency token)
as fast as the server answers.
"""

import argparse
import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

from bench.worker_cpu import cpu_seconds

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "FORUM_FLOOD_SECONDS": "0",
        "BENCH_RUN_ID": f"writes-{secrets.token_hex(4)}",
        "LOG_LEVEL": "ERROR",
    }


SETUP = """
import django; django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from accounts.models import User
from forum import services
from forum.models import Forum
author = User.objects.create_user("writes-author")
forum = Forum.objects.create(name="Writes", slug="writes")
topic = services.topic_create(forum=forum, author=author, title="Many writers", body="Go.")
print(topic.slug)
for number in range({writers}):
    member = User.objects.create_user(f"writer{{number}}")
    session = SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.save()
    print(session.session_key)
"""

CHECK = """
import django; django.setup()
from forum.models import Post, Topic
from forum.recount import recount_all
topic = Topic.objects.get(slug="{slug}")
print(topic.posts.count() - 1, topic.reply_count, topic.voice_count, len(recount_all(dry_run=True)))
"""


def writer(port: int, slug: str, session: str, deadline: float, counts: dict, lock) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    cookie = f"sessionid={session}"
    connection.request("GET", f"/forums/topic/{slug}/reply/", headers={"Cookie": cookie})
    response = connection.getresponse()
    page = response.read().decode()
    assert response.status == 200, (response.status, response.getheader("Location"))
    csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    headers = {"Cookie": f"{cookie}; csrftoken={csrf}",
               "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip
    created = errors = 0
    while time.monotonic() < deadline:
        body = urlencode({"csrfmiddlewaretoken": token, "body": f"Reply {uuid.uuid4()}",
                          "token": str(uuid.uuid4()), "action": "post"})  # fmt: skip
        connection.request("POST", f"/forums/topic/{slug}/reply/", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status == 302:
            created += 1
        else:
            errors += 1
    with lock:
        counts["created"] += created
        counts["errors"] += errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--postgres", help="a PostgreSQL server URL (without a database name)")
    args = parser.parse_args()
    python = sys.executable
    if args.postgres:
        psql = ["psql", f"{args.postgres}/postgres", "-q"]
        subprocess.run([*psql, "-c", "DROP DATABASE IF EXISTS forum_writes",
                        "-c", "CREATE DATABASE forum_writes"], check=True)  # fmt: skip
        database_url = f"{args.postgres}/forum_writes"
    else:
        RESULTS.mkdir(parents=True, exist_ok=True)
        for old in RESULTS.glob("writes.sqlite3*"):
            old.unlink()
        database_url = f"sqlite:///{RESULTS / 'writes.sqlite3'}"
    env = environment(database_url)
    run = {"cwd": ROOT, "env": env, "check": True}
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v", "0"], **run)
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v", "0"], **run)
    slug, *sessions = subprocess.run(
        [python, "-c", SETUP.format(writers=args.writers)], capture_output=True, text=True, **run
    ).stdout.split()
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--workers", "2", "--worker-class",
         "sync", "--no-control-socket", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        counts, lock = {"created": 0, "errors": 0}, threading.Lock()
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=writer, args=(port, slug, session, deadline, counts, lock))
            for session in sessions
        ]
        cpu_before = cpu_seconds(server.pid)
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        cpu_used = cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait()
    rows, reply_count, voices, wrong = map(int, subprocess.run(
        [python, "-c", CHECK.format(slug=slug)], capture_output=True, text=True, **run
    ).stdout.split())  # fmt: skip
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{engine}: {args.writers} writers for {elapsed:.1f} s: {counts['created']} replies "
          f"({counts['created'] / elapsed:.0f}/s), {counts['errors']} errors, "
          f"{cpu_used / max(counts['created'], 1) * 1000:.2f} ms of server CPU a reply; "
          f"rows {rows}, reply_count {reply_count}, voices {voices}, "
          f"counters wrong: {wrong}")  # fmt: skip
    if args.postgres:
        subprocess.run(
            ["psql", f"{args.postgres}/postgres", "-qc", "DROP DATABASE forum_writes"], check=True
        )


if __name__ == "__main__":
    main()
