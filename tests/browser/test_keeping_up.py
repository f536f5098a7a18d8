"""A member is mentioned, sees the count in the header, opens the inbox and follows the link
to the post, in a real browser."""

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
