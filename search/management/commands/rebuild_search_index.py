"""Rebuild the full-text search index from the posts and topics.

The database's triggers keep the index as the rows change (``search/index.py``), so this is
for repairs: after restoring a database copied without its index, after changing the text
search configuration, or if the index was damaged. Readers keep searching the old index while
it runs (the new one replaces it in one transaction); posting and moderation wait for it.
"""

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from search import index


class Command(BaseCommand):
    help = "Rebuild the full-text search index from every post and topic title."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say how many posts the index holds and would hold; change nothing.",
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM forum_post")
            posts = cursor.fetchone()[0]
        held = index.indexed_counts()["posts"]
        if dry_run:
            self.stdout.write(
                f"The index holds {held:,} posts; the database has {posts:,}. "
                "Dry run: nothing was changed."
            )
            return
        started = time.monotonic()
        last_line = [0.0]

        def progress(what: str, done: int, total: int) -> None:
            now = time.monotonic()
            if done == total or now - last_line[0] >= 1:
                last_line[0] = now
                self.stdout.write(f"  {what}: {done:,} of {total:,}")

        with transaction.atomic():
            counts = index.rebuild(progress=progress)
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # (VACUUM cannot run in a transaction: not when called inside one, as tests do.)
            # The old rows are dead now: mark their space reusable and refresh the planner's
            # statistics (how common each word is), which the search's plans rely on.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE search_post_document")
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {counts['posts']:,} posts and {counts['topics']:,} topic titles "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
