"""Cached database sessions with well-formed keys only (see ``accounts.sessions``)."""

from django.contrib.sessions.backends import cached_db

from . import WellFormedKeys


class SessionStore(WellFormedKeys, cached_db.SessionStore):
    pass
