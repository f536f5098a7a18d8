"""Request plumbing for the whole site, before any view runs."""

from collections.abc import Callable

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
