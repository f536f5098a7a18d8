from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = "Forum"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy checks)
