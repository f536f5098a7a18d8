"""Emails as JSON, so a task can carry them: what :class:`~outbox.backends.QueuedEmailBackend`
stores and what :func:`~outbox.tasks.deliver` rebuilds."""

import base64
from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.message import sanitize_address


def message_to_json(message: EmailMessage) -> dict[str, Any]:
    """Check ``message`` the way sending it would, then return it as plain JSON.

    Rendering it here refuses what the mail library would refuse at delivery (a line break in
    a header, an address it cannot parse) with a ``ValueError`` now, rather than retrying a
    message that can never go. The rendered ``Date`` and ``Message-ID`` are kept, so the
    message is dated when it was written and every delivery attempt carries the same id.
    """
    if message.attachments and not all(
        isinstance(attachment, tuple) for attachment in message.attachments
    ):
        raise ValueError("Queued email takes (filename, content, mimetype) attachments only.")
    for address in [message.from_email, *message.recipients()]:
        sanitize_address(address, message.encoding or "utf-8")
    rendered = message.message()
    headers = {**message.extra_headers}
    for name in ("Date", "Message-ID"):
        if not any(key.lower() == name.lower() for key in headers):
            headers[name] = rendered[name]
    return {
        "subject": message.subject,
        "body": message.body,
        "content_subtype": message.content_subtype,
        "encoding": message.encoding,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": headers,
        "alternatives": [
            [content, mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": [_attachment_to_json(*attachment) for attachment in message.attachments],
    }


def message_from_json(data: dict[str, Any]) -> EmailMultiAlternatives:
    """The message :func:`message_to_json` stored."""
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        alternatives=[tuple(alternative) for alternative in data["alternatives"]],
    )
    message.content_subtype = data["content_subtype"]
    message.encoding = data["encoding"]
    for filename, content, mimetype, is_base64 in data["attachments"]:
        message.attach(filename, base64.b64decode(content) if is_base64 else content, mimetype)
    return message


def _attachment_to_json(filename: str | None, content: str | bytes, mimetype: str | None):
    if isinstance(content, bytes):
        return [filename, base64.b64encode(content).decode("ascii"), mimetype, True]
    return [filename, content, mimetype, False]
