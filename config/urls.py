"""Root URLconf: bbPress-compatible forum URLs, accounts, guides and the admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("guides/", include("guides.urls")),
    path("", include("forum.urls")),
]
