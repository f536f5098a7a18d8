"""Settings for ``bench/grown_forum.py``: the test settings with no cache at all.

The thread page of an anonymous reader is cached whole (``forum.page_cache``); measuring how
fast the database reaches a deep page needs every request to build its page, so the cache is
Django's dummy one. ``DATABASE_URL`` names the throw-away database.
"""

from config.settings.test import *  # noqa: F403

CACHES = {
    alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    for alias in ("default", "pages")
}
