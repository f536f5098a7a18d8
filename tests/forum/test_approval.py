"""The approval queue: held posts wait, marked for their author, until a moderator publishes."""

import re
import uuid

import pytest
from django.core import mail
from django.test import Client

from forum.models import Forum, Post, Topic, TopicSubscription
from forum.recount import recount_all
from tests.conftest import GUIDE_SLUG
from tests.pages import text_of

GUIDE_URL = f"/forums/topic/{GUIDE_SLUG}/"


@pytest.fixture(autouse=True)
def _hold_first_posts(settings):
    settings.FORUM_FLOOD_SECONDS = 0
    settings.FORUM_APPROVE_FIRST_POSTS = 1


def submit(client, url: str, **data):
    return client.post(url, {"token": str(uuid.uuid4()), "action": "post", **data}, follow=True)


def sentence(html_response) -> str:
    return re.search(r"This topic has [^,]+, [^,]+,", text_of(html_response)).group(0)


@pytest.mark.django_db
def test_a_new_members_first_reply_waits_and_is_then_published(
    client, make_member, guide_topic, django_capture_on_commit_callbacks
):
    TopicSubscription.objects.create(member=make_member("follower"), topic=guide_topic)
    newcomer = make_member("newcomer")
    client.force_login(newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, f"{GUIDE_URL}reply/", body="My first words")
    assert "Your reply is awaiting moderation" in text_of(response)
    assert "This post is awaiting moderation. My first words" in text_of(response)
    # Nobody hears of a post that is not published, but its author, that it is held.
    assert [email.to for email in mail.outbox] == [["newcomer@example.com"]]
    assert "waiting for a moderator" in mail.outbox[0].subject

    reader = Client()
    assert sentence(reader.get(GUIDE_URL)) == "This topic has 0 replies, 1 voice,"
    assert "My first words" not in text_of(reader.get(GUIDE_URL))

    keymaster = Client()
    keymaster.force_login(make_member("boss", is_staff=True, is_superuser=True))
    assert "(+1 hidden)" in text_of(keymaster.get(GUIDE_URL))
    pending = Post.objects.get(author=newcomer)
    queue = keymaster.get("/admin/forum/post/", {"status__exact": "pending"})
    assert f"/admin/forum/post/{pending.pk}/change/" in queue.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        keymaster.post(
            "/admin/forum/post/", {"action": "publish", "_selected_action": [pending.pk]}
        )
    assert sentence(reader.get(GUIDE_URL)) == "This topic has 1 reply, 2 voices,"
    assert recount_all(dry_run=True) == []


@pytest.mark.django_db
def test_a_new_members_first_topic_waits_hidden_and_uncounted(client, make_member, make_forum):
    forum = make_forum("Training")
    client.force_login(make_member("newcomer"))
    response = submit(client, f"/forums/forum/{forum.slug}/new/", title="Hello", body="Hi all")
    assert "Your topic is awaiting moderation" in text_of(response)
    topic = Topic.objects.get(title="Hello")
    assert topic.status == "pending"
    forum.refresh_from_db()
    assert (forum.topic_count, forum.post_count) == (0, 0)
    assert Client().get(topic.get_absolute_url()).status_code == 404
    assert recount_all(dry_run=True) == []


@pytest.mark.django_db
def test_moderators_posts_are_never_held(client, make_member, guide_topic):
    client.force_login(make_member("mod", role="moderator"))
    submit(client, f"{GUIDE_URL}reply/", body="Moderator here")
    assert Post.objects.get(body="Moderator here").status == "published"
    assert Forum.objects.get(pk=guide_topic.forum_id).post_count == 2
