"""Search at bbPress's address: ``/forums/search/`` and ``/forums/search/<terms>/``."""

from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("forums/search/", views.search, name="search"),
    path("forums/search/<path:terms>/page/<int:page>/", views.search_results, name="results_page"),
    path("forums/search/<path:terms>/", views.search_results, name="results"),
]
