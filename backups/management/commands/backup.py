"""Back up the forum: the database (online, while the site runs) and the media folder.

Exists so an operator has one command for what must be copied off the machine each night;
see the README's "Backups" for where to keep it and how to restore it.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.archive import BackupError, backup


class Command(BaseCommand):
    help = "Write the database and the media folder into FOLDER (created if missing)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options) -> None:
        try:
            for path in backup(folder):
                self.stdout.write(f"Wrote {path} ({path.stat().st_size:,} bytes).")
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
