"""Who the client is: REMOTE_ADDR, or the address the declared proxies put in
X-Forwarded-For; headers a client writes itself change nothing."""

import uuid

import pytest

from forum.models import Post
from tests.conftest import GUIDE_SLUG
from tests.pages import text_of
from tests.test_settings import run_with_prod_settings

TOO_MANY = "Too many failed login attempts. Try again later."


@pytest.fixture
def poster(client, make_member, settings):
    settings.FORUM_FLOOD_SECONDS = 0
    client.force_login(make_member("erin"))
    return client


def reply(client, **headers) -> Post:
    response = client.post(
        f"/forums/topic/{GUIDE_SLUG}/reply/",
        {"body": f"Reply {uuid.uuid4()}", "token": str(uuid.uuid4()), "action": "post"},
        **headers,
    )
    assert response.status_code == 302
    return Post.objects.latest("id")


def failed_login(client, login: str, **headers):
    return client.post("/accounts/login/", {"login": login, "password": "wrong"}, **headers)


@pytest.mark.django_db
class TestWithoutProxies:
    def test_a_post_records_the_peer_whatever_x_forwarded_for_says(self, poster):
        post = reply(poster, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.1")
        assert post.author_ip == "198.51.100.7"

    def test_x_forwarded_for_buys_no_fresh_login_budget(self, client):
        for number in range(10):  # "10/m/ip"
            failed_login(client, f"nobody{number}", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
        response = failed_login(client, "someone", HTTP_X_FORWARDED_FOR="203.0.113.99")
        assert TOO_MANY in text_of(response)

    def test_x_forwarded_proto_is_not_trusted(self, client, settings):
        settings.SECURE_SSL_REDIRECT = True
        response = client.get("/forums/", HTTP_X_FORWARDED_PROTO="https")
        assert response.status_code == 301
        assert response["Location"].startswith("https://")


@pytest.mark.django_db
class TestBehindOneProxy:
    @pytest.fixture(autouse=True)
    def _one_proxy(self, settings):
        settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1

    def test_a_post_records_the_address_the_proxy_appended(self, poster):
        # The client wrote 6.6.6.6 itself; nginx appended the address it saw.
        post = reply(poster, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
        assert post.author_ip == "203.0.113.9"

    def test_each_real_client_has_its_own_login_budget(self, client):
        for number in range(10):
            failed_login(
                client, f"nobody{number}", HTTP_X_FORWARDED_FOR=f"9.9.9.{number}, 203.0.113.1"
            )
        assert TOO_MANY in text_of(failed_login(client, "x", HTTP_X_FORWARDED_FOR="203.0.113.1"))
        assert TOO_MANY not in text_of(
            failed_login(client, "x", HTTP_X_FORWARDED_FOR="203.0.113.2")
        )

    def test_a_request_that_bypassed_the_proxy_counts_as_its_peer(self, poster):
        post = reply(poster, REMOTE_ADDR="198.51.100.7")
        assert post.author_ip == "198.51.100.7"

    def test_fewer_entries_than_proxies_count_as_the_peer_not_an_error(self, poster, settings):
        settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
        post = reply(poster, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
        assert post.author_ip == "198.51.100.7"
        poster.logout()
        assert failed_login(poster, "x", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 200


@pytest.mark.parametrize(
    ("count", "header"), [("0", "None"), ("1", "('HTTP_X_FORWARDED_PROTO', 'https')")]
)
def test_x_forwarded_proto_is_trusted_only_when_a_proxy_is_declared(count, header):
    result = run_with_prod_settings(
        SECRET_KEY="s" * 50,
        ALLOWED_HOSTS="forum.example.com",
        TRUSTED_PROXY_COUNT=count,
        PYTHON_PRINT="SECURE_PROXY_SSL_HEADER",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == header
