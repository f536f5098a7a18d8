"""Members start topics and reply through the real forms; the rules hold on the server."""

import re
import uuid

import pytest

from accounts.models import User
from forum.models import Forum, Post, Topic
from forum.recount import recount_all
from tests.conftest import GUIDE_SLUG
from tests.pages import text_of

GUIDE_URL = f"/forums/topic/{GUIDE_SLUG}/"
REPLY_URL = f"{GUIDE_URL}reply/"


def reply_data(body: str = "A thoughtful reply.", **extra) -> dict:
    return {"body": body, "token": str(uuid.uuid4()), "action": "post", **extra}


def topic_data(title: str = "Squat depth", body: str = "How deep?", **extra) -> dict:
    return {"title": title, "body": body, "token": str(uuid.uuid4()), "action": "post", **extra}


@pytest.fixture
def member(make_member, client) -> User:
    member = make_member("erin", display_name="Erin")
    client.force_login(member)
    return member


@pytest.fixture(autouse=True)
def _no_flood_wait(settings):
    """Most tests post more than once in a few seconds; the flood tests set their own wait."""
    settings.FORUM_FLOOD_SECONDS = 0


def description(response) -> str:
    return re.search(r"This topic has .*? by [^.]+\.", text_of(response)).group(0)


@pytest.mark.django_db
class TestReplying:
    def test_member_lands_on_their_reply_and_the_sentence_counts_it(
        self, client, member, guide_topic
    ):
        response = client.post(REPLY_URL, reply_data("Glute work *matters*."))
        post = Post.objects.get(author=member)
        assert response.status_code == 302
        assert response["Location"] == f"{GUIDE_URL}#post-{post.pk}"
        page = client.get(GUIDE_URL)
        assert description(page) == (
            "This topic has 1 reply, 2 voices, and was last updated right now by Erin."
        )
        assert "<em>matters</em>" in page.content.decode()

    def test_every_counter_is_right_after_posting(self, client, member, guide_topic):
        client.post(REPLY_URL, reply_data())
        client.post(REPLY_URL, reply_data("Another one."))
        client.post(f"/forums/forum/{guide_topic.forum.slug}/new/", topic_data())
        guide_topic.refresh_from_db()
        assert (guide_topic.reply_count, guide_topic.voice_count) == (2, 2)
        forum = Forum.objects.get(pk=guide_topic.forum_id)
        assert (forum.topic_count, forum.post_count) == (2, 4)
        assert recount_all(dry_run=True) == []
        profile = text_of(client.get("/forums/users/erin/"))
        assert "Topics Started 1" in profile
        assert "Replies Created 2" in profile

    def test_reply_form_is_at_the_foot_of_the_topic_for_members(self, client, member):
        html = client.get(GUIDE_URL).content.decode()
        form = re.search(r'<form method="post" action="[^"]*/reply/".*?</form>', html, re.S)
        assert form, "no reply form"
        assert 'name="csrfmiddlewaretoken"' in form.group(0)
        assert re.search(r'<label for="id_body">', form.group(0))
        assert "Notify me of follow-up replies via email" in form.group(0)
        assert "You must be logged in" not in html

    def test_a_double_submitted_form_creates_one_post(self, client, member, guide_topic):
        data = reply_data()
        first = client.post(REPLY_URL, data)
        second = client.post(REPLY_URL, data)
        assert Post.objects.filter(author=member).count() == 1
        assert first["Location"] == second["Location"]
        guide_topic.refresh_from_db()
        assert guide_topic.reply_count == 1

    def test_fields_the_form_does_not_list_are_ignored(
        self, client, member, guide_topic, make_member
    ):
        other = make_member("frank")
        client.post(
            REPLY_URL,
            reply_data(author=other.pk, status="spam", created_at="2001-01-01", topic=999),
        )
        post = Post.objects.get(body="A thoughtful reply.")
        assert (post.author, post.status, post.topic_id) == (member, "published", guide_topic.pk)
        assert post.created_at.year > 2001

    def test_body_over_the_limit_gets_a_clear_error_and_nothing_is_written(
        self, client, member, settings
    ):
        settings.FORUM_MAX_POST_LENGTH = 50
        response = client.post(REPLY_URL, reply_data("x" * 51))
        assert response.status_code == 200
        assert "Posts are limited to 50 characters; yours has 51." in text_of(response)
        assert 'aria-invalid="true"' in response.content.decode()
        assert not Post.objects.filter(author=member).exists()

    def test_empty_body_is_refused(self, client, member):
        response = client.post(REPLY_URL, reply_data("   "))
        assert "Your post cannot be empty." in text_of(response)
        assert not Post.objects.filter(author=member).exists()

    def test_quote_starts_the_reply_with_the_quoted_post(self, client, member, guide_topic):
        response = client.get(f"{REPLY_URL}?quote={guide_topic.first_post_id}")
        textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", response.content.decode(), re.S)
        body = textarea.group(1).removeprefix("\n")  # HTML drops a textarea's first newline
        assert body.startswith(f"**admin** [wrote](/forums/reply/{guide_topic.first_post_id}/):")
        assert "&gt; Welcome to this comprehensive guide" in body

    def test_quote_links_are_on_each_post_for_members_only(self, client, guide_topic, member):
        quote = f"{REPLY_URL}?quote={guide_topic.first_post_id}#new-post"
        assert f'href="{quote}"' in client.get(GUIDE_URL).content.decode()
        client.logout()
        assert "?quote=" not in client.get(GUIDE_URL).content.decode()


