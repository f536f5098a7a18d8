from django.contrib import admin

from .models import Guide


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = ("__str__", "topic_author", "topic_created_at")
    search_fields = ("topic__title", "summary")
    list_select_related = ("topic__author",)
    raw_id_fields = ("topic",)

    @admin.display(description="Author", ordering="topic__author__username")
    def topic_author(self, guide: Guide) -> str:
        return guide.topic.author.username

    @admin.display(description="Posted", ordering="topic__created_at")
    def topic_created_at(self, guide: Guide):
        return guide.topic.created_at
