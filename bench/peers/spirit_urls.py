"""Spirit's URLs, as its project template has them (without the Django admin)."""

import spirit.urls
from django.urls import include, path

urlpatterns = [path("", include(spirit.urls))]
