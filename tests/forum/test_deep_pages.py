"""Deep pages: any page of a long list shows the rows an ordered query would put there.

The lists reach a page's rows by a deferred join (``forum.selectors.DeferredRows``): the keys
of the page first, then the rows. These tests hold each list to the same query written
plainly, sliced, with ties in the ordering dates so the ``id`` tiebreakers count, and pin a
deep page's query count to the first page's.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from forum import services
from forum.models import Post, Topic

PER_PAGE = 4


@pytest.fixture
def small_pages(settings):
    settings.FORUM_TOPICS_PER_PAGE = PER_PAGE
    settings.FORUM_POSTS_PER_PAGE = PER_PAGE


@pytest.fixture
def long_forum(small_pages, make_forum, make_member, make_topic):
    """A forum of 38 topics, eleven of each pair of them active at the same moment, two
    sticky, one trashed, and a super sticky topic in another forum."""
    forum = make_forum("Long")
    author = make_member()
    base = timezone.now() - timedelta(days=30)
    topics = [
        make_topic(forum=forum, author=author, created_at=base + timedelta(hours=n // 2))
        for n in range(38)
    ]
    services.topic_set_pin(topic=topics[5], pin=Topic.Pin.STICKY)
    services.topic_set_pin(topic=topics[20], pin=Topic.Pin.STICKY)
    services.topic_set_status(topic=topics[9], status=Topic.Status.TRASH)
    services.topic_set_pin(topic=make_topic(), pin=Topic.Pin.SUPER_STICKY)
    forum.refresh_from_db()
    return forum


@pytest.fixture
def long_thread(small_pages, make_topic, make_reply, make_member):
    """A topic of 45 replies, several at the same moment, every seventh one hidden."""
    topic = make_topic(created_at=timezone.now() - timedelta(days=10))
    authors = [make_member() for _ in range(3)]
    base = topic.created_at
    hidden = [Post.Status.PENDING, Post.Status.SPAM, Post.Status.TRASH]
    for n in range(45):
        reply = make_reply(
            topic, author=authors[n % 3], created_at=base + timedelta(minutes=1 + n // 3)
        )
        if n % 7 == 3:
            services.post_set_status(post=reply, status=hidden[n % 3])
    topic.refresh_from_db()
    return topic


@pytest.fixture
def prolific_member(small_pages, make_member, make_topic, make_reply):
    """A member with 30 replies in 10 topics (some at the same moment), one trashed, one in a
    trashed topic, and 3 topics of their own."""
    member = make_member("prolific")
    base = timezone.now() - timedelta(days=5)
    topics = [make_topic(created_at=base) for _ in range(10)]
    own = [make_topic(author=member, created_at=base + timedelta(hours=n)) for n in range(3)]
    make_reply(own[0], author=member, created_at=base + timedelta(hours=4))
    for n in range(30):
        reply = make_reply(
            topics[n % 10], author=member, created_at=base + timedelta(hours=5 + n // 4)
        )
        if n == 11:
            services.post_set_status(post=reply, status=Post.Status.TRASH)
    services.topic_set_status(topic=topics[7], status=Topic.Status.TRASH)
    return member


def _forum_order(forum) -> list[int]:
    return list(
        Topic.objects.filter(forum=forum, status__in=Topic.VISIBLE_STATUSES)
        .order_by("-pin", "-last_active_at", "-id")
        .values_list("pk", flat=True)
    )


def _thread_order(topic, *, statuses) -> list[int]:
    return list(
        Post.objects.filter(topic=topic, status__in=statuses)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )


def _member_replies_order(member) -> list[int]:
    replies = [
        post
        for post in Post.objects.filter(author=member, status=Post.Status.PUBLISHED)
        .select_related("topic")
        .order_by("-created_at", "-id")
        if post.topic.status in Topic.VISIBLE_STATUSES and post.topic.first_post_id != post.pk
    ]
    return [post.pk for post in replies]


def _page(ordered: list[int], number: int) -> list[int]:
    return ordered[(number - 1) * PER_PAGE : number * PER_PAGE]


def _topic_urls(topic_ids: list[int]) -> list[str]:
    """The topics' URLs, as their rows in a topic list link to them."""
    topics = Topic.objects.in_bulk(topic_ids)
    return [topics[topic_id].get_absolute_url() for topic_id in topic_ids]


