"""Deep pages on a grown forum: build one in bulk, then time page 1, a middle and the last page.

The data: a forum of 100,000 topics (three sticky, 2% hidden), a topic of 100,000 replies (1%
hidden, for the moderators' view), a member with 50,000 posts (10,000 topics started and
40,000 replies, each in another member's topic), and 48 more forums of 20 topics each, so
the index lists 50. Rows go in with ``bulk_create`` in batches, with every counter left at
zero; ``manage.py recount`` then sets them all (the services would take hours at this size),
which also shows the repair path at this size.

Use a throw-away database, never the site's::

    export DJANGO_SETTINGS_MODULE=bench.grown_settings
    DATABASE_URL=sqlite:////tmp/grown_bench.sqlite3 python -m bench.grown_forum build
    DATABASE_URL=sqlite:////tmp/grown_bench.sqlite3 python -m bench.grown_forum measure -n 15
    DATABASE_URL=sqlite:////tmp/grown_bench.sqlite3 python -m bench.grown_forum explain

``build`` migrates and fills the database (it refuses to fill one that is already grown);
``measure`` prints, per page, the median wall and CPU time of ``-n`` requests made in-process
through Django's test client, and the page's query count (``--only`` the pages whose name
starts with it); ``explain`` prints the database's
plan for each deep page's list query.
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

import django

TOPICS = 100_000
THREAD_REPLIES = 100_000
HEAVY_TOPICS = 10_000
HEAVY_REPLIES = 40_000
AUTHORS = 100
BATCH = 2_000
START = datetime(2021, 1, 1, tzinfo=UTC)
FORUM_SLUG = "grown-forum"
THREAD_SLUG = "grown-thread"
HEAVY = "heavy"
MODERATOR = "grown-moderator"
SMALL_FORUMS = 48
SMALL_FORUM_TOPICS = 20


def _bodies() -> list[tuple[str, str]]:
    """Forty bodies of about 600 characters, markdown and its HTML, reused round-robin."""
    rng = random.Random(7)
    words = ["squat", "hinge", "glute", "bridge", "hip", "thrust", "tempo", "brace", "load"]
    bodies = []
    for _ in range(40):
        paragraphs = [" ".join(rng.choices(words, k=45)).capitalize() + "." for _ in range(2)]
        bodies.append(("\n\n".join(paragraphs), "".join(f"<p>{p}</p>\n" for p in paragraphs)))
    return bodies


def build() -> None:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction

    from accounts.models import User
    from forum.models import Forum, Post, Topic

    call_command("migrate", verbosity=0)
    if Forum.objects.filter(slug=FORUM_SLUG).exists():
        sys.exit(f"{FORUM_SLUG} exists: this database is already grown.")
    rng = random.Random(42)
    bodies = _bodies()
    unusable = make_password(None)
    started = time.perf_counter()
    with transaction.atomic():
        authors = User.objects.bulk_create(
            User(username=f"grown{i}", email=f"grown{i}@example.com", password=unusable)
            for i in range(AUTHORS)
        )
        heavy = User.objects.create(username=HEAVY, email="heavy@example.com", password=unusable)
        User.objects.create(
            username=MODERATOR,
            email="mod@example.com",
            password=unusable,
            role=User.Role.MODERATOR,
        )
        forum = Forum.objects.create(name="Grown forum", slug=FORUM_SLUG)
        threads = Forum.objects.create(name="Grown threads", slug="grown-threads")

        # The forum's topics, oldest first, one every five minutes; the heavy member starts
        # every tenth one.
        topics = []
        for i in range(TOPICS):
            created = START + timedelta(minutes=5 * i)
            status = Topic.Status.TRASH if i % 50 == 7 else Topic.Status.OPEN
            topics.append(
                Topic(
                    forum=forum,
                    title=f"Grown topic {i}",
                    slug=f"grown-topic-{i}",
                    author=heavy if i % 10 == 0 else authors[i % AUTHORS],
                    created_at=created,
                    last_active_at=created,
                    status=status,
                    pin=Topic.Pin.STICKY if i in (10, 5_000, 70_000) else Topic.Pin.NONE,
                )
            )
        thread = Topic(
            forum=threads,
            title="Grown thread",
            slug=THREAD_SLUG,
            author=authors[0],
            created_at=START,
            last_active_at=START,
            pin=Topic.Pin.SUPER_STICKY,
        )
        topics = Topic.objects.bulk_create([*topics, thread], batch_size=BATCH)
        thread = topics.pop()
        small_forums = Forum.objects.bulk_create(
            Forum(name=f"Small forum {i}", slug=f"small-forum-{i}") for i in range(SMALL_FORUMS)
        )
        small_topics = Topic.objects.bulk_create(
            (
                Topic(
                    forum=small,
                    title=f"Small topic {i}-{j}",
                    slug=f"small-topic-{i}-{j}",
                    author=authors[(i + j) % AUTHORS],
                    created_at=START + timedelta(days=j, hours=i),
                    last_active_at=START + timedelta(days=j, hours=i),
                )
                for i, small in enumerate(small_forums)
                for j in range(SMALL_FORUM_TOPICS)
            ),
            batch_size=BATCH,
        )
        _progress("topics", started)

        def post(topic, author, created, n, status=Post.Status.PUBLISHED):
            body, html = bodies[n % len(bodies)]
            return Post(
                topic=topic,
                author=author,
                body=body,
                body_html=html,
                created_at=created,
                status=status,
            )

        batch = [post(t, t.author, t.created_at, n) for n, t in enumerate(topics + small_topics)]
        batch.append(post(thread, thread.author, START, 0))
        Post.objects.bulk_create(batch, batch_size=BATCH)
        _progress("opening posts", started)

        # The heavy member's replies, each in another member's topic, minutes after it began.
        others = [t for t in topics if t.author_id != heavy.pk]
        batch = [
            post(t, heavy, t.created_at + timedelta(minutes=rng.randint(1, 240)), n)
            for n, t in enumerate(rng.sample(others, HEAVY_REPLIES))
        ]
        Post.objects.bulk_create(batch, batch_size=BATCH)
        _progress("heavy member's replies", started)

        hidden = (Post.Status.TRASH, Post.Status.PENDING, Post.Status.SPAM)
        for first in range(0, THREAD_REPLIES, BATCH):
            Post.objects.bulk_create(
                post(
                    thread,
                    authors[n % AUTHORS],
                    START + timedelta(seconds=30 * (n + 1)),
                    n,
                    hidden[n % 3] if n % 100 == 50 else Post.Status.PUBLISHED,
                )
                for n in range(first, min(first + BATCH, THREAD_REPLIES))
            )
        _progress("thread replies", started)
    call_command("recount", stdout=io.StringIO())
    _progress("recount: every counter set", started)
    assert not Topic.objects.filter(first_post=None).exists()
    assert User.objects.get(username=HEAVY).reply_count > HEAVY_REPLIES * 0.9  # but trashed
    _analyze()
    _progress("analyze", started)


def _analyze() -> None:
    """Fresh planner statistics, and on PostgreSQL a visibility map (index-only scans)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _progress(step: str, started: float) -> None:
    print(f"{time.perf_counter() - started:7.1f} s  {step}", flush=True)


