"""Notification emails: each kind as the member prefers (at once, in the daily digest, or not
at all), never twice, never about a post hidden since, never to a member who may not get
them; each with a one-click unsubscribe that needs no login."""

import re

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from accounts.services import member_set_role
from forum.models import ForumSubscription, Post, TopicSubscription
from notifications.emails import send_notification_emails
from notifications.models import PREFERENCE_OF_KIND, EmailPreferences, Notification

Kind = Notification.Kind
ALICE = ["alice@example.com"]


@pytest.fixture
def topic(make_topic, erin):
    return make_topic(title="Squat depth", author=erin, body="How deep?")


@pytest.fixture
def post_for(topic, make_reply, alice, erin):
    """``post_for(kind)``: a post a notification of ``kind`` to alice is about: erin's (the
    topic's opening post for "topic"), or alice's own for the moderation kinds (held: pending)."""

    def make(kind: str) -> Post:
        if kind == Kind.TOPIC:
            return topic.first_post
        if kind in (Kind.APPROVED, Kind.HELD):
            post = make_reply(topic, author=alice, body="My own words.")
            if kind == Kind.HELD:
                Post.objects.filter(pk=post.pk).update(status=Post.Status.PENDING)
                post.refresh_from_db()
            return post
        return make_reply(topic, author=erin, body="Below parallel, @alice.")

    return make


def mail_client() -> Client:
    """A mail client following a link: no cookie, no CSRF token (and CSRF checked)."""
    return Client(enforce_csrf_checks=True)


def to_alice() -> list:
    return [email for email in mail.outbox if email.to == ALICE]


@pytest.mark.django_db
class TestPreferences:
    @pytest.mark.parametrize("kind", Kind.values)
    @pytest.mark.parametrize(
        ("when", "at_once", "in_digest"),
        [("immediately", 1, 0), ("digest", 0, 1), ("off", 0, 0)],
    )
    def test_each_kind_is_emailed_as_the_member_prefers(
        self, kind, when, at_once, in_digest, alice, post_for, tell, prefer, run_digests
    ):
        prefer(alice, **{PREFERENCE_OF_KIND[kind]: when})
        tell(alice, kind, post_for(kind))
        assert len(to_alice()) == at_once
        assert len(run_digests()) == in_digest

    def test_the_defaults_email_what_is_about_you_at_once_and_new_topics_daily(
        self, alice, post_for, tell, run_digests
    ):
        tell(alice, Kind.MENTION, post_for(Kind.MENTION))
        tell(alice, Kind.TOPIC, post_for(Kind.TOPIC))
        assert [email.subject for email in to_alice()] == [
            "[Community Forums] Erin mentioned you in: Squat depth"
        ]
        (digest,) = run_digests()
        assert digest.subject == "[Community Forums] Your daily digest: 1 notification"
        assert 'Erin started "Squat depth"' in digest.body
        assert not EmailPreferences.objects.filter(member=alice, mention="off").exists()

    def test_a_row_is_written_only_when_the_member_is_first_emailed(self, alice, post_for, tell):
        tell(alice, Kind.TOPIC, post_for(Kind.TOPIC))  # for the digest: nothing sent yet
        assert not EmailPreferences.objects.exists()
        tell(alice, Kind.MENTION, post_for(Kind.MENTION))
        saved = EmailPreferences.objects.get(member=alice)
        assert (saved.mention, saved.topic) == ("immediately", "digest")
        assert saved.last_emailed_at is not None


