"""Redis dies and comes back under a live server: readers read, members log in and post, no
500s, sessions come from the database meanwhile, and the cache is used again afterwards.

The caches have the production shape (``config.settings.base.cache_config``) on a
``redis-server`` this module starts on a free port and SIGKILLs; sessions are ``cached_db``
on the ``sessions`` cache, as in ``config.settings.prod``.
"""

import re
import time
import uuid
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, build_opener

import pytest
from allauth.account.models import EmailAddress
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from config.settings.base import cache_config
from forum.models import Post
from tests.pages import text_of
from tests.servers import RedisServer

PASSWORD = "lift-heavy-2026!"
TOO_MANY = "Too many failed login attempts. Try again later."


@pytest.fixture
def production_caches(settings, redis_server) -> RedisServer:
    """The production caches and sessions on ``redis_server``, retrying Redis every 0.5 s."""
    caches = cache_config(redis_server.url)
    for alias in caches.values():
        alias["OPTIONS"]["RETRY_SECONDS"] = 0.5
    settings.CACHES = caches  # setting_changed makes Django drop its cache connections
    settings.SESSION_ENGINE = "accounts.sessions.cached_db"
    settings.SESSION_CACHE_ALIAS = "sessions"
    settings.FORUM_FLOOD_SECONDS = 0
    return redis_server


@pytest.fixture
def production_server(production_caches, transactional_db):
    """pytest-django's live server, started after the settings above changed.

    Its session-wide ``live_server`` fixture may have built its handler before this test, and
    ``SessionMiddleware`` reads ``SESSION_ENGINE`` only then.
    """
    server = LiveServer("localhost")
    yield server
    server.stop()


def verified_member(username: str) -> User:
    member = User.objects.create_user(username, f"{username}@example.com", PASSWORD)
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    return member


class NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """A browser without JavaScript: keeps its cookies, sends forms with their CSRF token."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()), NoRedirects())
        self.statuses: list[tuple[str, int]] = []

    def request(self, path: str, fields: dict | None = None) -> tuple[int, str, str]:
        data = None if fields is None else urlencode(fields).encode()
        try:
            with self.opener.open(self.base_url + path, data=data, timeout=30) as response:
                status, body, location = response.status, response.read(), ""
        except HTTPError as error:
            with error:
                status, body = error.code, error.read()
                location = error.headers.get("Location", "")
        self.statuses.append((path, status))
        return status, body.decode(), location

    def get(self, path: str) -> str:
        status, body, _ = self.request(path)
        assert status == 200, (path, status)
        return body

    def submit(self, path: str, fields: dict, *, hidden: tuple[str, ...] = ()) -> str:
        """GET the form's page, then POST ``fields`` with its CSRF token and ``hidden`` fields;
        the answer must be a redirect, whose target is returned."""
        page = self.get(path)
        for name in ("csrfmiddlewaretoken", *hidden):
            fields[name] = re.search(rf'name="{name}" value="([^"]+)"', page)[1]
        status, _, location = self.request(path, fields)
        assert status == 302, (path, status)
        return location

    def log_in(self, username: str) -> None:
        location = self.submit("/accounts/login/", {"login": username, "password": PASSWORD})
        assert location == "/"

    def is_logged_in(self, page: str) -> bool:
        return ">Log out</button>" in page


def wait_for_keys(server: RedisServer, pattern: str, make_one) -> None:
    """Call ``make_one()`` until a key matching ``pattern`` is in ``server``."""
    deadline = time.monotonic() + 10
    while not server.keys(pattern):
        assert time.monotonic() < deadline, f"nothing written to Redis matching {pattern}"
        make_one()
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_readers_and_members_carry_on_through_a_redis_outage_and_redis_is_used_again_after(
    production_server, production_caches, make_topic
):
    live_server = production_server
    redis_server = production_caches
    topic = make_topic(title="Squat depth", author=verified_member("author"))
    member_page = "/forums/users/author/"
    topic_page = topic.get_absolute_url()
    reply_page = f"{topic_page}reply/"
    verified_member("erin")
    erin = Visitor(live_server.url)
    erin.log_in("erin")
    replies: list[str] = []
    visitors: list[Visitor] = [erin]

    def read_log_in_and_post(phase: str) -> None:
        reader = Visitor(live_server.url)
        visitors.append(reader)
        assert "Squat depth" in reader.get(topic_page)
        assert not reader.is_logged_in(reader.get(member_page))

        assert erin.is_logged_in(erin.get(topic_page)), phase
        body = f"Reply {phase} the outage, {uuid.uuid4()}."
        location = erin.submit(reply_page, {"body": body}, hidden=("token",))
        assert location.startswith(topic_page)
        replies.append(body)
        assert erin.is_logged_in(erin.get(member_page))

        newcomer = Visitor(live_server.url)
        visitors.append(newcomer)
        newcomer.log_in("author")
        assert newcomer.is_logged_in(newcomer.get(member_page))

    read_log_in_and_post("before")
    assert redis_server.keys("pages:*:page:*")
    assert redis_server.keys("*django.contrib.sessions.cached_db*")

    redis_server.kill()
    read_log_in_and_post("during")

    redis_server.start()
    wait_for_keys(redis_server, "pages:*:page:*", lambda: Visitor(live_server.url).get(topic_page))
    read_log_in_and_post("after")
    assert redis_server.keys("*django.contrib.sessions.cached_db*")
    thread = Visitor(live_server.url).get(topic_page)
    assert all(body in thread for body in replies), "a reader missed a reply"

    assert [
        (path, status) for visitor in visitors for path, status in visitor.statuses if status >= 500
    ] == []
    for body in replies:
        assert Post.objects.filter(topic=topic, body=body).count() == 1, body


def site_login(client, login: str, password: str):
    return client.post("/accounts/login/", {"login": login, "password": password})


def test_failed_logins_are_still_limited_per_account_while_redis_is_down(
    client, production_caches, db
):
    verified_member("erin")
    production_caches.kill()
    for _ in range(5):  # ACCOUNT_RATE_LIMITS["login_failed"]: "5/300s/key"
        assert TOO_MANY not in text_of(site_login(client, "erin", "wrong"))

    refused = site_login(client, "erin", PASSWORD)
    assert TOO_MANY in text_of(refused)
    assert "_auth_user_id" not in client.session


def test_a_right_password_logs_in_while_redis_is_down(client, production_caches, db):
    frank = verified_member("frank")
    production_caches.kill()
    assert TOO_MANY not in text_of(site_login(client, "frank", "wrong"))

    response = site_login(client, "frank", PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == frank.pk
