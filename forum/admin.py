"""Forums, topics and posts in the admin. Counters are read-only: only services move them."""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import format_html

from accounts.admin import UserAdmin
from accounts.models import User, may_act_on

from . import permissions, services, tagging
from .models import (
    Forum,
    Post,
    PostRevision,
    Report,
    Tag,
    Topic,
    TopicFavorite,
    TopicSubscription,
)

COUNTERS = ("topic_count", "post_count", "last_post", "last_active_at")
NOT_YOURS_TO_MODERATE = "only a Keymaster may act on Moderators, Keymasters and what they write."


def moderation_action(
    name: str,
    description: str,
    apply: Callable[[Model], None],
    *,
    allowed: Callable[[User, Model], bool] | None = None,
) -> Callable[[admin.ModelAdmin, HttpRequest, QuerySet], None]:
    """A bulk admin action that moderates each selected row through a service and records it
    in the admin's history. Rows ``allowed(user, row)`` refuses are skipped and counted."""

    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
        done = skipped = 0
        for obj in queryset:
            if allowed is not None and not allowed(request.user, obj):
                skipped += 1
                continue
            apply(obj)
            modeladmin.log_change(request, obj, description)
            done += 1
        modeladmin.message_user(request, f"{description}: {done} done.")
        if skipped:
            modeladmin.message_user(
                request, f"Skipped {skipped}: {NOT_YOURS_TO_MODERATE}", messages.WARNING
            )

    action.__name__ = name
    return admin.action(description=description)(action)


def delete_for_good_action(
    delete: Callable[[Model], None], *, allowed: Callable[[User, Model], bool]
) -> Callable[[admin.ModelAdmin, HttpRequest, QuerySet], None]:
    """Delete the selected rows that are in the trash, through the service; skip the rest."""

    def delete_trashed(modeladmin, request: HttpRequest, queryset: QuerySet) -> None:
        deleted = skipped = 0
        for obj in queryset:
            if not allowed(request.user, obj):
                skipped += 1
                continue
            try:
                with transaction.atomic():  # the history entry goes if the delete does not
                    modeladmin.log_deletions(request, [obj])
                    delete(obj)
            except services.NotInTrash:
                skipped += 1
            else:
                deleted += 1
        modeladmin.message_user(
            request,
            f"Deleted for good: {deleted}. Skipped (not in the trash, or not yours to "
            f"moderate): {skipped}.",
        )

    return admin.action(description="Delete permanently (trashed only)")(delete_trashed)


class MoveTopicsForm(forms.Form):
    forum = forms.ModelChoiceField(queryset=Forum.objects.all())


