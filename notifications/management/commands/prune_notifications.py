"""Delete notifications older than ``NOTIFICATIONS_KEEP_DAYS`` (run daily, as the README says):
an inbox keeps what is recent, and the table does not grow with the forum's whole history.
Then check every member's unread count against their unread notifications, and repair any
that differs (none should)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from notifications.services import notifications_prune, unread_counts_repair


class Command(BaseCommand):
    help = "Delete notifications older than NOTIFICATIONS_KEEP_DAYS days."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days", type=int, default=None, help="Keep this many days instead of the setting."
        )
        parser.add_argument("--dry-run", action="store_true", help="Count, delete nothing.")

    def handle(self, *args, days: int | None = None, dry_run: bool = False, **options) -> None:
        keep = days if days is not None else settings.NOTIFICATIONS_KEEP_DAYS
        if keep < 1:
            self.stderr.write("--days must be at least 1.")
            raise SystemExit(2)
        count = notifications_prune(older_than=timedelta(days=keep), dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {count:,} notifications older than {keep} days.")
        wrong = unread_counts_repair(dry_run=dry_run)
        if wrong:
            verb = "would be repaired" if dry_run else "repaired"
            self.stdout.write(f"Unread counts {verb}: {wrong:,}.")
