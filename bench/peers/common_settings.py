"""Settings shared by the peer forums' minimal projects (``bench/peers/run.sh`` sets the env).

Production-like and as close to the project's own ``bench.settings`` as a peer allows:
DEBUG off (so Django's cached template loader is on), the database from ``PEER_DATABASE``
(an SQLite file, or a PostgreSQL database with persistent connections), SQLite in WAL mode with
``synchronous=NORMAL`` and a busy timeout, and a local-memory cache, or Redis when
``BENCH_REDIS_URL`` is set (sessions then ``cached_db`` on it, as the project's production
settings do).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import django
from django.db.backends.signals import connection_created

RESULTS = Path(os.environ["PEER_RESULTS"])  # bench/results/peers/<peer>/ (generated files)
DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
STATIC_URL = "/static/"
STATIC_ROOT = str(RESULTS / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = str(RESULTS / "media")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Warnings and errors only, as gunicorn runs with --log-level warning.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}


def database(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        options = {"timeout": 20}
        if django.VERSION >= (5, 1):  # older Django has no transaction_mode
            options["transaction_mode"] = "IMMEDIATE"
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": parts.path,
            "CONN_MAX_AGE": 600,  # as config.settings.base keeps ours
            "OPTIONS": options,
        }
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts.path.lstrip("/"),
        "USER": parts.username or "postgres",
        "PASSWORD": parts.password or "",
        "HOST": parts.hostname or "127.0.0.1",
        "PORT": str(parts.port or 5432),
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
    }


def _sqlite_pragmas(sender, connection, **kwargs):
    # The project's SQLite settings (init_command, which Django 4.2 lacks): WAL, synchronous=NORMAL.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")


connection_created.connect(_sqlite_pragmas, dispatch_uid="peers-sqlite-pragmas")

DATABASES = {"default": database(os.environ["PEER_DATABASE"])}

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "")
KEY_PREFIX = os.environ.get("BENCH_RUN_ID", "peers")


def cache(name: str) -> dict:
    if REDIS_URL:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{KEY_PREFIX}-{name}",
        }
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name}


CACHES = {"default": cache("default")}
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
