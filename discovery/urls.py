"""The topic lists across forums at bbPress's addresses."""

from django.urls import path

from . import feeds, views

app_name = "discovery"

urlpatterns = [
    path("topics/", views.latest_topics, name="topics"),
    path("topics/page/<int:page>/", views.latest_topics, name="topics_page"),
    path("forums/view/<slug:view>/", views.topic_view, name="view"),
    path("forums/view/<slug:view>/page/<int:page>/", views.topic_view, name="view_page"),
    # RSS feeds
    path("forums/feed/", feeds.site_feed, name="feed"),
    path("forums/forum/<slug:slug>/feed/", feeds.forum_feed, name="forum_feed"),
    path("forums/topic/<slug:slug>/feed/", feeds.topic_feed, name="topic_feed"),
    path("topics/feed/", feeds.latest_topics_feed, name="topics_feed"),
    path("forums/view/<slug:view>/feed/", feeds.view_feed, name="view_feed"),
    path("forums/topic-tag/<str:slug>/feed/", feeds.tag_feed, name="tag_feed"),
]

# What search engines read: robots.txt, and the sitemap index with its sections' pages.
urlpatterns += [
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap_section"),
]