@pytest.mark.django_db
class TestPreview:
    def test_preview_without_javascript_shows_the_rendered_post_and_writes_nothing(
        self, client, member
    ):
        response = client.post(
            REPLY_URL, reply_data("**bold** <script>x</script>", action="preview")
        )
        html = response.content.decode()
        assert response.status_code == 200
        preview = re.search(r'<section class="post-preview".*?</section>', html, re.S).group(0)
        assert "<strong>bold</strong>" in preview
        assert "<script>x" not in preview
        assert "**bold**" in html  # the text stays in the form
        assert not Post.objects.filter(author=member).exists()

    def test_live_preview_returns_sanitised_html_to_members(self, client, member):
        response = client.post("/forums/preview/", {"body": "[x](javascript:alert(1)) *hi*"})
        assert response.status_code == 200
        assert response.content.decode() == "<p>[x](javascript:alert(1)) <em>hi</em></p>\n"

    def test_live_preview_is_for_members_and_posts_only(self, client, make_member):
        assert client.post("/forums/preview/", {"body": "x"}).status_code == 403
        client.force_login(make_member())
        assert client.get("/forums/preview/").status_code == 405


@pytest.mark.django_db
class TestNewTopic:
    def test_member_starts_a_topic_from_the_forum_page(self, client, member, make_forum):
        forum = make_forum("Training")
        page = client.get(forum.get_absolute_url()).content.decode()
        assert f'action="/forums/forum/{forum.slug}/new/"' in page
        response = client.post(f"/forums/forum/{forum.slug}/new/", topic_data(notify="on"))
        topic = Topic.objects.get(title="Squat depth")
        assert response["Location"] == f"/forums/topic/squat-depth/#post-{topic.first_post_id}"
        assert topic.subscriptions.filter(member=member).exists()
        assert description(client.get(topic.get_absolute_url())) == (
            "This topic has 0 replies, 1 voice, and was last updated right now by Erin."
        )

    def test_title_over_80_characters_is_refused(self, client, member, make_forum):
        forum = make_forum("Training")
        response = client.post(f"/forums/forum/{forum.slug}/new/", topic_data(title="t" * 81))
        assert response.status_code == 200
        assert "Ensure this value has at most 80 characters (it has 81)." in text_of(response)
        assert not Topic.objects.filter(forum=forum).exists()


@pytest.mark.django_db
class TestAnonymousVisitors:
    @pytest.mark.parametrize(
        "url",
        [
            REPLY_URL,
            "/forums/forum/guides/new/",
            "/forums/reply/6700/edit/",
            f"{GUIDE_URL}subscription/",
            f"{GUIDE_URL}favorite/",
        ],
    )
    def test_posts_change_nothing_and_lead_to_login_then_back(self, client, url, guide_topic):
        before = (Post.objects.count(), Topic.objects.count(), guide_topic.first_post.body)
        response = client.post(url, {**topic_data(), "subscribe": "1", "favorite": "1"})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/forums/")
        assert (Post.objects.count(), Topic.objects.count(), guide_topic.first_post.body) == before
        assert not guide_topic.subscriptions.exists()
        assert not guide_topic.favorites.exists()

    def test_login_redirect_comes_back_to_the_topic(self, client, guide_topic):
        response = client.post(REPLY_URL, reply_data())
        assert response["Location"] == f"/accounts/login/?next={GUIDE_URL}"


