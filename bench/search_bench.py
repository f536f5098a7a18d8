"""Full-text search on a big forum: ``build`` makes the database to measure it on.

``build`` makes a throw-away database (the SQLite file /tmp/search_bench.sqlite3, or the
PostgreSQL database ``search_bench``, dropped and re-created), runs ``manage.py migrate`` on
it (so the ``search`` app's triggers, where the app exists, index every row as it goes in)
and fills it with raw bulk inserts, with every counter right:

- MEMBERS members, some far more active than others, and FORUMS forums, some far busier;
- topics of 1 to 30 posts mostly (LONG_TOPIC_SHARE of them longer, up to LONGEST_TOPIC),
  ``--posts`` posts in all, over seven years: each topic's replies come hours apart, so long
  threads run on beside newer topics, and post keys grow with time as on a real forum;
- HIDDEN_TOPIC_SHARE of the topics pending, spam or trash (their opening posts too) and
  CLOSED_TOPIC_SHARE closed; HIDDEN_REPLY_SHARE of the replies pending, spam or trash;
- titles from ``forum_text.title``, bodies from ``forum_text.body`` (``body_html`` from
  ``forum_text.body_html``, not the real renderer), all from ``--seed``: the same command
  builds the same forum.

Then it prints the time of each phase and the size of the database (the file and its WAL on
SQLite, ``pg_database_size`` on PostgreSQL), with the largest tables and indexes.

    .venv/bin/python bench/search_bench.py build sqlite --posts 1000000
    .venv/bin/python bench/search_bench.py build postgres --posts 1000000 \\
        --server postgres://postgres@127.0.0.1:5432

A million posts (109,846 topics, seed 1) with the ``search`` app's triggers, on this 2-core
machine: SQLite in 190 s (185 s of inserts, 5,400 posts/s), a 1,793 MiB file (the posts
1,140 MiB, the FTS5 index 223 MiB); PostgreSQL 15 in 230 s (219 s of COPY, 4,600 posts/s,
beside another engineer's test run), 2,254 MiB (the posts 1,473 MiB with their indexes,
``search_post_document`` 673 MiB). ``manage.py recount --dry-run`` finds every counter right
on both.

The pieces (:func:`recreate`, :func:`migrate`, :func:`fill`, :func:`database_size`, and
:func:`build` for all of them) are kept apart for the measuring to reuse.
"""

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from array import array
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
PG_NAME = "search_bench"
SQLITE_FILE = Path(tempfile.gettempdir()) / "search_bench.sqlite3"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"

MEMBERS = 2_000
MEMBER_SKEW = 0.9  # member i posts with weight 1 / (i + 1) ** MEMBER_SKEW
FORUM_NAMES = (
    "Strength training", "Powerlifting", "Bodybuilding", "Weight loss", "Nutrition",
    "Beginners", "Training logs", "Running", "Injuries and rehab", "Supplements",
    "Home gyms and gear", "Olympic lifting", "Mobility and stretching", "Recipes",
    "Cycling", "Strongman", "Swimming", "Motivation", "Off topic", "Site feedback",
)  # fmt: skip
FORUMS = len(FORUM_NAMES)
FORUM_SKEW = 0.8
LONG_TOPIC_SHARE = 0.035  # topics longer than 30 posts: 31 * Pareto(LONG_TOPIC_SHAPE) posts
LONG_TOPIC_SHAPE = 1.5  # a few dozen topics of over 500 posts a million, a third of the posts
LONGEST_TOPIC = 5_000
SHORT_TOPIC_MEAN = 6  # replies in the other topics: 1 + an exponential, at most 30 posts
HIDDEN_TOPIC_SHARE = 0.01
CLOSED_TOPIC_SHARE = 0.02
HIDDEN_REPLY_SHARE = 0.02
START = datetime(2019, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=7 * 365)  # the topics start over this; their replies run on after it
REPLY_GAP = timedelta(hours=3)  # mean time between replies of a topic (1.3 h in long ones)
LONG_REPLY_GAP = timedelta(hours=1.3)
CHUNK_POSTS = 5_000  # posts a transaction

