"""Queue today's daily digest emails for the worker (run daily by the ``forum-digests`` systemd
timer, as the README says): one ``notifications.digest.send_digests`` task per 500 members who
have notifications not yet emailed. The worker writes and sends them; however often this runs,
a member gets at most one digest a day, and no notification is in two emails."""

from django.core.management.base import BaseCommand
from django.db import transaction

from notifications.digest import digest_batches, send_digests


class Command(BaseCommand):
    help = "Queue the daily digest emails for the worker."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the members, queue nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        members = batches = 0
        with transaction.atomic():
            for batch in digest_batches():
                members += len(batch)
                batches += 1
                if not dry_run:
                    send_digests.enqueue(member_ids=batch)
                if options["verbosity"] > 1:
                    self.stdout.write(f"Batch {batches}: {members:,} members so far.")
        verb = "Would queue" if dry_run else "Queued"
        self.stdout.write(
            f"{verb} {batches:,} digest tasks for {members:,} members with notifications "
            "not yet emailed (each gets a digest if they want one and had none today)."
        )
