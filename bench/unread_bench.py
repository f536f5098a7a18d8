"""What unread tracking costs a member's pages, and whether it grows with what they have read.

Runs on the database ``bench/search_bench.py build`` makes (the SQLite file or the
PostgreSQL database ``search_bench``), with ``UNREAD_TRACKING_DAYS`` set to cover its whole
seven years, so every topic counts. It adds three members:

- ``new``: joined today, the issue's "new member": nothing is unread for them;
- ``unread``: joined before the first post and read nothing: every topic is unread;
- ``few``: as ``unread``, but read the first 50 topics of each forum's list (those its
  marker on the index looks at: the most it ever costs);
- ``reader``: joined before the first post and read the 10,000 most recently active topics
  to their end, through ``reading.services.topic_read_record`` as the thread page does (so
  the rows kept are what reading them leaves: 10,000, since no forum is read to its end).

Then, for each, it requests the pages a member reads (the index, the busiest forum's first
page, the latest topics, a topic they have read, and the jump to its first unread post)
through Django's test client, in this process: the queries each page made, and the p50 and
p95 of ``--repeat`` requests in ms, after one untimed request.

    .venv/bin/python bench/search_bench.py build sqlite --posts 300000
    .venv/bin/python bench/unread_bench.py sqlite
    .venv/bin/python bench/search_bench.py build postgres --posts 300000
    .venv/bin/python bench/unread_bench.py postgres

Figures: ``docs/performance.md``, "Unread tracking".
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search_bench import DEFAULT_SERVER, _percentile, database_url  # noqa: E402

READ_TOPICS = 10_000
MEMBERS = ("new", "unread", "few", "reader")


def _setup(database: str, server: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DEBUG"] = "0"
    os.environ["DATABASE_URL"] = database_url(database, server)
    os.environ["UNREAD_TRACKING_DAYS"] = str(365 * 10)
    os.environ["FORUM_PAGE_CACHE_SECONDS"] = "0"
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # a database built before the newest migrations


def _members() -> dict:
    """The three members, made (and the reader's reading done) on the first run only."""
    from django.utils import timezone

    from accounts.models import User
    from forum.models import Forum, Post, Topic
    from reading.models import TopicRead
    from reading.selectors import FORUM_MARKER_TOPICS
    from reading.services import topic_read_record

    first_post = Post.objects.order_by("created_at").values_list("created_at", flat=True)[0]
    members = {}
    for name in MEMBERS:
        member, _ = User.objects.get_or_create(
            username=f"unread-bench-{name}",
            defaults={"email": f"unread-bench-{name}@example.com"},
        )
        joined = timezone.now() if name == "new" else first_post - timedelta(days=1)
        member.date_joined = joined
        member.save(update_fields=["date_joined"])
        members[name] = member
    visible = Topic.objects.visible().select_related("forum")
    readings = {
        "reader": lambda: visible.order_by("-last_active_at", "-id")[:READ_TOPICS],
        "few": lambda: [
            topic
            for forum in Forum.objects.all()
            for topic in visible.filter(forum=forum).order_by("-pin", "-last_active_at", "-id")[
                :FORUM_MARKER_TOPICS
            ]
        ],
    }
    for name, topics in readings.items():
        member = members[name]
        if TopicRead.objects.filter(member=member).exists():
            continue
        started = time.perf_counter()
        read = 0
        for topic in topics():
            topic_read_record(member=member, topic=topic, read_through=topic.last_active_at)
            read += 1
        print(
            f"{name} read {read:,} topics in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
    return members


def _pages(members: dict) -> list[tuple[str, str, bool]]:
    """(title, path, whether each request is rolled back): a first read writes, so each
    request of it is made in a transaction undone after it, to read the same page anew."""
    from django.db.models import Count

    from forum.models import Forum, Topic
    from reading.models import TopicRead

    busiest = Forum.objects.annotate(n=Count("topics")).order_by("-n")[0]
    read_by = TopicRead.objects.filter(member__in=members.values()).values("topic")
    read = Topic.objects.filter(pk__in=read_by).order_by("-reply_count").first()
    unread = (
        Topic.objects.visible()
        .filter(forum=busiest)
        .exclude(pk__in=read_by)
        .order_by("-last_active_at")
        .first()
    )
    return [
        ("index", "/forums/", False),
        (f"forum ({busiest.topic_count:,} topics), page 1", busiest.get_absolute_url(), False),
        ("latest topics", "/topics/", False),
        (f"a topic read ({read.post_count} posts), again", read.get_absolute_url(), False),
        ("jump to its first unread post", f"/forums/topic/{read.slug}/unread/", False),
        (f"a topic not read ({unread.post_count} posts)", unread.get_absolute_url(), True),
    ]


def measure(repeat: int) -> None:
    from django.db import connection, transaction
    from django.test import Client

    from reading.models import ReadMark, TopicRead

    members = _members()
    pages = _pages(members)
    print(f"{'page':<44} {'member':<8} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for title, path, rolled_back in pages:
        for name, member in members.items():
            client = Client()
            client.force_login(member)

            def get(client=client, path=path, rolled_back=rolled_back) -> int:
                if not rolled_back:
                    return client.get(path).status_code
                with transaction.atomic():
                    status = client.get(path).status_code
                    transaction.set_rollback(True)
                return status

            get()
            queries: list[str] = []

            def count(execute, sql, *args, queries=queries):
                queries.append(sql)
                return execute(sql, *args)

            with connection.execute_wrapper(count):
                status = get()
            if status not in (200, 302):
                raise RuntimeError(f"{path}: {status}")
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                get()
                times.append((time.perf_counter() - started) * 1000)
            print(
                f"{title:<44} {name:<8} {len(queries):>7} "
                f"{_percentile(times, 0.5):>8.2f} {_percentile(times, 0.95):>8.2f}"
            )
    for name, member in members.items():
        rows = TopicRead.objects.filter(member=member).count()
        marks = ReadMark.objects.filter(member=member).count()
        print(f"kept for {name}: {rows:,} topic rows, {marks:,} marks")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("database", choices=["sqlite", "postgres"])
    parser.add_argument("--server", default=DEFAULT_SERVER, help="PostgreSQL, no database")
    parser.add_argument("-n", "--repeat", type=int, default=50)
    arguments = parser.parse_args()
    _setup(arguments.database, arguments.server)
    measure(arguments.repeat)


if __name__ == "__main__":
    main()
