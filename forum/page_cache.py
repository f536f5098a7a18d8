"""Whole-page caching for anonymous readers, keyed by what the page shows.

A page's key names its topic's ``version`` (bumped by every write to the topic) and the
"last updated … ago" text, so a write or the passing of time makes a new key: there is
nothing to invalidate. The same key is the page's ETag, so browsers and shared caches
revalidate with a 304 instead of downloading the page again.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers


def _is_cacheable(request: HttpRequest) -> bool:
    return (
        settings.FORUM_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        # A one-off message (say, "You have signed out.") must not be cached for everyone.
        and len(get_messages(request)) == 0
    )


def cached_page(
    request: HttpRequest, *, key: str, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """Serve ``render()``'s page from the shared cache to anonymous readers.

    Members always get a fresh, private page.
    """
    if not _is_cacheable(request):
        response = render()
        patch_cache_control(response, private=True, no_cache=True)
        return response

    digest = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
    etag = f'"{digest}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return _public(not_modified, etag)

    cache_key = f"forum:page:{digest}"
    body = cache.get(cache_key)
    if body is None:
        response = render()
        if response.status_code == 200:
            cache.set(cache_key, response.content, settings.FORUM_PAGE_CACHE_SECONDS)
    else:
        response = HttpResponse(body)
    return _public(response, etag)


def _public(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    patch_vary_headers(response, ["Cookie"])
    return response
