"""No floods, as production runs it (the database task queue and the worker): a member
mentioned fifty times in a minute gets one email listing them all, and at most one email per
gap after that; the replies that mention them wait for none of it."""

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from forum import services
from notifications.models import Notification
from tests.outbox import conftest as outbox

run_worker = outbox.run_worker  # the fixture: manage.py db_worker --batch

EMAIL_TASK = "notifications.emails.send_notification_emails"


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.FORUM_FLOOD_SECONDS = 0
    settings.NOTIFICATIONS_EMAIL_DELAY_SECONDS = 60
    settings.NOTIFICATIONS_EMAIL_MIN_GAP_MINUTES = 10


def waiting_emails():
    return DBTaskResult.objects.filter(task_path=EMAIL_TASK, status=TaskResultStatus.READY)


def time_passes(time_machine, **delta) -> None:
    time_machine.move_to(timezone.now() + timedelta(**delta), tick=True)


def mention(topic, author, n: int) -> None:
    services.reply_submit(
        topic=topic, author=author, body=f"@alice, look at this ({n}).",
        idempotency_token=uuid.uuid4(),
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_fifty_mentions_in_a_minute_make_one_email_then_one_per_gap(
    queue, make_member, make_topic, run_worker, time_machine
):
    make_member("alice")
    topic = make_topic(title="Squat depth")
    writers = [make_member(f"writer{n}") for n in range(5)]
    for n in range(50):
        mention(topic, writers[n % 5], n)
    run_worker()  # tells alice fifty times; her email waits a minute for more
    assert Notification.objects.filter(kind="mention").count() == 50
    assert mail.outbox == []

    time_passes(time_machine, seconds=61)
    run_worker()
    (email,) = mail.outbox
    assert email.to == ["alice@example.com"]
    assert email.subject == "[Community Forums] What is new for you: 50 notifications"
    assert email.body.count('mentioned you in "Squat depth"') == 50
    assert not waiting_emails().exists()  # the other 49 tasks found nothing left to send

    mention(topic, writers[0], 50)  # a minute later: within the gap
    run_worker()
    time_passes(time_machine, seconds=61)
    run_worker()
    assert len(mail.outbox) == 1
    (later,) = waiting_emails()
    assert later.run_after > timezone.now() + timedelta(minutes=9)

    time_passes(time_machine, minutes=10)
    run_worker()
    assert len(mail.outbox) == 2
    assert 'mentioned you in "Squat depth"' in mail.outbox[1].body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_a_reply_to_a_topic_with_a_thousand_followers_costs_what_one_follower_costs(
    queue, client, make_member, make_topic, run_worker
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from forum.models import TopicSubscription

    quiet, busy = make_topic(title="Quiet"), make_topic(title="Busy")
    erin = make_member("erin")
    User.objects.bulk_create(
        User(username=f"follower{n}", email=f"follower{n}@example.com") for n in range(1000)
    )
    followers = User.objects.filter(username__startswith="follower")
    TopicSubscription.objects.bulk_create(
        TopicSubscription(topic=busy, member=member) for member in followers
    )
    TopicSubscription.objects.create(topic=quiet, member=followers.first())
    client.force_login(erin)

    def reply(topic) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                f"/forums/topic/{topic.slug}/reply/",
                {"body": "Below parallel.", "token": str(uuid.uuid4()), "action": "post"},
            )
        assert response.status_code == 302
        return len(queries)

    assert reply(busy) == reply(quiet)  # the fan-out is queued, not done, in the request
    assert not Notification.objects.exists()
    run_worker()
    assert Notification.objects.filter(post__topic=busy).count() == 1000
    assert set(followers.values_list("unread_notifications", flat=True)) == {1, 2}
