"""Restore the forum from a folder written by ``manage.py backup``: the database and the
media folder are replaced by the backup's. Stop the app servers and the worker first.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.archive import BackupError, check, restore
from forum import page_cache


class Command(BaseCommand):
    help = "Replace the database and the media folder with the backup in FOLDER."

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the backup is complete; change nothing."
        )

    def handle(self, *args, folder: Path, dry_run: bool, **options) -> None:
        try:
            if dry_run:
                check(folder)
                self.stdout.write(f"{folder} holds a complete backup; nothing changed.")
                return
            self.stdout.write(f"Restoring the database and the media folder from {folder}…")
            restore(folder)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        # Pages cached before the restore show rows it replaced.
        page_cache.expire_all_pages()
        self.stdout.write("Restored.")
