"""What only a browser shows of the front end: a table in a post on a phone, dark mode, the
printed page, and the thread's header line for a member."""

import pytest

from forum import services
from forum.models import Forum
from tests.browser.test_accessibility import log_in

pytestmark = pytest.mark.browser

TABLE = "| Depth | Reps |\n|---|---:|\n| Parallel | 5 |\n| Below | 3 |"


@pytest.fixture
def topic(make_member):
    forum = Forum.objects.create(name="Lifting", slug="lifting")
    return services.topic_create(
        forum=forum, author=make_member("alice"), title="Squat depth", body=TABLE
    )


def test_a_table_in_a_post_keeps_its_header_row_on_a_phone(browser, live_server, seeded, topic):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(topic.get_absolute_url())
    header = tab.locator(".post__content table thead th").first
    assert header.is_visible()
    assert header.evaluate("cell => getComputedStyle(cell).display") == "table-cell"
    box = header.bounding_box()
    assert box["x"] >= 0 and box["width"] > 0
    # The site's own lists still fold into one column there.
    tab.goto("/forums/forum/lifting/")
    assert (
        tab.locator(".topic-table thead").evaluate("head => head.getBoundingClientRect().right") < 0
    )
    context.close()


def test_dark_mode_puts_light_text_on_dark_surfaces(browser, live_server, seeded, topic):
    def colours(scheme: str) -> tuple[str, str]:
        context = browser.new_context(base_url=live_server.url, color_scheme=scheme)
        tab = context.new_page()
        tab.goto(topic.get_absolute_url())
        found = tab.evaluate(
            "() => [getComputedStyle(document.body).backgroundColor,"
            " getComputedStyle(document.body).color]"
        )
        context.close()
        return found

    assert colours("light") == ["rgb(255, 255, 255)", "rgb(29, 35, 39)"]
    assert colours("dark") == ["rgb(21, 24, 27)", "rgb(232, 234, 237)"]


def test_the_printed_thread_has_the_posts_and_no_navigation_or_forms(
    page, live_server, topic, make_member
):
    log_in(page, live_server, make_member("erin"))
    page.goto(topic.get_absolute_url())
    page.emulate_media(media="print")
    assert page.locator(".post").first.is_visible()
    assert page.get_by_role("heading", level=1).is_visible()
    for hidden in [".site-header", ".breadcrumb", ".reply-area", ".topic-actions", ".site-footer"]:
        assert not page.locator(hidden).first.is_visible(), hidden
    assert (
        page.locator(".post").first.evaluate("post => getComputedStyle(post).breakInside")
        == "avoid"
    )


def test_a_members_post_header_keeps_the_date_and_the_permalink_apart(
    page, live_server, topic, make_member
):
    log_in(page, live_server, make_member("erin"))
    page.goto(topic.get_absolute_url())
    when = page.locator(".post__meta time").first.bounding_box()
    permalink = page.locator(".post__permalink").first.bounding_box()
    assert permalink["x"] - (when["x"] + when["width"]) >= 4
