"""Deploy-time configuration read from the environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper

from config.settings.base import database_config

ROOT = Path(__file__).resolve().parent.parent


PRINT_SETTING = (
    "import os, django; django.setup(); from django.conf import settings; "
    "print(getattr(settings, os.environ['PYTHON_PRINT']))"
)


def run_with_prod_settings(**env) -> subprocess.CompletedProcess:
    """Start Django under ``config.settings.prod`` with ``env``; ``PYTHON_PRINT=NAME`` prints
    that setting."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings.prod")
    return subprocess.run(
        [
            sys.executable,
            "-c",
            PRINT_SETTING if "PYTHON_PRINT" in env else "import django; django.setup()",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"ALLOWED_HOSTS": "forum.example.com"}, "SECRET_KEY"),
        ({"SECRET_KEY": "s" * 50}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(env, missing):
    result = run_with_prod_settings(**env)
    assert result.returncode != 0
    assert f"The {missing} environment variable must be set in production." in result.stderr


def test_production_starts_with_its_secrets():
    result = run_with_prod_settings(SECRET_KEY="s" * 50, ALLOWED_HOSTS="forum.example.com")
    assert result.returncode == 0, result.stderr


def test_embedded_sqlite_uses_wal_immediate_transactions_and_a_busy_timeout(
    tmp_path, django_db_blocker
):
    config = database_config(f"sqlite:///{tmp_path / 'forum.sqlite3'}")
    # Kept between requests: a new connection re-reads the schema and prepares every
    # statement again (a third of a reply's cost to a worker).
    assert config["CONN_MAX_AGE"] > 0
    wrapper = DatabaseWrapper({**config, "TIME_ZONE": None, "AUTOCOMMIT": True}, alias="probe")
    with django_db_blocker.unblock():
        try:
            with wrapper.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0] == "wal"
                cursor.execute("PRAGMA busy_timeout")
                assert cursor.fetchone()[0] == 20000
            assert wrapper.transaction_mode == "IMMEDIATE"
        finally:
            wrapper.close()


def test_postgres_keeps_persistent_checked_connections():
    config = database_config("postgres://forum@db.example.com:5432/forum")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["CONN_MAX_AGE"] > 0
    assert config["CONN_HEALTH_CHECKS"] is True


def test_deploy_check_warns_when_the_cache_is_not_shared(settings):
    from forum.checks import shared_cache

    assert [warning.id for warning in shared_cache(None)] == ["forum.W001"]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }
    assert shared_cache(None) == []


# Modules that import allauth (or the adapter): each must import first thing in a fresh
# process, as runserver or gunicorn may load it before allauth's own modules.
ALLAUTH_IMPORTERS = ["accounts.adapter", "accounts.admin", "accounts.forms",
                     "accounts.login_stages", "forum.views.posting", "config.urls"]  # fmt: skip


@pytest.mark.parametrize("module", ALLAUTH_IMPORTERS)
def test_each_module_imports_first_in_a_fresh_process(module):
    code = f"import django; django.setup(); import {module}"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
