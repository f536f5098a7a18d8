"""Recompute every forum and topic counter from the rows and report what it fixed.

Exists as the repair tool for counter drift (after a restore, a manual SQL change or a bug):
a second run finds nothing to fix. ``--dry-run`` reports without writing.
"""

from django.core.management.base import BaseCommand

from forum.recount import recount_all


class Command(BaseCommand):
    help = "Recompute forum and topic counters from the rows; report what was wrong."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report, but change nothing.")

    def handle(self, *args, dry_run: bool, **options) -> None:
        fixes = recount_all(dry_run=dry_run)
        for fix in fixes:
            self.stdout.write(str(fix))
        if not fixes:
            self.stdout.write(self.style.SUCCESS("All counters are correct."))
        elif dry_run:
            self.stdout.write(self.style.WARNING(f"Would fix {len(fixes)} counter(s)."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Fixed {len(fixes)} counter(s)."))
