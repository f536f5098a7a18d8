"""The lists' unread markers, for the templates of ``forum`` and ``discovery``.

Forum's Python never imports unread tracking (it sits above forum); the project's templates,
which put the rooms together, ask it here. Anonymous readers cost nothing.
"""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def mark_unread_topics(context, topics) -> str:
    """Set ``unread_url`` on the unread rows of ``topics`` (a page of
    ``forum.rows.TopicListRow``, or a list of them), for a member; one query."""
    user = context["request"].user
    if user.is_authenticated:
        selectors.mark_unread_topics(user, getattr(topics, "object_list", topics))
    return ""


@register.simple_tag(takes_context=True)
def mark_unread_forums(context, rows) -> str:
    """Set ``unread`` on the rows (``forum.rows.ForumListRow``) of forums holding a topic
    the member has not read; one query."""
    user = context["request"].user
    if user.is_authenticated:
        selectors.mark_unread_forums(user, rows)
    return ""
