"""Topic tags as members, readers and moderators meet them: tagging a new topic, editing the
tags, "Tagged: …" on the topic page, the tag pages, and the admin's rename, merge and delete."""

import re
import uuid

import feedparser
import pytest

from accounts.models import User
from accounts.services import member_set_role
from forum import services, tagging
from forum.models import Tag, Topic
from forum.recount import recount_all
from tests.pages import text_of


def topic_data(title: str = "Squat depth", tags: str = "", **extra) -> dict:
    return {"title": title, "body": "How deep?", "tags": tags, "token": str(uuid.uuid4()),
            "action": "post", **extra}  # fmt: skip


def tagged_line(response) -> str:
    match = re.search(r"Tagged: [^.]*?(?= This topic has)", text_of(response))
    return match.group(0) if match else ""


@pytest.fixture(autouse=True)
def _no_flood_wait(settings):
    settings.FORUM_FLOOD_SECONDS = 0


@pytest.fixture
def member(make_member, client) -> User:
    member = make_member("erin")
    client.force_login(member)
    return member


@pytest.fixture
def forum(make_forum):
    return make_forum("Lifting", slug="lifting")


@pytest.fixture
def moderator(make_member) -> User:
    moderator = make_member("mona")
    member_set_role(member=moderator, role=User.Role.MODERATOR)
    return moderator


def tag(topic: Topic, names: str) -> None:
    tagging.topic_set_tags(topic=topic, names=tagging.parse_tag_names(names))


@pytest.mark.django_db
class TestTaggingANewTopic:
    def test_member_tags_a_new_topic_and_readers_see_the_tags(self, client, member, forum):
        response = client.post(
            "/forums/forum/lifting/new/", topic_data(tags="Squat,  knee   pain , squat")
        )
        assert response.status_code == 302
        topic = Topic.objects.get(title="Squat depth")
        client.logout()
        page = client.get(topic.get_absolute_url())
        assert tagged_line(page) == "Tagged: knee pain, Squat"
        html = page.content.decode()
        assert '<a href="/forums/topic-tag/squat/" rel="tag">Squat</a>' in html
        assert '<a href="/forums/topic-tag/knee-pain/" rel="tag">knee pain</a>' in html

    def test_the_new_topic_form_has_a_labelled_tags_field(self, client, member, forum):
        html = client.get("/forums/forum/lifting/").content.decode()
        assert re.search(r'<label for="id_tags">Topic Tags:?</label>', html)

    def test_names_that_differ_only_in_case_and_spacing_are_one_tag(
        self, client, member, forum, make_topic
    ):
        tag(make_topic(forum=forum), "Squat Depth")
        client.post("/forums/forum/lifting/new/", topic_data(title="Another", tags="squat-depth"))
        assert list(Tag.objects.values_list("name", "slug", "topic_count")) == [
            ("Squat Depth", "squat-depth", 2)
        ]

    @pytest.mark.parametrize(
        ("tags", "message"),
        [
            ("a, b, c, d, e, f", "A topic has at most 5 tags; you gave 6."),
            ("x" * 31, "Tags are at most 30 characters long"),
            ("!!!, ???", "has no letters or digits"),
            ("bad\x1btag", "control characters"),
        ],
    )
    def test_bad_tags_re_render_the_form_and_write_nothing(
        self, client, member, forum, tags, message
    ):
        response = client.post("/forums/forum/lifting/new/", topic_data(tags=tags))
        assert response.status_code == 200
        assert message in text_of(response)
        assert not Topic.objects.filter(title="Squat depth").exists()
        assert not Tag.objects.exists()

    def test_a_held_topic_does_not_count_for_its_tags(self, client, member, forum, settings):
        settings.FORUM_APPROVE_FIRST_POSTS = 1
        client.post("/forums/forum/lifting/new/", topic_data(tags="held"))
        assert Tag.objects.get(slug="held").topic_count == 0
        assert client.get("/forums/topic-tag/held/").status_code == 404


