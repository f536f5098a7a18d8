"""A bbPress site's old links answer with a 301 to the page and post they meant
(``importer.middleware``), unknown ones fall through, and normal pages cost no more queries."""

from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from forum import services
from forum.models import Forum, Post, Topic
from importer.models import ImportedForum, ImportedMember, ImportedReplySlug, ImportedTopic

MIDDLEWARE = "importer.middleware.OldLinkRedirectMiddleware"
PRIVET = "привет"  # a topic's slug on the old site, which ours could not keep
PRIVET_WP = quote(PRIVET, safe="").lower()  # as WordPress stored it: %d0%bf%d1%80…
FORUM_WP = quote("форум", safe="").lower()
LONG_WP = "a-title-" + "very-" * 30 + "long"  # past our slugs' 100 characters


@dataclass
class OldSite:
    """What an import of a small bbPress site left: rows and the ids and slugs they had."""

    kept_forum: Forum  # slug kept, WordPress id 10
    renamed_forum: Forum  # slug "форум" lost, WordPress id 11, a subforum of kept_forum
    topic: Topic  # slug "привет" lost, WordPress id 100 (its opening post's id)
    long_topic: Topic  # slug LONG_WP cut short, WordPress id 200
    reply: Post  # slug "reply-to-privet", not its id
    member: User  # login "John.Doe", WordPress user 5, nicename "john-doe"


@pytest.fixture
def old_site(make_forum, make_reply, make_member) -> OldSite:
    member = make_member("John.Doe")
    kept_forum = make_forum("Imported forum", slug="imported-forum")
    renamed_forum = make_forum("Форум", slug="forum-2", parent=kept_forum)
    topic = services.topic_create(
        forum=renamed_forum, author=member, title="Привет", body="Hello.", post_id=100
    )
    long_topic = services.topic_create(
        forum=kept_forum,
        author=member,
        title="A title " + "very " * 12 + "long",
        body="Long.",
        post_id=200,
    )
    reply = make_reply(topic, author=member)
    ImportedForum.objects.create(wp_id=10, forum=kept_forum, wp_slug="imported-forum")
    ImportedForum.objects.create(wp_id=11, forum=renamed_forum, wp_slug=FORUM_WP)
    ImportedTopic.objects.create(wp_id=100, topic=topic, wp_slug=PRIVET_WP)
    ImportedTopic.objects.create(wp_id=200, topic=long_topic, wp_slug=LONG_WP)
    ImportedReplySlug.objects.create(slug="reply-to-privet", post=reply)
    ImportedMember.objects.create(wp_id=5, member=member)
    return OldSite(kept_forum, renamed_forum, topic, long_topic, reply, member)


def assert_moved(response, location: str) -> None:
    assert (response.status_code, response.get("Location")) == (301, location)


