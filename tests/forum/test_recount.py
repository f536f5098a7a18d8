"""The ``recount`` command repairs counters that were corrupted behind the services' back."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from forum.models import Forum, Topic


def recount(*args) -> str:
    out = StringIO()
    call_command("recount", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def busy_topic(make_topic, make_reply, make_member):
    topic = make_topic()
    alice, bob = make_member(), make_member()
    make_reply(topic, author=alice)
    make_reply(topic, author=bob)
    last = make_reply(topic, author=alice)
    return Topic.objects.get(pk=topic.pk), last


@pytest.mark.django_db
def test_nothing_to_fix_on_a_fresh_database(guide_topic):
    assert "All counters are correct." in recount()


@pytest.mark.django_db
def test_repairs_counters_corrupted_with_raw_sql(busy_topic):
    topic, last = busy_topic
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE forum_topic SET reply_count = 99, voice_count = 7, hidden_reply_count = 4,"
            " last_post_id = first_post_id WHERE id = %s",
            [topic.pk],
        )
        cursor.execute(
            "UPDATE forum_forum SET topic_count = 0, post_count = 1234 WHERE id = %s",
            [topic.forum_id],
        )

    output = recount()

    assert "reply_count 99 -> 3" in output
    assert "voice_count 7 -> 3" in output
    assert "hidden_reply_count 4 -> 0" in output
    assert f"last_post_id {topic.first_post_id} -> {last.pk}" in output
    assert "topic_count 0 -> 1" in output
    assert "post_count 1234 -> 4" in output
    assert "Fixed 6 counter(s)." in output
    topic.refresh_from_db()
    forum = Forum.objects.get(pk=topic.forum_id)
    assert (topic.reply_count, topic.voice_count, topic.hidden_reply_count) == (3, 3, 0)
    assert topic.last_post_id == last.pk
    assert (forum.topic_count, forum.post_count) == (1, 4)
    assert "All counters are correct." in recount()


@pytest.mark.django_db
def test_counts_hidden_replies_apart(busy_topic):
    topic, last = busy_topic
    with connection.cursor() as cursor:
        cursor.execute("UPDATE forum_post SET status = 'spam' WHERE id = %s", [last.pk])
    recount()
    topic.refresh_from_db()
    assert (topic.reply_count, topic.hidden_reply_count, topic.voice_count) == (2, 1, 3)
    assert topic.last_post_id != last.pk
    assert Forum.objects.get(pk=topic.forum_id).post_count == 3


@pytest.mark.django_db
def test_dry_run_reports_but_changes_nothing(busy_topic):
    topic, _ = busy_topic
    Topic.objects.filter(pk=topic.pk).update(reply_count=50)
    output = recount("--dry-run")
    assert "reply_count 50 -> 3" in output
    assert "Would fix 1 counter(s)." in output
    assert Topic.objects.get(pk=topic.pk).reply_count == 50


@pytest.mark.django_db
def test_repaired_topic_page_shows_the_true_counts(client, busy_topic):
    topic, _ = busy_topic
    Topic.objects.filter(pk=topic.pk).update(reply_count=0)
    recount()
    assert (
        "This topic has 3 replies, 3 voices"
        in client.get(topic.get_absolute_url()).content.decode()
    )
