"""Whole-page caching for anonymous readers: a cache hit touches no database.

Every cached page belongs to one or more *scopes*: a topic's pages to that topic and to the
site; the index, forum pages and member pages to the lists (which every post changes) and
the site. Each scope has a *generation*, a random token kept in the ``pages`` cache. A page
is stored with the generations it was rendered under and served only while they are all
still current, so a hit is one read of the cache (the page and its scopes' generations in a
single ``get_many``) and no query.

A write expires the scopes it changed by deleting their generations once its transaction
has committed (``expire_*``, on commit). The next reader finds a generation missing, makes a
new one, and renders the page from the committed rows: no reader is served a page older than
the last write to it. A reader that rendered from rows read before the write stores its page
under the generation the write deleted, where nobody looks any more.

The "… ago" texts on a page change with the clock, not with writes: a page is kept only until
the first of them would read differently (``forum.timesince.text_changes``), and at most
``FORUM_PAGE_CACHE_SECONDS``. Pages are stored compressed, in the encoding the reader accepts
(brotli, else gzip, else none; one entry each), and served as stored. Each stored page has an
ETag made from its bytes, so browsers revalidate with a 304 until the page changes.

The ``pages`` cache must be shared by every process that serves or writes: Redis in
production (``config.cache.MissOnErrorRedisCache``: during an outage every read misses, and
generations it failed to delete are deleted before anything else once Redis answers), a
directory of files on the embedded set-up.
"""

import functools
import gzip
import hashlib
import logging
import math
import secrets
import time
from collections.abc import Callable, Iterable, Sequence

import brotli
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import parse_http_date_safe

from forum.timesince import text_changes

logger = logging.getLogger(__name__)

SITE = "site"  # everything: names, avatars and roles on every page, forum names
LISTS = "lists"  # the index, forum pages, member pages: every post moves their counts


def topic_scope(slug: str) -> str:
    # A slug from the address bar may be any length; a topic's is at most 100 characters.
    # Hashing the rest keeps every key within the 250 characters memcached allows.
    if len(slug) > 100:
        slug = "hash:" + hashlib.sha256(slug.encode()).hexdigest()
    return f"topic:{slug}"


def _cache():
    return caches[settings.FORUM_PAGE_CACHE_ALIAS]


def _generation_key(scope: str) -> str:
    return f"gen:{scope}"


def _is_cacheable(request: HttpRequest) -> bool:
    if settings.FORUM_PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if not any(name in request.COOKIES for name in _COOKIES_THAT_MAY_MATTER):
        return True  # no session and no message can come without their cookies
    return (
        not request.user.is_authenticated
        # A one-off message (say, "You have signed out.") must not be cached for everyone.
        and len(get_messages(request)) == 0
    )


# The session cookie (a member, or an anonymous session holding a message) and the cookie
# that carries messages (``CookieStorage``, the first place the default storage looks).
_COOKIES_THAT_MAY_MATTER = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)


def cached_page(
    request: HttpRequest,
    *,
    scopes: Sequence[str],
    render: Callable[[], HttpResponse],
    variant: str = "",
) -> HttpResponse:
    """Serve ``render()``'s page from the shared cache to anonymous readers.

    The page is known by its path and ``variant`` (query strings are ignored: a page that
    reads one names what it read as its variant) and expires with ``scopes``. Its
    ``Content-Type`` and ``Last-Modified`` are kept with it. Members always get a fresh,
    private page.
    """
    if not _is_cacheable(request):
        response = render()
        patch_cache_control(response, private=True, no_cache=True)
        return response

    encoding = _accepted_encoding(request)
    path_digest = hashlib.blake2b(f"{request.path}\n{variant}".encode(), digest_size=16).hexdigest()
    # "v2": entries that keep headers, which the entries stored before them do not.
    page_key = f"page:v2:{path_digest}:{encoding or 'identity'}"
    generation_keys = [_generation_key(scope) for scope in scopes]
    cache = _cache()
    found = cache.get_many([page_key, *generation_keys])
    generations = tuple(found.get(key) for key in generation_keys)
    stored = found.get(page_key)
    if (
        stored is not None
        and stored[0] == generations
        and None not in generations
        and time.time() < stored[1]
    ):
        _, _, etag, body, headers = stored
        return _serve(request, body, etag, encoding, headers)

    generations = _current_generations(cache, generation_keys, generations)
    with text_changes() as changes:
        rendered = render()
    if rendered.status_code != 200:
        patch_cache_control(rendered, public=True, max_age=0, must_revalidate=True)
        patch_vary_headers(rendered, ["Cookie"])
        return rendered
    content = rendered.content
    digest = hashlib.blake2b(content, digest_size=16).hexdigest()
    etag = f'"{digest}-{encoding}"' if encoding else f'"{digest}"'
    body = COMPRESSORS[encoding](content) if encoding else content
    headers = {name: rendered[name] for name in _KEPT_HEADERS if rendered.has_header(name)}
    # Kept until its first "… ago" text would change, to the fraction of a second: the cache
    # counts whole seconds, so the entry carries the moment itself.
    now = time.time()
    keep_until = min(now + settings.FORUM_PAGE_CACHE_SECONDS, changes.at)
    if keep_until > now:
        entry = (generations, keep_until, etag, body, headers)
        cache.set(page_key, entry, math.ceil(keep_until - now))
    return _serve(request, body, etag, encoding, headers)


