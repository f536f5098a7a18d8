"""Import a guide from a markdown file with front matter, as a topic marked as a guide.

Exists so operators can add long-form guides (like the seeded source guide) without pasting
them into a form, keeping the original date and post number when the file gives them. Running
it again on the same file changes nothing.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from forum.models import Forum
from guides.services import guide_already_imported, guide_import
from guides.sources import GuideSourceError, read_guide


class Command(BaseCommand):
    help = "Import a guide from a markdown file with front matter (see guides/content/)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file; write nothing.")

    def handle(self, *args, path: Path, dry_run: bool, **options) -> None:
        try:
            source = read_guide(path)
        except (OSError, GuideSourceError) as error:
            raise CommandError(str(error)) from error
        author = get_user_model().objects.filter(username=source.author).first()
        if author is None:
            raise CommandError(f"No member named {source.author!r}.")
        forum = Forum.objects.filter(slug=slugify(source.forum)).first()
        if forum is None:
            raise CommandError(f"No forum with the slug {slugify(source.forum)!r}.")
        existing = guide_already_imported(source=source, forum=forum)
        if existing is not None:
            topic = existing.topic
            self.stdout.write(
                f"Already imported as “{topic.title}” (post #{topic.first_post_id}); "
                "nothing changed."
            )
            return
        try:
            with transaction.atomic():
                guide = guide_import(source=source, forum=forum, author=author)
                if dry_run:
                    transaction.set_rollback(True)
        except GuideSourceError as error:
            raise CommandError(str(error)) from error
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{verb} “{guide.topic.title}” as post #{guide.topic.first_post_id}.")
