"""Forum URLs, shaped like bbPress's so links from a bbPress site keep working."""

from django.urls import path

from .views import forums, members, topics

app_name = "forum"

urlpatterns = [
    path("", forums.forum_index, name="home"),
    path("forums/", forums.forum_index, name="index"),
    path("forums/forum/<slug:slug>/", forums.forum_detail, name="forum"),
    path("forums/forum/<slug:slug>/page/<int:page>/", forums.forum_detail, name="forum_page"),
    path("forums/topic/<slug:slug>/", topics.topic_detail, name="topic"),
    path("forums/topic/<slug:slug>/page/<int:page>/", topics.topic_detail, name="topic_page"),
    path("forums/reply/<int:post_id>/", topics.post_redirect, name="post"),
    path("forums/users/<str:username>/", members.member_profile, name="member"),
]
