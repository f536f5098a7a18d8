"""Delivering queued email: one task per message, retried with backoff while the mail server
is unreachable or says "try later", given up (and logged as an error) when it refuses the
message or after ``OUTBOX_MAX_ATTEMPTS`` attempts."""

import logging
import smtplib
from datetime import timedelta
from typing import Any, NoReturn

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django_tasks import TaskContext, task

from .messages import message_from_json

logger = logging.getLogger(__name__)


class Undeliverable(Exception):
    """The worker gave up on an email; its task result is marked failed, with the reason."""


def retry_delay(attempt: int) -> timedelta:
    """How long to wait after failed attempt number ``attempt`` (1 for the first):
    ``OUTBOX_RETRY_DELAY_SECONDS``, doubled after each failure up to
    ``OUTBOX_RETRY_MAX_DELAY_SECONDS``."""
    seconds = settings.OUTBOX_RETRY_DELAY_SECONDS * 2 ** min(attempt - 1, 32)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_DELAY_SECONDS))


@task(takes_context=True)
def deliver(context: TaskContext, *, message: dict[str, Any], attempt: int = 1) -> str:
    """Send one queued email (:func:`outbox.messages.message_to_json`) through
    ``OUTBOX_DELIVERY_BACKEND``; on a failure that may pass, queue the next attempt for later.

    The connection is bounded by ``EMAIL_TIMEOUT``, so a server that accepts and never
    answers costs the worker that long per attempt, and never costs a request anything.
    """
    email = message_from_json(message)
    try:
        with get_connection(settings.OUTBOX_DELIVERY_BACKEND) as connection:
            connection.send_messages([email])
    except ValueError as error:
        _give_up(email, attempt, error)
    except OSError as error:  # smtplib's errors are OSErrors too
        if _is_refusal(error):
            _give_up(email, attempt, error)
        if attempt >= settings.OUTBOX_MAX_ATTEMPTS:
            _give_up(email, attempt, error)
        if not deliver.get_backend().supports_defer:
            _give_up(email, attempt, error, why="this task backend cannot run a task later")
        run_after = timezone.now() + retry_delay(attempt)
        deliver.using(run_after=run_after).enqueue(message=message, attempt=attempt + 1)
        _forget_message(context, email, attempt)
        logger.warning(
            "Could not deliver email %r to %s (attempt %d of %d): %r; trying again at %s",
            email.subject,
            ", ".join(email.recipients()),
            attempt,
            settings.OUTBOX_MAX_ATTEMPTS,
            error,
            run_after.isoformat(),
        )
        return f"attempt {attempt + 1} at {run_after.isoformat()}"
    _forget_message(context, email, attempt)
    return "delivered"


def _forget_message(context: TaskContext, email: EmailMessage, attempt: int) -> None:
    """Keep only the subject and recipients in this attempt's stored arguments once the message
    is delivered or handed to the next attempt: confirmation and password-reset links must not
    outlive their use in the task table, the admin's Task Results, or backups. (The worker
    saves a finished task's outcome, never its arguments.) Mail given up on is kept whole."""
    stored = getattr(context.task_result, "db_result", None)
    if stored is None:  # a backend without stored results (development, tests)
        return
    summary = f"(removed once handed on) {email.subject!r} to {', '.join(email.recipients())}"
    type(stored).objects.filter(pk=stored.pk).update(
        args_kwargs={"args": [], "kwargs": {"message": summary, "attempt": attempt}}
    )


def _is_refusal(error: OSError) -> bool:
    """Whether the server refused this message for good: every recipient, or its content,
    with a 5xx. A refused login or sender is the site's configuration and is retried, so
    fixing the settings lets the waiting mail go."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500


def _give_up(email: EmailMessage, attempt: int, error: Exception, why: str = "") -> NoReturn:
    logger.error(
        "Gave up on email %r to %s after %d attempt(s): %r%s",
        email.subject,
        ", ".join(email.recipients()),
        attempt,
        error,
        f" ({why})" if why else "",
    )
    raise Undeliverable(f"Gave up after {attempt} attempt(s): {error!r}") from error
