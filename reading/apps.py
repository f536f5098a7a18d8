"""Unread tracking: which topics have posts a member has not read, for the lists' markers,
"jump to the first unread post" and "mark all as read"."""

from django.apps import AppConfig


class ReadingConfig(AppConfig):
    name = "reading"
    verbose_name = "Unread tracking"

    def ready(self) -> None:
        # Listens to forum.events.topic_viewed: a member was shown a page of a topic.
        from . import receivers  # noqa: F401
