"""Session engines that take only session keys Django could have made.

Django makes every key from 32 lowercase letters and digits, but accepts any cookie value of
eight characters or more and looks it up: a ``sessionid`` cookie of NUL characters then
reaches PostgreSQL, which cannot compare text holding NUL, and every page fails. Here a key
of any other shape is no session at all (the visitor is anonymous, as with an expired key),
before the cache or the database is asked. ``SESSION_ENGINE`` names ``accounts.sessions.db``
(development and tests) or ``accounts.sessions.cached_db`` (production).
"""

import re

SESSION_KEY = re.compile(r"[a-z0-9]{32}")


class WellFormedKeys:
    """Mixed into a session store: a key Django could not have made is treated as no key."""

    def _validate_session_key(self, key: str | None) -> bool:
        return isinstance(key, str) and SESSION_KEY.fullmatch(key) is not None
