"""A tour of the site: every page type, as each role sees it, on data that shows every state a
page has (two pages of replies, a table and code in posts, an edited post, tags, a closed and
a sticky topic, a subforum, posts held and spammed, a report, notifications, guests' posts as
the bbPress importer writes them, one answering another).

``build_tour()`` makes the data through the services and returns the members and, for each
role, the pages to visit. The HTML checker (``tests/test_valid_html.py``) and the axe audit
(``tests/browser/test_audit.py``) both walk it.
"""

import uuid
from dataclasses import dataclass, field

from django.conf import settings

from accounts.models import User
from forum import services, tagging
from forum.models import (
    Forum,
    ForumSubscription,
    Post,
    Topic,
    TopicFavorite,
    TopicSubscription,
)
from forum.unsubscribe import forum_unsubscribe_token, unsubscribe_token
from notifications.models import Notification
from notifications.services import notification_create
from notifications.unsubscribe import kinds_unsubscribe_token
from tests.conftest import GUIDE_SLUG

ROLES = ("reader", "member", "moderator", "keymaster")

OPENING = """How deep should a squat go? Here is what I measured:

| Depth | Reps | Load (kg) |
|---|---:|---:|
| Parallel | 5 | 100 |
| Below parallel | 5 | 90 |

```python
def depth(hip, knee):
    return hip < knee
```

> Depth is mostly about hip mobility.

- warm up first
- film yourself from the side

See [the guide](https://example.com/guide) and ask @erin."""


@dataclass
class Tour:
    members: dict[str, User]
    pages: dict[str, list[str]] = field(default_factory=dict)


def _submit_reply(topic: Topic, author: User, body: str) -> Post:
    return services.reply_submit(
        topic=topic, author=author, body=body, idempotency_token=uuid.uuid4()
    )


def _guest_thread(forum: Forum, member: User) -> Topic:
    """A topic a guest started, a guest's reply with a website and a member's answering it,
    made as the importer makes them: by the one inactive guest account, named on the post."""
    guest = User.objects.create_user("bbp-guest", email="", password=None, is_active=False)
    topic = services.topic_create(forum=forum, author=guest, title="Guest question", body="Hi?")
    Post.objects.filter(pk=topic.first_post_id).update(guest_name="Jane")
    site = services.reply_create(topic=topic, author=guest, body="See my site.")
    Post.objects.filter(pk=site.pk).update(
        guest_name="Sam", guest_website="https://sam.example/", reply_to=topic.first_post_id
    )
    answer = services.reply_create(topic=topic, author=member, body="Thanks, Sam.")
    Post.objects.filter(pk=answer.pk).update(reply_to=site)
    return topic


