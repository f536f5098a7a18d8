"""An avatar over its size limit is refused while it streams in: never spooled, never kept."""

import html
import http.client
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client

from accounts.models import User
from tests.pages import text_of

EDIT_URL = "/forums/users/erin/edit/"
TOO_BIG = "The file is too big: avatars may be at most 2 MB."
BODY_BYTES = 50_000_000
CHECK_AFTER = 30_000_000
CHUNK = b"\0" * 1_000_000
STATUS = Path("/proc/self/status")


@pytest.fixture
def upload_dir(settings, tmp_path) -> Path:
    """Where Django spools big uploads, and the media root: both must stay empty."""
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "spool"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    return tmp_path


@pytest.fixture
def erin(make_member) -> User:
    return make_member("erin", display_name="Erin", bio="Coach.")


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def rss_kb(field: str) -> int:
    for line in STATUS.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def multipart_head_and_tail(boundary: str, fields: dict[str, str]) -> tuple[bytes, bytes]:
    """The body around an avatar's bytes: the form's fields, then the file part's header;
    and the closing boundary."""
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    head += (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="avatar_upload"; filename="huge.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode()
    return head, f"\r\n--{boundary}--\r\n".encode()


@pytest.mark.django_db(transaction=True)
def test_a_50_mb_upload_is_dropped_as_it_streams_in_and_changes_nothing(
    request, live_server, client, erin, upload_dir
):
    client.force_login(erin)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    connection = http.client.HTTPConnection(urlsplit(live_server.url).netloc, timeout=30)
    request.addfinalizer(connection.close)
    connection.request("GET", EDIT_URL, headers={"Cookie": cookie})
    page = connection.getresponse()
    csrf_cookie = re.search(r"csrftoken=(\w+)", page.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', page.read().decode()).group(1)

    boundary = "----avatar-boundary-7d1f"
    head, tail = multipart_head_and_tail(
        boundary,
        {"csrfmiddlewaretoken": token, "display_name": "Changed", "bio": "", "website": ""},
    )
    connection.putrequest("POST", EDIT_URL)
    connection.putheader("Cookie", f"{cookie}; csrftoken={csrf_cookie}")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(len(head) + BODY_BYTES + len(tail)))
    connection.putheader("Referer", live_server.url + EDIT_URL)
    connection.endheaders()
    Path("/proc/self/clear_refs").write_text("5")  # the live server runs in this process
    rss_before = rss_kb("VmRSS")
    connection.send(head)
    sent = 0
    while sent < BODY_BYTES:
        connection.send(CHUNK)
        sent += len(CHUNK)
        if sent == CHECK_AFTER:
            # The server has read all but a socket buffer's worth: nothing of it is on disk,
            # and the process has not grown by what it read.
            assert files_under(upload_dir) == []
            assert rss_kb("VmHWM") - rss_before < 16_000
    connection.send(tail)
    response = connection.getresponse()
    body = response.read().decode()

    assert response.status == 200
    assert TOO_BIG in html.unescape(body)
    assert files_under(upload_dir) == []
    erin.refresh_from_db()
    assert (erin.display_name, erin.bio, erin.avatar.name) == ("Erin", "Coach.", "")


@pytest.mark.django_db
def test_an_avatar_over_the_limit_leaves_the_whole_profile_unchanged(
    client, erin, upload_dir, settings
):
    settings.AVATAR_MAX_BYTES = 100_000
    client.force_login(erin)
    with (upload_dir / "big.png").open("wb+") as big:
        big.write(b"\x89PNG" + b"\0" * 200_000)
        big.seek(0)
        response = client.post(
            EDIT_URL,
            {"display_name": "Changed", "bio": "", "website": "", "avatar_upload": big},
        )
    assert response.status_code == 200
    assert "The file is too big: avatars may be at most 100 KB." in text_of(response)
    assert 'aria-describedby="id_avatar_upload_helptext id_avatar_upload_error"' in (
        response.content.decode()
    )
    erin.refresh_from_db()
    assert (erin.display_name, erin.bio) == ("Erin", "Coach.")


@pytest.mark.django_db
class TestCsrf:
    """The view is exempted from the middleware's check only to make it itself."""

    @pytest.fixture
    def strict_client(self, erin) -> Client:
        client = Client(enforce_csrf_checks=True)
        client.force_login(erin)
        return client

    def test_a_post_without_the_token_is_forbidden(self, strict_client, erin):
        response = strict_client.post(EDIT_URL, {"display_name": "Changed"})
        assert response.status_code == 403
        erin.refresh_from_db()
        assert erin.display_name == "Erin"

    def test_a_post_with_the_token_is_saved(self, strict_client, erin):
        page = strict_client.get(EDIT_URL)
        token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', page.content.decode()).group(
            1
        )
        response = strict_client.post(
            EDIT_URL,
            {"csrfmiddlewaretoken": token, "display_name": "Changed", "bio": "", "website": ""},
        )
        assert response.status_code == 302
        erin.refresh_from_db()
        assert erin.display_name == "Changed"
