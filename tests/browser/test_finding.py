"""A reader finds things in a real browser: searches from the header, opens a result,
follows a tag to its topics and subscribes to a feed."""

import re

import feedparser
import pytest

from forum import tagging
from forum.models import Topic

pytestmark = pytest.mark.browser

GUIDE = "do-hip-thrusts-work-the-lower-back"


def test_reader_searches_from_the_header_and_opens_a_result(page):
    page.goto("/forums/")
    search = page.get_by_role("search", name="Site search")
    search.get_by_role("searchbox", name="Search the forums").fill("lower back")
    search.get_by_role("searchbox").press("Enter")
    page.wait_for_url(re.compile(r"/forums/search/lower\+back/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Search results for “lower back”"
    result = page.locator(".search-result").first
    assert result.locator("mark").first.inner_text().lower() in ("lower", "back")
    result.get_by_role("link", name="#6700").click()
    page.wait_for_url(re.compile(rf"/forums/topic/{GUIDE}/#post-6700$"))
    assert page.locator("#post-6700").is_visible()


def test_reader_follows_a_tag_to_its_topics(page):
    guide = Topic.objects.get(slug=GUIDE)
    tagging.topic_set_tags(topic=guide, names=["Glutes", "Lower back"])
    page.goto(f"/forums/topic/{GUIDE}/")
    tags = page.locator(".topic-tags")
    assert tags.inner_text() == "Tagged: Glutes, Lower back"
    tags.get_by_role("link", name="Glutes").click()
    page.wait_for_url(re.compile(r"/forums/topic-tag/glutes/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Topic Tag: Glutes"
    page.get_by_role("link", name=guide.title, exact=True).click()
    page.wait_for_url(re.compile(rf"/forums/topic/{GUIDE}/$"))


def test_reader_subscribes_to_a_feed_the_page_links_to(page):
    page.goto(f"/forums/topic/{GUIDE}/")
    page.goto("/forums/")
    href = page.locator('link[rel="alternate"][type="application/rss+xml"]').get_attribute("href")
    assert href == "/forums/feed/"
    response = page.request.get(href)
    assert response.ok
    feed = feedparser.parse(response.body())
    assert not feed.bozo
    assert "Do Hip Thrusts Work the Lower Back?" in [entry.title for entry in feed.entries]
    again = page.request.get(href, headers={"If-None-Match": response.headers["etag"]})
    assert again.status == 304


def test_reader_finds_the_latest_topics_and_the_views_from_the_index(page):
    page.goto("/forums/")
    nav = page.get_by_role("navigation", name="Topic lists")
    nav.get_by_role("link", name="Topics with no replies").click()
    page.wait_for_url(re.compile(r"/forums/view/no-replies/$"))
    assert page.get_by_role("link", name="Do Hip Thrusts Work the Lower Back?").is_visible()
    page.get_by_role("navigation", name="Topic lists").get_by_role(
        "link", name="Latest topics"
    ).click()
    page.wait_for_url(re.compile(r"/topics/$"))
