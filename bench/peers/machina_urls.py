"""django-machina's URLs, as its "Getting started" guide mounts them."""

from django.urls import include, path
from machina import urls as machina_urls

urlpatterns = [path("forum/", include(machina_urls))]
