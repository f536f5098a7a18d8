"""Database sessions with well-formed keys only (see ``accounts.sessions``)."""

from django.contrib.sessions.backends import db

from . import WellFormedKeys


class SessionStore(WellFormedKeys, db.SessionStore):
    pass
