"""Who may act on whom: Moderators act only on the members below them, only Keymasters act on
Moderators and Keymasters, and every admin action and front-end tool checks it. Blocking goes
through the one path that changes roles, so a blocked moderator keeps no admin."""

import pytest
from django.test import Client

from accounts.models import User
from accounts.services import member_set_role
from forum.models import Post, Topic
from tests.pages import text_of

REFUSED = "Only a Keymaster may moderate what Moderators and Keymasters write."


@pytest.fixture
def make_moderator(make_member):
    def make(username: str) -> User:
        member = make_member(username)
        member_set_role(member=member, role=User.Role.MODERATOR)
        return member

    return make


@pytest.fixture
def people(make_member, make_moderator):
    return {
        "keymaster": make_member("boss", is_staff=True, is_superuser=True),
        "moderator": make_moderator("mo"),
        "other_moderator": make_moderator("max"),
        "participant": make_member("pat"),
    }


@pytest.fixture
def posts_by(make_topic, make_reply, people):
    """A topic with a reply by each of the people."""
    topic = make_topic(author=people["participant"], title="Squat depth")
    return topic, {name: make_reply(topic, author=member) for name, member in people.items()}


def logged_in(member: User) -> Client:
    client = Client()
    client.force_login(member)
    return client


def admin_action(client: Client, path: str, action: str, *objects):
    return client.post(
        f"/admin/{path}/",
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


@pytest.mark.django_db
class TestBlockingInTheAdmin:
    @pytest.mark.parametrize("target", ["keymaster", "other_moderator", "moderator"])
    def test_a_moderator_cannot_block_a_keymaster_another_moderator_or_themself(
        self, people, posts_by, target
    ):
        _, replies = posts_by
        response = admin_action(
            logged_in(people["moderator"]), "accounts/user", "block_and_spam", people[target]
        )
        assert "Skipped 1" in text_of(response)
        member = User.objects.get(pk=people[target].pk)
        assert member.role != User.Role.BLOCKED
        assert member.is_staff
        assert Post.objects.get(pk=replies[target].pk).status == Post.Status.PUBLISHED

    def test_a_moderator_blocks_a_participant(self, people, posts_by):
        _, replies = posts_by
        admin_action(
            logged_in(people["moderator"]), "accounts/user", "block_and_spam", people["participant"]
        )
        assert User.objects.get(pk=people["participant"].pk).role == User.Role.BLOCKED
        assert Post.objects.get(pk=replies["participant"].pk).status == Post.Status.SPAM

    def test_a_keymaster_blocks_a_moderator_who_loses_the_admin(self, people, posts_by):
        _, replies = posts_by
        admin_action(
            logged_in(people["keymaster"]), "accounts/user", "block_and_spam", people["moderator"]
        )
        blocked = User.objects.get(pk=people["moderator"].pk)
        assert (blocked.role, blocked.is_staff, blocked.groups.count()) == ("blocked", False, 0)
        # Their own spam stays spam: the admin no longer lets them in.
        client = logged_in(blocked)
        assert client.get("/admin/").status_code == 302
        admin_action(client, "forum/post", "publish", replies["moderator"])
        assert Post.objects.get(pk=replies["moderator"].pk).status == Post.Status.SPAM

    def test_a_keymaster_blocked_by_another_is_a_keymaster_no_more(self, people, make_member):
        second = make_member("second", is_staff=True, is_superuser=True)
        admin_action(logged_in(people["keymaster"]), "accounts/user", "block_and_spam", second)
        second.refresh_from_db()
        assert (second.role, second.is_superuser, second.is_staff) == ("blocked", False, False)

    def test_a_keymaster_does_not_block_themself(self, people):
        keymaster = people["keymaster"]
        response = admin_action(logged_in(keymaster), "accounts/user", "block_and_spam", keymaster)
        assert "Skipped 1" in text_of(response)
        assert User.objects.get(pk=keymaster.pk).is_superuser

    def test_a_moderator_cannot_open_a_keymasters_profile_in_the_admin(self, people):
        client = logged_in(people["moderator"])
        keymaster, participant = people["keymaster"], people["participant"]
        change = f"/admin/accounts/user/{keymaster.pk}/change/"
        assert 'name="display_name"' not in client.get(change).content.decode()
        client.post(change, {"username": "boss", "display_name": "Pwned"})
        assert User.objects.get(pk=keymaster.pk).display_name == ""
        own = client.get(f"/admin/accounts/user/{participant.pk}/change/")
        assert 'name="display_name"' in own.content.decode()


@pytest.mark.django_db
class TestPostsInTheAdmin:
    @pytest.mark.parametrize("author", ["keymaster", "other_moderator"])
    def test_a_moderator_cannot_hide_a_superiors_or_peers_post(self, people, posts_by, author):
        _, replies = posts_by
        client = logged_in(people["moderator"])
        for action in ("mark_spam", "trash", "unapprove"):
            assert "Skipped 1" in text_of(
                admin_action(client, "forum/post", action, replies[author])
            )
        assert Post.objects.get(pk=replies[author].pk).status == Post.Status.PUBLISHED

    def test_a_moderator_hides_a_participants_post_and_their_own(self, people, posts_by):
        _, replies = posts_by
        client = logged_in(people["moderator"])
        admin_action(
            client, "forum/post", "mark_spam", replies["participant"], replies["moderator"]
        )
        assert Post.objects.get(pk=replies["participant"].pk).status == Post.Status.SPAM
        assert Post.objects.get(pk=replies["moderator"].pk).status == Post.Status.SPAM

    def test_a_keymaster_hides_a_moderators_post(self, people, posts_by):
        _, replies = posts_by
        admin_action(logged_in(people["keymaster"]), "forum/post", "trash", replies["moderator"])
        assert Post.objects.get(pk=replies["moderator"].pk).status == Post.Status.TRASH

    def test_a_moderator_cannot_edit_a_keymasters_post_in_the_admin(self, people, posts_by):
        _, replies = posts_by
        post = replies["keymaster"]
        client = logged_in(people["moderator"])
        client.post(f"/admin/forum/post/{post.pk}/change/", {"body": "Hijacked."})
        assert Post.objects.get(pk=post.pk).body == "A reply."

    def test_a_moderator_cannot_trash_a_keymasters_topic(self, people, make_topic):
        topic = make_topic(author=people["keymaster"])
        admin_action(logged_in(people["moderator"]), "forum/topic", "trash", topic)
        assert Topic.objects.get(pk=topic.pk).status == Topic.Status.OPEN


@pytest.mark.django_db
class TestFrontEndTools:
    @pytest.mark.parametrize("action", ["spam", "trash", "unapprove"])
    def test_a_moderator_cannot_hide_a_keymasters_post(self, people, posts_by, action):
        _, replies = posts_by
        post = replies["keymaster"]
        client = logged_in(people["moderator"])
        response = client.post(f"/forums/reply/{post.pk}/moderate/{action}/")
        assert response.status_code == 403
        assert REFUSED in text_of(response)
        assert Post.objects.get(pk=post.pk).status == Post.Status.PUBLISHED

    def test_the_hiding_links_show_only_on_posts_the_moderator_may_hide(self, people, posts_by):
        topic, replies = posts_by
        html = logged_in(people["moderator"]).get(topic.get_absolute_url()).content.decode()
        for name, reply in replies.items():
            spam_link = f'href="/forums/reply/{reply.pk}/moderate/spam/"'
            assert (spam_link in html) == (name in ("moderator", "participant")), name

    def test_a_moderator_cannot_trash_a_keymasters_topic(self, people, make_topic):
        topic = make_topic(author=people["keymaster"])
        client = logged_in(people["moderator"])
        page = client.get(topic.get_absolute_url()).content.decode()
        assert f"/forums/topic/{topic.slug}/moderate/trash/" not in page
        assert f"/forums/topic/{topic.slug}/moderate/close/" in page  # organising is open
        response = client.post(f"/forums/topic/{topic.slug}/moderate/trash/")
        assert response.status_code == 403
        assert Topic.objects.get(pk=topic.pk).status == Topic.Status.OPEN

    def test_a_moderator_cannot_edit_a_peers_profile(self, people):
        client = logged_in(people["moderator"])
        url = f"/forums/users/{people['other_moderator'].username}/edit/"
        assert client.post(url, {"display_name": "Pwned"}).status_code == 403
        assert User.objects.get(pk=people["other_moderator"].pk).display_name == ""
        assert client.get("/forums/users/pat/edit/").status_code == 200