@pytest.mark.django_db
class TestClosedAndRoles:
    def test_closed_topic_refuses_replies_with_bbpress_words(self, client, member, guide_topic):
        Topic.objects.filter(pk=guide_topic.pk).update(status="closed")
        message = "The topic ‘Do Hip Thrusts Work the Lower Back?’ is closed to new replies."
        assert message in text_of(client.get(GUIDE_URL))
        response = client.post(REPLY_URL, reply_data())
        assert response.status_code == 403
        assert message in text_of(response)
        assert not Post.objects.filter(author=member).exists()

    def test_closed_forum_refuses_topics_and_replies(self, client, member, guide_topic, make_forum):
        Forum.objects.filter(pk=guide_topic.forum_id).update(status="closed")
        message = "The forum ‘Guides’ is closed to new topics and replies."
        assert message in text_of(client.get("/forums/forum/guides/"))
        assert client.post("/forums/forum/guides/new/", topic_data()).status_code == 403
        assert client.post(REPLY_URL, reply_data()).status_code == 403
        assert not Post.objects.filter(author=member).exists()

    def test_moderators_may_reply_to_closed_topics(self, client, guide_topic, make_member):
        client.force_login(make_member("mod", role="moderator"))
        Topic.objects.filter(pk=guide_topic.pk).update(status="closed")
        assert client.post(REPLY_URL, reply_data()).status_code == 302

    @pytest.mark.parametrize("role", ["blocked", "spectator"])
    def test_blocked_and_spectators_cannot_reply(self, client, make_member, guide_topic, role):
        client.force_login(make_member(role=role))
        assert "You cannot reply to this topic." in text_of(client.get(GUIDE_URL))
        assert client.post(REPLY_URL, reply_data()).status_code == 403
        assert client.post("/forums/forum/guides/new/", topic_data()).status_code == 403
        assert Post.objects.count() == 1


@pytest.mark.django_db
class TestFloodAndLinks:
    def test_a_second_post_within_the_flood_time_is_refused(
        self, client, member, settings, time_machine
    ):
        settings.FORUM_FLOOD_SECONDS = 10
        time_machine.move_to("2026-11-25 12:00:00 +0000", tick=False)
        client.post(REPLY_URL, reply_data("First."))
        time_machine.move_to("2026-11-25 12:00:09 +0000", tick=False)
        response = client.post(REPLY_URL, reply_data("Second."))
        assert "Slow down; you move too fast." in text_of(response)
        time_machine.move_to("2026-11-25 12:00:11 +0000", tick=False)
        client.post(REPLY_URL, reply_data("Third."))
        assert list(Post.objects.filter(author=member).values_list("body", flat=True)) == [
            "First.",
            "Third.",
        ]

    def test_moderators_are_exempt_from_flood_control(self, client, make_member, settings):
        settings.FORUM_FLOOD_SECONDS = 10
        moderator = make_member("mod", role="moderator")
        client.force_login(moderator)
        client.post(REPLY_URL, reply_data("One."))
        client.post(REPLY_URL, reply_data("Two."))
        assert Post.objects.filter(author=moderator).count() == 2

    def test_the_same_reply_twice_is_a_duplicate(self, client, member):
        client.post(REPLY_URL, reply_data("Same words."))
        response = client.post(REPLY_URL, reply_data("Same words."))
        assert "Duplicate reply detected" in text_of(response)
        assert Post.objects.filter(author=member).count() == 1

    def test_new_members_posts_with_many_links_wait_for_approval(self, client, member, settings):
        settings.FORUM_NEW_MEMBER_POSTS = 1
        settings.FORUM_NEW_MEMBER_MAX_LINKS = 2
        spammy = "https://a.example https://b.example https://c.example"
        response = client.post(REPLY_URL, reply_data(spammy), follow=True)
        assert "Your reply is awaiting moderation" in text_of(response)
        assert Post.objects.get(author=member).status == "pending"
        Post.objects.filter(author=member).update(status="published")  # approved, say
        client.post(REPLY_URL, reply_data(spammy + " https://d.example"))
        assert Post.objects.filter(author=member, status="published").count() == 2


