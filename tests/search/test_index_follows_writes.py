"""The index follows every write, in the write's own transaction: nothing to run afterwards,
nothing left behind by a write that rolled back."""

import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from accounts.models import User
from accounts.services import member_set_role
from forum import services
from forum.models import Post, Topic


def found(client, terms: str, **params) -> list[int]:
    html = client.get(f"/forums/search/{terms}/", params).content.decode()
    return [int(n) for n in re.findall(r'<a href="/forums/reply/(\d+)/">#', html)]


@pytest.mark.django_db
class TestWrites:
    def test_a_new_reply_is_found_at_once(self, client, make_topic, make_reply):
        reply = make_reply(make_topic(), body="Overhead press plateau.")
        assert found(client, "plateau") == [reply.pk]

    def test_an_edit_replaces_the_old_words(self, client, make_topic):
        topic = make_topic(body="Original wording about carries.")
        post = Post.objects.get(pk=topic.first_post_id)
        services.post_edit(post=post, editor=topic.author, body="Farmer walks instead.")
        assert found(client, "carries") == []
        assert found(client, "farmer") == [post.pk]

    def test_a_new_title_is_found_and_the_old_one_is_not(self, client, make_topic):
        topic = make_topic(title="Snatch grip", body="Opening words.")
        post = Post.objects.get(pk=topic.first_post_id)
        services.post_edit(
            post=post, editor=topic.author, body="Opening words.", title="Clean pull"
        )
        assert found(client, "snatch") == []
        assert found(client, "clean+pull") == [post.pk]

    def test_hiding_and_restoring_a_topic_follows_at_once(self, client, make_topic):
        topic = make_topic(body="Hollow body holds.")
        services.topic_set_status(topic=topic, status=Topic.Status.SPAM)
        assert found(client, "hollow") == []
        services.topic_set_status(topic=topic, status=Topic.Status.OPEN)
        assert found(client, "hollow") == [topic.first_post_id]

    def test_a_moved_topic_is_found_in_its_new_forum(self, client, make_forum, make_topic):
        old, new = make_forum("Old", slug="old"), make_forum("New", slug="new")
        topic = make_topic(forum=old, body="Pistol squats.")
        services.topic_move(topic=topic, forum=new)
        assert found(client, "pistol", forum="old") == []
        assert found(client, "pistol", forum="new") == [topic.first_post_id]

    def test_merged_posts_are_labelled_with_their_new_topic(
        self, client, make_topic, make_reply, ago
    ):
        target = make_topic(title="Main thread", body="Start.", created_at=ago(days=2))
        source = make_topic(title="Side thread", body="Turkish getups.", created_at=ago(days=1))
        services.topic_merge(source=source, target=target)
        html = client.get("/forums/search/getups/").content.decode()
        assert "Main thread" in html and "Side thread" not in html
        assert found(client, "side+thread") == []

    def test_a_split_topic_is_found_by_its_new_title(self, client, make_topic, make_reply):
        topic = make_topic(title="Mixed bag", body="Start.")
        reply = make_reply(topic, body="Sled pushes.")
        new = services.topic_split(post=reply, title="Sled work")
        assert found(client, "sled+work") == [reply.pk]
        assert Topic.objects.get(pk=new.pk).first_post_id == reply.pk

    def test_deleted_posts_and_topics_leave_the_index(
        self, client, make_member, make_topic, make_reply
    ):
        moderator = make_member("mona")
        member_set_role(member=moderator, role=User.Role.MODERATOR)
        client.force_login(moderator)  # who may search the trash too
        topic = make_topic(title="Doomed topic", body="Ring dips.")
        reply = make_reply(topic, body="Ring rows.")
        services.post_set_status(post=reply, status=Post.Status.TRASH)
        assert found(client, "ring+rows", hidden="1") == [reply.pk]
        services.post_delete(post=reply)
        assert found(client, "ring+rows", hidden="1") == []
        services.topic_set_status(topic=topic, status=Topic.Status.TRASH)
        services.topic_delete(topic=topic)
        assert found(client, "ring", hidden="1") == []
        assert found(client, "doomed", hidden="1") == []
        assert _indexed_posts() == Post.objects.count()

    def test_a_write_that_rolls_back_leaves_the_index_as_it_was(self, client, make_topic):
        topic = make_topic(body="Box jumps.")
        post = Post.objects.get(pk=topic.first_post_id)
        with pytest.raises(RuntimeError), transaction.atomic():
            services.post_edit(post=post, editor=topic.author, body="Broad jumps.")
            raise RuntimeError
        assert found(client, "broad") == []
        assert found(client, "box+jumps") == [post.pk]

    def test_bulk_updates_outside_the_services_are_followed(self, client, make_topic):
        topic = make_topic(body="Before.")
        Post.objects.filter(pk=topic.first_post_id).update(body="Battle ropes.")
        Topic.objects.filter(pk=topic.pk).update(title="Parkour")
        assert found(client, "battle+ropes") == [topic.first_post_id]
        assert found(client, "parkour") == [topic.first_post_id]


def _indexed_posts() -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM search_post_document")
        else:
            cursor.execute("SELECT count(*) FROM search_post_fts_docsize")
        return cursor.fetchone()[0]


def _empty_the_index() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DELETE FROM search_post_document")
        else:
            cursor.execute("INSERT INTO search_post_fts (search_post_fts) VALUES ('delete-all')")
            cursor.execute("INSERT INTO search_topic_fts (search_topic_fts) VALUES ('delete-all')")


@pytest.mark.django_db
class TestRebuildCommand:
    def test_rebuild_restores_an_emptied_index(self, client, make_topic, capsys):
        topic = make_topic(title="Agile ladder", body="Footwork drills.")
        _empty_the_index()
        assert found(client, "footwork") == []
        call_command("rebuild_search_index")
        out = capsys.readouterr().out
        assert f"Indexed {Post.objects.count():,} posts" in out
        assert "posts:" in out  # progress
        assert found(client, "footwork") == [topic.first_post_id]
        assert found(client, "ladder") == [topic.first_post_id]
        assert _indexed_posts() == Post.objects.count()

    def test_dry_run_reports_and_changes_nothing(self, client, make_topic, capsys):
        make_topic(body="Footwork drills.")
        _empty_the_index()
        call_command("rebuild_search_index", "--dry-run")
        out = capsys.readouterr().out
        assert f"The index holds 0 posts; the database has {Post.objects.count():,}." in out
        assert found(client, "footwork") == []

    def test_a_second_rebuild_changes_no_result(self, client, make_topic, make_reply):
        topic = make_topic(body="Footwork drills.")
        make_reply(topic, body="More footwork.")
        before = found(client, "footwork")
        call_command("rebuild_search_index")
        call_command("rebuild_search_index")
        assert found(client, "footwork") == before
        assert _indexed_posts() == Post.objects.count()


@pytest.mark.django_db(transaction=False)
def test_a_post_written_before_its_topic_is_indexed(client, make_member, make_forum):
    """An importer may write a post before its topic: foreign keys are checked at commit."""
    from django.utils import timezone

    author, forum, now = make_member(), make_forum("Imports", slug="imports"), timezone.now()
    with transaction.atomic():
        post = Post.objects.create(
            topic_id=987654, author=author, body="Zeppelin rides.", body_html="", created_at=now
        )
        Topic.objects.create(
            id=987654, forum=forum, title="Airships", slug="airships", author=author,
            created_at=now, last_active_at=now, first_post=post,
        )  # fmt: skip
    assert found(client, "zeppelin") == [post.pk]
    assert found(client, "airships") == [post.pk]