def pages() -> list[tuple[str, str, bool]]:
    """(name, URL, as a moderator) for page 1, a middle and the last page of each list."""
    from django.conf import settings

    from accounts.models import User
    from forum.models import Forum, Topic
    from forum.selectors import member_engaged_topics, member_replies, member_topics

    forum = Forum.objects.get(slug=FORUM_SLUG)
    thread = Topic.objects.get(slug=THREAD_SLUG)
    heavy = User.objects.get(username=HEAVY)
    per_topic, per_post = settings.FORUM_TOPICS_PER_PAGE, settings.FORUM_POSTS_PER_PAGE

    def last(count: int, per_page: int) -> int:
        return max(1, -(-count // per_page))

    lists = [
        ("forum", f"/forums/forum/{FORUM_SLUG}/", last(forum.topic_count, per_topic), False),
        ("topic", f"/forums/topic/{THREAD_SLUG}/", last(thread.post_count, per_post), False),
        (
            "topic (moderator)",
            f"/forums/topic/{THREAD_SLUG}/",
            last(thread.post_count + thread.hidden_reply_count, per_post),
            True,
        ),
        (
            "member replies",
            f"/forums/users/{HEAVY}/replies/",
            last(member_replies(heavy).count(), per_post),
            False,
        ),
        (
            "member topics",
            f"/forums/users/{HEAVY}/topics/",
            last(member_topics(heavy).count(), per_topic),
            False,
        ),
        (
            "member engagements",
            f"/forums/users/{HEAVY}/engagements/",
            last(member_engaged_topics(heavy).count(), per_topic),
            False,
        ),
    ]
    result = [
        ("forum index", "/forums/", False),
        ("member profile", f"/forums/users/{HEAVY}/", False),
    ]
    for name, url, last_page, moderating in lists:
        for number in (1, (last_page + 1) // 2, last_page):
            result.append(
                (f"{name} p{number}", url if number == 1 else f"{url}page/{number}/", moderating)
            )
    return result


def measure(repeat: int, only: str = "") -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    reader, moderator = Client(), Client()
    moderator.force_login(User.objects.get(username=MODERATOR))
    print(f"{connection.vendor}, median of {repeat} requests after 2 warm-ups")
    print(f"{'page':34} {'wall ms':>8} {'CPU ms':>8} {'queries':>8}")
    for name, url, moderating in pages():
        if not name.startswith(only):
            continue
        client = moderator if moderating else reader
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        query_count = len(queries)  # now: the next request clears the connection's log
        assert response.status_code == 200, (url, response.status_code)
        client.get(url)
        walls, cpus = [], []
        for _ in range(repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            client.get(url)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        print(
            f"{name:34} {statistics.median(walls) * 1000:8.1f} "
            f"{statistics.median(cpus) * 1000:8.1f} {query_count:8}",
            flush=True,
        )
    if not only or only.startswith("reply"):
        _measure_replies(repeat)


def _measure_replies(repeat: int) -> None:
    """A member's reply as ``reply_submit`` writes it (the posting checks included, which run
    inside the write lock), each in a transaction rolled back afterwards, so every run meets
    the same data: to the thread of 100,000 replies by a member with 1,000 posts in it, and
    by the member with 50,000 posts to a topic of the grown forum."""
    import uuid

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from forum import services
    from forum.models import Topic

    thread = Topic.objects.get(slug=THREAD_SLUG)
    regular = User.objects.get(pk=thread.posts.exclude(author=thread.author).first().author_id)
    heavy = User.objects.get(username=HEAVY)
    elsewhere = Topic.objects.filter(forum__slug=FORUM_SLUG).exclude(author=heavy).first()
    for name, topic, author in (
        ("reply to the 100,000-reply thread", thread, regular),
        ("reply by the 50,000-post member", elsewhere, heavy),
    ):
        walls, cpus = [], []
        for attempt in range(repeat + 2):
            with transaction.atomic(), CaptureQueriesContext(connection) as queries:
                wall, cpu = time.perf_counter(), time.process_time()
                services.reply_submit(
                    topic=topic, author=author, body=f"Measured {attempt}.",
                    idempotency_token=uuid.uuid4(),
                )  # fmt: skip
                if attempt >= 2:  # two warm-ups
                    walls.append(time.perf_counter() - wall)
                    cpus.append(time.process_time() - cpu)
                transaction.set_rollback(True)
        print(
            f"{name:34} {statistics.median(walls) * 1000:8.1f} "
            f"{statistics.median(cpus) * 1000:8.1f} {len(queries):8}",
            flush=True,
        )


def explain() -> None:
    """The plan of each last page's list query: the one whose SQL reads the list's rows."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    reader, moderator = Client(), Client()
    moderator.force_login(User.objects.get(username=MODERATOR))
    for name, url, moderating in pages():
        if name.endswith(" p1"):
            continue
        with CaptureQueriesContext(connection) as queries:
            (moderator if moderating else reader).get(url)
            listed = [q["sql"] for q in queries if "LIMIT" in q["sql"]]
        sql = max(listed, key=lambda s: ("OFFSET" in s, len(s)))
        print(f"\n=== {name}: {url}\n{sql}\n")
        prefix = (
            "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "
            if connection.vendor == "postgresql"
            else "EXPLAIN QUERY PLAN "
        )
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            for row in cursor.fetchall():
                print("  " + " | ".join(str(col) for col in row))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.grown_settings")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["build", "measure", "explain"])
    parser.add_argument("-n", type=int, default=15, help="timed requests per page")
    parser.add_argument(
        "--only", default="", metavar="PREFIX", help="measure the pages whose name starts so"
    )
    args = parser.parse_args()
    django.setup()
    {"build": build, "measure": lambda: measure(args.n, args.only), "explain": explain}[
        args.action
    ]()


if __name__ == "__main__":
    main()
