"""Anonymous pages from the page cache: no query on a hit, and never older than the last write
to them or than their "… ago" texts."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import member_set_role
from forum import services
from forum.models import Forum, Topic
from tests.pages import text_of

INDEX = "/forums/"


@pytest.fixture
def old_topic(make_topic, make_forum, make_member, ago):
    """A topic last active 5 minutes 30.5 seconds ago, so its pages may be kept 29.5 s."""
    forum = make_forum("Lifting")
    return make_topic(
        forum=forum,
        author=make_member("author"),
        title="Squat depth",
        created_at=ago(minutes=5, seconds=30, milliseconds=500),
    )


def hit(client, url: str, django_assert_num_queries) -> str:
    client.get(url)
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200
    return text_of(response)


@pytest.mark.django_db
class TestEveryAnonymousListIsCached:
    @pytest.mark.parametrize(
        "url", [INDEX, "/", "/forums/forum/lifting/", "/forums/topic/squat-depth/"]
    )
    def test_a_hit_makes_no_query(self, client, old_topic, url, django_assert_num_queries):
        assert "5 minutes ago by author" in hit(client, url, django_assert_num_queries)

    @pytest.mark.parametrize("tab", ["", "topics/", "engagements/"])
    def test_member_pages_are_cached(self, client, old_topic, tab, django_assert_num_queries):
        assert "Squat depth" in hit(
            client, f"/forums/users/author/{tab}", django_assert_num_queries
        )

    def test_a_deep_forum_page_is_cached_too(
        self, client, old_topic, make_topic, settings, django_assert_num_queries
    ):
        settings.FORUM_TOPICS_PER_PAGE = 1
        make_topic(forum=old_topic.forum, title="Bench arch")
        assert "Squat depth" in hit(
            client, "/forums/forum/lifting/page/2/", django_assert_num_queries
        )

    def test_members_are_never_served_a_cached_list(self, client, old_topic, make_member):
        client.get(INDEX)
        client.force_login(make_member("erin"))
        response = client.get(INDEX)
        assert "private" in response["Cache-Control"]
        assert "erin" in text_of(response)


@pytest.mark.django_db
class TestWritesShowAtOnce:
    """Each write commits (its on_commit expiry runs) before the pages are read again."""

    def test_a_new_topic_reaches_the_index_and_its_forum(
        self, client, old_topic, make_topic, django_capture_on_commit_callbacks
    ):
        client.get(INDEX)
        client.get("/forums/forum/lifting/")
        with django_capture_on_commit_callbacks(execute=True):
            make_topic(forum=old_topic.forum, title="Deadlift stance")
        assert "Deadlift stance" in text_of(client.get("/forums/forum/lifting/"))
        assert "2" in text_of(client.get(INDEX))  # the forum's topic count
        assert "right now" in text_of(client.get(INDEX))

    def test_a_reply_moves_the_lists_and_the_thread(
        self, client, old_topic, make_reply, django_capture_on_commit_callbacks
    ):
        for url in (INDEX, "/forums/forum/lifting/", old_topic.get_absolute_url()):
            client.get(url)
        with django_capture_on_commit_callbacks(execute=True):
            make_reply(old_topic, body="Below parallel.")
        assert "Below parallel." in text_of(client.get(old_topic.get_absolute_url()))
        for url in (INDEX, "/forums/forum/lifting/"):
            assert "right now" in text_of(client.get(url)), url

    def test_a_reply_reaches_its_authors_pages(
        self, client, old_topic, make_reply, django_capture_on_commit_callbacks
    ):
        erin = User.objects.create_user("erin")
        client.get("/forums/users/erin/")
        client.get("/forums/users/erin/replies/")
        with django_capture_on_commit_callbacks(execute=True):
            make_reply(old_topic, author=erin, body="Knees out.")
        assert "Knees out." in text_of(client.get("/forums/users/erin/replies/"))
        profile = client.get("/forums/users/erin/").content.decode()
        assert "<dt>Replies Created</dt><dd>1</dd>" in profile

    def test_a_favorite_reaches_the_public_favorites_page(
        self, client, old_topic, django_capture_on_commit_callbacks
    ):
        erin = User.objects.create_user("erin")
        assert "Squat depth" not in text_of(client.get("/forums/users/erin/favorites/"))
        with django_capture_on_commit_callbacks(execute=True):
            services.favorite_set(member=erin, topic=old_topic, favorite=True)
        assert "Squat depth" in text_of(client.get("/forums/users/erin/favorites/"))

    def test_a_new_display_name_shows_on_cached_threads(
        self, client, old_topic, django_capture_on_commit_callbacks
    ):
        client.get(old_topic.get_absolute_url())
        author = User.objects.get(username="author")
        author.display_name = "Coach Sam"
        with django_capture_on_commit_callbacks(execute=True):
            author.save()
        assert "Coach Sam" in text_of(client.get(old_topic.get_absolute_url()))

    def test_a_new_role_shows_on_cached_threads(
        self, client, old_topic, django_capture_on_commit_callbacks
    ):
        client.get(old_topic.get_absolute_url())
        with django_capture_on_commit_callbacks(execute=True):
            member_set_role(member=User.objects.get(username="author"), role=User.Role.MODERATOR)
        assert "Moderator" in text_of(client.get(old_topic.get_absolute_url()))

    def test_a_renamed_forum_shows_on_its_threads_and_the_index(
        self, client, old_topic, django_capture_on_commit_callbacks
    ):
        client.get(old_topic.get_absolute_url())
        client.get(INDEX)
        forum = Forum.objects.get(slug="lifting")
        forum.name = "Strength training"
        with django_capture_on_commit_callbacks(execute=True):
            forum.save()
        assert "Strength training" in text_of(client.get(old_topic.get_absolute_url()))
        assert "Strength training" in text_of(client.get(INDEX))

    def test_a_trashed_topic_is_gone_at_once(
        self, client, old_topic, django_capture_on_commit_callbacks
    ):
        client.get(old_topic.get_absolute_url())
        client.get("/forums/forum/lifting/")
        with django_capture_on_commit_callbacks(execute=True):
            services.topic_set_status(topic=old_topic, status=Topic.Status.TRASH)
        assert client.get(old_topic.get_absolute_url()).status_code == 404
        assert "Squat depth" not in text_of(client.get("/forums/forum/lifting/"))

    def test_a_merged_topic_is_gone_at_once(
        self, client, old_topic, make_topic, django_capture_on_commit_callbacks
    ):
        newer = make_topic(forum=old_topic.forum, title="Squat depth again")
        client.get(newer.get_absolute_url())
        with django_capture_on_commit_callbacks(execute=True):
            services.topic_merge(source=newer, target=old_topic)
        assert client.get("/forums/topic/squat-depth-again/").status_code == 404

    def test_a_login_or_a_new_member_expires_nothing(
        self, client, old_topic, make_member, django_assert_num_queries
    ):
        client.get(old_topic.get_absolute_url())
        make_member("newcomer")
        User.objects.get(username="author").save(update_fields=["last_login"])
        with django_assert_num_queries(0):
            client.get(old_topic.get_absolute_url())


@pytest.mark.django_db
class TestAgoTextsStayTrue:
    def test_a_page_is_kept_until_its_first_ago_text_changes(
        self, client, old_topic, time_machine, django_assert_num_queries
    ):
        time_machine.move_to(timezone.now(), tick=False)
        url = "/forums/forum/lifting/"
        assert "5 minutes ago" in text_of(client.get(url))
        time_machine.shift(timedelta(seconds=29))
        with django_assert_num_queries(0):
            assert "5 minutes ago" in text_of(client.get(url))
        # Past the change, though the cache (which counts whole seconds) would still keep it.
        time_machine.shift(timedelta(milliseconds=700))
        assert "6 minutes ago" in text_of(client.get(url))

    def test_the_etag_changes_with_the_text(self, client, old_topic, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        url = old_topic.get_absolute_url()
        etag = client.get(url)["ETag"]
        assert client.get(url, headers={"if-none-match": etag}).status_code == 304
        time_machine.shift(timedelta(seconds=31))
        assert client.get(url, headers={"if-none-match": etag}).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_page_read_while_a_reply_commits_is_not_served_after_it(
    client, make_topic, make_member, ago
):
    """A reader that renders the thread before the reply commits stores the page without the
    reply; the expiry after the commit makes it unreachable."""
    topic = make_topic(title="Squat depth", created_at=ago(hours=2))
    url = topic.get_absolute_url()
    written, release = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def reply_and_wait() -> None:
        try:
            with transaction.atomic():
                services.reply_create(topic=topic, author=make_member("erin"), body="Fresh reply.")
                written.set()
                release.wait(10)
        except Exception as error:  # reported below
            errors.append(error)
            written.set()
        finally:
            connection.close()

    writer = threading.Thread(target=reply_and_wait)
    writer.start()
    assert written.wait(10)
    before_commit = text_of(client.get(url))
    release.set()
    writer.join(10)
    assert errors == []
    assert "Fresh reply." not in before_commit
    assert "Fresh reply." in text_of(client.get(url))


@pytest.mark.django_db
def test_a_topic_address_longer_than_any_slug_is_a_404_not_a_cache_key_error(client):
    # No topic's slug is past 100 characters; the page cache's key must stay short for it.
    assert client.get("/forums/topic/" + "very-" * 60 + "long/").status_code == 404