@pytest.mark.django_db
class TestPlainPermalinks:
    def test_a_topics_id_goes_to_the_topic(self, client, old_site):
        assert_moved(client.get("/?p=100"), old_site.topic.get_absolute_url())

    def test_a_replys_id_goes_to_its_permalink_and_on_to_the_post(self, client, old_site):
        reply_id = old_site.reply.pk
        response = client.get(f"/?p={reply_id}")
        assert_moved(response, f"/forums/reply/{reply_id}/")
        followed = client.get(response["Location"])
        assert followed["Location"] == f"{old_site.topic.get_absolute_url()}#post-{reply_id}"

    def test_a_forums_id_goes_to_the_forum(self, client, old_site):
        assert_moved(client.get("/?p=11"), old_site.renamed_forum.get_absolute_url())

    def test_other_parameters_do_not_matter(self, client, old_site):
        response = client.get("/?post_type=topic&p=100&utm_source=feed")
        assert_moved(response, old_site.topic.get_absolute_url())

    def test_a_repeated_parameter_counts_by_its_last_value(self, client, old_site):
        assert_moved(client.get("/?p=999999&p=100"), old_site.topic.get_absolute_url())

    def test_a_topic_by_its_old_slug_keeps_the_page(self, client, old_site):
        response = client.get("/", {"topic": PRIVET, "paged": "2"})
        assert_moved(response, f"{old_site.topic.get_absolute_url()}page/2/")

    def test_a_topic_by_its_old_slug_as_wordpress_wrote_it(self, client, old_site):
        response = client.get(f"/?topic={quote(PRIVET_WP, safe='')}")
        assert_moved(response, old_site.topic.get_absolute_url())

    def test_a_forum_by_its_slug(self, client, old_site):
        assert_moved(client.get("/?forum=imported-forum"), "/forums/forum/imported-forum/")
        assert_moved(client.get("/", {"forum": "форум"}), "/forums/forum/forum-2/")

    def test_a_reply_by_its_slug_or_its_id(self, client, old_site):
        permalink = f"/forums/reply/{old_site.reply.pk}/"
        assert_moved(client.get("/?reply=reply-to-privet"), permalink)
        assert_moved(client.get(f"/?reply={old_site.reply.pk}"), permalink)

    def test_a_member_by_their_wordpress_id(self, client, old_site):
        assert_moved(client.get("/?bbp_user=5"), "/forums/users/John.Doe/")

    def test_the_forums_index_and_a_missing_page_answer_them_too(self, client, old_site):
        assert_moved(client.get("/forums/?p=100"), old_site.topic.get_absolute_url())
        assert_moved(client.get("/index.php?p=100"), old_site.topic.get_absolute_url())

    def test_head_is_redirected_and_post_is_not(self, client, old_site):
        assert_moved(client.head("/?p=100"), old_site.topic.get_absolute_url())
        assert client.post("/?p=100").status_code != 301

    @pytest.mark.parametrize(
        "query",
        [
            "p=999999",
            "p=12abc",
            "p=-100",
            "p=0",
            "p=100.0",
            "p= 100x",
            "p=%D9%A1%D9%A0%D9%A0",  # 100 in Arabic-Indic digits
            "p=" + "9" * 40,
            "p=" + "1" * 5000,
            "p=",
            "p[]=100",
            "topic=nope",
            "topic=" + "%D0%BF" * 300,
            "forum=",
            "reply=nope",
            "reply=" + "9" * 30,
            "bbp_user=" + "9" * 30,
            "topic-tag=nope",
            "topic=privet&paged=" + "9" * 5000,
        ],
    )
    def test_unknown_or_malformed_values_fall_through_to_the_index(self, client, old_site, query):
        assert client.get(f"/?{query}").status_code == 200

    def test_a_hidden_topic_is_not_revealed(self, client, old_site):
        Topic.objects.filter(pk=old_site.topic.pk).update(status=Topic.Status.SPAM)
        assert client.get("/?p=100").status_code == 200
        assert client.get(f"/?p={old_site.reply.pk}").status_code == 200
        assert client.get("/", {"topic": PRIVET}).status_code == 200

    def test_an_unknown_id_on_a_missing_page_stays_not_found(self, client, old_site):
        assert client.get("/index.php?p=999999").status_code == 404


