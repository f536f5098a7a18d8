"""A full recount works in batches of topics, forums and members: each batch fixed, queries per
batch, progress shown."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import User
from forum import recount as recount_module
from forum.models import Forum, Post, Topic
from forum.recount import recount_all


def recount(*args) -> str:
    out = StringIO()
    call_command("recount", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def topics(make_forum, make_topic, make_reply, make_member):
    """Seven topics with two replies each by one member (two voices), in two forums; the guide makes eight."""
    forums = [make_forum(), make_forum()]
    alice = make_member()
    made = []
    for n in range(7):
        topic = make_topic(forum=forums[n % 2])
        make_reply(topic, author=alice)
        make_reply(topic, author=alice)
        made.append(topic)
    return made


def zero_every_counter() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE forum_topic SET reply_count = 0, hidden_reply_count = 5, voice_count = 0,"
            " first_post_id = NULL, last_post_id = NULL"
        )
        cursor.execute(
            "UPDATE forum_forum SET topic_count = 0, post_count = 0, last_post_id = NULL,"
            " last_active_at = NULL"
        )
        cursor.execute("UPDATE accounts_user SET topic_count = 0, reply_count = 0")
        cursor.execute("UPDATE forum_post SET listed_as_reply = NOT listed_as_reply")


def counters() -> list[tuple]:
    return [
        *Topic.objects.order_by("pk").values_list(
            "pk", "reply_count", "hidden_reply_count", "voice_count", "first_post", "last_post"
        ),
        *Forum.objects.order_by("pk").values_list("pk", "topic_count", "post_count", "last_post"),
        *User.objects.order_by("pk").values_list("pk", "topic_count", "reply_count"),
        *Post.objects.order_by("pk").values_list("pk", "listed_as_reply"),
    ]


def rows() -> int:
    """Every topic (twice: its counters, and its posts' ``listed_as_reply``, every one of which
    was flipped), forum and member: each has posts, so each was zeroed wrong."""
    return 2 * Topic.objects.count() + Forum.objects.count() + User.objects.count()


@pytest.mark.django_db
def test_repair_across_several_batches_fixes_every_counter(topics):
    right = counters()
    zero_every_counter()

    result = recount_all(batch_size=3, forum_batch_size=1, member_batch_size=4)

    # 8 topics in 3 batches (twice: counters, listed replies), a forum each, 9 members in 3
    assert result.batches == 3 + 3 + Forum.objects.count() + 3
    assert result.rows_fixed == rows()
    assert counters() == right
    assert recount_all(dry_run=True, batch_size=3, forum_batch_size=1, member_batch_size=4) == []


@pytest.mark.django_db
def test_dry_run_across_several_batches_finds_all_and_writes_nothing(topics):
    zero_every_counter()
    wrong = counters()

    result = recount_all(dry_run=True, batch_size=3)

    # But the guide's posts: a dry run judges them by the first_post it found wrong and left
    # NULL, so its one post, the opening post, looks listed as it should be.
    assert result.rows_fixed == rows() - 1
    assert counters() == wrong


@pytest.mark.django_db
def test_a_repair_expires_the_cached_pages_that_showed_the_wrong_count(
    topics, client, django_capture_on_commit_callbacks
):
    broken = topics[0]
    Topic.objects.filter(pk=broken.pk).update(reply_count=40)  # round the services
    assert "This topic has 40 replies" in client.get(broken.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        recount_all(batch_size=2)

    assert "This topic has 2 replies" in client.get(broken.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_check_queries_grow_with_batches_not_topics(
    make_forum, make_topic, make_reply, django_assert_max_num_queries
):
    forum = make_forum()
    for _ in range(29):  # with the guide, 30 topics: 3 batches of 10
        make_reply(make_topic(forum=forum))
    # Each stage counts its rows, then runs its batches and one more that finds nothing. A
    # batch: savepoint, JIT off (PostgreSQL), lock, its reads (topics 1, forums 3, members 3),
    # release.
    topic_stage = 1 + (3 + 1) * (4 + 1)
    listed_stage = 1 + (3 + 1) * (4 + 3)  # the batch's keys, posts listed and unlisted wrongly
    forum_stage = 1 + (1 + 1) * (4 + 3)
    member_stage = 1 + (1 + 1) * (4 + 3)  # 59 members: one batch
    with django_assert_max_num_queries(topic_stage + listed_stage + forum_stage + member_stage):
        assert recount_all(dry_run=True, batch_size=10) == []


@pytest.mark.django_db
def test_command_prints_progress_and_a_timed_summary(topics):
    Topic.objects.filter(pk=topics[0].pk).update(reply_count=9)

    output = recount("--batch-size", "3")

    assert "topics: batch 1/3, 3 rows checked, 1 fixed," in output
    assert "topics: batch 3/3, 8 rows checked, 1 fixed," in output
    assert "forums: batch 1/1" in output
    assert "reply_count 9 -> 2" in output
    assert "Fixed 1 counter(s). (1 rows fixed, " in output
    assert output.rstrip().endswith(" s)")


@pytest.mark.django_db
def test_command_lists_the_first_fixes_and_counts_the_rest(topics, monkeypatch):
    monkeypatch.setattr("forum.management.commands.recount.LIST_LIMIT", 2)
    Topic.objects.filter(pk__in=[topic.pk for topic in topics]).update(voice_count=0)

    output = recount("--dry-run")

    assert output.count("voice_count 0 -> 2") == 2
    assert "…and 5 more (--verbosity 2 lists them all). By field: voice_count 7" in output
    assert "Would fix 7 counter(s)." in output
    assert recount("--dry-run", "--verbosity", "2").count("voice_count 0 -> 2") == 7


@pytest.mark.django_db
def test_result_keeps_a_bounded_sample_and_counts_everything(topics, monkeypatch):
    monkeypatch.setattr(recount_module, "SAMPLE_SIZE", 3)
    zero_every_counter()

    result = recount_all(dry_run=True, batch_size=2)

    assert len(result) == 3
    assert result.fixes == sum(result.by_field.values()) > 3
    assert result.by_field["first_post_id"] == Topic.objects.count()


@pytest.mark.django_db
def test_forum_last_post_breaks_a_tie_in_time_by_id(make_topic, make_reply, ago):
    at = ago(minutes=5)
    topic = make_topic(created_at=ago(hours=1))
    make_reply(topic, created_at=at)
    later_id = make_reply(topic, created_at=at).pk
    Forum.objects.filter(pk=topic.forum_id).update(last_post=None)

    recount_all()

    assert Forum.objects.get(pk=topic.forum_id).last_post_id == later_id
