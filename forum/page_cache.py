"""Whole-page caching for anonymous readers, keyed by what the page shows.

A page's key names its topic's ``version`` (bumped by every write to the topic) and the
"last updated … ago" text, so a write or the passing of time makes a new key: there is
nothing to invalidate. The same key is the page's ETag, so browsers and shared caches
revalidate with a 304 instead of downloading the page again.

Pages are stored compressed, in the encoding the reader accepts (brotli, else gzip, else
none; one cache entry each), and served as stored: compressing costs once per page and
encoding, not once per request, and a thread page of 37 KB travels as about 6 KB. Each
encoding has its own ETag, as HTTP asks of different representations.
"""

import gzip
import hashlib
from collections.abc import Callable

import brotli
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
    encoding = _accepted_encoding(request)
    etag = f'"{digest}-{encoding}"' if encoding else f'"{digest}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return _public(not_modified, etag)

    cache_key = f"forum:page:{digest}:{encoding or 'identity'}"
    body = cache.get(cache_key)
    if body is None:
        rendered = render()
        if rendered.status_code != 200:
            return _public(rendered, etag)
        body = COMPRESSORS[encoding](rendered.content) if encoding else rendered.content
        cache.set(cache_key, body, settings.FORUM_PAGE_CACHE_SECONDS)
    response = HttpResponse(body)
    if encoding:
        response["Content-Encoding"] = encoding
    return _public(response, etag)


COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    "br": lambda content: brotli.compress(content, quality=5, mode=brotli.MODE_TEXT),
    "gzip": lambda content: gzip.compress(content, compresslevel=6, mtime=0),
}


def _accepted_encoding(request: HttpRequest) -> str:
    """ "br" or "gzip" when the reader accepts it (brotli first: smaller), else ""."""
    accepted = {
        part.split(";", 1)[0].strip().lower()
        for part in request.headers.get("Accept-Encoding", "").split(",")
        if not part.replace(" ", "").endswith(";q=0")
    }
    return next((encoding for encoding in COMPRESSORS if encoding in accepted), "")


def _public(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    patch_vary_headers(response, ["Cookie", "Accept-Encoding"])
    return response
