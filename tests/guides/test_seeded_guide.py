"""The source guide is seeded as the very first topic on every fresh database."""

import html
import re
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from forum.models import Post, Topic
from guides.models import Guide
from guides.services import seed_source_guide
from tests.pages import text_of

SOURCE_THREAD = Path(__file__).resolve().parent.parent / "fixtures" / "source_thread.txt"


def source_post_text() -> str:
    """The guide's words as the scraped bbPress page has them (between "#6700" and the footer)."""
    text = SOURCE_THREAD.read_text(encoding="utf-8")
    return text.split("#6700\n", 1)[1].split("\n-\nAuthorPosts", 1)[0]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.django_db
class TestSeededGuide:
    def test_is_the_first_topic_in_the_guides_forum(self, guide_topic):
        assert Topic.objects.order_by("pk").first() == guide_topic
        assert guide_topic.title == "Do Hip Thrusts Work the Lower Back?"
        assert guide_topic.forum.name == "Guides"
        assert guide_topic.forum.slug == "guides"

    def test_keeps_its_original_date_and_post_number(self, guide_topic):
        post = guide_topic.first_post
        assert post.pk == 6700
        assert post.created_at == datetime(2023, 8, 16, 11, 34, tzinfo=UTC)
        assert guide_topic.created_at == post.created_at

    def test_author_is_admin_a_keymaster_without_a_usable_password(self, guide_topic):
        admin = guide_topic.author
        assert admin.username == "admin"
        assert admin.is_superuser and admin.is_staff
        assert admin.role_label == "Keymaster"
        assert not admin.has_usable_password()

    def test_text_is_the_source_word_for_word(self, guide_topic):
        body_text = html.unescape(re.sub(r"<[^>]+>", "", guide_topic.first_post.body_html))
        assert squeeze(body_text) == squeeze(source_post_text())

    def test_structure_is_restored_as_headings_and_lists(self, guide_topic):
        body = guide_topic.first_post.body_html
        headings = re.findall(r"<h2>(.*?)</h2>", body)
        assert headings == [
            "1. Understanding the Mechanics of Hip Thrusts:",
            "2. The Impact of Hip Thrusts on the Lower Back:",
            "3. Benefits of Incorporating Hip Thrusts into Your Fitness Routine:",
            "4. Proper Technique and Progression:",
            "Conclusion:",
        ]
        assert body.count("<li>") == 8
        assert body.strip().endswith("</em></p>")

    def test_is_marked_as_a_guide(self, guide_topic):
        assert Guide.objects.get(topic=guide_topic)

    def test_seeding_again_changes_nothing(self, guide_topic):
        assert seed_source_guide() is None
        assert Topic.objects.filter(title=guide_topic.title).count() == 1


@pytest.mark.django_db
class TestGuidePages:
    def test_index_lists_the_guide_linking_to_its_topic(self, client, guide_topic):
        response = client.get("/guides/")
        assert response.status_code == 200
        assert f'<a href="{guide_topic.get_absolute_url()}">{guide_topic.title}</a>' in (
            response.content.decode()
        )

    def test_guide_page_shows_the_opening_post(self, client, guide_topic):
        response = client.get(f"/guides/{guide_topic.slug}/")
        text = text_of(response)
        assert "Welcome to this comprehensive guide" in text
        assert "Discuss this guide in the forums (0 replies)" in text

    def test_unknown_guide_is_not_found(self, client, db):
        assert client.get("/guides/nope/").status_code == 404


@pytest.mark.django_db
class TestImportGuideCommand:
    def write(self, tmp_path, text: str) -> Path:
        path = tmp_path / "guide.md"
        path.write_text(text, encoding="utf-8")
        return path

    def test_imports_a_guide_through_the_topic_service(self, tmp_path, guide_topic):
        path = self.write(
            tmp_path,
            "---\ntitle: Squat depth\nforum: Guides\nauthor: admin\nposted: 2024-01-02 09:05\n"
            "post_number: 7001\n---\n# Why depth matters\n\nText.\n",
        )
        out = StringIO()
        call_command("import_guide", str(path), stdout=out)
        assert "Imported “Squat depth” as post #7001." in out.getvalue()
        guide = Guide.objects.get(topic__title="Squat depth")
        assert guide.topic.first_post.created_at == datetime(2024, 1, 2, 9, 5, tzinfo=UTC)
        guide_topic.forum.refresh_from_db()
        assert (guide_topic.forum.topic_count, guide_topic.forum.post_count) == (2, 2)

    def test_dry_run_writes_nothing(self, tmp_path, guide_topic):
        path = self.write(tmp_path, "---\ntitle: Dry\n---\nText.\n")
        call_command("import_guide", str(path), "--dry-run", stdout=StringIO())
        assert not Topic.objects.filter(title="Dry").exists()

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("no front matter", "starts with a '---'"),
            ("---\ntitle: x\n", "not closed"),
            ("---\nforum: Guides\n---\nText\n", "needs a title"),
            ("---\ntitle: x\nposted: yesterday\n---\nText\n", "'posted' must look like"),
            ("---\ntitle: x\npost_number: 6700\n---\nText\n", "Post #6700 already exists"),
            ("---\ntitle: x\nauthor: ghost\n---\nText\n", "No member named 'ghost'"),
        ],
    )
    def test_bad_files_get_a_clear_error_and_change_nothing(
        self, tmp_path, guide_topic, text, message
    ):
        before = Post.objects.count()
        with pytest.raises(CommandError, match=re.escape(message)):
            call_command("import_guide", str(self.write(tmp_path, text)), stdout=StringIO())
        assert Post.objects.count() == before
