"""Moderator links on the topic page: POSTs with CSRF, confirmation before hiding, and
nothing at all for anyone else."""

import pytest
from django.test import Client

from forum.models import Post, Topic
from forum.recount import recount_all
from forum.views.moderation import POST_ACTIONS, TOPIC_ACTIONS
from tests.pages import text_of


@pytest.fixture
def thread(make_topic, make_reply, make_member):
    topic = make_topic(title="Squat depth", author=make_member("ann"))
    reply = make_reply(topic, author=make_member("bob"), body="Bob's reply")
    return topic, reply


@pytest.fixture
def moderator(make_member) -> Client:
    client = Client()
    client.force_login(make_member("mod", role="moderator"))
    return client


def moderator_urls(topic: Topic, reply: Post) -> list[str]:
    return [f"/forums/topic/{topic.slug}/moderate/{action}/" for action in TOPIC_ACTIONS] + [
        f"/forums/reply/{reply.pk}/moderate/{action}/" for action in POST_ACTIONS
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "participant", "blocked"])
def test_everyone_else_gets_404_on_every_moderator_url_and_nothing_changes(
    client, thread, make_member, who
):
    topic, reply = thread
    if who != "anonymous":
        client.force_login(make_member(role="participant" if who == "participant" else who))
    before = (Topic.objects.values("status", "pin").get(pk=topic.pk), reply.status)
    for url in moderator_urls(topic, reply):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    reply.refresh_from_db()
    assert (Topic.objects.values("status", "pin").get(pk=topic.pk), reply.status) == before
    assert "/moderate/" not in client.get(topic.get_absolute_url()).content.decode()


@pytest.mark.django_db
class TestModeratorLinks:
    def test_moderators_see_the_links(self, moderator, thread):
        topic, reply = thread
        html = moderator.get(topic.get_absolute_url()).content.decode()
        assert f'action="/forums/topic/{topic.slug}/moderate/close/"' in html
        assert f'href="/forums/reply/{reply.pk}/moderate/spam/"' in html

    def test_close_and_stick_are_one_click_posts(self, moderator, thread):
        topic, _ = thread
        moderator.post(f"/forums/topic/{topic.slug}/moderate/close/")
        moderator.post(f"/forums/topic/{topic.slug}/moderate/stick/")
        topic.refresh_from_db()
        assert (topic.status, topic.pin) == ("closed", 1)
        assert (
            f"/forums/topic/{topic.slug}/moderate/open/"
            in moderator.get(topic.get_absolute_url()).content.decode()
        )

    def test_trash_asks_first_then_hides_the_topic(self, moderator, thread):
        topic, _ = thread
        confirm = moderator.get(f"/forums/topic/{topic.slug}/moderate/trash/")
        assert "Trash the topic “Squat depth”?" in text_of(confirm)
        Topic.objects.get(pk=topic.pk, status="open")  # asking changed nothing
        response = moderator.post(f"/forums/topic/{topic.slug}/moderate/trash/")
        assert response["Location"] == topic.forum.get_absolute_url()
        assert Topic.objects.get(pk=topic.pk).status == "trash"
        assert recount_all(dry_run=True) == []

    def test_spam_a_reply_and_approve_it_back(self, moderator, thread):
        topic, reply = thread
        moderator.post(f"/forums/reply/{reply.pk}/moderate/spam/")
        reply.refresh_from_db()
        assert reply.status == "spam"
        assert "(+1 hidden)" in text_of(moderator.get(topic.get_absolute_url()))
        moderator.post(f"/forums/reply/{reply.pk}/moderate/approve/")
        reply.refresh_from_db()
        assert reply.status == "published"
        assert recount_all(dry_run=True) == []

    def test_moderator_posts_need_the_csrf_token(self, make_member, thread):
        topic, _ = thread
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(make_member("mod2", role="moderator"))
        assert strict.post(f"/forums/topic/{topic.slug}/moderate/close/").status_code == 403
        assert Topic.objects.get(pk=topic.pk).status == "open"
