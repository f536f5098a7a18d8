"""Forums, topics and posts in the admin. Counters are read-only: only services move them."""

from django.contrib import admin

from . import services
from .models import Forum, Post, Topic

COUNTERS = ("topic_count", "post_count", "last_post", "last_active_at")


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "slug",
        "parent",
        "position",
        "status",
        "topic_count",
        "post_count",
        "last_active_at",
    )
    list_filter = ("status", "parent")
    list_editable = ("position",)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = COUNTERS
    list_select_related = ("parent",)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "forum",
        "author",
        "status",
        "pin",
        "reply_count",
        "voice_count",
        "created_at",
        "last_active_at",
    )
    list_filter = ("status", "pin", "forum", "created_at")
    search_fields = ("title", "slug", "author__username")
    date_hierarchy = "created_at"
    list_select_related = ("forum", "author")
    fields = (
        "title",
        "slug",
        "forum",
        "author",
        "status",
        "pin",
        "created_at",
        "last_active_at",
        "reply_count",
        "hidden_reply_count",
        "voice_count",
        "first_post",
        "last_post",
        "version",
    )
    # Status, forum and counters change only through moderation services (they move counters).
    readonly_fields = (
        "slug",
        "forum",
        "author",
        "status",
        "created_at",
        "last_active_at",
        "reply_count",
        "hidden_reply_count",
        "voice_count",
        "first_post",
        "last_post",
        "version",
    )

    def has_add_permission(self, request) -> bool:
        return False  # topics start with a post: members create them from the forum page

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deleting must move counters: it belongs to the moderation services

    def save_model(self, request, obj: Topic, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.topic_mark_changed(topic_id=obj.pk)


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("id", "topic", "author", "status", "created_at", "edited_at", "author_ip")
    list_filter = ("status", "created_at", "topic__forum")
    search_fields = ("body", "author__username", "topic__title")
    date_hierarchy = "created_at"
    list_select_related = ("topic", "author")
    fields = ("topic", "author", "status", "created_at", "edited_at", "author_ip", "body")
    readonly_fields = ("topic", "author", "status", "created_at", "edited_at", "author_ip")

    def has_add_permission(self, request) -> bool:
        return False  # replies are written on the topic page, through the reply service

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deleting must move counters: it belongs to the moderation services

    def save_model(self, request, obj: Post, form, change: bool) -> None:
        services.post_edit(
            post=obj,
            editor=request.user,
            body=form.cleaned_data["body"],
            reason="Edited in the admin",
        )
