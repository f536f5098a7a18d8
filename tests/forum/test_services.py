"""Counters move with the rows they count, in the services."""

import uuid

import pytest
from django.db import IntegrityError

from forum import services
from forum.models import Forum, Post, Topic
from forum.recount import recount_all


@pytest.mark.django_db
class TestTopicCreate:
    def test_creates_topic_and_opening_post_with_counters(self, make_forum, make_member):
        forum = make_forum("Counters")
        author = make_member("hal")
        topic = services.topic_create(forum=forum, author=author, title="Hello", body="**Hi**")
        topic.refresh_from_db()
        forum.refresh_from_db()
        post = Post.objects.get(topic=topic)
        assert (topic.reply_count, topic.voice_count, topic.hidden_reply_count) == (0, 1, 0)
        assert topic.first_post == topic.last_post == post
        assert topic.last_active_at == post.created_at
        assert post.body_html == "<p><strong>Hi</strong></p>\n"
        assert (forum.topic_count, forum.post_count, forum.last_post) == (1, 1, post)

    def test_slugs_are_unique(self, make_topic, make_forum):
        forum = make_forum()
        first = make_topic(forum=forum, title="Same title")
        second = make_topic(forum=forum, title="Same title")
        assert (first.slug, second.slug) == ("same-title", "same-title-2")

    def test_new_posts_are_numbered_after_the_seeded_6700(self, guide_topic, make_topic):
        assert make_topic().first_post_id > 6700

    def test_a_failed_post_insert_leaves_no_half_written_topic(self, make_forum, make_member):
        forum, author, token = make_forum(), make_member(), uuid.uuid4()
        services.topic_create(
            forum=forum, author=author, title="First", body="x", idempotency_token=token
        )
        with pytest.raises(IntegrityError):
            services.topic_create(
                forum=forum, author=author, title="Second", body="y", idempotency_token=token
            )
        assert not Topic.objects.filter(title="Second").exists()
        forum.refresh_from_db()
        assert (forum.topic_count, forum.post_count) == (1, 1)


@pytest.mark.django_db
class TestReplyCreate:
    def test_counts_replies_and_distinct_voices(self, make_topic, make_reply, make_member):
        starter, other = make_member(), make_member()
        topic = make_topic(author=starter)
        make_reply(topic, author=other)
        make_reply(topic, author=other)
        last = make_reply(topic, author=starter)
        topic.refresh_from_db()
        topic.forum.refresh_from_db()
        assert (topic.reply_count, topic.voice_count) == (3, 2)
        assert topic.last_post == last
        assert (topic.forum.topic_count, topic.forum.post_count) == (1, 4)
        assert topic.forum.last_post == last
        assert recount_all(dry_run=True) == []


@pytest.mark.django_db
def test_post_edit_renders_again_and_stamps_the_edit(make_topic):
    topic = make_topic(body="old")
    post = services.post_edit(
        post=topic.first_post, editor=topic.author, body="*new*", reason="typo"
    )
    post.refresh_from_db()
    assert post.body_html == "<p><em>new</em></p>\n"
    assert post.edited_at is not None
    revision = post.revisions.get()
    assert (revision.editor, revision.reason, revision.previous_body) == (
        topic.author,
        "typo",
        "old",
    )


@pytest.mark.django_db
def test_forums_with_no_posts_are_consistent(make_forum):
    make_forum("Empty")
    assert recount_all(dry_run=True) == []
    assert Forum.objects.get(slug="empty").last_post is None
