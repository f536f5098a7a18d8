"""Recompute every forum, topic and member counter from the rows and report what it fixed.

Exists as the repair tool for counter drift (after a restore, a manual SQL change or a bug):
a second run finds nothing to fix. ``--dry-run`` reports without writing. It works in batches
of topics, then forums, then members, each its own short transaction, so it can run on a live
site of any size; it prints its progress after each batch and lists the first fixes (all of
them with ``--verbosity 2``).
"""

from django.core.management.base import BaseCommand, CommandParser

from forum.recount import BATCH_SIZE, Progress, recount_all

# Fixes listed one by one before the command only counts them (``--verbosity 2`` lists all).
LIST_LIMIT = 100


class Command(BaseCommand):
    help = (
        "Recompute forum, topic and member counters from the rows, in batches;"
        " report what was wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report, but change nothing.")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Topics per batch and transaction (default {BATCH_SIZE}).",
        )

    def handle(self, *args, dry_run: bool, batch_size: int, verbosity: int, **options) -> None:
        if batch_size < 1:
            self.stderr.write(f"--batch-size must be at least 1, not {batch_size}.")
            raise SystemExit(2)
        list_all = verbosity >= 2
        listed = 0

        def report(progress: Progress) -> None:
            nonlocal listed
            for fix in progress.batch_fixes:
                if list_all or listed < LIST_LIMIT:
                    self.stdout.write(str(fix))
                    listed += 1
            if verbosity >= 1:
                verb = "wrong" if dry_run else "fixed"
                self.stdout.write(
                    f"{progress.stage}: batch {progress.batches_done}/{progress.batches_total},"
                    f" {progress.rows_checked:,} rows checked, {progress.rows_fixed:,} {verb},"
                    f" {progress.seconds:.1f} s"
                )

        result = recount_all(dry_run=dry_run, batch_size=batch_size, on_progress=report)
        if result.fixes > listed:
            self.stdout.write(
                f"…and {result.fixes - listed:,} more (--verbosity 2 lists them all). By field: "
                + ", ".join(f"{name} {n:,}" for name, n in sorted(result.by_field.items()))
            )
        took = f"{result.rows_checked:,} rows checked in {result.seconds:.1f} s"
        if not result.fixes:
            self.stdout.write(self.style.SUCCESS(f"All counters are correct. ({took})"))
        elif dry_run:
            self.stdout.write(
                self.style.WARNING(
                    f"Would fix {result.fixes:,} counter(s)."
                    f" ({result.rows_fixed:,} rows wrong, {took})"
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Fixed {result.fixes:,} counter(s). ({result.rows_fixed:,} rows fixed, {took})"
                )
            )
