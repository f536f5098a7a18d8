"""Back up a populated forum, wipe it, restore it: the same pages, the same avatar.

On the database the suite runs on: SQLite's online backup, or pg_dump / pg_restore.
"""

from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from PIL import Image

from accounts.models import User
from forum.models import Topic

PAGES = ["/forums/", "/forums/forum/training/", "/forums/topic/squat-depth/",
         "/forums/users/erin/", "/guides/"]  # fmt: skip


@pytest.fixture
def populated_forum(settings, tmp_path, make_forum, make_topic, make_reply, make_member, ago):
    settings.MEDIA_ROOT = tmp_path / "media"
    erin = make_member("erin", display_name="Erin")
    # Days old, so the pages' "… ago" texts read the same before and after the restore.
    topic = make_topic(
        forum=make_forum("Training"), title="Squat depth", author=erin, created_at=ago(days=3)
    )
    for hours in range(3):
        make_reply(topic, body="Below parallel.", created_at=ago(days=2, hours=hours))
    picture = BytesIO()
    Image.new("RGB", (200, 200), (200, 30, 30)).save(picture, format="PNG")
    client = Client()
    client.force_login(erin)
    upload = SimpleUploadedFile("me.png", picture.getvalue(), content_type="image/png")
    response = client.post(
        "/forums/users/erin/edit/",
        {"display_name": "Erin", "bio": "Coach.", "website": "", "avatar_upload": upload},
    )
    assert response.status_code == 302
    return User.objects.get(pk=erin.pk)


def snapshot(erin: User) -> dict[str, bytes]:
    reader = Client()
    pages = {url: reader.get(url).content for url in PAGES}
    with erin.avatar.open("rb") as avatar:
        pages["avatar"] = (avatar.name, avatar.read())
    return pages


@pytest.mark.django_db(transaction=True)
def test_a_wiped_forum_restored_from_its_backup_shows_the_same_pages(
    populated_forum, tmp_path, settings
):
    settings.FORUM_PAGE_CACHE_SECONDS = 0  # the wipe below (flush) goes round the services
    erin = populated_forum
    before = snapshot(erin)
    folder = tmp_path / "backup"
    out = StringIO()
    call_command("backup", str(folder), stdout=out)
    assert "media.tar.gz" in out.getvalue()

    call_command("flush", interactive=False, verbosity=0)
    erin.avatar.storage.delete(erin.avatar.name)
    assert Client().get("/forums/topic/squat-depth/").status_code == 404

    call_command("restore", str(folder), stdout=StringIO())
    assert Topic.objects.get(slug="squat-depth").reply_count == 3
    assert snapshot(User.objects.get(username="erin")) == before


@pytest.mark.django_db(transaction=True)
def test_pages_cached_before_a_restore_are_not_served_after_it(
    populated_forum, tmp_path, make_reply
):
    folder = tmp_path / "backup"
    call_command("backup", str(folder), stdout=StringIO())
    make_reply(Topic.objects.get(slug="squat-depth"), body="Written after the backup.")
    reader = Client()
    assert "Written after the backup." in reader.get("/forums/topic/squat-depth/").content.decode()
    call_command("restore", str(folder), stdout=StringIO())
    assert "Written after" not in reader.get("/forums/topic/squat-depth/").content.decode()


@pytest.mark.django_db
def test_restore_refuses_a_folder_that_is_not_a_backup_and_changes_nothing(tmp_path):
    (tmp_path / "media.tar.gz").write_bytes(b"")
    with pytest.raises(CommandError, match="is not a backup for this site"):
        call_command("restore", str(tmp_path), "--dry-run")
    with pytest.raises(CommandError, match="is not a backup for this site"):
        call_command("restore", str(tmp_path))
    assert Topic.objects.exists()
