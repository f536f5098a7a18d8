"""The allauth account adapter (``ACCOUNT_ADAPTER``): the forum's rules for new usernames, and
one failed-login budget per account.

Usernames. A username becomes the member's URL (``/forums/users/<username>/``) and is shown
beside every post, so it keeps to plain ASCII letters, digits and ``. _ -`` (no ``@``, ``+``,
spaces, slashes or look-alike letters from other alphabets), and it may not pass for the staff
or the site: the reserved names in ``ACCOUNT_USERNAME_BLACKLIST`` are refused in any case and
with any separators (``Admin``, ``ad.min``, ``Key_Master``).

Failed logins. allauth keys the per-account budget (``ACCOUNT_RATE_LIMITS["login_failed"]``)
by the site's domain, which without ``django.contrib.sites`` is the ``Host`` header the client
sent, and by the text typed: ``Host: forum:31337`` or the account's email instead of its
username would each get fresh guesses. Here the key is the account itself
(:func:`login_attempts_key`), and the admin's login form spends the same budget through
:meth:`AccountAdapter.authenticate` (``accounts.admin.AdminLoginForm``). An attempt is spent
before the password is checked (so concurrent guesses cannot overspend) and refunded when the
check never happened (the database or the cache failed) or the password was right.
"""

import ipaddress
import logging
import re
from typing import Any

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.account.models import EmailAddress
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest

from .models import User

logger = logging.getLogger(__name__)

# By dotted path: allauth imports stages when a login runs (importing its stages module here
# would import allauth's login flows half-way through their own imports).
OUR_STAGES = {
    "allauth.account.stages.EmailVerificationStage": "accounts.login_stages.EmailVerificationStage"
}
USERNAME_MAX_LENGTH = 30
USERNAME_CHARACTERS = re.compile(r"[A-Za-z0-9._-]+")
SEPARATORS = re.compile(r"[._-]")


def folded(username: str) -> str:
    """The name as a reader would take it: no separators, no case."""
    return SEPARATORS.sub("", username).casefold()


def login_attempts_key(login: str) -> str:
    """The failed-login budget's key for what was typed as a username or email address.

    Every way of naming one account (its username or any of its addresses, in any case) gives
    that account's key; text that names no account (or more than one) keys on itself, folded.
    """
    login = login.strip()
    members = set(
        User.objects.filter(username__iexact=login).values_list("pk", flat=True)[:2]
    ) or set(EmailAddress.objects.filter(email__iexact=login).values_list("user_id", flat=True)[:2])
    if len(members) == 1:
        return f"member:{members.pop()}"
    return f"login:{login.casefold()}"


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client behind the request: the one answer for the whole project
    (allauth's rate limits ask the adapter below; posts record it). ``None`` when the request
    carries no valid address at all."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_blacklisted": "That username is reserved. Please choose another.",
        "username_characters": (
            "Usernames may hold only letters, digits and the characters . _ - "
            "(no spaces, @, + or /)."
        ),
        "username_too_long": f"Usernames may be at most {USERNAME_MAX_LENGTH} characters long.",
    }

    def clean_username(self, username: str, shallow: bool = False) -> str:
        """Our rules first, for a clear message; then allauth's (length, uniqueness)."""
        if not USERNAME_CHARACTERS.fullmatch(username):
            raise self.validation_error("username_characters")
        if len(username) > USERNAME_MAX_LENGTH:
            raise self.validation_error("username_too_long")
        reserved = {folded(name) for name in app_settings.USERNAME_BLACKLIST}
        if folded(username) in reserved:
            raise self.validation_error("username_blacklisted")
        return super().clean_username(username, shallow=shallow)

    def get_client_ip(self, request: HttpRequest) -> str:
        """``REMOTE_ADDR``, or, when ``TRUSTED_PROXY_COUNT`` proxies are declared
        (``ALLAUTH_TRUSTED_PROXY_COUNT``), the address the outermost of them appended to
        ``X-Forwarded-For`` (allauth reads it; entries a client wrote itself come before it
        and are never read). A request that did not pass through every declared proxy (too
        short a header) counts as coming from its peer, rather than failing.
        """
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            logger.warning("X-Forwarded-For is shorter than TRUSTED_PROXY_COUNT: using the peer")
        try:
            return str(ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")))
        except ValueError:
            raise PermissionDenied("Unable to determine client IP address") from None

    def get_login_stages(self) -> list[str]:
        """allauth's stages, with our email verification (``accounts.login_stages``)."""
        return [OUR_STAGES.get(stage, stage) for stage in super().get_login_stages()]

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        return login_attempts_key(credentials.get("email") or credentials.get("username") or "")

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        """allauth's, except that an attempt whose password was never checked is refunded."""
        self._login_failed_rl_usage = None
        try:
            return super().authenticate(request, **credentials)
        except Exception:
            self._rollback_login_failed_rl_usage()
            raise
