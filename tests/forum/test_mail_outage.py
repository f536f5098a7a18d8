"""Reply notifications against a real SMTP server that works, refuses, or is gone: the reply
is saved and the member lands on it every time; failures are logged."""

import uuid

import pytest
from aiosmtpd.controller import Controller

from forum.models import TopicSubscription
from tests.servers import free_port


class Mailbox:
    """An aiosmtpd handler that keeps what it accepts, or refuses every recipient."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], str]] = []
        self.refuse = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.rcpt_tos, envelope.content.decode()))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_TIMEOUT = 5
    settings.FORUM_FLOOD_SECONDS = 0
    yield controller, mailbox
    if controller._thread is not None:
        controller.stop()


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
    controller, mailbox = smtp_server
    client.force_login(make_member("writer"))

    assert reply(client, subscribed_topic, "Delivered.").status_code == 302
    ((recipients, content),) = mailbox.received
    assert recipients == ["follower@example.com"]
    assert "Subject: [Community Forums] Reply to: Squat depth" in content

    mailbox.refuse = True
    assert reply(client, subscribed_topic, "Refused.").status_code == 302
    assert "Could not send a reply notification" in caplog.text

    controller.stop()
    caplog.clear()
    assert reply(client, subscribed_topic, "Nobody listening.").status_code == 302
    assert "Could not reach the mail server" in caplog.text

    bodies = list(subscribed_topic.posts.values_list("body", flat=True))
    assert bodies == ["Opening post.", "Delivered.", "Refused.", "Nobody listening."]
    assert len(mailbox.received) == 1
