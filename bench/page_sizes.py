"""What a cached thread page weighs and costs in each encoding the page cache stores.

    DATABASE_URL=sqlite:////tmp/page-sizes.sqlite3 DJANGO_SETTINGS_MODULE=config.settings.test \\
        .venv/bin/python -m bench.page_sizes

Builds a topic of 30 replies by 10 members (25 posts on page 1) in a throw-away database,
then reads page 1 as an anonymous reader through Django's test client: the bytes sent and
the median in-process time of a cache hit for identity, gzip and brotli, and the time of the
miss that renders and compresses once.
"""

import os
import statistics
import time

import django


def main() -> None:
    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import User
    from forum import services
    from forum.models import Forum

    call_command("migrate", verbosity=0)
    body = "Squat depth is a matter of hip mobility and control; **below parallel** is fine. " * 6
    author = User.objects.create_user("author")
    forum = Forum.objects.create(name="Bench", slug=f"bench-{os.getpid()}")
    topic = services.topic_create(forum=forum, author=author, title="Sizes", body=body)
    members = [User.objects.create_user(f"member{n}-{os.getpid()}") for n in range(10)]
    for number in range(30):
        services.reply_create(topic=topic, author=members[number % 10], body=f"{number}. {body}")
    client, url = Client(), topic.get_absolute_url()
    print("| encoding | bytes | first request (render + compress), ms | cache hit, median ms |")
    print("|---|---:|---:|---:|")
    for encoding in ("", "gzip", "br"):
        headers = {"accept-encoding": encoding} if encoding else {}
        started = time.perf_counter()
        first = client.get(url, headers=headers)
        miss = (time.perf_counter() - started) * 1000
        hits = []
        for _ in range(300):
            started = time.perf_counter()
            client.get(url, headers=headers)
            hits.append((time.perf_counter() - started) * 1000)
        name = encoding or "identity"
        print(f"| {name} | {len(first.content):,} | {miss:.1f} | {statistics.median(hits):.2f} |")


if __name__ == "__main__":
    main()
