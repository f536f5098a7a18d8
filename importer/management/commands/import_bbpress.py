"""``manage.py import_bbpress EXPORT.xml``: bring a bbPress forum here from the file WordPress's
Tools → Export writes, keeping its post numbers, dates, slugs, people and links.

``--dry-run`` reads the whole file and says what would be created; ``--roles FILE`` gives
members their bbPress roles (``importer.roles``); ``--super-sticky 12,40`` names the super
sticky topics (the export leaves them out). Progress goes to stderr: items done and time left.
Running the import again creates nothing twice, and finishes an import that was stopped.
"""

import os
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from importer.roles import RolesFileError, read_roles
from importer.services import ImportRefused, ImportReport, import_survey, planned, refuse_conflicts
from importer.survey import survey_export
from importer.wxr import WxrError


class Command(BaseCommand):
    help = "Import a bbPress forum from a WordPress export (WXR) file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("export", help="The .xml file WordPress's Tools → Export wrote.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Read the file and report; write nothing."
        )
        parser.add_argument(
            "--roles", metavar="FILE", help="CSV of login,role (Keymaster, Moderator, …)."
        )
        parser.add_argument(
            "--super-sticky",
            metavar="IDS",
            default="",
            help="Comma-separated WordPress ids of the super sticky topics.",
        )
        parser.add_argument(
            "--delete-conflicting-topics",
            action="store_true",
            help="Delete the topics here that hold a post under a number the export keeps"
            " (a fresh site's seeded guide, #6700), instead of stopping.",
        )

    def handle(
        self,
        *args,
        export: str,
        dry_run: bool,
        roles: str | None,
        super_sticky: str,
        delete_conflicting_topics: bool,
        **options,
    ) -> None:
        try:
            sticky_ids = [int(part) for part in super_sticky.split(",") if part.strip()]
        except ValueError:
            raise CommandError(
                f"--super-sticky takes topic ids, like 12,40; not {super_sticky!r}"
            ) from None
        if not os.path.isfile(export):
            raise CommandError(f"No such file: {export}")
        progress = _Progress(self.stderr if options["verbosity"] else None)
        size = os.path.getsize(export)
        try:
            survey = survey_export(
                export, on_bytes=lambda done: progress("reading", done, size, unit="bytes")
            )
            progress.finish()
            role_map = (
                read_roles(roles, {a.login for a in survey.authors.values()}) if roles else {}
            )
            if dry_run:
                if not delete_conflicting_topics:
                    refuse_conflicts(survey)
                self._say(planned(survey), "Would create")
                return
            report = import_survey(
                survey,
                roles=role_map,
                super_sticky=sticky_ids,
                delete_conflicting_topics=delete_conflicting_topics,
                on_progress=lambda stage, done, total: progress(stage, done, total),
            )
            progress.finish()
        except WxrError as error:
            raise CommandError(f"{export}: {error}. Nothing was imported.") from None
        except ImportRefused as error:
            if error.part_done:
                raise CommandError(str(error)) from None
            raise CommandError(f"{str(error).rstrip('.')}. Nothing was imported.") from None
        except RolesFileError as error:
            raise CommandError(f"{error}. Nothing was imported.") from None
        except DatabaseError as error:
            raise CommandError(
                f"The database refused a write ({_first_line(error)})."
                " What was written before it is kept:"
                " run the import again to finish it."
            ) from None
        self._say(report, "Created")
        if report.recount_fixes:
            self.stdout.write(f"Counters recomputed: {report.recount_fixes:,} rows set.")

    def _say(self, report: ImportReport, verb: str) -> None:
        self.stdout.write(
            f"{verb}: {report.members:,} members, {report.forums:,} forums,"
            f" {report.topics:,} topics, {report.posts:,} posts, {report.tags:,} tags"
            + (
                f", {report.subscriptions:,} subscriptions, {report.favorites:,} favorites,"
                f" {report.revisions:,} edits"
                if verb == "Created"
                else ""
            )
            + "."
        )
        for title in report.deleted_topics:
            self.stdout.write(f"Deleted “{title}”: its posts' numbers are the export's.")
        for login, username in report.matched:
            self.stdout.write(
                f"“{login}” is the member “{username}” here (the same verified email, or the"
                " same login without an email)."
            )
        already = {name: n for name, n in report.already_imported.items() if n}
        if already:
            self.stdout.write(
                "Already imported, skipped: "
                + ", ".join(f"{n:,} {name}" for name, n in already.items())
                + "."
            )
        for login, username in report.renamed:
            self.stdout.write(f"“{login}” is taken here by someone else: imported as “{username}”.")
        for why, n in sorted(report.skipped.items()):
            self.stdout.write(f"Not imported: {n:,} {why}.")


class _Progress:
    """One line per second on stderr: the stage, done of total, and the time left at the
    stage's rate so far."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.stage = ""
        self.started = time.monotonic()
        self.told = 0.0
        self.tty = stream is not None and getattr(stream._out, "isatty", lambda: False)()

    def __call__(self, stage: str, done: int, total: int, *, unit: str = "") -> None:
        if self.stream is None:
            return
        now = time.monotonic()
        if stage != self.stage:
            self.finish()
            self.stage, self.started = stage, now
        if now - self.told < 1 and done < total:
            return
        self.told = now
        elapsed = now - self.started
        left = elapsed * (total - done) / done if done else 0
        if unit == "bytes":
            amount = f"{done / 2**20:,.0f} of {total / 2**20:,.0f} MiB"
        else:
            amount = f"{done:,} of {total:,}"
        share = 100 * done / total if total else 100
        line = f"{stage}: {amount} ({share:.0f} %), {_duration(left)} left"
        if self.tty:
            self.stream.write(f"\r{line}\033[K", ending="")
            self.stream.flush()
        else:
            self.stream.write(line)

    def finish(self) -> None:
        if self.stream is not None and self.tty and self.stage:
            self.stream.write("")
        self.stage = ""


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes} min {seconds:02d} s"


def _first_line(error: Exception) -> str:
    """What the database said, without PostgreSQL's lines of context."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
