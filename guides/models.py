"""A guide is a forum topic marked as a guide; its opening post is the single source of its text."""

from django.db import models
from django.urls import reverse

from forum.models import Topic


class Guide(models.Model):
    topic = models.OneToOneField(
        Topic, primary_key=True, on_delete=models.CASCADE, related_name="guide"
    )
    summary = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-topic__created_at"]

    def __str__(self) -> str:
        return self.topic.title

    def get_absolute_url(self) -> str:
        return reverse("guides:detail", kwargs={"slug": self.topic.slug})
