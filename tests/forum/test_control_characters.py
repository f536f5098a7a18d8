"""Control characters in what members type: single-line fields refuse them with a clear error
and write nothing; notifications never fail the reply that triggered them."""

import uuid

import pytest
from django.core import mail

from accounts.models import User
from forum.models import Post, PostRevision, Report, Topic, TopicSubscription
from tests.pages import text_of

SINGLE_LINE_ERROR = "This must be a single line of text, without line breaks, tabs or other"
MULTI_LINE_ERROR = "This text holds control characters"
# CR/LF (header injection), a tab, an escape, NEL, a line separator, a right-to-left override.
NOT_ONE_LINE = ["Squats\r\nBcc: all@example.com", "Squats\tdepth", "Squats\x1b[2J", "A\x85B",
                "A\u2028B", "evil\u202egnp.exe"]  # fmt: skip


@pytest.fixture(autouse=True)
def _no_flood_wait(settings):
    settings.FORUM_FLOOD_SECONDS = 0


@pytest.fixture
def member(make_member, client) -> User:
    member = make_member("erin")
    client.force_login(member)
    return member


def submission(**fields) -> dict:
    return {"body": "How deep?", "token": str(uuid.uuid4()), "action": "post", **fields}


@pytest.mark.django_db
class TestSingleLineFields:
    @pytest.mark.parametrize("title", NOT_ONE_LINE)
    def test_a_new_topic_title_is_one_line(self, client, member, make_forum, title):
        forum = make_forum()
        response = client.post(f"/forums/forum/{forum.slug}/new/", submission(title=title))
        assert response.status_code == 200
        assert SINGLE_LINE_ERROR in text_of(response)
        assert not Topic.objects.filter(forum=forum).exists()

    def test_an_edited_title_and_its_reason_are_one_line(self, client, member, make_topic):
        topic = make_topic(author=member, title="Squat depth")
        response = client.post(
            f"/forums/reply/{topic.first_post_id}/edit/",
            {"title": "New\r\ntitle", "body": "Changed", "reason": "typo\nfix"},
        )
        assert response.status_code == 200
        assert text_of(response).count(SINGLE_LINE_ERROR) == 2
        topic.refresh_from_db()
        assert topic.title == "Squat depth"
        assert Post.objects.get(pk=topic.first_post_id).body == "Opening post."
        assert not PostRevision.objects.exists()

    @pytest.mark.parametrize("name", NOT_ONE_LINE)
    def test_a_display_name_is_one_line(self, client, member, name):
        response = client.post(f"/forums/users/{member.username}/edit/", {"display_name": name})
        assert response.status_code == 200
        assert SINGLE_LINE_ERROR in text_of(response)
        member.refresh_from_db()
        assert member.display_name == ""

    def test_a_split_title_is_one_line(self, client, make_member, make_topic, make_reply):
        topic = make_topic()
        reply = make_reply(topic)
        client.force_login(make_member(role="moderator", is_staff=True))
        response = client.post(f"/forums/reply/{reply.pk}/split/", {"title": "Spun\r\noff"})
        assert response.status_code == 200
        assert SINGLE_LINE_ERROR in text_of(response)
        assert Topic.objects.count() == 2  # the guide and this one

    def test_the_admin_refuses_a_title_with_a_line_break(self, client, make_member, make_topic):
        topic = make_topic(title="Squat depth")
        client.force_login(make_member(is_staff=True, is_superuser=True))
        response = client.post(
            f"/admin/forum/topic/{topic.pk}/change/", {"title": "Squat\r\ndepth", "pin": 0}
        )
        assert response.status_code == 200
        assert SINGLE_LINE_ERROR in text_of(response)
        topic.refresh_from_db()
        assert topic.title == "Squat depth"


@pytest.mark.django_db
class TestMultiLineFields:
    def test_posts_keep_line_breaks_and_tabs(self, client, member, make_topic):
        topic = make_topic()
        body = "First line\r\n\r\n\tindented"
        response = client.post(f"/forums/topic/{topic.slug}/reply/", submission(body=body))
        assert response.status_code == 302
        assert Post.objects.filter(topic=topic, body=body).exists()

    @pytest.mark.parametrize("body", ["ring \x07 the bell", "escape \x1b[31m red", "a\x0bb"])
    def test_posts_refuse_other_control_characters(self, client, member, make_topic, body):
        topic = make_topic()
        response = client.post(f"/forums/topic/{topic.slug}/reply/", submission(body=body))
        assert response.status_code == 200
        assert MULTI_LINE_ERROR in text_of(response)
        assert topic.posts.count() == 1

    def test_a_report_reason_refuses_control_characters(
        self, client, member, make_topic, make_reply
    ):
        reply = make_reply(make_topic())
        response = client.post(f"/forums/reply/{reply.pk}/report/", {"reason": "spam\x1b"})
        assert response.status_code == 200
        assert MULTI_LINE_ERROR in text_of(response)
        assert not Report.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_replies_to_a_topic_whose_title_holds_a_line_break_still_notify(
    client, make_member, make_topic
):
    """A title stored before titles were checked (or imported) still makes a valid email."""
    topic = make_topic(title="Squats\r\nBcc: all@example.com")
    follower = make_member("follower")
    TopicSubscription.objects.create(member=follower, topic=topic)
    client.force_login(make_member())
    response = client.post(f"/forums/topic/{topic.slug}/reply/", submission(body="Deep."))
    assert response.status_code == 302
    assert topic.posts.count() == 2
    (email,) = mail.outbox
    assert email.to == ["follower@example.com"]
    assert email.subject == "[Community Forums] Reply to: Squats Bcc: all@example.com"
    assert "Bcc" not in email.message()


@pytest.mark.django_db(transaction=True)
def test_a_notification_that_cannot_be_built_fails_neither_the_reply_nor_the_others(
    client, make_member, make_topic, caplog
):
    topic = make_topic()
    for name in ("first", "second"):
        TopicSubscription.objects.create(member=make_member(name), topic=topic)
    # An address the mail library refuses as a header value.
    User.objects.filter(username="first").update(email="first@example.com\r\nBcc: x@evil.test")
    client.force_login(make_member())
    response = client.post(f"/forums/topic/{topic.slug}/reply/", submission(body="Deep."))
    assert response.status_code == 302
    assert [email.to for email in mail.outbox] == [["second@example.com"]]
    assert "Could not email notifications to member" in caplog.text
