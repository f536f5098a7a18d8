"""Forum URLs, shaped like bbPress's so links from a bbPress site keep working."""

from django.urls import path

from .views import forums, members, moderation, posting, reports, subscriptions, tags, topics

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
    path("forums/reply/<int:post_id>/report/", reports.post_report, name="post_report"),
    path("forums/preview/", posting.markdown_preview, name="preview"),
    path(
        "forums/topic/<slug:slug>/moderate/<slug:action>/",
        moderation.topic_moderate,
        name="topic_moderate",
    ),
    path("forums/topic/<slug:slug>/merge/", moderation.topic_merge, name="topic_merge"),
    path("forums/reply/<int:post_id>/split/", moderation.post_split, name="post_split"),
    path("forums/reply/<int:post_id>/move/", moderation.post_move, name="post_move"),
    path(
        "forums/reply/<int:post_id>/moderate/<slug:action>/",
        moderation.post_moderate,
        name="post_moderate",
    ),
    path(
        "forums/topic/<slug:slug>/subscription/",
        subscriptions.topic_subscription,
        name="topic_subscription",
    ),
    path("forums/topic/<slug:slug>/favorite/", subscriptions.topic_favorite, name="topic_favorite"),
    path(
        "forums/forum/<slug:slug>/subscription/",
        subscriptions.forum_subscription,
        name="forum_subscription",
    ),
    path("forums/unsubscribe/<str:token>/", subscriptions.unsubscribe, name="unsubscribe"),
    path(
        "forums/unsubscribe/forum/<str:token>/",
        subscriptions.forum_unsubscribe,
        name="forum_unsubscribe",
    ),
    path("forums/users/<str:username>/", members.member_profile, name="member"),
    path("forums/topic-tag/", tags.tag_index, name="tags"),
    path("forums/topic-tag/<str:slug>/", tags.tag_detail, name="tag"),
    path("forums/topic-tag/<str:slug>/page/<int:page>/", tags.tag_detail, name="tag_page"),
]

# A member's lists, each paginated: /forums/users/<username>/<list>/ and …/<list>/page/<n>/.
MEMBER_LISTS = [
    ("topics", members.member_topics_started, "member_topics"),
    ("replies", members.member_replies_created, "member_replies"),
    ("engagements", members.member_engagements, "member_engagements"),
    ("favorites", members.member_favorites, "member_favorites"),
    ("subscriptions", members.member_subscriptions, "member_subscriptions"),
]
for segment, view, name in MEMBER_LISTS:
    urlpatterns += [
        path(f"forums/users/<str:username>/{segment}/", view, name=name),
        path(f"forums/users/<str:username>/{segment}/page/<int:page>/", view, name=f"{name}_page"),
    ]