@pytest.mark.django_db
class TestEditingTags:
    def test_the_author_edits_the_tags_with_the_opening_post(self, client, member, forum):
        client.post("/forums/forum/lifting/new/", topic_data(tags="old"))
        topic = Topic.objects.get(title="Squat depth")
        url = f"/forums/reply/{topic.first_post_id}/edit/"
        assert 'value="old"' in client.get(url).content.decode()
        response = client.post(
            url, {"title": "Squat depth", "body": "How deep?", "tags": "new, shiny", "reason": ""}
        )
        assert response.status_code == 302
        assert tagged_line(client.get(topic.get_absolute_url())) == "Tagged: new, shiny"
        assert Tag.objects.get(slug="old").topic_count == 0
        assert client.get("/forums/topic-tag/old/").status_code == 404

    def test_replies_have_no_tags_field(self, client, member, make_topic, make_reply):
        reply = make_reply(make_topic(), author=member)
        assert 'name="tags"' not in client.get(f"/forums/reply/{reply.pk}/edit/").content.decode()

    def test_after_the_edit_window_the_author_cannot(self, client, member, forum, make_topic, ago):
        topic = make_topic(forum=forum, author=member, created_at=ago(days=3))
        tag(topic, "kept")
        url = f"/forums/reply/{topic.first_post_id}/edit/"
        data = {"title": topic.title, "body": "x", "tags": "changed", "reason": ""}
        assert client.post(url, data).status_code == 403
        assert list(topic.tags.values_list("name", flat=True)) == ["kept"]

    def test_moderators_edit_anyones_tags(self, client, moderator, forum, make_topic, ago):
        topic = make_topic(forum=forum, created_at=ago(days=3))
        client.force_login(moderator)
        url = f"/forums/reply/{topic.first_post_id}/edit/"
        data = {"title": topic.title, "body": "Opening post.", "tags": "moderated", "reason": ""}
        assert client.post(url, data).status_code == 302
        assert list(topic.tags.values_list("name", flat=True)) == ["moderated"]


@pytest.mark.django_db
class TestTagPages:
    def test_a_tag_page_lists_its_visible_topics_paginated(
        self, client, settings, forum, make_topic
    ):
        settings.FORUM_TOPICS_PER_PAGE = 2
        for n in range(3):
            tag(make_topic(forum=forum, title=f"Tagged {n}"), "deadlift")
        make_topic(forum=forum, title="Untagged")
        first = client.get("/forums/topic-tag/deadlift/")
        page = text_of(first)
        assert "Topic Tag: deadlift" in page
        assert "Viewing 2 topics - 1 through 2 (of 3 total)" in page
        assert "Untagged" not in page
        assert "Tagged 0" in text_of(client.get("/forums/topic-tag/deadlift/page/2/"))
        assert client.get("/forums/topic-tag/deadlift/page/3/").status_code == 404
        assert client.get("/forums/topic-tag/nothing-here/").status_code == 404

    def test_hidden_topics_leave_the_tag_page_and_its_count(
        self, client, forum, make_topic, django_capture_on_commit_callbacks
    ):
        shown, hidden = (
            make_topic(forum=forum, title="Shown"),
            make_topic(forum=forum, title="Gone"),
        )
        tag(shown, "bench")
        tag(hidden, "bench, spammy")
        with django_capture_on_commit_callbacks(execute=True):
            services.topic_set_status(topic=hidden, status=Topic.Status.SPAM)
        assert "Gone" not in text_of(client.get("/forums/topic-tag/bench/"))
        assert Tag.objects.get(slug="bench").topic_count == 1
        # A tag whose topics are all hidden has no page.
        assert client.get("/forums/topic-tag/spammy/").status_code == 404
        assert client.get("/forums/topic-tag/spammy/feed/").status_code == 404
        with django_capture_on_commit_callbacks(execute=True):
            services.topic_set_status(topic=hidden, status=Topic.Status.OPEN)
        assert client.get("/forums/topic-tag/spammy/").status_code == 200

    def test_the_tags_page_lists_popular_tags_with_their_counts(self, client, forum, make_topic):
        for n in range(3):
            tag(make_topic(forum=forum), "common" + (", rare" if n == 0 else ""))
        page = text_of(client.get("/forums/topic-tag/"))
        assert "common (3 topics) rare (1 topic)" in page
        assert 'href="/forums/topic-tag/"' in client.get("/forums/").content.decode()

    def test_tag_feed(self, client, forum, make_topic):
        tag(make_topic(forum=forum, title="Fed"), "feeds")
        response = client.get("/forums/topic-tag/feeds/feed/")
        feed = feedparser.parse(response.content)
        assert not feed.bozo
        assert [entry.title for entry in feed.entries] == ["Fed"]
        assert (
            'href="/forums/topic-tag/feeds/feed/"'
            in client.get("/forums/topic-tag/feeds/").content.decode()
        )

    def test_query_counts(self, client, settings, forum, make_topic, django_assert_num_queries):
        settings.FORUM_PAGE_CACHE_SECONDS = 0
        topic = make_topic(forum=forum)
        tag(topic, "a, b, c")
        with django_assert_num_queries(2):  # the tag, its page of topics
            client.get("/forums/topic-tag/a/")
        with django_assert_num_queries(1):
            client.get("/forums/topic-tag/")
        with django_assert_num_queries(2):  # the thread's two, tags included
            client.get(topic.get_absolute_url())
        for _ in range(30):
            tag(make_topic(forum=forum), "a")
        with django_assert_num_queries(2):
            client.get("/forums/topic-tag/a/page/2/")


