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
# A prefix per run, so a shared Redis never serves a page cached by an earlier run; without
# Redis, the pages' directory is the run's own.
RUN_ID = os.environ.get("BENCH_RUN_ID", "bench")
CACHES["default"]["KEY_PREFIX"] = RUN_ID
if "LOCATION" in CACHES["pages"] and CACHES["pages"]["LOCATION"].startswith("redis"):
    CACHES["pages"]["KEY_PREFIX"] = f"{RUN_ID}-pages"
else:
    CACHES["pages"]["LOCATION"] = str(BASE_DIR / "bench" / "results" / f"page-cache-{RUN_ID}")
