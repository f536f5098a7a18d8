"""Root URLconf: bbPress-compatible forum URLs, accounts, guides and the admin."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("guides/", include("guides.urls")),
    path("", include("accounts.urls")),
    path("", include("forum.urls")),
]

# Uploaded avatars in development; in production the web server or a storage backend serves
# MEDIA_URL (see the README).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
