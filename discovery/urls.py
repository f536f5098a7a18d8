"""The topic lists across forums at bbPress's addresses."""

from django.urls import path

from . import views

app_name = "discovery"

urlpatterns = [
    path("topics/", views.latest_topics, name="topics"),
    path("topics/page/<int:page>/", views.latest_topics, name="topics_page"),
    path("forums/view/<slug:view>/", views.topic_view, name="view"),
    path("forums/view/<slug:view>/page/<int:page>/", views.topic_view, name="view_page"),
]
