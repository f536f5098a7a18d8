"""When the database fails half-way through a reply, nothing of it is left behind.

The failure is real: a trigger makes the database refuse the forum's counter update, the
last write a reply makes, after the post and the topic's counters were written.
"""

import uuid

import pytest
from django.db import DatabaseError, connection

from forum import services
from forum.models import Post, Topic

FAILING_TRIGGER = {
    "sqlite": [
        "CREATE TRIGGER refuse_forum_update BEFORE UPDATE ON forum_forum "
        "BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END",
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_update() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION 'refused by test trigger'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER refuse_forum_update BEFORE UPDATE ON forum_forum "
        "FOR EACH ROW EXECUTE FUNCTION refuse_update()",
    ],
}


def make_forum_updates_fail() -> None:
    statements = FAILING_TRIGGER.get(connection.vendor)
    if statements is None:
        pytest.skip(f"no failing trigger written for {connection.vendor}")
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.mark.django_db
def test_a_reply_that_fails_half_way_writes_nothing(make_topic, make_member, settings):
    settings.FORUM_FLOOD_SECONDS = 0
    topic = make_topic()
    before = Topic.objects.values("reply_count", "voice_count", "last_post", "last_active_at").get(
        pk=topic.pk
    )
    author = make_member()
    make_forum_updates_fail()
    with pytest.raises(DatabaseError):
        services.reply_submit(
            topic=topic, author=author, body="Half a reply?", idempotency_token=uuid.uuid4()
        )
    assert not Post.objects.filter(author=author).exists()
    after = Topic.objects.values("reply_count", "voice_count", "last_post", "last_active_at").get(
        pk=topic.pk
    )
    assert after == before
