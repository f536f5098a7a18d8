"""The member's and the moderator's main tasks with the keyboard alone, in a real browser: log
in, reply from the top of a full page, quote, edit, report, and a moderator's Trash with its
confirmation. No clicks: Tab, Shift+Tab, Enter and typing."""

import re

import pytest

from forum import services
from forum.models import Forum, Post, Report
from tests.browser.test_accessibility import log_in

pytestmark = pytest.mark.browser

LIMIT = 200  # Tab presses before a test gives up looking for a control


@pytest.fixture
def full_topic(make_member, settings):
    """A topic with a full first page of replies (and one more page), by alice."""
    settings.FORUM_FLOOD_SECONDS = 0
    alice = make_member("alice", display_name="Alice")
    forum = Forum.objects.create(name="Lifting", slug="lifting")
    topic = services.topic_create(forum=forum, author=alice, title="Squat depth", body="How deep?")
    for number in range(settings.FORUM_POSTS_PER_PAGE + 2):
        services.reply_create(topic=topic, author=alice, body=f"Reply {number}.")
    return topic


def tab_to(page, name: str, *, role: str | None = None) -> int:
    """Press Tab until the focused element's accessible text is ``name`` (and its role
    ``role``: "a", "button", "textarea"); returns the presses it took."""
    for presses in range(1, LIMIT + 1):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return [e.tagName.toLowerCase(), (e.innerText || e.value || '').trim(),"
            " e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].innerText)"
            " || ''] }"
        )
        tag, text, label = focused
        if (text == name or label.strip() == name) and (role is None or tag == role):
            return presses
    raise AssertionError(f"{name!r} not reached in {LIMIT} Tab presses")


def confirmed_member(make_member, username: str):
    from allauth.account.models import EmailAddress

    member = make_member(username)
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    return member


def fill_in_login(page, *, password: str) -> None:
    """On the login page, Tab to each field and type erin's login and ``password``."""
    page.goto("/accounts/login/")
    tab_to(page, "Username or email", role="input")
    page.keyboard.type("erin")
    tab_to(page, "Password", role="input")
    page.keyboard.type(password)


def test_a_member_logs_in_with_the_keyboard(page, make_member):
    confirmed_member(make_member, "erin")
    fill_in_login(page, password="pw-123456!")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert page.get_by_role("navigation", name="Account").get_by_text("erin").count()


def test_a_wrong_password_is_announced_and_takes_the_focus(page, make_member):
    confirmed_member(make_member, "erin")
    fill_in_login(page, password="wrong")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    assert "not correct" in alert.inner_text()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "alert"


def test_a_member_replies_from_the_top_of_a_full_page(page, live_server, full_topic, make_member):
    erin = make_member("erin")
    log_in(page, live_server, erin)
    page.goto(full_topic.get_absolute_url())
    presses = tab_to(page, "Reply", role="a")
    assert presses < 20, presses  # near the top, not after every post's links
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "body"  # the reply box
    page.keyboard.type("Below parallel, by keyboard.")
    tab_to(page, "Submit", role="button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#post-\d+$"))
    reply = Post.objects.get(author=erin)
    assert reply.body == "Below parallel, by keyboard."
    # The new post has the focus: Tab goes on from it.
    assert page.evaluate("document.activeElement.id") == f"post-{reply.pk}"


def test_a_member_quotes_edits_and_reports_with_the_keyboard(
    page, live_server, full_topic, make_member
):
    erin = make_member("erin")
    log_in(page, live_server, erin)
    opening = full_topic.first_post
    page.goto(full_topic.get_absolute_url())
    tab_to(page, "Quote", role="a")  # the opening post's
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/reply/\?quote="))
    assert "How deep?" in page.get_by_label("Your reply").input_value()
    tab_to(page, "Submit", role="button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#post-\d+$"))
    quoting = Post.objects.get(author=erin)
    assert f"/forums/reply/{opening.pk}/" in quoting.body

    tab_to(page, "Edit", role="a")  # the first Edit on the page is erin's own post
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/edit/$"))
    tab_to(page, "Post text", role="textarea")
    page.keyboard.press("Control+End")
    page.keyboard.type(" Edited.")
    tab_to(page, "Save", role="button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#post-\d+$"))
    quoting.refresh_from_db()
    assert quoting.body.endswith(" Edited.")

    page.goto(full_topic.get_absolute_url())
    tab_to(page, "Report", role="a")  # the opening post's
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/report/$"))
    tab_to(page, "Why should a moderator look at this post?", role="textarea")
    page.keyboard.type("Off topic.")
    tab_to(page, "Report", role="button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Report.objects.get(post=opening).reason == "Off topic."


def test_a_moderator_trashes_a_reply_after_confirming_with_the_keyboard(
    page, live_server, full_topic, make_member
):
    log_in(page, live_server, make_member("mod", role="moderator"))
    page.goto(full_topic.get_absolute_url())
    tab_to(page, "Trash", role="a")  # the topic's own Trash comes first
    tab_to(page, "Trash", role="a")  # then the opening post's
    tab_to(page, "Trash", role="a")  # then the first reply's
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/moderate/trash/$"))
    reply = Post.objects.filter(topic=full_topic).exclude(pk=full_topic.first_post_id).first()
    assert page.get_by_role("heading", level=1).inner_text() == (
        f"Trash post #{reply.pk} in “Squat depth”?"
    )
    tab_to(page, "Trash", role="button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    reply.refresh_from_db()
    assert reply.status == Post.Status.TRASH