# What a stored page keeps of its response's headers besides the ETag.
_KEPT_HEADERS = ("Content-Type", "Last-Modified")


def cache_anonymous_page(*scopes: str):
    """Decorate a view to serve its anonymous pages with :func:`cached_page`."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            return cached_page(
                request, scopes=scopes, render=lambda: view(request, *args, **kwargs)
            )

        return wrapped

    return decorate


def _current_generations(
    cache, keys: list[str], found: tuple[str | None, ...]
) -> tuple[str | None, ...]:
    """The generations, each missing one made anew (another process may make it first)."""
    generations = list(found)
    for index, (key, generation) in enumerate(zip(keys, found, strict=True)):
        if generation is None:
            new = secrets.token_hex(8)
            # Generations outlive any page stored under them: a page is never kept longer.
            generations[index] = new if cache.add(key, new, None) else cache.get(key)
    return tuple(generations)


def _serve(
    request: HttpRequest, body: bytes, etag: str, encoding: str, headers: dict[str, str]
) -> HttpResponse:
    not_modified = None
    if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
        last_modified = headers.get("Last-Modified")
        not_modified = get_conditional_response(
            request,
            etag=etag,
            last_modified=parse_http_date_safe(last_modified) if last_modified else None,
        )
    response = not_modified if not_modified is not None else HttpResponse(body)
    if not_modified is None:
        for name, value in headers.items():
            response[name] = value
        if encoding:
            response["Content-Encoding"] = encoding
    elif "Last-Modified" in headers:
        response["Last-Modified"] = headers["Last-Modified"]
    response["ETag"] = etag
    # What patch_cache_control() and patch_vary_headers() would write, without parsing.
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    response["Vary"] = "Cookie, Accept-Encoding"
    return response


COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    "br": lambda content: brotli.compress(content, quality=5, mode=brotli.MODE_TEXT),
    "gzip": lambda content: gzip.compress(content, compresslevel=6, mtime=0),
}


def _accepted_encoding(request: HttpRequest) -> str:
    """ "br" or "gzip" when the reader accepts it (brotli first: smaller), else ""."""
    return _encoding_for(request.META.get("HTTP_ACCEPT_ENCODING", ""))


@functools.lru_cache(maxsize=256)  # browsers send a handful of distinct headers
def _encoding_for(accept_encoding: str) -> str:
    accepted = {
        part.split(";", 1)[0].strip().lower()
        for part in accept_encoding.split(",")
        if not part.replace(" ", "").endswith(";q=0")
    }
    return next((encoding for encoding in COMPRESSORS if encoding in accepted), "")


def _expire(scopes: Iterable[str]) -> None:
    keys = [_generation_key(scope) for scope in scopes]
    # After the commit, never before: a reader between the two would render the rows as they
    # were before the write and store that page under a generation made since. (On the
    # embedded set-up a delete is a file removal, which inside the transaction would also hold
    # SQLite's write lock.) Robust, because a cache that fails here must not turn a saved write
    # into an error page.
    transaction.on_commit(lambda: _delete(keys), robust=True)


def _delete(keys: list[str]) -> None:
    try:
        _cache().delete_many(keys)
    except Exception:
        logger.exception("Cached pages could not be expired: %s", keys)


def expire_topic_pages(slugs: Iterable[str]) -> None:
    """Expire these topics' pages and every list (which show their counts and last posts)."""
    _expire([*(topic_scope(slug) for slug in slugs), LISTS])


def expire_lists() -> None:
    """Expire the index, forum pages and member pages."""
    _expire([LISTS])


def expire_all_pages() -> None:
    """Expire every cached page: for what every page may show (a member's name, avatar or
    role, a forum's name)."""
    _expire([SITE, LISTS])
