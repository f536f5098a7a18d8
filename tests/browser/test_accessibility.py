"""Every reader-facing page passes axe-core's checks (WCAG A/AA: contrast, labels, landmarks)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/forums/forum/guides/",
    "/forums/topic/do-hip-thrusts-work-the-lower-back/",
    "/forums/users/admin/",
    "/guides/",
    "/guides/do-hip-thrusts-work-the-lower-back/",
    "/no-such-page/",
    "/forums/search/",
    "/forums/search/lower+back/",
    "/forums/search/xylophone/",
    "/forums/search/%21%21%21/",
    "/topics/",
    "/forums/view/popular/",
    "/forums/view/no-replies/",
    "/forums/topic-tag/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
]

MEMBER_PAGES = [
    "/forums/topic/do-hip-thrusts-work-the-lower-back/",
    "/forums/topic/do-hip-thrusts-work-the-lower-back/reply/?quote=6700",
    "/forums/",  # with a forum marked "New posts" and "Mark all topics as read"
    "/forums/forum/guides/",  # with the guide marked unread
    "/topics/",
    "/forums/forum/guides/new/",
    "/forums/reply/{reply}/edit/",
    "/forums/users/erin/subscriptions/",
    "/forums/users/erin/replies/",
    "/forums/users/erin/engagements/",
    "/forums/users/erin/edit/",
    "/forums/search/lower+back/",
    "/notifications/",
    "/notifications/email/",
    "/accounts/email/",
    "/accounts/password/change/",
]


@pytest.fixture
def axe_tab(browser, live_server, seeded):
    # axe is injected as a script, which the site's own CSP rightly blocks; only this tab skips it.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("url", PAGES)
def test_page_has_no_accessibility_violations(axe_tab, url):
    axe_tab.goto(url)
    results = Axe().run(axe_tab)
    assert results.violations_count == 0, results.generate_report()


def log_in(tab, live_server, member) -> None:
    """Give the browser tab a session for ``member``, as logging in would."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.save()
    tab.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key,
          "url": live_server.url}]
    )  # fmt: skip


@pytest.fixture
def member_axe_tab(axe_tab, live_server, make_member, make_reply):
    """The axe tab, logged in as a member who has just replied to the guide."""
    from forum.models import Topic
    from notifications.models import Notification
    from notifications.services import notification_create

    member = make_member("erin")
    guide = Topic.objects.get(slug="do-hip-thrusts-work-the-lower-back")
    axe_tab.reply_id = make_reply(guide, author=member).pk
    mention = make_reply(guide, author=make_member("alice"), body="Thanks @erin")
    notification_create(
        recipient_id=member.pk,
        kind=Notification.Kind.MENTION,
        post=mention,
        actor_id=mention.author_id,
    )
    log_in(axe_tab, live_server, member)
    return axe_tab


def test_moderators_topic_page_has_no_accessibility_violations(
    axe_tab, live_server, make_member, make_reply
):
    from forum.models import Topic
    from forum.services import post_set_status

    guide = Topic.objects.get(slug="do-hip-thrusts-work-the-lower-back")
    post_set_status(post=make_reply(guide, author=make_member()), status="spam")
    log_in(axe_tab, live_server, make_member("mod", role="moderator"))
    axe_tab.goto("/forums/topic/do-hip-thrusts-work-the-lower-back/")
    assert axe_tab.locator(".post--hidden").count() == 1
    results = Axe().run(axe_tab)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_member_page_has_no_accessibility_violations(member_axe_tab, url):
    member_axe_tab.goto(url.format(reply=member_axe_tab.reply_id))
    assert "/accounts/login/" not in member_axe_tab.url
    results = Axe().run(member_axe_tab)
    assert results.violations_count == 0, results.generate_report()


def test_tag_pages_and_moderators_search_have_no_accessibility_violations(
    axe_tab, live_server, make_member, make_reply
):
    from forum import tagging
    from forum.models import Topic
    from forum.services import post_set_status

    guide = Topic.objects.get(slug="do-hip-thrusts-work-the-lower-back")
    tagging.topic_set_tags(topic=guide, names=["Glutes", "Lower back"])
    post_set_status(post=make_reply(guide, author=make_member(), body="Glutes"), status="spam")
    for url in ["/forums/topic-tag/glutes/", "/forums/topic-tag/", guide.get_absolute_url()]:
        axe_tab.goto(url)
        results = Axe().run(axe_tab)
        assert results.violations_count == 0, (url, results.generate_report())
    log_in(axe_tab, live_server, make_member("mod", role="moderator"))
    axe_tab.goto("/forums/search/glutes/?hidden=on")
    assert axe_tab.locator(".search-result.post--hidden").count() == 1
    results = Axe().run(axe_tab)
    assert results.violations_count == 0, results.generate_report()
