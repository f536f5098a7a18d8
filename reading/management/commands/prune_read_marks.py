"""``manage.py prune_read_marks``: delete what unread tracking keeps that is older than
``UNREAD_TRACKING_DAYS`` (it says nothing: everything that old counts as read). Run daily by
the same systemd timer as ``prune_notifications``."""

from django.core.management.base import BaseCommand

from reading.services import read_tracking_prune


class Command(BaseCommand):
    help = "Delete read marks and topic read rows older than UNREAD_TRACKING_DAYS."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go; delete nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        marks, rows = read_tracking_prune(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {marks:,} read marks and {rows:,} topic read rows.")
