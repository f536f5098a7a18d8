"""The ``EMAIL_BACKEND`` of every environment: sending an email queues it."""

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from .messages import message_to_json
from .tasks import deliver


class QueuedEmailBackend(BaseEmailBackend):
    """Queue one :func:`~outbox.tasks.deliver` task per message and return at once.

    With the database task backend, queuing is an insert in the caller's transaction: a
    request never waits for the mail server, and mail written in a transaction that rolls back
    is never sent. A message the mail library refuses (a line break in a header, an address it
    cannot parse) raises ``ValueError`` here, unless ``fail_silently``.
    """

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        queued = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                deliver.enqueue(message=message_to_json(message))
            except Exception:
                if not self.fail_silently:
                    raise
            else:
                queued += 1
        return queued
