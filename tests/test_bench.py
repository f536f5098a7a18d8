"""The benchmark's data and its yardstick page are what ``docs/performance.md`` says they are."""

import re

import pytest

from bench.seed_data import seed
from forum.models import Topic
from forum.recount import recount_all


@pytest.mark.django_db
def test_seed_builds_the_topic_through_the_services_once():
    assert "60 replies, 6 voices" in seed(replies=60, authors=6)
    topic = Topic.objects.select_related("forum").get(slug="benchmark-topic")
    assert (topic.reply_count, topic.voice_count, topic.forum.post_count) == (60, 6, 61)
    assert recount_all(dry_run=True) == []

    assert "nothing to do" in seed(replies=60, authors=6)
    assert Topic.objects.filter(slug="benchmark-topic").count() == 1


@pytest.mark.django_db
def test_baseline_page_renders_the_first_25_posts_in_3_queries(
    client, settings, django_assert_num_queries
):
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "bench"]
    settings.ROOT_URLCONF = "bench.urls"
    seed(replies=40, authors=5)
    with django_assert_num_queries(3):
        response = client.get("/bench/baseline/benchmark-topic/")
    html = response.content.decode()
    assert len(re.findall(r"<article ", html)) == 25
    assert "(of 41 total)" in html
