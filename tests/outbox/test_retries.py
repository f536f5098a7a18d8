"""Failed deliveries are tried again later, each wait twice the last, and given up with an
error after ``OUTBOX_MAX_ATTEMPTS``; a refusal meant for good is given up at once."""

import itertools
import logging

import pytest
from django.conf import settings as django_settings
from django.core.mail import send_mail

from outbox.tasks import retry_delay
from tests.outbox.conftest import deliveries, wait_until_due


def attempt_of(task) -> int:
    return task.args_kwargs["kwargs"].get("attempt", 1)


def errors(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "outbox.tasks" and record.levelno == logging.ERROR
    ]


def test_the_default_schedule_doubles_from_30_seconds_to_an_hour_and_spans_a_day():
    waits = [retry_delay(n).total_seconds() for n in range(1, django_settings.OUTBOX_MAX_ATTEMPTS)]
    assert waits[:4] == [30, 60, 120, 240]
    assert max(waits) == 3600
    assert 24 * 3600 <= sum(waits) <= 26 * 3600


@pytest.mark.django_db(transaction=True)
def test_retries_back_off_and_give_up_after_the_last_attempt_with_an_error(
    mail_queue, settings, run_worker, caplog
):
    settings.OUTBOX_RETRY_DELAY_SECONDS = 0.5
    settings.OUTBOX_MAX_ATTEMPTS = 3
    send_mail("Hello", "Body", None, ["someone@example.com"])  # the server is down throughout
    for _ in range(settings.OUTBOX_MAX_ATTEMPTS + 1):
        run_worker()
        wait_until_due()

    attempts = deliveries()
    assert [attempt_of(task) for task in attempts] == [1, 2, 3]
    waits = [
        (later.run_after - earlier.started_at).total_seconds()
        for earlier, later in itertools.pairwise(attempts)
    ]
    assert 0.5 <= waits[0] < 0.9
    assert 1.0 <= waits[1] < 1.4
    assert [task.status for task in attempts] == ["SUCCESSFUL", "SUCCESSFUL", "FAILED"]
    assert attempts[-1].exception_class_path == "outbox.tasks.Undeliverable"
    (error,) = errors(caplog)
    assert error.startswith("Gave up on email 'Hello' to someone@example.com after 3 attempt(s)")


@pytest.mark.django_db(transaction=True)
def test_a_recipient_refused_for_good_is_given_up_at_once(mail_queue, run_worker, caplog):
    mail_queue.mailbox.refusal = "550 5.1.1 Mailbox unavailable"
    mail_queue.start()
    send_mail("Hello", "Body", None, ["gone@example.com"])
    run_worker()
    (attempt,) = deliveries()
    assert attempt.status == "FAILED"
    (error,) = errors(caplog)
    assert "Gave up on email 'Hello' to gone@example.com after 1 attempt(s)" in error


@pytest.mark.django_db(transaction=True)
def test_a_server_that_says_try_later_gets_the_mail_later(mail_queue, run_worker):
    mail_queue.mailbox.refusal = "451 4.3.0 Try again later"
    mail_queue.start()
    send_mail("Hello", "Body", None, ["busy@example.com"])
    run_worker()
    assert [attempt_of(task) for task in deliveries()] == [1, 2]
    mail_queue.mailbox.refusal = ""
    wait_until_due()
    run_worker()
    ((recipients, _),) = mail_queue.mailbox.received
    assert recipients == ["busy@example.com"]
