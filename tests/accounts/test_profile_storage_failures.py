"""A media disk that fails while an avatar is saved: a form error, nothing changed, no file.

The disk is real: a small tmpfs mounted as ``MEDIA_ROOT`` (this needs root, which the test
machines and CI have), then filled up (ENOSPC) or remounted read-only (EROFS), so it is the
kernel that refuses the write, as it would in production.
"""

import errno
import logging
import os
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from accounts.models import User
from tests.pages import text_of

EDIT_URL = "/forums/users/erin/edit/"
NOT_SAVED = (
    "Your avatar could not be saved just now, so nothing was changed. Please try again later."
)

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0, reason="mounting a real small disk (tmpfs) needs root"
)


class Disk:
    """A 256 KB tmpfs, mounted for one test."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def fill(self) -> None:
        """Write until the kernel says the disk is full."""
        with (
            (self.root / "filler").open("wb", buffering=0) as filler,
            pytest.raises(OSError) as full,
        ):
            while True:
                filler.write(b"\0" * 4096)
        assert full.value.errno == errno.ENOSPC

    def make_read_only(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.root)], check=True)

    def files(self) -> dict[str, bytes]:
        return {
            str(path.relative_to(self.root)): path.read_bytes()
            for path in self.root.rglob("*")
            if path.is_file() and path.name != "filler"
        }


@pytest.fixture
def disk(tmp_path, settings):
    root = tmp_path / "media"
    root.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(root)], check=True)
    settings.MEDIA_ROOT = root
    try:
        yield Disk(root)
    finally:
        subprocess.run(["umount", str(root)], check=True)


@pytest.fixture
def erin(client, make_member) -> User:
    erin = make_member("erin", display_name="Erin", bio="Coach.")
    client.force_login(erin)
    return erin


def png(colour: tuple[int, int, int]) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (300, 200), colour).save(buffer, format="PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


def post_profile(client, **fields):
    return client.post(EDIT_URL, {"display_name": "Erin", "bio": "Coach.", "website": "", **fields})


@pytest.fixture
def old_avatar(client, erin, disk) -> dict[str, bytes]:
    """Erin's avatar, saved while the disk still worked: what must survive a failure."""
    assert post_profile(client, avatar_upload=png((200, 30, 30))).status_code == 302
    erin.refresh_from_db()
    return disk.files()


@pytest.mark.django_db
@pytest.mark.parametrize("failure", ["fill", "make_read_only"])
def test_a_failing_disk_gives_a_form_error_and_changes_nothing(
    client, erin, disk, old_avatar, failure, caplog
):
    old_name = erin.avatar.name
    getattr(disk, failure)()

    with caplog.at_level(logging.ERROR, logger="accounts.services"):
        response = post_profile(
            client, display_name="Changed", bio="New bio", avatar_upload=png((30, 30, 200))
        )

    assert response.status_code == 200
    assert NOT_SAVED in text_of(response)
    assert 'aria-describedby="id_avatar_upload_helptext id_avatar_upload_error"' in (
        response.content.decode()
    )
    erin.refresh_from_db()
    assert (erin.display_name, erin.bio, erin.avatar.name) == ("Erin", "Coach.", old_name)
    assert disk.files() == old_avatar  # the old file as it was, and no new (or empty) one
    assert "could not be written to storage" in caplog.text


@pytest.mark.django_db
def test_the_new_file_is_removed_when_the_database_refuses_the_write(
    client, erin, disk, old_avatar, settings
):
    # A real database failure after the new file is written: a trigger refuses the update.
    refuse_updates(erin.pk)
    client.raise_request_exception = False

    response = post_profile(client, display_name="Changed", avatar_upload=png((30, 30, 200)))

    assert response.status_code == 500
    erin.refresh_from_db()
    assert erin.display_name == "Erin"
    assert disk.files() == old_avatar


def refuse_updates(pk: int) -> None:
    table = User._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_update() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER refuse_update BEFORE UPDATE ON {table} FOR EACH ROW "
                f"WHEN (OLD.id = {pk:d}) EXECUTE FUNCTION refuse_update()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER refuse_update BEFORE UPDATE ON {table} "
                f"WHEN OLD.id = {pk:d} BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )
