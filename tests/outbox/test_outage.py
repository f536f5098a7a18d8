"""A mail server that is down or never answers costs a request nothing: the mail waits in
the queue and the worker delivers it when the server is back, nothing lost."""

import json
import re
import time
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django_tasks_db.models import DBTaskResult

from forum.models import TopicSubscription
from tests.outbox.conftest import deliveries, wait_until_due
from tests.outbox.smtp import SilentServer

PASSWORD = "lift-heavy-2026!"


def reply(client, topic, body: str):
    return client.post(
        f"/forums/topic/{topic.slug}/reply/",
        {"body": body, "token": str(uuid.uuid4()), "action": "post"},
    )


def signup(client):
    return client.post(
        "/accounts/signup/",
        {"username": "newcomer", "email": "newcomer@example.com",
         "password1": PASSWORD, "password2": PASSWORD},
    )  # fmt: skip


@pytest.fixture
def subscribed_topic(make_topic, make_member):
    topic = make_topic(title="Squat depth")
    TopicSubscription.objects.create(member=make_member("follower"), topic=topic)
    return topic


@pytest.fixture
def writer(make_member) -> Client:
    client = Client()
    client.force_login(make_member("writer"))
    return client


@pytest.mark.django_db(transaction=True)
def test_mail_written_while_the_server_is_down_is_delivered_when_it_returns(
    client, writer, subscribed_topic, mail_queue, run_worker, caplog
):
    assert reply(writer, subscribed_topic, "Deep enough.").status_code == 302
    assert signup(client).status_code == 302
    queued = list(DBTaskResult.objects.all())
    assert sorted(task.task_path for task in queued) == [
        "notifications.tasks.notify_topic_subscribers",  # the follower's inbox, then email
        "outbox.tasks.deliver",  # the confirmation
    ]
    assert all(task.status == "READY" and not task.worker_ids for task in queued)

    run_worker()  # the server is still down: both emails wait for another attempt
    waiting = [task for task in deliveries() if task.status == "READY"]
    assert len(waiting) == 2
    assert all(task.args_kwargs["kwargs"]["attempt"] >= 2 for task in waiting)
    assert "Could not deliver email" in caplog.text
    assert mail_queue.mailbox.received == []

    mail_queue.start()
    wait_until_due()
    run_worker()
    received = {recipients[0]: content for recipients, content in mail_queue.mailbox.received}
    assert sorted(received) == ["follower@example.com", "newcomer@example.com"]
    assert "Subject: [Community Forums] Reply to: Squat depth" in received["follower@example.com"]
    assert not DBTaskResult.objects.filter(status="READY").exists()
    # Handed on, the messages are no longer stored: the confirmation link was a secret.
    assert not any("confirm-email" in json.dumps(task.args_kwargs) for task in deliveries())
    link = re.search(
        r"http://testserver(/accounts/confirm-email/\S+/)", received["newcomer@example.com"]
    )
    client.post(link.group(1))
    assert EmailAddress.objects.get(email="newcomer@example.com").verified


@pytest.mark.django_db(transaction=True)
def test_a_server_that_never_answers_slows_no_request_and_holds_the_worker_email_timeout(
    client, writer, subscribed_topic, mail_queue, settings, run_worker
):
    silent = SilentServer()
    settings.EMAIL_PORT = silent.port
    settings.EMAIL_TIMEOUT = 2
    settings.OUTBOX_RETRY_DELAY_SECONDS = 60
    try:
        started = time.monotonic()
        assert reply(writer, subscribed_topic, "Deep enough.").status_code == 302
        assert signup(client).status_code == 302
        assert time.monotonic() - started < settings.EMAIL_TIMEOUT

        started = time.monotonic()
        run_worker()
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    # Two deliveries, each given up after EMAIL_TIMEOUT and queued for a minute later.
    assert 2 * settings.EMAIL_TIMEOUT <= elapsed < 2 * settings.EMAIL_TIMEOUT + 3
    waiting = [task for task in deliveries() if task.status == "READY"]
    assert [task.args_kwargs["kwargs"]["attempt"] for task in waiting] == [2, 2]
