"""Shared fixtures: builders that create data through the services, so counters are real."""

import itertools
from datetime import datetime, timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone

from accounts.models import User
from forum import services
from forum.models import Forum, Post, Topic
from tests.servers import RedisServer

GUIDE_SLUG = "do-hip-thrusts-work-the-lower-back"
_sequence = itertools.count(1)


@pytest.fixture(autouse=True)
def _mail_through_the_queue(settings):
    """Mail goes through the outbox as it does on the site: queued, then delivered at once by
    the test settings' immediate task backend into ``django.core.mail.outbox`` (Django's test
    set-up replaces EMAIL_BACKEND with its local-memory one; this puts the queue back)."""
    settings.EMAIL_BACKEND = "outbox.backends.QueuedEmailBackend"


@pytest.fixture(autouse=True)
def _empty_cache():
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def make_member(db):
    def make(username: str | None = None, **fields) -> User:
        username = username or f"member{next(_sequence)}"
        return User.objects.create_user(
            username=username, email=f"{username}@example.com", password="pw-123456!", **fields
        )

    return make


@pytest.fixture
def make_forum(db):
    def make(name: str | None = None, **fields) -> Forum:
        name = name or f"Forum {next(_sequence)}"
        slug = fields.pop("slug", None) or name.lower().replace(" ", "-")
        return Forum.objects.create(name=name, slug=slug, **fields)

    return make


@pytest.fixture
def make_topic(db, make_forum, make_member):
    def make(
        *,
        forum: Forum | None = None,
        author: User | None = None,
        title: str | None = None,
        body: str = "Opening post.",
        created_at: datetime | None = None,
    ) -> Topic:
        return services.topic_create(
            forum=forum or make_forum(),
            author=author or make_member(),
            title=title or f"Topic {next(_sequence)}",
            body=body,
            created_at=created_at,
        )

    return make


@pytest.fixture
def make_reply(db, make_member):
    def make(
        topic: Topic,
        *,
        author: User | None = None,
        body: str = "A reply.",
        created_at: datetime | None = None,
    ) -> Post:
        return services.reply_create(
            topic=topic, author=author or make_member(), body=body, created_at=created_at
        )

    return make


@pytest.fixture
def guide_topic(db) -> Topic:
    """The source guide, seeded by the migrations."""
    return Topic.objects.select_related("forum", "author").get(slug=GUIDE_SLUG)


@pytest.fixture
def ago():
    """``ago(days=3)``: an aware datetime that far in the past."""

    def make(**delta) -> datetime:
        return timezone.now() - timedelta(**delta)

    return make


@pytest.fixture
def redis_server():
    """A ``redis-server`` of the test's own on a free port (never the machine's shared one),
    which the test may kill and restart; killed at the end."""
    server = RedisServer()
    server.start()
    yield server
    if server.process is not None:
        server.kill()
