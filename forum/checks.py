"""Deploy checks: production needs a cache that every worker shares."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs) -> list[Warning]:
    """allauth's rate limits and the page cache count per process without a shared cache."""
    if settings.CACHES["default"]["BACKEND"] in LOCAL_CACHES:
        return [
            Warning(
                "The default cache is local to each process, so login rate limits and the "
                "page cache are not shared between workers.",
                hint="Set REDIS_URL (for example redis://127.0.0.1:6379/0).",
                id="forum.W001",
            )
        ]
    return []
