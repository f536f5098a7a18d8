"""Development settings: what ``make run`` uses. Debug on, emails printed to the console."""

import os

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production"  # noqa: F405
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
# Mail is printed to the console, and tasks run at once in the process that queues them:
# `make run` needs no worker.
OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
FORUM_SITE_URL = FORUM_SITE_URL or f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