def build_tour() -> Tour:
    """The data and the pages. Needs the guide seeded (the migrations do it)."""
    erin = User.objects.create_user("erin", "erin@example.com", "pw-123456!", display_name="Erin")
    alice = User.objects.create_user(
        "alice", "alice@example.com", "pw-123456!", display_name="Alice"
    )
    moderator = User.objects.create_user(
        "mod", "mod@example.com", "pw-123456!", role=User.Role.MODERATOR
    )
    keymaster = User.objects.create_superuser("keymaster", "km@example.com", "pw-123456!")
    newcomer = User.objects.create_user("newcomer", "new@example.com", "pw-123456!")

    lifting = Forum.objects.create(
        name="Lifting", slug="lifting", description="Squats, presses and pulls."
    )
    deadlifts = Forum.objects.create(name="Deadlifts", slug="deadlifts", parent=lifting)
    topic = services.topic_create(forum=lifting, author=alice, title="Squat depth", body=OPENING)
    tagging.topic_set_tags(topic=topic, names=["squats", "form"])
    per_page = settings.FORUM_POSTS_PER_PAGE
    for number in range(per_page + 3):  # two pages
        author = erin if number % 2 else alice
        services.reply_create(topic=topic, author=author, body=f"Reply {number}: below parallel.")
    edited = Post.objects.filter(topic=topic, author=erin).first()
    services.post_edit(post=edited, editor=erin, body="Edited: parallel is fine.", reason="typo")
    spam = services.reply_create(topic=topic, author=newcomer, body="Cheap squat pills")
    services.post_set_status(post=spam, status=Post.Status.SPAM)
    held = services.reply_create(topic=topic, author=newcomer, body="My first squat post")
    services.post_set_status(post=held, status=Post.Status.PENDING)
    reported = Post.objects.filter(topic=topic, author=alice).exclude(pk=topic.first_post_id)[0]
    services.report_create(post=reported, reporter=erin, reason="Off topic")

    closed = services.topic_create(forum=lifting, author=erin, title="Bench form", body="Hi.")
    services.topic_set_status(topic=closed, status=Topic.Status.CLOSED)
    sticky = services.topic_create(forum=lifting, author=moderator, title="Rules", body="Be kind.")
    services.topic_set_pin(topic=sticky, pin=Topic.Pin.STICKY)
    services.topic_create(forum=deadlifts, author=alice, title="Grip", body="Hook grip?")
    mine = _submit_reply(topic, erin, "My own reply, editable for a while.")
    guests = _guest_thread(lifting, alice)

    TopicSubscription.objects.create(member=erin, topic=topic)
    ForumSubscription.objects.create(member=erin, forum=lifting)
    TopicFavorite.objects.create(member=erin, topic=topic)
    mention = Post.objects.filter(topic=topic, author=alice).last()
    notification_create(
        recipient_id=erin.pk, kind=Notification.Kind.MENTION, post=mention, actor_id=alice.pk
    )
    notification_create(recipient_id=erin.pk, kind=Notification.Kind.REPLY, post=mention)

    slug, guide = topic.slug, f"/forums/topic/{GUIDE_SLUG}/"
    reader = [
        "/",
        "/forums/forum/lifting/",
        "/forums/forum/deadlifts/",
        f"/forums/topic/{slug}/",
        f"/forums/topic/{slug}/page/2/",
        f"/forums/topic/{guests.slug}/",
        guide,
        "/forums/users/alice/",
        "/forums/users/alice/topics/",
        "/forums/users/alice/replies/",
        "/forums/users/alice/engagements/",
        "/forums/users/alice/favorites/",
        "/topics/",
        "/forums/view/popular/",
        "/forums/view/no-replies/",
        "/forums/topic-tag/",
        "/forums/topic-tag/squats/",
        "/forums/search/",
        "/forums/search/squat/",
        "/forums/search/xylophone/",
        "/guides/",
        f"/guides/{GUIDE_SLUG}/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/no-such-page/",
        f"/forums/unsubscribe/{unsubscribe_token(member_id=erin.pk, topic_id=topic.pk)}/",
        "/forums/unsubscribe/forum/"
        f"{forum_unsubscribe_token(member_id=erin.pk, forum_id=lifting.pk)}/",
        "/notifications/unsubscribe/"
        f"{kinds_unsubscribe_token(member_id=erin.pk, fields=['mention'])}/",
    ]
    member = [
        "/",
        "/forums/forum/lifting/",
        f"/forums/topic/{slug}/",
        f"/forums/topic/{slug}/page/2/",
        f"/forums/topic/{slug}/reply/",
        f"/forums/topic/{slug}/reply/?quote={reported.pk}",
        f"/forums/topic/{guests.slug}/",
        "/forums/forum/lifting/new/",
        f"/forums/reply/{mine.pk}/edit/",
        f"/forums/reply/{reported.pk}/report/",
        "/topics/",
        "/forums/users/erin/",
        "/forums/users/erin/edit/",
        "/forums/users/erin/subscriptions/",
        "/forums/users/erin/favorites/",
        "/forums/search/squat/",
        "/notifications/",
        "/notifications/email/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/logout/",
    ]
    moderator_pages = [
        f"/forums/topic/{slug}/",
        f"/forums/topic/{slug}/page/2/",
        f"/forums/topic/{slug}/moderate/trash/",
        f"/forums/reply/{reported.pk}/moderate/spam/",
        f"/forums/topic/{slug}/merge/",
        f"/forums/reply/{reported.pk}/split/",
        f"/forums/reply/{reported.pk}/move/",
        "/forums/search/squat/?hidden=on",
        "/forums/users/newcomer/",
    ]
    keymaster_pages = [
        f"/forums/topic/{slug}/",
        "/admin/",
        "/admin/forum/forum/",
        f"/admin/forum/forum/{lifting.pk}/change/",
        "/admin/forum/topic/",
        f"/admin/forum/topic/{topic.pk}/change/",
        "/admin/forum/post/",
        f"/admin/forum/post/{held.pk}/change/",
        "/admin/forum/report/",
        "/admin/forum/tag/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{erin.pk}/change/",
        "/admin/guides/guide/",
        "/admin/forum/postrevision/",
        "/admin/forum/topicsubscription/",
        "/admin/forum/topicfavorite/",
        "/admin/forum/forum/add/",
        "/admin/account/emailaddress/",
        "/admin/auth/group/",
        "/admin/django_tasks_database/dbtaskresult/",
    ]
    return Tour(
        members={"member": erin, "moderator": moderator, "keymaster": keymaster},
        pages={
            "reader": reader,
            "member": member,
            "moderator": moderator_pages,
            "keymaster": keymaster_pages,
        },
    )
