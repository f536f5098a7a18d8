from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Listens to forum's events (forum.events): mentions, moderation outcomes.
        from . import receivers  # noqa: F401
