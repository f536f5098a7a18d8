"""A reader, with no account, finds the guide and reads it, in a real browser."""

import re

import pytest

from forum.models import Topic
from forum.timesince import bbp_time_since

pytestmark = pytest.mark.browser


def test_reader_follows_the_index_to_the_guide_and_sees_the_description(page):
    guide = Topic.objects.get(slug="do-hip-thrusts-work-the-lower-back")
    page.goto("/")
    page.get_by_role("table").get_by_role("link", name="Guides", exact=True).click()
    page.wait_for_url(re.compile(r"/forums/forum/guides/$"))
    page.get_by_role("link", name="Do Hip Thrusts Work the Lower Back?", exact=True).click()

    page.wait_for_url(re.compile(r"/forums/topic/do-hip-thrusts-work-the-lower-back/$"))
    assert page.get_by_role("heading", level=1).inner_text() == guide.title
    assert page.locator(".topic-description").inner_text() == (
        "This topic has 0 replies, 1 voice, and was last updated "
        f"{bbp_time_since(guide.last_active_at)} by admin."
    )
    assert page.locator("#post-6700 time").inner_text() == "August 16, 2023 at 11:34 am"
    assert page.get_by_text("You must be logged in to reply to this topic.").is_visible()
    assert page.get_by_role("link", name="Register").last.is_visible()


def test_permalink_redirect_lands_on_the_post(page):
    page.goto("/forums/reply/6700/")
    assert page.url.endswith("/forums/topic/do-hip-thrusts-work-the-lower-back/#post-6700")
    assert page.locator("#post-6700").is_visible()


def test_skip_link_is_first_and_moves_focus_to_the_content(page):
    page.goto("/forums/topic/do-hip-thrusts-work-the-lower-back/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


def test_thread_fits_a_phone_screen(browser, live_server, seeded):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    try:
        phone = context.new_page()
        for url in (
            "/",
            "/forums/forum/guides/",
            "/forums/topic/do-hip-thrusts-work-the-lower-back/",
        ):
            phone.goto(url)
            overflow = phone.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{url} scrolls sideways by {overflow}px on a phone"
        assert phone.locator(".post__author-name").first.is_visible()
    finally:
        context.close()
