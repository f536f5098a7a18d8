"""Reply notifications against a real SMTP server that works, refuses, or is gone, with the
immediate task backend (development's set-up: mail goes as the reply commits): the reply is
saved and the member lands on it every time; failures are logged. The production set-up (the
database queue, the worker, retries) is tested in tests/outbox/."""

import uuid

import pytest

from forum.models import TopicSubscription
from tests.outbox.smtp import SmtpServer


@pytest.fixture
def smtp_server(settings):
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "outbox.backends.QueuedEmailBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    settings.FORUM_FLOOD_SECONDS = 0
    yield server
    server.stop()


@pytest.fixture
def subscribed_topic(make_topic, make_member):
    topic = make_topic(title="Squat depth")
    TopicSubscription.objects.create(member=make_member("follower"), topic=topic)
    return topic


def reply(client, topic, body: str):
    return client.post(
        f"/forums/topic/{topic.slug}/reply/",
        {"body": body, "token": str(uuid.uuid4()), "action": "post"},
    )


@pytest.mark.django_db(transaction=True)
def test_mail_reaches_the_smtp_server_then_replies_survive_its_refusal_and_its_absence(
    client, make_member, smtp_server, subscribed_topic, caplog
):
    mailbox = smtp_server.mailbox
    client.force_login(make_member("writer"))

    assert reply(client, subscribed_topic, "Delivered.").status_code == 302
    ((recipients, content),) = mailbox.received
    assert recipients == ["follower@example.com"]
    assert "Subject: [Community Forums] Reply to: Squat depth" in content

    mailbox.refusal = "550 5.1.1 Mailbox unavailable"
    assert reply(client, subscribed_topic, "Refused.").status_code == 302
    assert "Gave up on email" in caplog.text

    smtp_server.stop()
    caplog.clear()
    assert reply(client, subscribed_topic, "Nobody listening.").status_code == 302
    assert "this task backend cannot run a task later" in caplog.text

    bodies = list(subscribed_topic.posts.values_list("body", flat=True))
    assert bodies == ["Opening post.", "Delivered.", "Refused.", "Nobody listening."]
    assert len(mailbox.received) == 1
