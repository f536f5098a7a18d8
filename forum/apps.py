from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = "Forum"

    def ready(self) -> None:
        # Registered on import: the deploy checks, and the receivers that expire cached pages
        # on writes made outside forum.services (the admin, profiles).
        from . import checks, receivers  # noqa: F401