@pytest.mark.django_db
class TestModeration:
    @pytest.fixture
    def staff_client(self, client, moderator):
        client.force_login(moderator)
        return client

    def test_moderators_rename_a_tag_in_the_admin(
        self, staff_client, forum, make_topic, django_capture_on_commit_callbacks
    ):
        topic = make_topic(forum=forum)
        tag(topic, "sqaut")
        staff_client.get(topic.get_absolute_url())
        pk = Tag.objects.get().pk
        with django_capture_on_commit_callbacks(execute=True):
            response = staff_client.post(
                f"/admin/forum/tag/{pk}/change/", {"name": "Squat", "slug": "squat"}
            )
        assert response.status_code == 302
        staff_client.logout()
        assert tagged_line(staff_client.get(topic.get_absolute_url())) == "Tagged: Squat"
        assert staff_client.get("/forums/topic-tag/squat/").status_code == 200

    def test_moderators_merge_tags_in_the_admin(self, staff_client, forum, make_topic):
        one, two, three = (make_topic(forum=forum) for _ in range(3))
        tag(one, "squat")
        tag(two, "squats, squat")
        tag(three, "squats")
        ids = list(Tag.objects.values_list("pk", flat=True))
        response = staff_client.post(
            "/admin/forum/tag/", {"action": "merge_tags", "_selected_action": ids}
        )
        assert response.status_code == 302
        merged = Tag.objects.get()
        assert (merged.topic_count, Topic.objects.filter(tags=merged).count()) == (3, 3)

    def test_moderators_delete_a_tag_in_the_admin(self, staff_client, forum, make_topic):
        topic = make_topic(forum=forum)
        tag(topic, "gone")
        pk = Tag.objects.get().pk
        response = staff_client.post(f"/admin/forum/tag/{pk}/delete/", {"post": "yes"})
        assert response.status_code == 302
        assert not topic.tags.exists()

    def test_merging_topics_keeps_the_tags_of_both(self, forum, make_topic, ago):
        older = make_topic(forum=forum, created_at=ago(days=2))
        newer = make_topic(forum=forum, created_at=ago(days=1))
        tag(older, "a")
        tag(newer, "b")
        services.topic_merge(source=newer, target=older)
        assert sorted(older.tags.values_list("name", flat=True)) == ["a", "b"]
        assert dict(Tag.objects.values_list("name", "topic_count")) == {"a": 1, "b": 1}

    def test_recount_repairs_a_wrong_tag_count(self, forum, make_topic):
        tag(make_topic(forum=forum), "counted")
        Tag.objects.update(topic_count=7)
        result = recount_all()
        assert [str(fix) for fix in result] == [
            f"Tag #{Tag.objects.get().pk} “counted”: topic_count 7 -> 1"
        ]
        assert Tag.objects.get().topic_count == 1
        assert recount_all(dry_run=True) == []


@pytest.mark.django_db
def test_a_tag_renamed_without_its_address_is_found_by_its_new_name(
    client, member, forum, make_topic
):
    tag(make_topic(forum=forum), "squat")
    Tag.objects.update(name="deadlift")  # a moderator renamed it, keeping /topic-tag/squat/
    response = client.post("/forums/forum/lifting/new/", topic_data(title="New", tags="Deadlift"))
    assert response.status_code == 302
    assert list(Tag.objects.values_list("name", "slug", "topic_count")) == [
        ("deadlift", "squat", 2)
    ]
