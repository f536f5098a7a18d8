"""Values every page's layout needs."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {
        "site_name": settings.FORUM_SITE_NAME,
        "site_description": settings.FORUM_SITE_DESCRIPTION,
    }
