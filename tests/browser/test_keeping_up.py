"""Keeping up, in a real browser: a member is mentioned, sees the count in the header, opens
the inbox and follows the link to the post; another sees a topic marked unread in a forum's
list and jumps to the first post they have not read."""

import re
import uuid

import pytest

from forum import services
from forum.models import Topic
from tests.browser.test_accessibility import log_in

pytestmark = pytest.mark.browser

GUIDE = "do-hip-thrusts-work-the-lower-back"


def test_a_mentioned_member_follows_the_header_count_to_the_post(
    page, live_server, make_member, settings
):
    settings.FORUM_FLOOD_SECONDS = 0
    erin = make_member("erin", display_name="Erin")
    alice = make_member("alice", display_name="Alice")
    guide = Topic.objects.get(slug=GUIDE)
    reply = services.reply_submit(
        topic=guide, author=alice, body="What do you think, @erin?", idempotency_token=uuid.uuid4()
    )
    log_in(page, live_server, erin)

    page.goto("/forums/")
    link = page.get_by_role("navigation", name="Account").get_by_role(
        "link", name=re.compile("Notifications")
    )
    assert link.inner_text() == "Notifications 1 unread" or link.inner_text().startswith(
        "Notifications 1"
    )
    link.click()
    page.wait_for_url(re.compile(r"/notifications/$"))
    item = page.locator(".notification--unread")
    assert "Alice mentioned you in" in item.inner_text()
    item.get_by_role("link", name=guide.title).click()
    page.wait_for_url(re.compile(rf"/forums/topic/{GUIDE}/(page/\d+/)?#post-{reply.pk}$"))
    post = page.locator(f"#post-{reply.pk}")
    assert post.is_visible()
    assert post.get_by_role("link", name="@erin").get_attribute("href") == "/forums/users/erin/"

    page.goto("/notifications/")
    page.get_by_role("button", name="Mark all as read").click()
    page.wait_for_url(re.compile(r"/notifications/$"))
    assert page.locator(".notification--unread").count() == 0
    header = page.get_by_role("navigation", name="Account").get_by_role(
        "link", name=re.compile("Notifications")
    )
    assert header.inner_text() == "Notifications"


def test_a_member_sees_a_topic_marked_unread_and_jumps_to_the_first_unread_post(
    page, live_server, make_member, make_forum, settings
):
    settings.FORUM_FLOOD_SECONDS = 0
    settings.FORUM_POSTS_PER_PAGE = 3
    bob = make_member("bob", display_name="Bob")
    alice = make_member("alice", display_name="Alice")
    forum = make_forum("Lifting", slug="lifting")
    topic = services.topic_create(forum=forum, author=alice, title="Squat depth", body="How deep?")
    services.reply_create(topic=topic, author=alice, body="Below parallel, I think.")
    log_in(page, live_server, bob)

    page.goto("/forums/forum/lifting/")
    row = page.get_by_role("row", name=re.compile("Squat depth"))
    assert row.get_by_role("link", name="New posts in Squat depth").is_visible()
    row.get_by_role("link", name="Squat depth", exact=True).click()
    page.wait_for_url(re.compile(r"/forums/topic/squat-depth/$"))

    page.goto("/forums/forum/lifting/")
    assert page.get_by_role("link", name="New posts in Squat depth").count() == 0

    first_new = services.reply_create(topic=topic, author=alice, body="Or to parallel?")
    services.reply_create(topic=topic, author=alice, body="Depends on your hips.")
    page.goto("/forums/forum/lifting/")
    page.get_by_role("link", name="New posts in Squat depth").click()
    page.wait_for_url(re.compile(rf"/forums/topic/squat-depth/#post-{first_new.pk}$"))
    assert page.locator(f"#post-{first_new.pk}").is_visible()

    # The jump went to page 1, which holds the first new post; the last one is on page 2.
    page.goto("/forums/forum/lifting/")
    page.get_by_role("link", name="New posts in Squat depth").click()
    page.wait_for_url(re.compile(r"/forums/topic/squat-depth/page/2/#post-\d+$"))
    page.goto("/forums/forum/lifting/")
    assert page.get_by_role("link", name="New posts in Squat depth").count() == 0
