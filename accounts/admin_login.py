"""The admin's login form shares allauth's budget of failed logins.

Without this, ``/admin/login/`` would be a way around the rate limits that guard the site's
own login page. Failed attempts count against allauth's ``login_failed`` limit for the IP
address and the username; once it is spent the admin answers 429 without checking the
password.
"""

from collections.abc import Callable
from functools import wraps

from allauth.core import ratelimit
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

ACTION = "login_failed"


def rate_limited(login_view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(login_view)
    def login(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        if request.method != "POST":
            return login_view(request, extra_context)
        key = request.POST.get("username", "").strip().lower()
        if not ratelimit.consume(request, action=ACTION, key=key, dry_run=True):
            return TemplateResponse(request, "429.html", status=429)
        response = login_view(request, extra_context)
        if request.user.is_authenticated:
            ratelimit.clear(request, action=ACTION, key=key)
        else:
            ratelimit.consume(request, action=ACTION, key=key)
        return response

    return login