@pytest.mark.django_db
class TestWhatAnEmailSays:
    def test_a_mention_names_the_author_by_public_name_and_links_the_post(
        self, alice, erin, post_for, tell
    ):
        post = post_for(Kind.MENTION)
        tell(alice, Kind.MENTION, post)
        (email,) = to_alice()
        assert 'Erin mentioned you in "Squat depth":' in email.body
        assert "Below parallel, @alice." in email.body
        assert f"Read the post: http://testserver/forums/reply/{post.pk}/" in email.body
        assert "erin@example.com" not in email.message().as_string()
        assert "Email preferences: http://testserver/notifications/email/" in email.body

    @pytest.mark.parametrize("kind", Kind.values)
    def test_every_email_carries_a_one_click_unsubscribe(self, kind, alice, post_for, tell, prefer):
        prefer(alice, **{PREFERENCE_OF_KIND[kind]: "immediately"})
        tell(alice, kind, post_for(kind))
        (email,) = to_alice()
        assert re.fullmatch(r"<http://testserver/\S+/>", email.extra_headers["List-Unsubscribe"])
        assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert email.extra_headers["List-Unsubscribe"][1:-1] in email.body

    def test_a_digest_carries_a_one_click_unsubscribe(self, alice, post_for, tell, run_digests):
        tell(alice, Kind.TOPIC, post_for(Kind.TOPIC))
        (digest,) = run_digests()
        assert digest.extra_headers["List-Unsubscribe"].startswith(
            "<http://testserver/notifications/unsubscribe/"
        )
        assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    def test_a_post_hidden_before_the_email_is_written_is_not_named(
        self, alice, post_for, django_capture_on_commit_callbacks
    ):
        from notifications.services import notification_create

        post = post_for(Kind.MENTION)
        with django_capture_on_commit_callbacks(execute=False) as queued:
            notification_create(
                recipient_id=alice.pk, kind=Kind.MENTION, post=post, actor_id=post.author_id
            )
        Post.objects.filter(pk=post.pk).update(status=Post.Status.TRASH)
        with django_capture_on_commit_callbacks(execute=True):
            for callback in queued:
                callback()
        assert to_alice() == []

    @pytest.mark.parametrize("kind", [Kind.REPLY, Kind.TOPIC])
    def test_a_member_who_stopped_following_is_not_emailed(
        self, kind, alice, post_for, django_capture_on_commit_callbacks
    ):
        from notifications.services import notification_create

        post = post_for(kind)
        with django_capture_on_commit_callbacks(execute=False) as queued:
            notification_create(
                recipient_id=alice.pk, kind=kind, post=post, actor_id=post.author_id
            )
        # Not following (any more) when the email is written: as after one click on the last.
        assert not TopicSubscription.objects.filter(member=alice).exists()
        assert not ForumSubscription.objects.filter(member=alice).exists()
        with django_capture_on_commit_callbacks(execute=True):
            for callback in queued:
                callback()
        assert to_alice() == []

    def test_a_digest_leaves_out_topics_hidden_since(
        self, alice, make_topic, erin, tell, run_digests
    ):
        kept = make_topic(title="Bench form", author=erin)
        hidden = make_topic(title="Buy pills", author=erin)
        tell(alice, Kind.TOPIC, kept.first_post)
        tell(alice, Kind.TOPIC, hidden.first_post)
        type(hidden).objects.filter(pk=hidden.pk).update(status="spam")
        (digest,) = run_digests()
        assert "Bench form" in digest.body
        assert "Buy pills" not in digest.body

    @pytest.mark.parametrize("who", ["inactive", "blocked", "without an address"])
    def test_members_who_may_not_be_emailed_are_not(self, who, alice, post_for, tell):
        if who == "inactive":
            User.objects.filter(pk=alice.pk).update(is_active=False)
        elif who == "blocked":
            member_set_role(member=alice, role=User.Role.BLOCKED)
        else:
            User.objects.filter(pk=alice.pk).update(email="")
        tell(alice, Kind.MENTION, post_for(Kind.MENTION))
        assert mail.outbox == []


