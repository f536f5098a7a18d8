"""The forum's own URLs, plus the bare baseline page the topic page is compared with."""

from django.urls import path

from config.urls import urlpatterns as forum_urlpatterns

from .baseline import baseline_topic, trivial

urlpatterns = [
    path("bench/baseline/<slug:slug>/", baseline_topic, name="bench_baseline"),
    path("bench/trivial/", trivial, name="bench_trivial"),
    *forum_urlpatterns,
]