@admin.action(description="Move to another forum")
def move_topics(modeladmin, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
    """Ask for the forum first; then move each topic through the service."""
    if request.POST.get("apply"):
        form = MoveTopicsForm(request.POST)
        if not form.is_valid():
            modeladmin.message_user(request, "Choose a forum to move to.", messages.ERROR)
            return None
        forum = form.cleaned_data["forum"]
        for topic in queryset:
            services.topic_move(topic=topic, forum=forum)
            modeladmin.log_change(request, topic, f"Moved to {forum.name}")
        modeladmin.message_user(request, f"Moved {queryset.count()} to {forum.name}.")
        return None
    return TemplateResponse(
        request,
        "admin/forum/move_topics.html",
        {**modeladmin.admin_site.each_context(request), "title": "Move topics",
         "topics": queryset.select_related("forum"), "forums": Forum.objects.all()},
    )  # fmt: skip


def _may_moderate(user: User, post_or_topic: Post | Topic) -> bool:
    """Whether ``user`` may hide, restore, edit or delete this post or topic (its author's)."""
    return permissions.may_moderate(user, post_or_topic.author)


def _post_status(status: str) -> Callable[[Post], None]:
    return lambda post: services.post_set_status(post=post, status=status)


def _topic_status(status: str) -> Callable[[Topic], None]:
    return lambda topic: services.topic_set_status(topic=topic, status=status)


def _topic_pin(pin: int) -> Callable[[Topic], None]:
    return lambda topic: services.topic_set_pin(topic=topic, pin=pin)


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

    def get_changelist_form(self, request, **kwargs):
        """The list's editable positions, each labelled with its forum's name (the column's
        heading is no label for a screen reader)."""
        base = super().get_changelist_form(request, **kwargs)

        class LabelledPositions(base):
            def __init__(self, *args, **form_kwargs) -> None:
                super().__init__(*args, **form_kwargs)
                self.fields["position"].widget.attrs["aria-label"] = (
                    f"Position of {self.instance.name}"
                )

        return LabelledPositions


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
    list_filter = (
        "status",
        "pin",
        "forum",
        ("author", admin.RelatedOnlyFieldListFilter),
        "created_at",
    )
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
    )

    actions = [
        moderation_action("close", "Close", _topic_status(Topic.Status.CLOSED)),
        moderation_action(
            "reopen", "Open (restore, approve, unspam)", _topic_status(Topic.Status.OPEN)
        ),
        moderation_action("stick", "Stick", _topic_pin(Topic.Pin.STICKY)),
        moderation_action("super_stick", "Super stick", _topic_pin(Topic.Pin.SUPER_STICKY)),
        moderation_action("unstick", "Unstick", _topic_pin(Topic.Pin.NONE)),
        moderation_action(
            "mark_spam",
            "Mark as spam",
            _topic_status(Topic.Status.SPAM),
            allowed=_may_moderate,
        ),
        moderation_action(
            "trash", "Move to trash", _topic_status(Topic.Status.TRASH), allowed=_may_moderate
        ),
        moderation_action(
            "unapprove",
            "Unapprove (hold as pending)",
            _topic_status(Topic.Status.PENDING),
            allowed=_may_moderate,
        ),
        move_topics,
        delete_for_good_action(
            lambda topic: services.topic_delete(topic=topic), allowed=_may_moderate
        ),
    ]

    def has_add_permission(self, request) -> bool:
        return False  # topics start with a post: members create them from the forum page

    def has_change_permission(self, request, obj: Topic | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or _may_moderate(request.user, obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deleting must move counters: it belongs to the moderation services

    def save_model(self, request, obj: Topic, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.topic_mark_changed(topic_id=obj.pk)


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("id", "topic", "author", "status", "created_at", "edited_at", "author_ip")
    list_filter = (
        "status",
        "topic__forum",
        ("author", admin.RelatedOnlyFieldListFilter),
        "created_at",
    )
    search_fields = ("body", "author__username", "topic__title")
    date_hierarchy = "created_at"
    list_select_related = ("topic", "author")
    fields = ("topic", "author", "status", "created_at", "edited_at", "author_ip", "body")
    readonly_fields = ("topic", "author", "status", "created_at", "edited_at", "author_ip")

    actions = [
        moderation_action(
            "mark_spam", "Mark as spam", _post_status(Post.Status.SPAM), allowed=_may_moderate
        ),
        moderation_action(
            "trash", "Move to trash", _post_status(Post.Status.TRASH), allowed=_may_moderate
        ),
        moderation_action(
            "publish",
            "Publish (approve, restore, unspam)",
            _post_status(Post.Status.PUBLISHED),
            allowed=_may_moderate,
        ),
        moderation_action(
            "unapprove",
            "Unapprove (hold as pending)",
            _post_status(Post.Status.PENDING),
            allowed=_may_moderate,
        ),
        delete_for_good_action(lambda post: services.post_delete(post=post), allowed=_may_moderate),
    ]

    def has_add_permission(self, request) -> bool:
        return False  # replies are written on the topic page, through the reply service

    def has_change_permission(self, request, obj: Post | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or _may_moderate(request.user, obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deleting must move counters: it belongs to the moderation services

    def save_model(self, request, obj: Post, form, change: bool) -> None:
        services.post_edit(
            post=obj,
            editor=request.user,
            body=form.cleaned_data["body"],
            reason="Edited in the admin",
        )


@admin.register(PostRevision)
class PostRevisionAdmin(admin.ModelAdmin):
    """The edit log, read-only: revisions are written by the edit service."""

    list_display = ("post", "editor", "reason", "created_at")
    list_filter = ("created_at", ("editor", admin.RelatedOnlyFieldListFilter))
    search_fields = ("reason", "previous_body", "editor__username")
    list_select_related = ("post", "editor")
    readonly_fields = ("post", "editor", "reason", "previous_body", "created_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TopicSubscription, TopicFavorite)
class TopicMarkAdmin(admin.ModelAdmin):
    list_display = ("member", "topic", "created_at")
    list_filter = ("created_at",)
    search_fields = ("member__username", "topic__title")
    list_select_related = ("member", "topic")
    raw_id_fields = ("member", "topic")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """The moderators' queue: open reports first, each with a link to the post on the site."""

    list_display = ("__str__", "post_link", "reporter", "reason", "created_at", "resolved_at",
                    "resolved_by")  # fmt: skip
    list_filter = (("resolved_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("reason", "reporter__username", "post__body")
    list_select_related = ("post", "reporter", "resolved_by")
    readonly_fields = ("post", "reporter", "reason", "created_at", "resolved_at", "resolved_by")
    ordering = ("-resolved_at", "-created_at")

    @admin.display(description="Post")
    def post_link(self, report: Report) -> str:
        return format_html('<a href="{}">#{}</a>', report.post.get_absolute_url(), report.post_id)

    @admin.action(description="Resolve")
    def resolve(self, request: HttpRequest, queryset: QuerySet) -> None:
        for report in queryset:
            services.report_resolve(report=report, moderator=request.user)
            self.log_change(request, report, "Resolved")
        self.message_user(request, f"Resolved: {queryset.count()}.")

    actions = ["resolve"]

    def has_add_permission(self, request) -> bool:
        return False  # members report from the topic page


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Moderators rename tags (name and address), merge them and delete them. Tags are made
    by the members who tag their topics."""

    list_display = ("name", "slug", "topic_count")
    search_fields = ("name", "slug")
    fields = ("name", "slug", "topic_count")
    readonly_fields = ("topic_count",)
    ordering = ("-topic_count", "name")

    @admin.action(
        description="Merge the selected tags into the one with the most topics",
        permissions=["change", "delete"],
    )
    def merge_tags(self, request: HttpRequest, queryset: QuerySet) -> None:
        tags = list(queryset.order_by("-topic_count", "name"))
        if len(tags) < 2:
            self.message_user(request, "Select two or more tags to merge.", messages.WARNING)
            return
        into = tags[0]
        merged = tagging.tags_merge(tags=tags, into=into)
        self.log_change(request, into, f"Merged {merged} tags into it")
        self.message_user(request, f"Merged {merged} tags into “{into.name}”.")

    actions = ["merge_tags"]

    def has_add_permission(self, request) -> bool:
        return False  # members make tags by tagging their topics


# The members' admin lives in accounts, which knows nothing of posts; the forum adds the
# moderation action that does.
admin.site.unregister(User)


@admin.register(User)
class MemberAdmin(UserAdmin):
    actions = [
        moderation_action(
            "block_and_spam",
            "Block, and mark all their posts as spam",
            lambda member: services.member_block(member=member),
            allowed=lambda user, member: member.pk != user.pk and may_act_on(user, member),
        )
    ]