@pytest.mark.django_db
class TestNeverTwice:
    def test_a_notification_is_emailed_once_however_often_the_task_runs(
        self, alice, post_for, tell, prefer, run_digests
    ):
        notification = tell(alice, Kind.MENTION, post_for(Kind.MENTION))
        send_notification_emails.call(member_ids=[alice.pk], kind=Kind.MENTION)
        prefer(alice, mention="digest")
        assert run_digests() == []
        assert len(to_alice()) == 1
        notification.refresh_from_db()
        assert notification.emailed_at is not None

    def test_what_gathered_goes_as_one_email_listing_each(
        self, alice, erin, post_for, make_reply, topic, django_capture_on_commit_callbacks
    ):
        from notifications.services import notification_create

        posts = [post_for(Kind.MENTION) for _ in range(3)]
        with django_capture_on_commit_callbacks(execute=False):
            for post in posts:
                notification_create(
                    recipient_id=alice.pk, kind=Kind.MENTION, post=post, actor_id=erin.pk
                )
        send_notification_emails.call(member_ids=[alice.pk], kind=Kind.MENTION)
        (email,) = to_alice()
        assert email.subject == "[Community Forums] What is new for you: 3 notifications"
        for post in posts:
            assert f"http://testserver/forums/reply/{post.pk}/" in email.body
        assert email.body.count('Erin mentioned you in "Squat depth"') == 3


@pytest.mark.django_db
class TestOneClickUnsubscribe:
    def unsubscribe_url(self, email) -> str:
        return email.extra_headers["List-Unsubscribe"][1:-1].removeprefix("http://testserver")

    def test_a_reply_email_unsubscribes_from_its_topic(self, alice, post_for, topic, tell):
        TopicSubscription.objects.create(member=alice, topic=topic)
        tell(alice, Kind.REPLY, post_for(Kind.REPLY))
        (email,) = to_alice()
        url = self.unsubscribe_url(email)
        assert url.startswith("/forums/unsubscribe/")
        assert "Stop emails about replies to" in mail_client().get(url).content.decode()
        assert TopicSubscription.objects.filter(member=alice).exists()  # GET writes nothing
        done = mail_client().post(url)
        assert "gets no more emails about replies" in done.content.decode()
        assert not TopicSubscription.objects.filter(member=alice).exists()

    def test_a_new_topic_email_unsubscribes_from_its_forum(
        self, alice, topic, post_for, tell, prefer
    ):
        ForumSubscription.objects.create(member=alice, forum=topic.forum)
        prefer(alice, topic="immediately")
        tell(alice, Kind.TOPIC, post_for(Kind.TOPIC))
        (email,) = to_alice()
        assert email.subject == f"[Community Forums] New topic in {topic.forum.name}: Squat depth"
        url = self.unsubscribe_url(email)
        assert url.startswith("/forums/unsubscribe/forum/")
        page = mail_client().get(url).content.decode()
        assert "Stop emails about new topics in" in page
        assert ForumSubscription.objects.filter(member=alice).exists()
        done = mail_client().post(url)
        assert "gets no more emails about new topics" in done.content.decode()
        assert not ForumSubscription.objects.filter(member=alice).exists()

    @pytest.mark.parametrize("kind", [Kind.MENTION, Kind.QUOTE, Kind.APPROVED, Kind.HELD])
    def test_other_emails_turn_their_kind_off(self, kind, alice, post_for, tell):
        tell(alice, kind, post_for(kind))
        (email,) = to_alice()
        url = self.unsubscribe_url(email)
        assert url.startswith("/notifications/unsubscribe/")
        field = PREFERENCE_OF_KIND[kind]
        mail_client().get(url)
        assert getattr(EmailPreferences.objects.get(member=alice), field) == "immediately"
        done = mail_client().post(url)
        assert "gets no more emails about" in done.content.decode()
        preferences = EmailPreferences.objects.get(member=alice)
        assert getattr(preferences, field) == "off"
        others = {name for name in EmailPreferences.ABOUT if name != field}
        assert {getattr(preferences, name) for name in others - {"topic"}} == {"immediately"}

    def test_a_digest_turns_the_digest_kinds_off(self, alice, post_for, tell, run_digests):
        tell(alice, Kind.TOPIC, post_for(Kind.TOPIC))
        (digest,) = run_digests()
        mail_client().post(self.unsubscribe_url(digest))
        assert EmailPreferences.objects.get(member=alice).topic == "off"

    @pytest.mark.parametrize(
        "url", ["/notifications/unsubscribe/forged/", "/forums/unsubscribe/forum/forged/"]
    )
    def test_a_tampered_link_is_refused_and_changes_nothing(self, url, alice, prefer):
        response = mail_client().post(url)
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.content.decode()
        assert not EmailPreferences.objects.exists()
