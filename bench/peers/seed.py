"""Seed a peer forum with the project's benchmark data: one topic, 1,000 replies, 50 authors.

Run inside the peer's venv with its settings (``bench/peers/run.sh`` does it)::

    python -m bench.peers.seed spirit|machina

The bodies are the project's own (``bench.seed_data.reply_body``, same seed), rendered by the
peer's own Markdown renderer. Rows go in with bulk creates; the peer's denormalised fields
(counters, first/last post, per-member counts) are then set as its own code would set them.
Both peers show 25 posts a page, as the project does (their defaults are 20 and 15).
Idempotent: a seeded database is left alone.
"""

import os
import random
import sys
from datetime import UTC, datetime, timedelta

import django

from bench.seed_data import AUTHORS, REPLIES, TOPIC_TITLE, reply_body

MEMBER = "bench-member"  # the logged-in reader; not one of the authors (as bench.member_session)
PER_PAGE = 25
STARTED = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)


def _bodies() -> list[str]:
    rng = random.Random(1000)
    return [reply_body(rng, number) for number in range(REPLIES + 1)]  # 0: the opening post


def _users():
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    authors = [
        user_model.objects.create_user(username=f"bench{n:02d}", password=None)
        for n in range(1, AUTHORS + 1)
    ]
    user_model.objects.create_user(username=MEMBER, password=None)
    return authors


def seed_spirit() -> str:
    from django.db import transaction
    from django.db.models import Count
    from spirit.admin.forms import BasicConfigForm
    from spirit.category.models import Category
    from spirit.comment.models import Comment
    from spirit.core.utils.markdown import Markdown
    from spirit.topic.models import Topic
    from spirit.user.models import UserProfile

    if Topic.objects.filter(title=TOPIC_TITLE).exists():
        return "spirit: seeded already"
    with transaction.atomic():
        config = BasicConfigForm(
            data={"site_name": "Spirit", "comments_per_page": PER_PAGE, "topics_per_page": 20}
        )
        assert config.is_valid(), config.errors
        config.save()
        authors = _users()  # Spirit's post_save signal gives each a UserProfile
        category = Category.objects.create(title="Benchmark", description="Load-test data.")
        last = STARTED + timedelta(hours=REPLIES)
        topic = Topic.objects.create(
            user=authors[0],
            category=category,
            title=TOPIC_TITLE,
            date=STARTED,
            last_active=last,
            comment_count=REPLIES + 1,  # Spirit counts the opening comment
        )
        comments = []
        for number, body in enumerate(_bodies()):
            comments.append(
                Comment(
                    user=authors[number % AUTHORS],
                    topic=topic,
                    comment=body,
                    comment_html=Markdown().render(body),  # what CommentForm stores
                    action=Comment.COMMENT,
                    date=STARTED + timedelta(hours=number),
                )
            )
        Comment.objects.bulk_create(comments, batch_size=200)
        for row in Comment.objects.values("user").annotate(n=Count("id")):
            UserProfile.objects.filter(user_id=row["user"]).update(comment_count=row["n"])
        UserProfile.objects.filter(user=authors[0]).update(topic_count=1)
    return f"spirit: topic {topic.pk} with {Comment.objects.filter(topic=topic).count()} comments"


def seed_machina() -> str:
    from django.db import transaction
    from django.db.models import Count
    from machina.apps.forum.models import Forum
    from machina.apps.forum_conversation.models import Post, Topic
    from machina.apps.forum_member.models import ForumProfile
    from machina.apps.forum_permission.models import ForumPermission, UserForumPermission

    if Topic.objects.filter(subject=TOPIC_TITLE).exists():
        return "machina: seeded already"
    with transaction.atomic():
        # Anonymous visitors may see and read every forum (members get the same and more from
        # MACHINA_DEFAULT_AUTHENTICATED_USER_FORUM_PERMISSIONS).
        for codename in ("can_see_forum", "can_read_forum"):
            UserForumPermission.objects.create(
                permission=ForumPermission.objects.get(codename=codename),
                anonymous_user=True,
                has_perm=True,
            )
        authors = _users()
        forum = Forum.objects.create(name="Benchmark", type=Forum.FORUM_POST)
        topic = Topic.objects.create(
            forum=forum,
            poster=authors[0],
            subject=TOPIC_TITLE,
            type=Topic.TOPIC_POST,
            status=Topic.TOPIC_UNLOCKED,
        )
        # MarkupTextField renders each body into content's _rendered field from the pre_save
        # signal, which bulk_create does not send: rendered here by the same method.
        # "created" is auto_now_add, so it is set afterwards.
        posts = [
            Post(
                topic=topic,
                poster=authors[number % AUTHORS],
                subject=TOPIC_TITLE if number == 0 else f"Re: {TOPIC_TITLE}",
                content=body,
            )
            for number, body in enumerate(_bodies())
        ]
        content = Post._meta.get_field("content")
        for post in posts:
            content.render_data(signal=None, sender=Post, instance=post)
        Post.objects.bulk_create(posts, batch_size=200)
        for number, pk in enumerate(
            Post.objects.filter(topic=topic).order_by("pk").values_list("pk", flat=True)
        ):
            when = STARTED + timedelta(hours=number)
            Post.objects.filter(pk=pk).update(created=when, updated=when)
        topic.refresh_from_db()
        topic.update_trackers()  # posts_count, first/last post, then the forum's counters
        Topic.objects.filter(pk=topic.pk).update(created=STARTED)
        for row in Post.objects.values("poster").annotate(n=Count("id")):
            ForumProfile.objects.create(user_id=row["poster"], posts_count=row["n"])
    topic.refresh_from_db()
    return f"machina: topic {topic.pk} with {topic.posts_count} posts"


if __name__ == "__main__":
    peer = sys.argv[1]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"bench.peers.{peer}_settings")
    django.setup()
    print({"spirit": seed_spirit, "machina": seed_machina}[peer]())
