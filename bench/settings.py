"""Settings for the load test: production settings, served over plain HTTP on loopback.

``bench/run.sh`` sets the secrets, ``DATABASE_URL`` and (optionally) ``REDIS_URL``.
"""

import os

from config.settings.prod import *  # noqa: F403
from config.settings.prod import BASE_DIR, CACHES

ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
SECURE_SSL_REDIRECT = False
STATIC_ROOT = BASE_DIR / "bench" / "results" / "static"
# A prefix per run, so a shared Redis never serves a page cached by an earlier run.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_RUN_ID", "bench")
