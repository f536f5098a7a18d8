"""Members starting topics with the same title at the same moment all succeed, each topic
with a slug of its own (on PostgreSQL the check for a free slug used to race the insert)."""

import uuid

import pytest
from django.test import Client

from forum.models import Topic
from tests.threads import run_at_once

MEMBERS = 10


@pytest.mark.django_db(transaction=True)
def test_ten_members_starting_topics_with_one_title_at_once_all_succeed(
    make_member, make_forum, settings
):
    settings.FORUM_FLOOD_SECONDS = 0
    forum = make_forum()
    clients = []
    for _ in range(MEMBERS):
        client = Client(raise_request_exception=False)
        client.force_login(make_member())
        clients.append(client)
    statuses: list[int] = []

    def start_topic(client: Client) -> None:
        response = client.post(
            f"/forums/forum/{forum.slug}/new/",
            {"title": "Squat depth", "body": "How deep?", "token": str(uuid.uuid4()),
             "action": "post"},
        )  # fmt: skip
        statuses.append(response.status_code)

    assert run_at_once(start_topic, clients) == []
    assert statuses == [302] * MEMBERS
    slugs = sorted(Topic.objects.filter(forum=forum).values_list("slug", flat=True))
    assert len(set(slugs)) == MEMBERS
    assert "squat-depth" in slugs
    assert {slug for slug in slugs if slug != "squat-depth"} == {
        f"squat-depth-{number}" for number in range(2, MEMBERS + 1)
    }
