"""Root URLconf: bbPress-compatible forum URLs, accounts, guides and the admin."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic import RedirectView

from config.health import healthz


class FaviconRedirect(RedirectView):
    """Pages without our ``<link rel="icon">`` (the admin's) make browsers ask for this."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static_url("favicon.svg")  # at request time: the manifest may not exist at import


urlpatterns = [
    path("favicon.ico", FaviconRedirect.as_view()),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("guides/", include("guides.urls")),
    path("", include("accounts.urls")),
    path("", include("search.urls")),
    path("", include("discovery.urls")),
    path("", include("notifications.urls")),
    path("", include("reading.urls")),
    path("", include("forum.urls")),
]

# Uploaded avatars in development; in production the web server or a storage backend serves
# MEDIA_URL (see the README).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
