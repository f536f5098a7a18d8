"""The mail room: every email the site sends is queued here and delivered by the worker.

``EMAIL_BACKEND`` is :class:`outbox.backends.QueuedEmailBackend`, so allauth's messages, reply
notifications and anything later are stored as a ``deliver`` task (a database row) instead of
talking to the mail server in the request; :func:`outbox.tasks.deliver` sends each one through
``OUTBOX_DELIVERY_BACKEND``, retrying with backoff while the server is unreachable.
"""