PUBLISHED = "published"
HIDDEN = ("pending", "spam", "trash")
STATUSES = (PUBLISHED, *HIDDEN)  # a post's status is its index here
VISIBLE_TOPIC = ("open", "closed")


# --- the database ------------------------------------------------------------------------------


def database_url(database: str, server: str = DEFAULT_SERVER) -> str:
    if database == "sqlite":
        return f"sqlite:///{SQLITE_FILE}"
    return f"{server}/{PG_NAME}"


def environment(database: str, server: str = DEFAULT_SERVER) -> dict[str, str]:
    """The environment of a ``manage.py`` (or ``_fill``) run on the benchmark's database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "0",
        "DATABASE_URL": database_url(database, server),
    }


def _psql(server: str, sql: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", "-qAt", f"{server}/{database}", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def remove(database: str, server: str = DEFAULT_SERVER) -> None:
    if database == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
    else:
        _psql(server, f"DROP DATABASE IF EXISTS {PG_NAME}")


def recreate(database: str, server: str = DEFAULT_SERVER) -> None:
    """An empty database: the SQLite file removed, or the PostgreSQL one dropped and created."""
    remove(database, server)
    if database == "postgres":
        _psql(server, f"CREATE DATABASE {PG_NAME}")


def migrate(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, check=True)


def database_size(database: str, server: str = DEFAULT_SERVER) -> dict:
    """Bytes: ``total``, and the parts (the file and its WAL; the largest relations)."""
    if database == "sqlite":
        parts = {
            name: Path(f"{SQLITE_FILE}{suffix}").stat().st_size
            for name, suffix in (("file", ""), ("wal", "-wal"))
            if Path(f"{SQLITE_FILE}{suffix}").exists()
        }
        return {"total": sum(parts.values()), **parts, "largest": _sqlite_largest()}
    total = int(_psql(server, f"SELECT pg_database_size('{PG_NAME}')"))
    rows = _psql(
        server,
        "SELECT relname, pg_total_relation_size(oid) FROM pg_class"
        " WHERE relkind IN ('r', 'm') AND relnamespace = 'public'::regnamespace"
        " ORDER BY 2 DESC LIMIT 6",
        PG_NAME,
    )
    largest = {name: int(size) for name, size in (row.split("|") for row in rows.splitlines())}
    return {"total": total, "largest": largest}


def _sqlite_largest() -> dict[str, int]:
    """The largest tables and indexes (SQLite's ``dbstat``, where it is compiled in)."""
    import sqlite3

    try:
        with sqlite3.connect(SQLITE_FILE) as db:
            rows = db.execute(
                "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8"
            ).fetchall()
    except sqlite3.Error:
        return {}
    return dict(rows)


# --- the plan: who posts what where and when, without the text ----------------------------------


@dataclass
class Plan:
    """The forum to build, as indexes: member i, forum i, topic i, post i (in the order
    generated, topic after topic; :attr:`order` is the order of time, the order of the keys)."""

    topic_forum: list[int] = field(default_factory=list)
    topic_status: list[str] = field(default_factory=list)
    topic_first: list[int] = field(default_factory=list)  # its opening post
    topic_last: list[int] = field(default_factory=list)  # its latest published post, or -1
    # Its published replies, hidden replies and voices.
    topic_counts: list[tuple[int, int, int]] = field(default_factory=list)
    post_topic: array = field(default_factory=lambda: array("l"))
    post_author: array = field(default_factory=lambda: array("l"))
    post_status: bytearray = field(default_factory=bytearray)  # index into STATUSES
    post_time: array = field(default_factory=lambda: array("q"))  # µs after START
    order: list[int] = field(default_factory=list)

    @property
    def topics(self) -> int:
        return len(self.topic_forum)

    @property
    def posts(self) -> int:
        return len(self.post_topic)


def _cumulative(n: int, skew: float) -> list[float]:
    return list(itertools.accumulate(1 / (i + 1) ** skew for i in range(n)))


def topic_lengths(posts: int, rng: Random) -> list[int]:
    lengths, total = [], 0
    while total < posts:
        if rng.random() < LONG_TOPIC_SHARE:
            n = min(LONGEST_TOPIC, int(31 * rng.paretovariate(LONG_TOPIC_SHAPE)))
        else:
            n = 1 + min(29, int(rng.expovariate(1 / SHORT_TOPIC_MEAN)))
        n = min(n, posts - total)
        lengths.append(n)
        total += n
    return lengths


def make_plan(posts: int, seed: int) -> Plan:
    rng = Random(seed)
    random = rng.random
    plan = Plan()
    lengths = topic_lengths(posts, rng)
    members = range(MEMBERS)
    member_weights = _cumulative(MEMBERS, MEMBER_SKEW)
    forum_weights = _cumulative(FORUMS, FORUM_SKEW)
    span = SPAN // timedelta(microseconds=1)
    short_gap = 1 / (REPLY_GAP // timedelta(microseconds=1))
    long_gap = 1 / (LONG_REPLY_GAP // timedelta(microseconds=1))
    for t, n in enumerate(lengths):
        draw = random()
        if draw < HIDDEN_TOPIC_SHARE:
            status = HIDDEN[int(random() * len(HIDDEN))]
        else:
            status = "closed" if draw < HIDDEN_TOPIC_SHARE + CLOSED_TOPIC_SHARE else "open"
        visible = status in VISIBLE_TOPIC
        plan.topic_forum.append(rng.choices(range(FORUMS), cum_weights=forum_weights)[0])
        plan.topic_status.append(status)
        authors = rng.choices(members, cum_weights=member_weights, k=n)
        gap = long_gap if n > 30 else short_gap
        at = int((t + random()) * span / len(lengths))
        first = len(plan.post_topic)
        published, hidden, voices, last = 0, 0, set(), -1
        for i, author in enumerate(authors):
            if i:
                at += int(rng.expovariate(gap))
                hide = random() < HIDDEN_REPLY_SHARE
                post_status = 1 + int(random() * len(HIDDEN)) if hide else 0
            else:
                post_status = 0 if visible else STATUSES.index(status)
            if post_status == 0:
                published += 1
                voices.add(author)
                last = first + i
            elif i:
                hidden += 1
            plan.post_topic.append(t)
            plan.post_author.append(author)
            plan.post_status.append(post_status)
            plan.post_time.append(at)
        plan.topic_first.append(first)
        plan.topic_last.append(last)
        plan.topic_counts.append((published - int(visible), hidden, len(voices)))
    # Post keys in the order of time (ties: in the order written), as a forum gives them.
    plan.order = sorted(range(plan.posts), key=plan.post_time.__getitem__)
    return plan


# --- filling -------------------------------------------------------------------------------------


def _setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log growing in memory


def _phase(phases: dict, name: str, started: float) -> float:
    took = time.monotonic() - started
    phases[name] = round(took, 1)
    print(f"  {name}: {took:.1f} s", file=sys.stderr, flush=True)
    return time.monotonic()


def fill(posts: int, seed: int = 1, chunk: int = CHUNK_POSTS) -> dict:
    """Fill the migrated database named by DATABASE_URL (in this process: Django is set up
    here); returns what it wrote and the seconds of each phase."""
    _setup_django()
    from django.db import connection, transaction
    from django.utils.text import slugify

    from accounts.models import User
    from bench import forum_text
    from forum.models import Forum, Post, Topic

    phases: dict[str, float] = {}
    started = time.monotonic()
    User.objects.bulk_create(
        User(username=f"member{i}", email=f"member{i}@example.com", password="!")  # noqa: S106 (unusable)
        for i in range(MEMBERS)
    )
    member_ids = dict(
        User.objects.filter(username__startswith="member").values_list("username", "pk")
    )
    member_ids = [member_ids[f"member{i}"] for i in range(MEMBERS)]
    Forum.objects.bulk_create(
        Forum(name=name, slug=f"bench-{slugify(name)}", position=i)
        for i, name in enumerate(FORUM_NAMES)
    )
    slugs = dict(Forum.objects.filter(slug__startswith="bench-").values_list("slug", "pk"))
    forum_ids = [slugs[f"bench-{slugify(name)}"] for name in FORUM_NAMES]
    next_topic = (Topic.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    next_post = (Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    started = _phase(phases, "members and forums", started)

    plan = make_plan(posts, seed)
    post_ids = array("q", bytes(8 * plan.posts))
    for rank, p in enumerate(plan.order):
        post_ids[p] = next_post + rank
    print(f"  {plan.topics:,} topics", file=sys.stderr)
    started = _phase(phases, "plan", started)

    adapt = connection.ops.adapt_datetimefield_value if connection.vendor == "sqlite" else None
    body_rng, title_rng = Random(seed + 1), Random(seed + 2)
    late_last_posts = []  # (last_post_id, topic id) of topics written before their last post
    inserting = time.monotonic()
    for start in range(0, plan.posts, chunk):
        end = min(plan.posts, start + chunk)
        topic_rows, post_rows = [], []
        for p in plan.order[start:end]:
            t = plan.post_topic[p]
            topic_id = next_topic + t
            status = plan.topic_status[t]
            at = START + timedelta(microseconds=plan.post_time[p])
            if plan.topic_first[t] == p:
                last = plan.topic_last[t]
                last_id = post_ids[last] if last >= 0 else None
                if last_id is not None and last_id >= next_post + end:
                    late_last_posts.append((last_id, topic_id))
                    last_id = None
                last_at = START + timedelta(microseconds=plan.post_time[last]) if last >= 0 else at
                title = forum_text.title(title_rng)
                slug = f"{slugify(title)[:80].strip('-') or 'topic'}-{topic_id}"
                replies, hidden, voices = plan.topic_counts[t]
                topic_rows.append(
                    (
                        topic_id,
                        forum_ids[plan.topic_forum[t]],
                        title,
                        slug,
                        member_ids[plan.post_author[p]],
                        at,
                        last_at,
                        post_ids[p],
                        last_id,
                        replies,
                        hidden,
                        voices,
                        status,
                        0,
                    )
                )
            body = forum_text.body(body_rng)
            post_status = STATUSES[plan.post_status[p]]
            listed = (
                plan.topic_first[t] != p and post_status == PUBLISHED and status in VISIBLE_TOPIC
            )
            post_rows.append(
                (
                    post_ids[p],
                    topic_id,
                    member_ids[plan.post_author[p]],
                    body,
                    forum_text.body_html(body),
                    at,
                    post_status,
                    listed,
                )
            )
        if adapt:  # in the text Django writes (sqlite3's own adapter would add "+00:00")
            topic_rows = [(*row[:5], adapt(row[5]), adapt(row[6]), *row[7:]) for row in topic_rows]
            post_rows = [(*row[:5], adapt(row[5]), *row[6:]) for row in post_rows]
        # Topics and their opening posts point at each other; Django's foreign keys are
        # deferred, so one transaction inserts both.
        with transaction.atomic(), connection.cursor() as cursor:
            insert_rows(
                cursor,
                "forum_topic",
                "id, forum_id, title, slug, author_id, created_at, last_active_at,"
                " first_post_id, last_post_id, reply_count, hidden_reply_count, voice_count,"
                " status, pin",
                topic_rows,
            )
            insert_rows(
                cursor,
                "forum_post",
                "id, topic_id, author_id, body, body_html, created_at, status, listed_as_reply",
                post_rows,
            )
        if end == plan.posts or (end // chunk) % 20 == 0:
            took = time.monotonic() - inserting
            print(
                f"  {end:,} of {plan.posts:,} posts, {took:.0f} s, {end / took:,.0f} posts/s",
                file=sys.stderr,
                flush=True,
            )
    started = _phase(phases, "insert", started)

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE forum_topic SET last_post_id = %s WHERE id = %s", late_last_posts
        )
    print(f"  {len(late_last_posts):,} topics outlived their chunk", file=sys.stderr)
    started = _phase(phases, "last posts", started)

    _write_counters(plan, post_ids, member_ids, forum_ids)
    started = _phase(phases, "forum and member counters", started)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("forum_topic", "forum_post"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608
                    f" (SELECT max(id) FROM {table}))"
                )
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _phase(phases, "analyze", started)
    return {"topics": plan.topics, "posts": plan.posts, "phases": phases}


def _write_counters(plan: Plan, post_ids: array, member_ids: list, forum_ids: list) -> None:
    """Forums' and members' counters, from the plan."""
    from django.db import connection, transaction

    forums = [[0, 0, -1] for _ in range(FORUMS)]  # topics, posts, latest post (index)
    members = [[0, 0] for _ in range(MEMBERS)]  # topics started, replies created
    for t in range(plan.topics):
        if plan.topic_status[t] not in VISIBLE_TOPIC:
            continue
        forum = forums[plan.topic_forum[t]]
        first = plan.topic_first[t]
        replies = plan.topic_counts[t][0]
        forum[0] += 1
        forum[1] += replies + 1
        last = plan.topic_last[t]
        if forum[2] < 0 or post_ids[last] > post_ids[forum[2]]:
            forum[2] = last  # keys grow with time: the latest post has the largest key
        members[plan.post_author[first]][0] += 1
        if replies:
            for p in range(first + 1, first + replies + 1 + plan.topic_counts[t][1]):
                if plan.post_status[p] == 0:
                    members[plan.post_author[p]][1] += 1
    adapt = connection.ops.adapt_datetimefield_value
    forum_rows = []
    for i, (topics, posts, last) in enumerate(forums):
        at = START + timedelta(microseconds=plan.post_time[last]) if last >= 0 else None
        forum_rows.append(
            (topics, posts, post_ids[last] if last >= 0 else None, adapt(at), forum_ids[i])
        )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE forum_forum SET topic_count = %s, post_count = %s, last_post_id = %s,"
            " last_active_at = %s WHERE id = %s",
            forum_rows,
        )
        cursor.executemany(
            "UPDATE accounts_user SET topic_count = %s, reply_count = %s WHERE id = %s",
            [(topics, replies, member_ids[i]) for i, (topics, replies) in enumerate(members)],
        )


def insert_rows(cursor, table: str, columns: str, rows: list[tuple]) -> None:
    """COPY on PostgreSQL, one ``executemany`` on SQLite (datetimes already adapted)."""
    from django.db import connection

    if not rows:
        return
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * (columns.count(",") + 1))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608


# --- the command ---------------------------------------------------------------------------------


def build(database: str, posts: int, server: str = DEFAULT_SERVER, seed: int = 1) -> dict:
    """Make the benchmark's database anew and fill it; returns what it wrote, the seconds of
    each phase and the database's size."""
    env = environment(database, server)
    phases: dict[str, float] = {}
    began = started = time.monotonic()
    print(f"building {database_url(database, server)}: {posts:,} posts", file=sys.stderr)
    recreate(database, server)
    migrate(env)
    started = _phase(phases, "create and migrate", started)
    child = subprocess.run(
        [sys.executable, __file__, "_fill", "--posts", str(posts), "--seed", str(seed)],
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    filled = json.loads(child.stdout.splitlines()[-1])
    phases.update(filled["phases"])
    phases["total"] = round(time.monotonic() - began, 1)
    size = database_size(database, server)
    result = {"database": database, **filled, "phases": phases, "size": size}
    print(
        f"built {filled['topics']:,} topics and {filled['posts']:,} posts in"
        f" {phases['total']:.0f} s; database {_mib(size['total'])}"
        + "".join(f", {name} {_mib(size[name])}" for name in ("file", "wal") if name in size),
        file=sys.stderr,
    )
    for name, bytes_ in size["largest"].items():
        print(f"  {name}: {_mib(bytes_)}", file=sys.stderr)
    return result


# --- measuring ---------------------------------------------------------------------------------


# The searches measured: (name, terms). forum_text names a common word, a rare one and a
# phrase; the two last are a common pair and an "or".
def searches() -> list[tuple[str, str]]:
    from bench.forum_text import COMMON_WORD, PHRASE, RARE_WORD

    return [
        ("common word", COMMON_WORD),
        ("rare word", RARE_WORD),
        ("phrase", f'"{PHRASE}"'),
        ("two common words", f"{COMMON_WORD} shake"),
        ("either word", "squat or deadlift"),
    ]


# Deep pages of the lists across forums (110,000 topics at a million posts).
LIST_PAGES = [
    ("latest topics p1", "/topics/"),
    ("latest topics p2,000", "/topics/page/2000/"),
    ("latest topics p4,000", "/topics/page/4000/"),
    ("popular p4,000", "/forums/view/popular/page/4000/"),
    ("no replies, last page", None),  # found when measuring
]


def _percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_in_process(repeat: int) -> list[dict]:
    """Each search ``repeat`` times through ``search.selectors.search_page`` (after one
    untimed run): p50 and p95 in ms, the total found and the queries made."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from search.backends import Filters
    from search.query import parse
    from search.selectors import search_page

    rows = []
    for name, terms in searches():
        query = parse(terms)
        with CaptureQueriesContext(connection) as queries:
            page = search_page(query, filters=Filters(), page_number=1)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            search_page(query, filters=Filters(), page_number=1)
            times.append((time.perf_counter() - started) * 1000)
        rows.append({
            "search": name, "terms": terms, "found": page.paginator.count,
            "capped": page.capped, "queries": len(queries),
            "p50": _percentile(times, 0.5), "p95": _percentile(times, 0.95),
        })  # fmt: skip
    return rows


def _get(url: str) -> float:
    import urllib.request

    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: {response.status}")
    return (time.perf_counter() - started) * 1000


def measure_http(database: str, server_url: str, repeat: int, port: int) -> list[dict]:
    """The search pages and the deep list pages through gunicorn (2 sync workers, the
    production settings, the page cache off): p50 and p95 of ``repeat`` requests made one
    after another, after one untimed request."""
    from urllib.parse import quote_plus

    env = {
        **environment(database, server_url),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": f"bench-only-{os.getpid()}-{time.time()}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "BENCH_RUN_ID": f"search-{int(time.time())}",
        "LOG_LEVEL": "ERROR",
        "FORUM_PAGE_CACHE_SECONDS": "0",
    }
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput",
                    "-v0"], env=env, check=True)  # fmt: skip
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(
        [gunicorn, "config.wsgi", "--workers", "2", "--worker-class", "sync",
         "--no-control-socket", "--log-level", "warning", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    pages = [(name, f"/forums/search/{quote_plus(terms, safe='')}/") for name, terms in searches()]
    pages += [(name, path) for name, path in LIST_PAGES if path]
    pages.append(("no replies, last page", _no_replies_last_page()))
    rows = []
    try:
        for _ in range(100):
            try:
                _get(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.2)
        for name, path in pages:
            _get(base + path)
            times = [_get(base + path) for _ in range(repeat)]
            rows.append({"page": name, "path": path, "p50": _percentile(times, 0.5),
                         "p95": _percentile(times, 0.95)})  # fmt: skip
    finally:
        process.terminate()
        process.wait(10)
    return rows


def _no_replies_last_page() -> str:
    from django.conf import settings

    from forum.models import Topic

    count = Topic.objects.visible().filter(reply_count=0).count()
    last = max(1, -(-count // settings.FORUM_TOPICS_PER_PAGE))
    return f"/forums/view/no-replies/page/{last}/" if last > 1 else "/forums/view/no-replies/"


def index_build(database: str, server_url: str) -> dict:
    """``manage.py rebuild_search_index``'s time, and the index's size on disk."""
    env = environment(database, server_url)
    started = time.monotonic()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "rebuild_search_index"], env=env,
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    took = time.monotonic() - started
    if database == "sqlite":
        import sqlite3

        with sqlite3.connect(SQLITE_FILE) as connection:
            size = connection.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_%'"
            ).fetchone()[0]
    else:
        size = int(_psql(server_url, "SELECT pg_total_relation_size('search_post_document') "
                         "+ pg_relation_size('search_topic_title_gin')", PG_NAME))  # fmt: skip
    return {"seconds": round(took, 1), "bytes": size}


def measure(database: str, server_url: str, repeat: int, port: int, rebuild: bool) -> None:
    os.environ.update(environment(database, server_url))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.grown_settings"  # no cache at all
    _setup_django()
    from django.db import connection

    print(f"{connection.vendor}, {repeat} runs each (ms)\n")
    print("In process (search.selectors.search_page, one page of 25):\n")
    print("| search | terms | found | queries | p50 | p95 |")
    print("|---|---|---:|---:|---:|---:|")
    for row in measure_in_process(repeat):
        found = f"{row['found']:,}" + (" (capped)" if row["capped"] else "")
        print(f"| {row['search']} | `{row['terms']}` | {found} | {row['queries']} "
              f"| {row['p50']:.1f} | {row['p95']:.1f} |", flush=True)  # fmt: skip
    print("\nOver HTTP (gunicorn, 2 sync workers, page cache off, one request at a time):\n")
    print("| page | p50 | p95 |")
    print("|---|---:|---:|")
    for row in measure_http(database, server_url, repeat, port):
        print(f"| {row['page']} (`{row['path']}`) | {row['p50']:.1f} | {row['p95']:.1f} |",
              flush=True)  # fmt: skip
    if rebuild:
        built = index_build(database, server_url)
        print(f"\nmanage.py rebuild_search_index: {built['seconds']} s; "
              f"index on disk {_mib(built['bytes'])}")  # fmt: skip


def _mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="Make and fill the benchmark's database.")
    build_parser.add_argument("database", choices=["sqlite", "postgres"])
    build_parser.add_argument("--posts", type=int, default=1_000_000)
    build_parser.add_argument("--server", default=DEFAULT_SERVER, help="PostgreSQL, no database")
    build_parser.add_argument("--seed", type=int, default=1)
    measure_parser = commands.add_parser("measure", help="Time searches and deep pages.")
    measure_parser.add_argument("database", choices=["sqlite", "postgres"])
    measure_parser.add_argument("--server", default=DEFAULT_SERVER, help="PostgreSQL, no database")
    measure_parser.add_argument("-n", "--repeat", type=int, default=30)
    measure_parser.add_argument("--port", type=int, default=8112)
    measure_parser.add_argument(
        "--rebuild", action="store_true", help="also time manage.py rebuild_search_index"
    )
    fill_parser = commands.add_parser("_fill")  # build's child: DATABASE_URL names the database
    fill_parser.add_argument("--posts", type=int, required=True)
    fill_parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()

    if options.command == "build":
        result = build(options.database, options.posts, options.server, options.seed)
        print(json.dumps(result))
    elif options.command == "measure":
        measure(options.database, options.server, options.repeat, options.port, options.rebuild)
    elif options.command == "_fill":
        print(json.dumps(fill(options.posts, options.seed)))


if __name__ == "__main__":
    main()