def _pages(ordered: list[int]) -> int:
    return -(-len(ordered) // PER_PAGE)


class TestForumPages:
    def test_every_page_shows_the_ordered_topics_stickies_first(self, client, long_forum):
        ordered = _forum_order(long_forum)
        assert len(ordered) == 37
        for number in range(2, _pages(ordered) + 1):
            response = client.get(f"/forums/forum/long/page/{number}/")
            assert response.status_code == 200
            shown = [row["url"] for row in response.context["page_obj"].object_list]
            assert shown == _topic_urls(_page(ordered, number)), number

    def test_first_page_adds_super_stickies_of_other_forums(self, client, long_forum):
        response = client.get("/forums/forum/long/")
        shown = [row["url"] for row in response.context["page_obj"].object_list]
        super_sticky = Topic.objects.get(pin=Topic.Pin.SUPER_STICKY)
        assert shown == _topic_urls([super_sticky.pk, *_page(_forum_order(long_forum), 1)])

    def test_last_page_shows_the_oldest_topic_title(self, client, long_forum):
        oldest = Topic.objects.get(pk=_forum_order(long_forum)[-1])
        response = client.get("/forums/forum/long/page/10/")
        assert oldest.title in response.text

    def test_page_past_the_last_is_not_found(self, client, long_forum):
        assert client.get("/forums/forum/long/page/10/").status_code == 200
        assert client.get("/forums/forum/long/page/11/").status_code == 404

    def test_deep_page_runs_the_queries_of_page_two(
        self, client, long_forum, django_assert_num_queries
    ):
        # Page 1 runs one more: the other forums' super sticky topics.
        with django_assert_num_queries(3):
            client.get("/forums/forum/long/page/2/")
        with django_assert_num_queries(3):
            client.get("/forums/forum/long/page/9/")


class TestTopicPages:
    def test_readers_see_the_published_posts_in_order_on_every_page(self, client, long_thread):
        ordered = _thread_order(long_thread, statuses=[Post.Status.PUBLISHED])
        assert len(ordered) == long_thread.post_count
        url = long_thread.get_absolute_url()
        for number in range(1, _pages(ordered) + 1):
            response = client.get(url if number == 1 else f"{url}page/{number}/")
            assert response.status_code == 200
            shown = [int(post["id"]) for post in response.context["page_obj"].object_list]
            assert shown == _page(ordered, number), number

    def test_moderators_see_every_post_in_order_on_every_page(
        self, client, long_thread, make_member
    ):
        client.force_login(make_member(role=User.Role.MODERATOR))
        ordered = _thread_order(long_thread, statuses=Post.Status.values)
        assert len(ordered) == long_thread.post_count + long_thread.hidden_reply_count
        url = long_thread.get_absolute_url()
        for number in range(2, _pages(ordered) + 1):
            response = client.get(f"{url}page/{number}/")
            shown = [int(post["id"]) for post in response.context["page_obj"].object_list]
            assert shown == _page(ordered, number), number

    def test_page_past_the_last_is_not_found(self, client, long_thread):
        url = long_thread.get_absolute_url()
        last = _pages(_thread_order(long_thread, statuses=[Post.Status.PUBLISHED]))
        assert client.get(f"{url}page/{last}/").status_code == 200
        assert client.get(f"{url}page/{last + 1}/").status_code == 404

    def test_deep_page_runs_the_queries_of_the_first(
        self, client, long_thread, django_assert_num_queries
    ):
        url = long_thread.get_absolute_url()
        with django_assert_num_queries(2):
            client.get(url)
        with django_assert_num_queries(2):
            client.get(f"{url}page/10/")


class TestMemberReplies:
    def test_every_page_shows_the_published_replies_newest_first(self, client, prolific_member):
        ordered = _member_replies_order(prolific_member)
        # 31 replies, less the trashed one and the three in the trashed topic.
        assert len(ordered) == 27
        for number in range(1, _pages(ordered) + 1):
            suffix = "" if number == 1 else f"page/{number}/"
            response = client.get(f"/forums/users/prolific/replies/{suffix}")
            assert response.status_code == 200
            shown = [post.pk for post in response.context["page_obj"].object_list]
            assert shown == _page(ordered, number), number

    def test_page_past_the_last_is_not_found(self, client, prolific_member):
        assert client.get("/forums/users/prolific/replies/page/7/").status_code == 200
        assert client.get("/forums/users/prolific/replies/page/8/").status_code == 404

    def test_topics_started_list_newest_first(self, client, prolific_member):
        response = client.get("/forums/users/prolific/topics/")
        shown = [row["url"] for row in response.context["page_obj"].object_list]
        expected = Topic.objects.filter(author=prolific_member).order_by("-created_at", "-id")
        assert shown == [topic.get_absolute_url() for topic in expected][:PER_PAGE]

    def test_deep_page_runs_the_queries_of_the_first(
        self, client, prolific_member, django_assert_num_queries
    ):
        # the member, the page's replies: the count is the member's counter
        with django_assert_num_queries(2):
            client.get("/forums/users/prolific/replies/")
        with django_assert_num_queries(2):
            client.get("/forums/users/prolific/replies/page/7/")  # the last

    def test_topics_started_deep_page_runs_the_queries_of_the_first(
        self, client, prolific_member, make_topic, django_assert_num_queries
    ):
        for _ in range(6):
            make_topic(author=prolific_member)  # 9 topics: 3 pages
        with django_assert_num_queries(2):
            client.get("/forums/users/prolific/topics/")
        with django_assert_num_queries(2):
            response = client.get("/forums/users/prolific/topics/page/3/")  # the last
        assert len(response.context["page_obj"].object_list) == 1
