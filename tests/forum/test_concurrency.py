"""Many members replying to one topic at once: counters still equal the rows.

These run in real transactions on separate connections (threads), on SQLite (a file database
with WAL and IMMEDIATE transactions) and, in CI, on PostgreSQL.
"""

import uuid

import pytest

from forum import services
from forum.models import Forum, Post, Tag, Topic
from forum.recount import recount_all
from tests.threads import run_at_once

THREADS = 6
REPLIES_EACH = 5


@pytest.fixture(autouse=True)
def _no_flood_wait(settings):
    settings.FORUM_FLOOD_SECONDS = 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_replies_leave_every_counter_equal_to_the_rows(make_topic, make_member):
    topic = make_topic()
    authors = [make_member() for _ in range(THREADS)]

    def reply_several_times(author) -> None:
        for number in range(REPLIES_EACH):
            services.reply_submit(
                topic=topic,
                author=author,
                body=f"Reply {number} by {author.username}",
                idempotency_token=uuid.uuid4(),
            )

    errors = run_at_once(reply_several_times, authors)

    assert errors == []
    topic = Topic.objects.get(pk=topic.pk)
    assert topic.reply_count == THREADS * REPLIES_EACH == topic.posts.count() - 1
    assert topic.voice_count == THREADS + 1
    assert topic.last_post == Post.objects.filter(topic=topic).latest("created_at", "id")
    assert Forum.objects.get(pk=topic.forum_id).post_count == THREADS * REPLIES_EACH + 1
    assert recount_all(dry_run=True) == []


@pytest.mark.django_db(transaction=True)
def test_a_form_submitted_many_times_at_once_creates_one_post(make_topic, make_member):
    topic = make_topic()
    author = make_member()
    token = uuid.uuid4()

    def submit(_) -> None:
        services.reply_submit(topic=topic, author=author, body="Once.", idempotency_token=token)

    errors = run_at_once(submit, range(THREADS))

    assert errors == []
    assert Post.objects.filter(author=author).count() == 1
    assert Topic.objects.get(pk=topic.pk).reply_count == 1


@pytest.mark.django_db(transaction=True)
def test_members_tagging_topics_at_once_leave_the_tag_count_right(make_forum, make_member):
    """Each counts the tag's topics with the tag's row locked: none counts without another's.
    (A forum apiece: topics in one forum queue on its row before they reach their tags.)"""
    authors = [(make_member(), make_forum()) for _ in range(THREADS)]

    def start_tagged_topic(author_and_forum) -> None:
        author, forum = author_and_forum
        services.topic_submit(
            forum=forum, author=author, title=f"Squats by {author.username}", body="Deep.",
            idempotency_token=uuid.uuid4(), tags=["Squat", f"own-{author.pk}"],
        )  # fmt: skip

    errors = run_at_once(start_tagged_topic, authors)

    assert errors == []
    assert Tag.objects.get(slug="squat").topic_count == THREADS
    assert recount_all(dry_run=True) == []


@pytest.mark.django_db(transaction=True)
def test_members_starting_topics_in_one_forum_at_once_leave_its_latest_post_right(
    make_forum, make_member
):
    """Each topic's time is taken before it waits for the forum's row, so the forum's latest
    post must only move forward, whatever order they commit in."""
    forum = make_forum()
    authors = [make_member() for _ in range(THREADS)]

    def start_topic(author) -> None:
        services.topic_submit(
            forum=forum, author=author, title=f"By {author.username}", body="Hello.",
            idempotency_token=uuid.uuid4(),
        )  # fmt: skip

    assert run_at_once(start_topic, authors) == []
    assert recount_all(dry_run=True) == []
