"""Merge, split and move from the topic page: every topic and forum involved stays right."""

import pytest
from django.test import Client

from forum.models import Forum, Post, Topic, TopicSubscription
from forum.recount import recount_all
from tests.pages import text_of


@pytest.fixture
def moderator(make_member) -> Client:
    client = Client()
    client.force_login(make_member("mod", role="moderator"))
    return client


@pytest.fixture
def two_threads(make_forum, make_topic, make_reply, make_member, ago):
    ann, bob, cat = make_member("ann"), make_member("bob"), make_member("cat")
    older = make_topic(forum=make_forum("Training"), title="Older", author=ann,
                       created_at=ago(days=3))  # fmt: skip
    make_reply(older, author=bob, body="older reply", created_at=ago(days=2))
    newer = make_topic(forum=make_forum("Nutrition"), title="Newer", author=cat,
                       created_at=ago(days=1))  # fmt: skip
    later = make_reply(newer, author=bob, body="newer reply 1", created_at=ago(hours=5))
    make_reply(newer, author=ann, body="newer reply 2", created_at=ago(hours=4))
    return older, newer, later


@pytest.mark.django_db
class TestMerge:
    def test_merging_the_newer_topic_into_the_older(self, moderator, two_threads, make_member):
        older, newer, _ = two_threads
        TopicSubscription.objects.create(topic=newer, member=make_member("fan"))
        response = moderator.post(f"/forums/topic/{newer.slug}/merge/",
                                  {"destination": f"http://testserver/forums/topic/{older.slug}/"})  # fmt: skip
        assert response["Location"] == older.get_absolute_url()
        assert not Topic.objects.filter(pk=newer.pk).exists()
        older.refresh_from_db()
        assert (older.reply_count, older.voice_count) == (4, 3)
        assert TopicSubscription.objects.filter(topic=older, member__username="fan").exists()
        assert Forum.objects.get(name="Nutrition").topic_count == 0
        assert Forum.objects.get(name="Training").post_count == 5
        assert recount_all(dry_run=True) == []

    def test_merging_older_into_newer_is_refused_with_a_reason(self, moderator, two_threads):
        older, newer, _ = two_threads
        response = moderator.post(f"/forums/topic/{older.slug}/merge/", {"destination": newer.slug})
        assert "Merge the newer topic into the older one." in text_of(response)
        assert Topic.objects.filter(pk=older.pk).exists()


@pytest.mark.django_db
def test_split_at_a_reply_starts_a_new_topic(moderator, two_threads):
    _, newer, later = two_threads
    response = moderator.post(f"/forums/reply/{later.pk}/split/", {"title": "Spun off"})
    new = Topic.objects.get(title="Spun off")
    assert response["Location"] == new.get_absolute_url()
    assert (new.first_post_id, new.author.username, new.reply_count) == (later.pk, "bob", 1)
    newer.refresh_from_db()
    assert newer.reply_count == 0
    assert Forum.objects.get(name="Nutrition").topic_count == 2
    assert recount_all(dry_run=True) == []


@pytest.mark.django_db
def test_moving_a_reply_to_an_older_topic(moderator, two_threads):
    older, newer, later = two_threads
    moderator.post(f"/forums/reply/{later.pk}/move/", {"destination": older.slug})
    assert Post.objects.get(pk=later.pk).topic_id == older.pk
    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.reply_count, newer.reply_count) == (2, 1)
    assert recount_all(dry_run=True) == []


@pytest.mark.django_db
def test_restructuring_is_for_moderators_only(client, two_threads, make_member):
    older, newer, later = two_threads
    client.force_login(make_member())
    for url, data in [
        (f"/forums/topic/{newer.slug}/merge/", {"destination": older.slug}),
        (f"/forums/reply/{later.pk}/split/", {"title": "Mine now"}),
        (f"/forums/reply/{later.pk}/move/", {"destination": older.slug}),
    ]:
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
    assert Topic.objects.count() == 3  # two threads and the seeded guide
    assert Post.objects.get(pk=later.pk).topic_id == newer.pk