@pytest.mark.django_db
class TestEditing:
    def reply_by(self, client, member) -> Post:
        client.post(REPLY_URL, reply_data("Orignal text."))
        return Post.objects.get(author=member)

    def test_author_edits_within_the_window_and_the_log_says_so(self, client, member, time_machine):
        time_machine.move_to("2026-11-25 12:00:00 +0000", tick=False)
        post = self.reply_by(client, member)
        edit_url = f"/forums/reply/{post.pk}/edit/"
        assert f'href="{edit_url}"' in client.get(GUIDE_URL).content.decode()
        response = client.post(edit_url, {"body": "Original text.", "reason": "typo"})
        assert response["Location"] == f"{GUIDE_URL}#post-{post.pk}"
        time_machine.move_to("2026-11-25 12:02:00 +0000", tick=False)
        post.refresh_from_db()
        assert post.body == "Original text."
        assert "This reply was modified 2 minutes ago by Erin. Reason: typo" in text_of(
            client.get(GUIDE_URL)
        )

    def test_edit_after_the_window_is_refused_and_changes_nothing(
        self, client, member, settings, time_machine
    ):
        settings.FORUM_EDIT_WINDOW_SECONDS = 300
        time_machine.move_to("2026-11-25 12:00:00 +0000", tick=False)
        post = self.reply_by(client, member)
        time_machine.move_to("2026-11-25 12:05:01 +0000", tick=False)
        edit_url = f"/forums/reply/{post.pk}/edit/"
        assert f'href="{edit_url}"' not in client.get(GUIDE_URL).content.decode()
        assert client.post(edit_url, {"body": "Changed."}).status_code == 403
        post.refresh_from_db()
        assert (post.body, post.revisions.count()) == ("Orignal text.", 0)

    def test_members_cannot_edit_others_posts(self, client, member, guide_topic):
        url = f"/forums/reply/{guide_topic.first_post_id}/edit/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"body": "Hijacked."}).status_code == 404
        guide_topic.first_post.refresh_from_db()
        assert "Hijacked" not in guide_topic.first_post.body

    def test_moderators_edit_members_posts_and_the_opening_posts_title(
        self, client, make_topic, make_member, ago
    ):
        topic = make_topic(title="Squat depth", created_at=ago(days=3))
        client.force_login(make_member("mod", role="moderator", display_name="Mo"))
        url = f"/forums/reply/{topic.first_post_id}/edit/"
        response = client.post(url, {"title": "Hip Thrusts", "body": "New text.", "reason": ""})
        assert response.status_code == 302
        topic.refresh_from_db()
        assert topic.title == "Hip Thrusts"
        page = client.get(topic.get_absolute_url())
        assert "This topic was modified right now by Mo." in text_of(page)

    def test_moderators_do_not_edit_a_keymasters_post(self, client, guide_topic, make_member):
        client.force_login(make_member("mod", role="moderator"))
        url = f"/forums/reply/{guide_topic.first_post_id}/edit/"
        assert (
            client.post(url, {"title": "Mine", "body": "Hijacked.", "reason": ""}).status_code
            == 404
        )
        guide_topic.refresh_from_db()
        assert guide_topic.title == "Do Hip Thrusts Work the Lower Back?"


@pytest.mark.django_db
def test_member_topic_page_query_count_does_not_grow_with_posts(
    client, member, make_topic, make_reply, django_assert_num_queries
):
    small = make_topic()
    big = make_topic()
    for _ in range(30):
        make_reply(big)
    for url in [
        small.get_absolute_url(),
        big.get_absolute_url(),
        f"{big.get_absolute_url()}page/2/",
    ]:
        client.get(url)  # read once: the pages below are read again
    # Session, user, topic, posts, the member's marks (subscribed? favorite? posts held?), and
    # how far they have read (reading.services.topic_read_record).
    with django_assert_num_queries(6):
        client.get(small.get_absolute_url())
    with django_assert_num_queries(6):
        client.get(big.get_absolute_url())
    with django_assert_num_queries(6):
        client.get(f"{big.get_absolute_url()}page/2/")


@pytest.mark.django_db
def test_a_reply_sent_with_a_mangled_token_can_be_sent_again(client, member, make_topic, settings):
    settings.FORUM_FLOOD_SECONDS = 0
    topic = make_topic()
    client.force_login(member)
    url = f"/forums/topic/{topic.slug}/reply/"
    response = client.post(
        url, {"body": "Below parallel.", "token": "not-a-token", "action": "post"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This form was out of date. Check your text and send it again." in page
    assert "Below parallel." in page  # the text is kept
    fresh = re.search(r'name="token" value="([0-9a-f-]{36})"', page).group(1)
    response = client.post(url, {"body": "Below parallel.", "token": fresh, "action": "post"})
    assert response.status_code == 302
    assert topic.posts.filter(body="Below parallel.").count() == 1
