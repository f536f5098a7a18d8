"""Request plumbing for the whole site, before any view runs."""

from collections.abc import Callable

import csp.middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse


class NulCharacterInRequest(SuspiciousOperation):
    """A URL or query string holding NUL: Django answers 400 and logs it as suspicious."""


def refuse_nul_characters(get_response: Callable[[HttpRequest], HttpResponse]):
    """Answer 400 to a request whose path or query string holds a NUL character.

    No address of ours has one, and PostgreSQL cannot compare text that does: left alone, a
    ``%00`` in a username, a slug or an admin filter reaches a query and fails it. Form fields
    refuse NUL themselves (Django's ``ProhibitNullCharactersValidator``); session cookies are
    checked by ``accounts.sessions``.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise NulCharacterInRequest("NUL character in the URL or query string")
        return get_response(request)

    return middleware


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the site's policy built once instead of per response.

    django-csp builds both headers from the settings on every response (a third of a trivial
    view's time). When a response carries no nonce and no per-view change (the decorators'
    ``_csp_*`` attributes), its headers are those of the settings, so they are built once
    and reused until the settings change; anything else goes the library's way.
    """

    _PER_RESPONSE = tuple(
        f"_csp_{part}{suffix}"
        for part in ("config", "update", "replace", "exempt")
        for suffix in ("", "_ro")
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        super().__init__(get_response)
        self._built_for: tuple[object, object] | None = None
        self._headers: dict[str, str] = {}

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        policies = (
            getattr(settings, "CONTENT_SECURITY_POLICY", None),
            getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None),
        )
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in self._PER_RESPONSE)
            or any(policy and policy.get("EXCLUDE_URL_PREFIXES") for policy in policies)
            or settings.DEBUG
        ):
            return super().process_response(request, response)
        if self._built_for is None or any(
            built is not now for built, now in zip(self._built_for, policies, strict=True)
        ):
            self._headers = {
                header: value
                for header, value in (
                    (HEADER, build_policy()),
                    (HEADER_REPORT_ONLY, build_policy(report_only=True)),
                )
                if value
            }
            self._built_for = policies
        for header, value in self._headers.items():
            if header not in response:
                response[header] = value
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response
