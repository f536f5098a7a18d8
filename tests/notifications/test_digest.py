"""The daily digest: one email per member per day listing what they want in it, sent by tasks
that ``manage.py send_digests`` queues for the worker; never twice a day, and a notification
never in two emails."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from forum.models import ForumSubscription
from notifications import digest
from notifications.models import EmailPreferences, Notification

Kind = Notification.Kind


@pytest.fixture
def new_topics(make_topic, erin):
    """``new_topics(member, *titles)``: erin starts a topic for each title and ``member`` is
    told of each (a new topic in a forum they follow: in the digest by default)."""

    def make(member, *titles: str) -> None:
        for title in titles:
            topic = make_topic(title=title, author=erin)
            ForumSubscription.objects.get_or_create(member=member, forum=topic.forum)
            Notification.objects.create(
                recipient=member,
                kind=Kind.TOPIC,
                post=topic.first_post,
                actor=erin,
                created_at=topic.created_at,
            )

    return make


@pytest.mark.django_db
class TestDigest:
    def test_one_email_per_member_lists_everything_and_a_second_run_sends_nothing(
        self, make_member, new_topics, run_digests
    ):
        alice, bob = make_member("alice"), make_member("bob")
        new_topics(alice, "Squat depth", "Bench form", "Deadlift grip")
        new_topics(bob, "Rest days")
        digests = {email.to[0]: email for email in run_digests()}
        assert sorted(digests) == ["alice@example.com", "bob@example.com"]
        body = digests["alice@example.com"].body
        assert digests["alice@example.com"].subject == (
            "[Community Forums] Your daily digest: 3 notifications"
        )
        for title in ("Squat depth", "Bench form", "Deadlift grip"):
            assert f'Erin started "{title}"' in body
        assert "Rest days" not in body
        assert run_digests() == []
        assert not Notification.objects.filter(emailed_at__isnull=True).exists()

    def test_what_comes_later_the_same_day_waits_for_the_next_days_digest(
        self, make_member, new_topics, run_digests
    ):
        alice = make_member("alice")
        new_topics(alice, "Squat depth")
        assert len(run_digests()) == 1
        new_topics(alice, "Bench form")
        assert run_digests() == []  # one digest a day
        preferences = EmailPreferences.objects.get(member=alice)
        preferences.last_digest_at -= timedelta(days=1)
        preferences.save()
        (tomorrow,) = run_digests()
        assert "Bench form" in tomorrow.body
        assert "Squat depth" not in tomorrow.body  # never in two digests

    def test_members_who_want_no_digest_get_none(
        self, make_member, new_topics, prefer, run_digests
    ):
        alice = make_member("alice")
        prefer(alice, topic="off")
        new_topics(alice, "Squat depth")
        assert run_digests() == []

    def test_old_news_is_left_out(self, make_member, new_topics, run_digests):
        alice = make_member("alice")
        new_topics(alice, "Squat depth")
        Notification.objects.update(
            created_at=Notification.objects.get().created_at - timedelta(days=8)
        )
        assert run_digests() == []

    def test_members_are_queued_in_batches(
        self, make_member, new_topics, monkeypatch, settings, run_digests
    ):
        monkeypatch.setattr(digest, "DIGEST_BATCH", 2)
        for n in range(5):
            new_topics(make_member(f"member{n}"), f"Topic {n}")
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        output = io.StringIO()
        call_command("send_digests", stdout=output)
        assert "Queued 3 digest tasks for 5 members" in output.getvalue()
        tasks = DBTaskResult.objects.filter(task_path="notifications.digest.send_digests")
        assert [len(task.args_kwargs["kwargs"]["member_ids"]) for task in tasks] == [2, 2, 1]
        assert mail.outbox == []  # the worker sends them

    def test_dry_run_queues_nothing(self, make_member, new_topics, settings):
        new_topics(make_member("alice"), "Squat depth")
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        output = io.StringIO()
        call_command("send_digests", dry_run=True, stdout=output)
        assert "Would queue 1 digest tasks for 1 members" in output.getvalue()
        assert not DBTaskResult.objects.exists()
