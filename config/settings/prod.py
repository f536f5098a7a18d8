"""Production settings: refuse to start without secrets; secure cookies, HSTS and HTTPS."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The {name} environment variable must be set in production.")
    return value


DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in _required("ALLOWED_HOSTS").split(",") if host.strip()]
CSRF_TRUSTED_ORIGINS = [f"https://{host.lstrip('.')}" for host in ALLOWED_HOSTS if host != "*"]

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers may check app servers over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# The preload directive only consents; joining the browsers' list is a separate manual step.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_ENGINE = "accounts.sessions.cached_db"
# The sessions cache treats Redis errors as misses: sessions outlive a Redis outage.
SESSION_CACHE_ALIAS = "sessions"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"

# Links in emails (written by the worker, outside any request) point at the site's first host.
FORUM_SITE_URL = FORUM_SITE_URL or f"https://{ALLOWED_HOSTS[0].lstrip('.')}"  # noqa: F405
if "*" in FORUM_SITE_URL:
    raise ImproperlyConfigured("Set FORUM_SITE_URL: the first ALLOWED_HOSTS entry is a wildcard.")
if EMAIL_USE_TLS and EMAIL_USE_SSL:  # noqa: F405
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are exclusive: set one of them.")
