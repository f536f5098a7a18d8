"""The site's absolute addresses, for what is read away from the page: canonical links, Open
Graph tags, sitemaps, robots.txt.

``FORUM_SITE_URL`` when set (always in production and development: emails need it too), so
every host name the site answers to gives the one address search engines should keep, and a
cached page holds no address taken from some reader's ``Host`` header; else the request's.
"""

from django.conf import settings
from django.http import HttpRequest


def absolute_url(request: HttpRequest, path: str) -> str:
    """``path`` (from ``reverse()`` or ``request.path``) as an absolute URL."""
    if settings.FORUM_SITE_URL:
        return settings.FORUM_SITE_URL + path
    return request.build_absolute_uri(path)
