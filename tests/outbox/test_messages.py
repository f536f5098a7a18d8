"""Sending an email queues it: it comes out of the queue as it went in, a message the mail
library refuses is refused when queued, and mail written in a rolled-back transaction is never
sent."""

import contextlib

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives, send_mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from tests.outbox.conftest import QUEUED_BACKEND


@pytest.fixture
def queued_mail(settings):
    """The queued backend with the test settings' immediate tasks and local-memory delivery."""
    settings.EMAIL_BACKEND = QUEUED_BACKEND


def test_an_email_comes_out_of_the_queue_as_it_went_in(queued_mail):
    message = EmailMultiAlternatives(
        "Subject",
        "Text body",
        "Forum <forum@example.com>",
        ["to@example.com"],
        cc=["cc@example.com"],
        bcc=["bcc@example.com"],
        reply_to=["reply@example.com"],
        headers={"X-Forum": "yes"},
    )
    message.attach_alternative("<p>HTML body</p>", "text/html")
    message.attach("data.bin", b"\x00\xff binary", "application/octet-stream")
    message.attach("notes.txt", "A text file", "text/plain")
    assert message.send() == 1

    (delivered,) = mail.outbox
    assert delivered is not message
    for field in ("subject", "body", "from_email", "to", "cc", "bcc", "reply_to"):
        assert getattr(delivered, field) == getattr(message, field)
    assert delivered.alternatives == [("<p>HTML body</p>", "text/html")]
    assert delivered.attachments == message.attachments
    # Dated and identified when queued, so every delivery attempt carries the same id.
    assert delivered.extra_headers["X-Forum"] == "yes"
    assert {"Date", "Message-ID"} <= set(delivered.extra_headers)


def test_a_header_the_mail_library_refuses_is_refused_when_queued(queued_mail):
    message = EmailMessage("Hi", "Body", to=["a@example.com\r\nBcc: x@evil.test"])
    with pytest.raises(ValueError):
        message.send()
    assert mail.outbox == []


@pytest.mark.django_db
def test_mail_queued_in_a_transaction_that_rolls_back_is_never_sent(mail_queue):
    with contextlib.suppress(RuntimeError), transaction.atomic():
        send_mail("Welcome", "Body", None, ["someone@example.com"])
        assert DBTaskResult.objects.count() == 1
        raise RuntimeError("the write failed")
    assert not DBTaskResult.objects.exists()
