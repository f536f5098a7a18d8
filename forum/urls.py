"""Forum URLs, shaped like bbPress's so links from a bbPress site keep working."""

from django.urls import path

from .views import forums, members, posting, subscriptions, topics

app_name = "forum"

urlpatterns = [
    path("", forums.forum_index, name="home"),
    path("forums/", forums.forum_index, name="index"),
    path("forums/forum/<slug:slug>/", forums.forum_detail, name="forum"),
    path("forums/forum/<slug:slug>/page/<int:page>/", forums.forum_detail, name="forum_page"),
    path("forums/topic/<slug:slug>/", topics.topic_detail, name="topic"),
    path("forums/topic/<slug:slug>/page/<int:page>/", topics.topic_detail, name="topic_page"),
    path("forums/reply/<int:post_id>/", topics.post_redirect, name="post"),
    path("forums/forum/<slug:slug>/new/", posting.topic_new, name="topic_new"),
    path("forums/topic/<slug:slug>/reply/", posting.topic_reply, name="reply"),
    path("forums/reply/<int:post_id>/edit/", posting.post_edit, name="post_edit"),
    path("forums/preview/", posting.markdown_preview, name="preview"),
    path(
        "forums/topic/<slug:slug>/subscription/",
        subscriptions.topic_subscription,
        name="topic_subscription",
    ),
    path("forums/topic/<slug:slug>/favorite/", subscriptions.topic_favorite, name="topic_favorite"),
    path("forums/unsubscribe/<str:token>/", subscriptions.unsubscribe, name="unsubscribe"),
    path("forums/users/<str:username>/", members.member_profile, name="member"),
    path(
        "forums/users/<str:username>/favorites/",
        subscriptions.member_favorites,
        name="member_favorites",
    ),
    path(
        "forums/users/<str:username>/favorites/page/<int:page>/",
        subscriptions.member_favorites,
        name="member_favorites_page",
    ),
    path(
        "forums/users/<str:username>/subscriptions/",
        subscriptions.member_subscriptions,
        name="member_subscriptions",
    ),
    path(
        "forums/users/<str:username>/subscriptions/page/<int:page>/",
        subscriptions.member_subscriptions,
        name="member_subscriptions_page",
    ),
]
