"""The mail room as production runs it: the database task backend, the queued email backend,
a real SMTP server, and the worker (``manage.py db_worker --batch``) run by the test."""

import io
import logging
import signal
import time

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from tests.outbox.smtp import SmtpServer

QUEUED_BACKEND = "outbox.backends.QueuedEmailBackend"


@pytest.fixture
def smtp_server():
    """A real SMTP server on a port of its own, not started: the test starts it."""
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def mail_queue(settings, smtp_server):
    """Mail queued in the database and delivered by the worker to ``smtp_server``, with
    retries a test can wait for (1 s, doubling)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = QUEUED_BACKEND
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_TIMEOUT = 5
    settings.OUTBOX_RETRY_DELAY_SECONDS = 1
    settings.FORUM_FLOOD_SECONDS = 0
    # Notification emails queued at once, not a minute later: the worker run by the test
    # writes them in the same run.
    settings.NOTIFICATIONS_EMAIL_DELAY_SECONDS = 0
    return smtp_server


@pytest.fixture
def run_worker():
    """``run_worker()`` runs ``manage.py db_worker --batch``: every task that is due, then it
    exits. The worker's signal handlers and log levels are put back afterwards."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]

    def run() -> str:
        handlers = {number: signal.getsignal(number) for number in signals}
        levels = {logger: logger.level for logger in loggers}
        output = io.StringIO()
        try:
            call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=output)
        finally:
            for number, handler in handlers.items():
                signal.signal(number, handler)
            for logger, level in levels.items():
                logger.setLevel(level)
        return output.getvalue()

    return run


def deliveries() -> list[DBTaskResult]:
    """The queued ``deliver`` tasks, oldest first."""
    return list(
        DBTaskResult.objects.filter(task_path="outbox.tasks.deliver").order_by("enqueued_at")
    )


def wait_until_due() -> None:
    """Sleep until every waiting task may run."""
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).exclude(
        run_after=get_date_max()
    )
    latest = max((task.run_after for task in waiting), default=timezone.now())
    time.sleep(max(0.0, (latest - timezone.now()).total_seconds()) + 0.05)
