"""A URLconf for the error-page tests: the real site plus a view that fails."""

from django.urls import include, path


def failing_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", failing_view), path("", include("config.urls"))]
