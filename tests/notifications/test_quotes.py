"""Quoting a post tells its author: the quote the reply form starts with links to the post."""

import html
import re
import uuid

import pytest

from forum import services
from forum.markup import quoted_post_ids, render_markdown
from forum.models import Post
from notifications.models import Notification
from tests.pages import text_of


@pytest.fixture(autouse=True)
def _no_flood_wait(settings):
    settings.FORUM_FLOOD_SECONDS = 0


def quoting_reply(client, topic, post) -> str:
    """The body the reply form starts with when a member clicks Quote on ``post``."""
    page = client.get(f"/forums/topic/{topic.slug}/reply/?quote={post.pk}").content.decode()
    body = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1)
    return html.unescape(body.removeprefix("\n"))


@pytest.mark.django_db
class TestQuotes:
    def test_quoting_a_post_tells_its_author(
        self, client, make_member, make_topic, make_reply, django_capture_on_commit_callbacks
    ):
        alice = make_member("alice", display_name="Alice")
        topic = make_topic(title="Squat depth")
        quoted = make_reply(topic, author=alice, body="Parallel is enough.")
        client.force_login(make_member("erin", display_name="Erin"))
        body = quoting_reply(client, topic, quoted) + "I disagree."
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/forums/topic/{topic.slug}/reply/",
                {"body": body, "token": str(uuid.uuid4()), "action": "post"},
            )
        assert response.status_code == 302
        notification = Notification.objects.get(recipient=alice)
        assert notification.kind == Notification.Kind.QUOTE
        client.force_login(alice)
        assert "Erin quoted you in Squat depth" in text_of(client.get("/notifications/"))

    def test_the_quote_heading_links_to_the_quoted_post(self, make_topic):
        topic = make_topic()
        html = render_markdown(f"**Alice** [wrote](/forums/reply/{topic.first_post_id}/):\n\n> x")
        assert quoted_post_ids(html) == [topic.first_post_id]

    def test_quoting_oneself_or_a_hidden_post_tells_nobody(
        self, make_member, make_topic, make_reply, django_capture_on_commit_callbacks
    ):
        alice, erin = make_member("alice"), make_member("erin")
        topic = make_topic()
        own = make_reply(topic, author=erin, body="Mine.")
        hidden = make_reply(topic, author=alice, body="Spam.")
        services.post_set_status(post=hidden, status=Post.Status.SPAM)
        body = "".join(f"**x** [wrote](/forums/reply/{p.pk}/):\n\n> y\n\n" for p in (own, hidden))
        with django_capture_on_commit_callbacks(execute=True):
            services.reply_submit(
                topic=topic, author=erin, body=body, idempotency_token=uuid.uuid4()
            )
        assert not Notification.objects.filter(kind=Notification.Kind.QUOTE).exists()
