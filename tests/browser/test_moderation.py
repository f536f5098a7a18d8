"""A moderator marks a reply as spam in the admin; readers see the thread without it."""

import re

import pytest

from forum.models import Topic
from forum.services import reply_create

pytestmark = pytest.mark.browser

GUIDE_SLUG = "do-hip-thrusts-work-the-lower-back"


def test_moderator_spams_a_reply_in_the_admin_and_readers_see_it_gone(
    page, browser, live_server, make_member
):
    guide = Topic.objects.get(slug=GUIDE_SLUG)
    reply = reply_create(topic=guide, author=make_member("spammer"), body="Buy cheap pills")
    moderator = make_member("mod", role="moderator", is_staff=True, is_superuser=True)
    moderator.set_password("moderate-2026!")
    moderator.save()

    page.goto("/admin/")
    page.get_by_label("Username").fill("mod")
    page.get_by_label("Password").fill("moderate-2026!")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Posts").first.click()
    page.locator(f'input[name="_selected_action"][value="{reply.pk}"]').check()
    page.get_by_label("Action:").select_option(label="Mark as spam")
    page.get_by_role("button", name="Go").click()
    page.get_by_text("Mark as spam: 1 done.").wait_for()

    reader = browser.new_context(base_url=live_server.url).new_page()
    reader.goto(f"/forums/topic/{GUIDE_SLUG}/")
    description = reader.locator(".topic-description").inner_text()
    assert re.match(r"This topic has 0 replies, 1 voice, and was last updated .+ by admin\.$",
                    description)  # fmt: skip
    assert "Buy cheap pills" not in reader.content()
    reader.context.close()
