"""Builders for the notifications tests: notifications made through the service, with what
their commit queues (the email task) run, as the site does."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import User
from forum.models import ForumSubscription, Post, TopicSubscription
from notifications.models import EmailPreferences, Notification
from notifications.services import email_preferences_update, notification_create


@pytest.fixture
def alice(make_member) -> User:
    return make_member("alice", display_name="Alice")


@pytest.fixture
def erin(make_member) -> User:
    return make_member("erin", display_name="Erin")


@pytest.fixture
def tell(db, django_capture_on_commit_callbacks):
    """``tell(member, kind, post)``: tell ``member`` something about ``post`` (its author the
    actor) and run what that queues on commit: with the tests' immediate task backend, the
    email goes at once. For a reply or a new topic, ``member`` follows its topic or forum,
    as the members the site tells of them do."""

    def make(member: User, kind: str, post: Post) -> Notification:
        if kind == Notification.Kind.REPLY:
            TopicSubscription.objects.get_or_create(member=member, topic=post.topic)
        if kind == Notification.Kind.TOPIC:
            ForumSubscription.objects.get_or_create(member=member, forum=post.topic.forum)
        with django_capture_on_commit_callbacks(execute=True):
            notification_create(
                recipient_id=member.pk, kind=kind, post=post, actor_id=post.author_id
            )
        return Notification.objects.get(recipient=member, kind=kind, post=post)

    return make


@pytest.fixture
def prefer(db):
    """``prefer(member, reply="digest", ...)``: set ``member``'s email preferences."""

    def set_preferences(member: User, **choices: str) -> EmailPreferences:
        return email_preferences_update(member=member, choices=choices)

    return set_preferences


@pytest.fixture
def run_digests(db, django_capture_on_commit_callbacks):
    """``run_digests()``: what the daily timer does (``manage.py send_digests``), its tasks run
    at once by the tests' immediate backend; returns the digest emails it sent."""

    def run() -> list:
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_digests", stdout=io.StringIO())
        return mail.outbox[before:]

    return run