@pytest.mark.django_db
class TestPrettyPermalinksWhoseSlugChanged:
    def test_a_non_ascii_topic_slug_as_browsers_send_it(self, client, old_site):
        response = client.get(f"/forums/topic/{quote(PRIVET)}/")  # %D0%BF…, upper case
        assert_moved(response, old_site.topic.get_absolute_url())

    def test_a_topic_slug_encoded_twice(self, client, old_site):
        response = client.get(f"/forums/topic/{quote(PRIVET_WP, safe='')}/")
        assert_moved(response, old_site.topic.get_absolute_url())

    def test_a_topic_page_keeps_its_number(self, client, old_site):
        response = client.get(f"/forums/topic/{quote(PRIVET)}/page/3/")
        assert_moved(response, f"{old_site.topic.get_absolute_url()}page/3/")

    def test_a_slug_too_long_to_keep(self, client, old_site):
        assert old_site.long_topic.slug != LONG_WP
        response = client.get(f"/forums/topic/{LONG_WP}/")
        assert_moved(response, old_site.long_topic.get_absolute_url())

    def test_a_forum_slug(self, client, old_site):
        assert_moved(client.get(f"/forums/forum/{quote('форум')}/"), "/forums/forum/forum-2/")

    def test_a_subforum_under_its_parent_keeps_the_page(self, client, old_site):
        response = client.get(f"/forums/forum/imported-forum/{quote('форум')}/page/2/")
        assert_moved(response, "/forums/forum/forum-2/page/2/")

    def test_a_subforum_whose_slug_was_kept(self, client, old_site, make_forum):
        make_forum("Squats", slug="squats", parent=old_site.kept_forum)
        response = client.get("/forums/forum/imported-forum/squats/")
        assert_moved(response, "/forums/forum/squats/")

    def test_a_reply_slug(self, client, old_site):
        response = client.get("/forums/reply/reply-to-privet/")
        assert_moved(response, f"/forums/reply/{old_site.reply.pk}/")

    def test_a_member_nicename(self, client, old_site):
        assert_moved(client.get("/forums/users/john-doe/"), "/forums/users/John.Doe/")

    def test_a_member_list_keeps_the_list_and_page(self, client, old_site):
        response = client.get("/forums/users/john-doe/replies/page/2/")
        assert_moved(response, "/forums/users/John.Doe/replies/page/2/")

    def test_kept_slugs_are_answered_by_their_own_pages(self, client, old_site):
        assert client.get("/forums/forum/imported-forum/").status_code == 200
        assert client.get("/forums/users/John.Doe/").status_code == 200

    @pytest.mark.parametrize(
        "path",
        [
            "/forums/topic/nope/",
            f"/forums/topic/{quote('нет')}/",
            "/forums/topic/nope/page/2/",
            "/forums/forum/nope/",
            "/forums/forum/imported-forum/nope/",
            "/forums/reply/nope/",
            "/forums/reply/999999/",
            "/forums/users/nobody/",
            "/forums/users/nobody/topics/",
            "/forums/topic/%FF%FE/",
            "/forums/topic/" + "%D0%BF" * 2000 + "/",
        ],
    )
    def test_unknown_slugs_stay_not_found(self, client, old_site, path):
        assert client.get(path).status_code == 404

    def test_a_hidden_topic_at_its_own_slug_is_not_a_redirect_loop(self, client, old_site):
        topic = old_site.long_topic
        ImportedTopic.objects.filter(wp_id=200).update(wp_slug=topic.slug)
        Topic.objects.filter(pk=topic.pk).update(status=Topic.Status.TRASH)
        assert client.get(topic.get_absolute_url()).status_code == 404

    def test_a_page_past_the_last_is_not_a_redirect_loop(self, client, old_site):
        ImportedTopic.objects.filter(wp_id=200).update(wp_slug=old_site.long_topic.slug)
        response = client.get(f"{old_site.long_topic.get_absolute_url()}page/9/")
        assert response.status_code == 404


def queries_for(client, path: str) -> int:
    caches["pages"].clear()  # the page cache would otherwise answer the second time
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.django_db
class TestNormalPages:
    @pytest.mark.parametrize("path", ["topic", "/", "/?utm_source=feed", "/forums/users/John.Doe/"])
    def test_cost_no_query_more(self, settings, old_site, path):
        path = old_site.topic.get_absolute_url() if path == "topic" else path
        with_redirects = queries_for(Client(), path)
        settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != MIDDLEWARE]
        without = Client()  # a client loads the middleware on its first request
        assert queries_for(without, path) == with_redirects
        assert without.get("/?p=100").status_code == 200  # indeed without the redirects

    def test_a_cached_topic_page_costs_no_query(self, client, old_site, django_assert_num_queries):
        url = old_site.topic.get_absolute_url()
        client.get(url)
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200
