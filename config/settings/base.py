"""Settings shared by every environment.

Every deploy-time choice is read from the environment here, with a default that suits the
embedded set-up (SQLite, local-memory cache) so a newcomer needs nothing else installed.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean from the environment: 1/true/yes/on are true, anything else false."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list from the environment, dropping empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_config(url: str | None) -> dict:
    """Build the default database from ``DATABASE_URL``, or the embedded SQLite file.

    SQLite runs in WAL mode with IMMEDIATE transactions and a busy timeout, so concurrent
    writers wait for the lock instead of failing with "database is locked". Connections are
    kept between requests on both databases (PostgreSQL's are checked before reuse): a new
    SQLite connection per request re-ran the pragmas and re-read the schema, and prepared
    every statement anew, a third of what a reply cost a worker (``docs/performance.md``).
    """
    if not url:
        url = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",  # Django's form templates, for the renderer below
    "allauth",
    "allauth.account",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "forum",
    "guides",
    "search",
    "discovery",
    "notifications",
    "reading",
    "outbox",
    "backups",
    "importer",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "config.middleware.refuse_nul_characters",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A bbPress site's old links: inside CommonMiddleware, so it turns a 404 into the right
    # redirect before the slash-appending redirect is tried.
    "importer.middleware.OldLinkRedirectMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "config.middleware.CSPMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "forum.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": database_config(os.environ.get("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_config(redis_url: str, page_cache_dir: Path | str = BASE_DIR / "page-cache") -> dict:
    """The caches: on Redis when ``redis_url`` is set, else in each process's memory.

    ``default`` (pages, allauth's rate limits) survives a Redis outage by serving each process
    from local memory; ``sessions`` (``SESSION_CACHE_ALIAS`` in production) answers misses, so
    ``cached_db`` sessions come from the database (``config/cache.py``, ``docs/architecture.md``).
    Without Redis there is no session cache at all: a copy of a session in one process's memory
    would outlive a logout handled by another.

    ``pages`` holds anonymous pages and the generations that expire them
    (``forum/page_cache.py``). Every process that serves or writes must see the same one, so
    without Redis it is a directory of files (``FORUM_PAGE_CACHE_DIR``), not process memory;
    with Redis it misses during an outage, like the sessions cache.
    """
    if not redis_url:
        return {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "sessions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
            "pages": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(page_cache_dir),
                "OPTIONS": {"MAX_ENTRIES": 2000},
            },
        }
    # Short timeouts: a Redis that does not answer in half a second counts as down, and is
    # then skipped for RETRY_SECONDS instead of costing every request a timeout.
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "RETRY_SECONDS": 5}
    return {
        "default": {
            "BACKEND": "config.cache.LocalFallbackRedisCache",
            "LOCATION": redis_url,
            "OPTIONS": options,
        },
        "sessions": {
            "BACKEND": "config.cache.MissOnErrorRedisCache",
            "LOCATION": redis_url,
            # Sessions are re-read from the database at least every ten minutes, bounding how
            # long a copy Redis kept through an outage (or restored from a snapshot) can serve
            # a session changed or ended in the database meanwhile.
            "OPTIONS": {**options, "MAX_TIMEOUT": 600},
        },
        "pages": {
            "BACKEND": "config.cache.MissOnErrorRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "pages",
            "OPTIONS": options,
        },
    }


REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = cache_config(REDIS_URL, os.environ.get("FORUM_PAGE_CACHE_DIR", BASE_DIR / "page-cache"))

# Sessions in the database, taking only keys Django could have made (accounts/sessions/).
SESSION_ENGINE = "accounts.sessions.db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm", "signup": "accounts.forms.SignupForm"}
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "homepage"
ACCOUNT_USERNAME_MIN_LENGTH = 3
# Usernames: letters, digits and . _ - only, at most 30, no reserved names (accounts/adapter.py).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Names that would pass for the staff or the site: refused in any case, with or without
# separators ("Admin", "key_master"), by the adapter.
ACCOUNT_USERNAME_BLACKLIST = [
    "admin", "administrator", "anonymous", "bbpress", "forum", "forums", "guides", "help",
    "keymaster", "mod", "moderator", "moderators", "null", "root", "staff", "support",
    "sysadmin", "system", "webmaster",
]  # fmt: skip
# Reset and signup answer the same whether or not an address is known (signup can, because
# verification is mandatory: the owner of a taken address is told by email instead). Resets
# for unknown addresses send nothing, so the form cannot be used to mail strangers.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# allauth's rate limits (its defaults, kept explicit) live in the default cache: Redis when
# REDIS_URL is set, so every worker and host counts against the same budget. "login_failed"
# is one budget per account (accounts/adapter.py), spent by the site's and the admin's login.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/180s/key",
    "reauthenticate": "10/m/user",
}

# How many reverse proxies (nginx, a load balancer) sit in front of gunicorn, each appending
# the address it saw to X-Forwarded-For. Only then are X-Forwarded-For (the client's address,
# read by accounts.adapter.client_ip through allauth) and X-Forwarded-Proto trusted; with 0,
# headers a client sends change nothing.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", 0))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT else None

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
# The site's own English for allauth's pages ("Log in", not "Sign In"): locale/en.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Every email is queued (outbox/) and delivered by the worker through OUTBOX_DELIVERY_BACKEND.
EMAIL_BACKEND = "outbox.backends.QueuedEmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "forum@localhost")

# Mail delivery, done by the worker (`manage.py db_worker`), never in a request. EMAIL_TIMEOUT
# bounds each connection, so a mail server that stops answering holds a worker that long.
OUTBOX_DELIVERY_BACKEND = os.environ.get(
    "OUTBOX_DELIVERY_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", 10))
# A failed delivery is tried again after 30 s, doubling to at most an hour between attempts;
# 32 attempts span about 25 hours before the worker gives up and logs an error.
OUTBOX_RETRY_DELAY_SECONDS = float(os.environ.get("OUTBOX_RETRY_DELAY_SECONDS", 30))
OUTBOX_RETRY_MAX_DELAY_SECONDS = float(os.environ.get("OUTBOX_RETRY_MAX_DELAY_SECONDS", 3600))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", 32))
# Background work (django-tasks): a table in the site's database, run by `manage.py db_worker`.
FORM_RENDERER = "config.forms.SiteFormRenderer"
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The site's address for links in emails, which are written outside any request
# (config.settings.prod defaults it to https:// and the first ALLOWED_HOSTS entry).
FORUM_SITE_URL = os.environ.get("FORUM_SITE_URL", "").rstrip("/")

# Strict by default: no inline script or style anywhere, so injected markup cannot run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "https:", "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
# Permissions-Policy (django-permissions-policy): every powerful feature the forum does not use
# is denied to the page and to anything embedded in it. Only names Chromium and Firefox know,
# so browsers log no "unrecognized feature" errors.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "bluetooth", "browsing-topics", "camera",
        "clipboard-read", "display-capture", "encrypted-media", "fullscreen", "geolocation",
        "gyroscope", "hid", "idle-detection", "local-fonts", "magnetometer", "microphone",
        "midi", "payment", "picture-in-picture", "publickey-credentials-create",
        "publickey-credentials-get", "screen-wake-lock", "serial", "sync-xhr", "usb",
        "window-management", "xr-spatial-tracking",
    )
}  # fmt: skip
SECURE_REFERRER_POLICY = "same-origin"

# Forum behaviour.
FORUM_SITE_NAME = os.environ.get("FORUM_SITE_NAME", "Community Forums")
# The meta description of pages that have none of their own (the index, the lists).
FORUM_SITE_DESCRIPTION = os.environ.get(
    "FORUM_SITE_DESCRIPTION",
    f"Questions, answers and guides from the members of {FORUM_SITE_NAME}.",
)
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{FORUM_SITE_NAME}] "
FORUM_POSTS_PER_PAGE = int(os.environ.get("FORUM_POSTS_PER_PAGE", 25))
# The members a post may notify by mentioning them (the first ones named).
FORUM_MAX_MENTIONS = int(os.environ.get("FORUM_MAX_MENTIONS", 10))
# How long notifications stay in a member's inbox (``manage.py prune_notifications``).
NOTIFICATIONS_KEEP_DAYS = int(os.environ.get("NOTIFICATIONS_KEEP_DAYS", 90))
# Emails of notifications a member wants "immediately" wait this long, so that a burst goes as
# one email, and a member gets at most one such email per gap (``notifications.emails``).
NOTIFICATIONS_EMAIL_DELAY_SECONDS = int(os.environ.get("NOTIFICATIONS_EMAIL_DELAY_SECONDS", 60))
NOTIFICATIONS_EMAIL_MIN_GAP_MINUTES = int(os.environ.get("NOTIFICATIONS_EMAIL_MIN_GAP_MINUTES", 10))
# Posts older than this count as read for every member; unread tracking keeps nothing older.
UNREAD_TRACKING_DAYS = int(os.environ.get("UNREAD_TRACKING_DAYS", 30))
FORUM_TOPICS_PER_PAGE = int(os.environ.get("FORUM_TOPICS_PER_PAGE", 25))
# Seconds at most an anonymous page stays in the shared cache; 0 turns the page cache off.
FORUM_PAGE_CACHE_SECONDS = int(os.environ.get("FORUM_PAGE_CACHE_SECONDS", 300))
FORUM_PAGE_CACHE_ALIAS = "pages"
# Posting rules, enforced on the server (moderators are exempt from flood control).
FORUM_EDIT_WINDOW_SECONDS = int(os.environ.get("FORUM_EDIT_WINDOW_SECONDS", 300))
FORUM_FLOOD_SECONDS = int(os.environ.get("FORUM_FLOOD_SECONDS", 10))
FORUM_MAX_POST_LENGTH = int(os.environ.get("FORUM_MAX_POST_LENGTH", 20000))
# A member's first FORUM_NEW_MEMBER_POSTS posts may hold at most FORUM_NEW_MEMBER_MAX_LINKS
# links; posts with more wait for a moderator's approval, as do a member's first
# FORUM_APPROVE_FIRST_POSTS posts (0: none are held).
FORUM_APPROVE_FIRST_POSTS = int(os.environ.get("FORUM_APPROVE_FIRST_POSTS", 0))
FORUM_NEW_MEMBER_POSTS = int(os.environ.get("FORUM_NEW_MEMBER_POSTS", 3))
FORUM_NEW_MEMBER_MAX_LINKS = int(os.environ.get("FORUM_NEW_MEMBER_MAX_LINKS", 2))

# Avatars (accounts/avatars.py): upload limits; what is stored is a small WebP square.
AVATAR_MAX_BYTES = int(os.environ.get("AVATAR_MAX_BYTES", 2_000_000))
AVATAR_MAX_PIXELS = int(os.environ.get("AVATAR_MAX_PIXELS", 40_000_000))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
