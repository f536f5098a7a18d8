"""Time ``manage.py recount`` on a big forum: wall time, peak memory, longest statement.

Builds a throw-away database (an SQLite file under /tmp, or the PostgreSQL database
``recount_bench``, dropped and re-created), fills it with bulk inserts (TOPICS topics of
POSTS_PER_TOPIC posts each, some held, spammed or trashed, some topics hidden; counters, the
members' too, and the posts' ``listed_as_reply`` right), then runs, each in a fresh process:
the check on the correct data, zeroes every counter (and unlists every reply), the check, the
repair, and the check again. Each run reports wall time, peak RSS (``ru_maxrss`` of that
child), statements, the slowest statement, and what the command said.

    .venv/bin/python bench/recount_bench.py sqlite --topics 100000
    .venv/bin/python bench/recount_bench.py postgres --topics 100000 \\
        --server postgres://postgres@127.0.0.1:5432
    .venv/bin/python bench/recount_bench.py sqlite --topics 100000 --before   # the old code

On PostgreSQL the runs set ``statement_timeout`` (default 30 s, ``--statement-timeout``), so a
statement that runs away fails the run instead of holding the server. ``--before`` runs
``recount_all`` from ``forum/recount.py`` as it was before batching (git ``BEFORE_REV``).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_NAME = "recount_bench"
FORUMS = 20
AUTHORS = 500
CHUNK_TOPICS = 2_000
HIDDEN_EVERY = 23  # every 23rd reply is held, spam or trash
HIDDEN_TOPIC_EVERY = 50  # every 50th topic is spam or trash (with its opening post)
START = datetime(2020, 1, 1, tzinfo=UTC)
BEFORE_REV = "d070bf3"  # the last commit with the one-statement recount


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # as in production: no query log growing in memory


# --- building -------------------------------------------------------------------------------


def build(topics: int, posts_per_topic: int) -> None:
    """Fill the (migrated) database named by DATABASE_URL; counters come out right."""
    _setup_django()
    from django.db import connection, transaction

    from accounts.models import User
    from forum.models import Forum, Post, Topic

    User.objects.bulk_create(
        User(username=f"bench{i}", email=f"bench{i}@example.com", password="!")  # noqa: S106 (unusable)
        for i in range(AUTHORS)
    )
    user_ids = list(User.objects.filter(username__startswith="bench").values_list("pk", flat=True))
    Forum.objects.bulk_create(
        Forum(name=f"Bench forum {i}", slug=f"bench-forum-{i}") for i in range(FORUMS)
    )
    forums = Forum.objects.filter(slug__startswith="bench-forum-")
    forum_ids = list(forums.values_list("pk", flat=True))
    next_topic = (Topic.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    next_post = (Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    forum_state = {pk: [0, 0, None, None] for pk in forum_ids}  # topics, posts, last, at
    member_state = {pk: [0, 0] for pk in user_ids}  # topics started, replies created
    hidden = ["pending", "spam", "trash"]
    clock = 0
    for chunk_start in range(0, topics, CHUNK_TOPICS):
        topic_rows, post_rows = [], []
        for n in range(chunk_start, min(topics, chunk_start + CHUNK_TOPICS)):
            topic_id = next_topic + n
            forum_id = forum_ids[n % len(forum_ids)]
            topic_status = "open"
            if n % HIDDEN_TOPIC_EVERY == HIDDEN_TOPIC_EVERY - 1:
                topic_status = hidden[1 + n % 2]
            published, hidden_replies, voices, last, last_at = 0, 0, set(), None, None
            first, created = None, None
            for p in range(posts_per_topic):
                post_id = next_post
                next_post += 1
                clock += 1
                at = START + timedelta(seconds=clock)
                author = user_ids[(n * 7 + p * 13) % len(user_ids)]
                if p == 0:
                    status = "published" if topic_status == "open" else topic_status
                    first, created = post_id, at
                elif (n + p) % HIDDEN_EVERY == 0:
                    status = hidden[(n + p) % 3]
                else:
                    status = "published"
                if status == "published":
                    published += 1
                    voices.add(author)
                    last, last_at = post_id, at
                    if p and topic_status == "open":
                        member_state[author][1] += 1
                elif p:
                    hidden_replies += 1
                listed = bool(p) and status == "published" and topic_status == "open"
                post_rows.append(
                    (post_id, topic_id, author, "Bench.", "<p>Bench.</p>", at, status, listed)
                )
            first_published = topic_status == "open"
            topic_rows.append(
                (
                    topic_id,
                    forum_id,
                    f"Bench topic {n}",
                    f"bench-topic-{n}",
                    user_ids[(n * 7) % len(user_ids)],
                    created,
                    last_at or created,
                    first,
                    last,
                    published - int(first_published),
                    hidden_replies,
                    len(voices),
                    topic_status,
                )
            )
            if topic_status == "open":
                member_state[user_ids[(n * 7) % len(user_ids)]][0] += 1
                state = forum_state[forum_id]
                state[0] += 1
                state[1] += published
                if last_at and (state[3] is None or last_at > state[3]):
                    state[2], state[3] = last, last_at
        # Topics and posts point at each other; Django's foreign keys are deferred, so one
        # transaction per chunk inserts both.
        with transaction.atomic(), connection.cursor() as cursor:
            _insert(
                cursor,
                "forum_topic",
                "id, forum_id, title, slug, author_id, created_at, last_active_at, first_post_id,"
                " last_post_id, reply_count, hidden_reply_count, voice_count, status, pin",
                [(*row, 0) for row in topic_rows],
            )
            _insert(
                cursor,
                "forum_post",
                "id, topic_id, author_id, body, body_html, created_at, status, listed_as_reply",
                post_rows,
            )
        print(f"  built {chunk_start + len(topic_rows):,} topics", file=sys.stderr, flush=True)
    for pk, (topic_count, post_count, last, at) in forum_state.items():
        Forum.objects.filter(pk=pk).update(
            topic_count=topic_count, post_count=post_count, last_post_id=last, last_active_at=at
        )
    for pk, (topic_count, reply_count) in member_state.items():
        User.objects.filter(pk=pk).update(topic_count=topic_count, reply_count=reply_count)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("forum_topic", "forum_post"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608
                    f" (SELECT max(id) FROM {table}))"
                )
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _insert(cursor, table: str, columns: str, rows: list[tuple]) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        # In the text Django writes (sqlite3's own adapter would add "+00:00").
        adapt = connection.ops.adapt_datetimefield_value
        rows = [tuple(adapt(v) if isinstance(v, datetime) else v for v in row) for row in rows]
        marks = ", ".join(["%s"] * (columns.count(",") + 1))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608


def scramble() -> None:
    """Zero every counter (and push last_active_at back), so every topic has six wrong and
    every member who posted one or two."""
    _setup_django()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE forum_topic SET reply_count = 0, hidden_reply_count = 0, voice_count = 0,"
            " first_post_id = NULL, last_post_id = NULL, last_active_at = %s",
            [connection.ops.adapt_datetimefield_value(datetime(2000, 1, 1, tzinfo=UTC))],
        )
        cursor.execute(
            "UPDATE forum_forum SET topic_count = 0, post_count = 0, last_post_id = NULL,"
            " last_active_at = NULL"
        )
        cursor.execute("UPDATE accounts_user SET topic_count = 0, reply_count = 0")
        cursor.execute("UPDATE forum_post SET listed_as_reply = FALSE")


# --- one measured run, in its own process ---------------------------------------------------


def run(args: list[str], before: bool, output: str) -> None:
    """Run the recount (or the old one) and print what it did as JSON on the last line."""
    _setup_django()
    from django.core.management import call_command
    from django.db import connection

    statements = {"n": 0, "slowest": 0.0, "sql": ""}

    def timed(execute, sql, params, many, context):
        started = time.monotonic()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.monotonic() - started
            statements["n"] += 1
            if took > statements["slowest"]:
                statements.update(slowest=took, sql=sql[:120])

    started = time.monotonic()
    with connection.execute_wrapper(timed), open(output, "w") as out:
        if before:
            fixes = _old_recount_all(dry_run="--dry-run" in args)
            for fix in fixes:
                out.write(f"{fix}\n")
            out.write(f"{len(fixes)} counter(s)\n")
        else:
            call_command("recount", *args, stdout=out)
    statements["wall"] = time.monotonic() - started
    print(json.dumps(statements))


def _old_recount_all(*, dry_run: bool):
    import importlib.util

    source = subprocess.run(
        ["git", "show", f"{BEFORE_REV}:forum/recount.py"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    path = Path(tempfile.gettempdir()) / "recount_before.py"
    path.write_bytes(source)
    spec = importlib.util.spec_from_file_location("forum._recount_before", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.recount_all(dry_run=dry_run)


# --- the driver -----------------------------------------------------------------------------


def measure(label: str, env: dict, *args: str, before: bool = False) -> dict:
    output = Path(tempfile.gettempdir()) / f"recount-bench-{label}.txt"
    command = [sys.executable, __file__, "_run", "--output", str(output), *args]
    if before:
        command.append("--before")
    started = time.monotonic()
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    stdout = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    said = output.read_text().splitlines()[-1] if output.exists() else ""
    result = {"run": label, "wall_s": round(wall, 1), "peak_rss_mb": round(usage.ru_maxrss / 1024)}
    if child.returncode == 0:
        stats = json.loads(stdout.splitlines()[-1])
        result.update(
            statements=stats["n"],
            slowest_s=round(stats["slowest"], 2),
            slowest_sql=stats["sql"][:70],
            said=said,
        )
    else:
        result["failed"] = f"exit {child.returncode}"
    print(json.dumps(result), flush=True)
    return result


def _psql(server: str, sql: str) -> None:
    subprocess.run(["psql", "-q", f"{server}/postgres", "-c", sql], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("database", choices=["sqlite", "postgres"])
    parser.add_argument("--topics", type=int, default=100_000)
    parser.add_argument("--posts-per-topic", type=int, default=10)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--statement-timeout", default="30s")
    parser.add_argument("--before", action="store_true", help="Time the old recount_all.")
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    options = parser.parse_args()

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DEBUG": "0"}
    sqlite_file = Path(tempfile.gettempdir()) / "recount_bench.sqlite3"
    if options.database == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{sqlite_file}"
    else:
        _psql(options.server, f"DROP DATABASE IF EXISTS {PG_NAME}")
        _psql(options.server, f"CREATE DATABASE {PG_NAME}")
        env["DATABASE_URL"] = f"{options.server}/{PG_NAME}"
    manage = [sys.executable, str(ROOT / "manage.py")]
    started = time.monotonic()
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [sys.executable, __file__, "_build", str(options.topics), str(options.posts_per_topic)],
        env=env,
        check=True,
    )
    print(f"built in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    if options.database == "postgres":
        env["PGOPTIONS"] = f"-c statement_timeout={options.statement_timeout}"
    try:
        measure("check-correct", env, "--dry-run", before=options.before)
        # The corruption is set-up, not the command measured: one UPDATE of every post, which
        # the statement timeout meant for the recount's own statements would cut short.
        setup_env = {name: value for name, value in env.items() if name != "PGOPTIONS"}
        subprocess.run([sys.executable, __file__, "_scramble"], env=setup_env, check=True)
        measure("check-zeroed", env, "--dry-run", before=options.before)
        measure("repair-zeroed", env, before=options.before)
        measure("check-after-repair", env, "--dry-run")
    finally:
        if not options.keep:
            if options.database == "sqlite":
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
            else:
                _psql(options.server, f"DROP DATABASE {PG_NAME}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["_build"]:
        build(int(sys.argv[2]), int(sys.argv[3]))
    elif sys.argv[1:2] == ["_scramble"]:
        scramble()
    elif sys.argv[1:2] == ["_run"]:
        run_parser = argparse.ArgumentParser()
        run_parser.add_argument("--output", required=True)
        run_parser.add_argument("--before", action="store_true")
        known, rest = run_parser.parse_known_args(sys.argv[2:])
        run(rest, known.before, known.output)
    else:
        main()
