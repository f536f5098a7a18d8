"""Property tests: arbitrary text, NULs and control characters in every form field and URL
parameter never give a 500 and never leave a half-written row.

Each test throws Hypothesis-made values at one page as a user (or a bot) could send them, and
after every request checks that the counters still equal the rows (``recount_all``) and that
a write happened only when the page said it did.
"""

import uuid
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from accounts.services import member_set_role
from forum.models import Forum, Post, PostRevision, Report, Topic
from forum.recount import recount_all

# Any text but lone surrogates (which no client can send as UTF-8), weighted towards the
# characters that broke things: NUL, line breaks and other controls, digits of other scripts.
NASTY = ["\x00", "\r\n", "\n", "\t", "\x1b", "\x7f", "\x85", "\u2028", "\u202e", "²", "٣",
         "%00", "../", "<script>alert(1)</script>", "' OR 1=1 --", "-1", "0", "9" * 30, " "]  # fmt: skip
hostile_text = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
    st.lists(st.sampled_from(NASTY), min_size=1, max_size=4).map("".join),
    st.builds(
        lambda a, b, c: a + b + c,
        st.text(max_size=10),
        st.sampled_from(NASTY),
        st.text(max_size=10),
    ),
)
EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def _rules_that_do_not_get_in_the_way(settings):
    settings.FORUM_FLOOD_SECONDS = 0
    settings.FORUM_NEW_MEMBER_POSTS = 0


@pytest.fixture
def member(client, make_member) -> User:
    member = make_member("erin")
    client.force_login(member)
    client.raise_request_exception = False
    return member


@pytest.fixture
def moderator(client, make_member) -> User:
    moderator = make_member("mo")
    member_set_role(member=moderator, role=User.Role.MODERATOR)
    client.force_login(moderator)
    client.raise_request_exception = False
    return moderator


@pytest.fixture
def anonymous(client):
    client.raise_request_exception = False
    return client


def assert_answered(response) -> None:
    assert response.status_code < 500, response.content[:500]


def assert_consistent() -> None:
    assert recount_all(dry_run=True) == []


def rows() -> tuple[int, int, int, int]:
    return (
        Topic.objects.count(),
        Post.objects.count(),
        PostRevision.objects.count(),
        Report.objects.count(),
    )


@pytest.mark.django_db
class TestForms:
    @EXAMPLES
    @given(
        title=hostile_text, body=hostile_text, notify=hostile_text, token=hostile_text,
        tags=hostile_text,
    )  # fmt: skip
    def test_new_topic(self, client, member, make_forum, title, body, notify, token, tags):
        forum = Forum.objects.first() or make_forum()
        before = rows()
        response = client.post(
            f"/forums/forum/{forum.slug}/new/",
            {"title": title, "body": body, "notify": notify, "action": "post", "tags": tags,
             "token": token if token else str(uuid.uuid4())},
        )  # fmt: skip
        assert_answered(response)
        created = (1, 1, 0, 0) if response.status_code == 302 else (0, 0, 0, 0)
        assert rows() == tuple(map(sum, zip(before, created, strict=True)))
        assert_consistent()

    @EXAMPLES
    @given(body=hostile_text, action=hostile_text, quote_id=hostile_text)
    def test_reply(self, client, member, guide_topic, body, action, quote_id):
        assert_answered(
            client.get(f"/forums/topic/{guide_topic.slug}/reply/?quote={quote(quote_id)}")
        )
        before = rows()
        response = client.post(
            f"/forums/topic/{guide_topic.slug}/reply/",
            {"body": body, "action": action, "token": str(uuid.uuid4())},
        )
        assert_answered(response)
        created = (0, 1, 0, 0) if response.status_code == 302 else (0, 0, 0, 0)
        assert rows() == tuple(map(sum, zip(before, created, strict=True)))
        assert_consistent()

    @EXAMPLES
    @given(title=hostile_text, body=hostile_text, reason=hostile_text, tags=hostile_text)
    def test_edit(self, client, member, make_topic, title, body, reason, tags):
        topic = Topic.objects.filter(author=member).first() or make_topic(author=member)
        before = rows()
        response = client.post(
            f"/forums/reply/{topic.first_post_id}/edit/",
            {"title": title, "body": body, "reason": reason, "tags": tags},
        )
        assert_answered(response)
        edited = (0, 0, 1, 0) if response.status_code == 302 else (0, 0, 0, 0)
        assert rows() == tuple(map(sum, zip(before, edited, strict=True)))
        assert_consistent()

    @EXAMPLES
    @given(reason=hostile_text)
    def test_report(self, client, member, make_topic, reason):
        post = Post.objects.exclude(author=member).first()
        Report.objects.all().delete()
        response = client.post(f"/forums/reply/{post.pk}/report/", {"reason": reason})
        assert_answered(response)
        assert Report.objects.count() == (1 if response.status_code == 302 else 0)

    @EXAMPLES
    @given(display_name=hostile_text, bio=hostile_text, website=hostile_text)
    def test_profile(self, client, member, display_name, bio, website):
        before = User.objects.values("display_name", "bio", "website").get(pk=member.pk)
        response = client.post(
            "/forums/users/erin/edit/",
            {"display_name": display_name, "bio": bio, "website": website},
        )
        assert_answered(response)
        if response.status_code != 302:
            assert User.objects.values("display_name", "bio", "website").get(pk=member.pk) == before

    @EXAMPLES
    @given(body=hostile_text)
    def test_preview(self, client, member, body):
        assert_answered(client.post("/forums/preview/", {"body": body}))

    @EXAMPLES
    @given(title=hostile_text, destination=hostile_text)
    def test_split_merge_and_move(
        self, client, moderator, make_topic, make_reply, title, destination
    ):
        topic = make_topic()
        reply = make_reply(topic)
        for url, data in [
            (f"/forums/reply/{reply.pk}/split/", {"title": title}),
            (f"/forums/topic/{topic.slug}/merge/", {"destination": destination}),
            (f"/forums/reply/{reply.pk}/move/", {"destination": destination}),
        ]:
            assert_answered(client.post(url, data))
            assert_consistent()

    @EXAMPLES
    @given(username=hostile_text, email=hostile_text, password=hostile_text)
    def test_signup_login_and_reset(self, anonymous, username, email, password):
        before = User.objects.count()
        response = anonymous.post(
            "/accounts/signup/",
            {"username": username, "email": email, "password1": password, "password2": password},
        )
        assert_answered(response)
        assert User.objects.count() in (before, before + 1)
        assert_answered(
            anonymous.post("/accounts/login/", {"login": username, "password": password})
        )
        assert_answered(anonymous.post("/accounts/password/reset/", {"email": email}))
        anonymous.logout()

    @EXAMPLES
    @given(username=hostile_text, password=hostile_text)
    def test_admin_login(self, anonymous, username, password):
        response = anonymous.post("/admin/login/", {"username": username, "password": password})
        assert_answered(response)
        assert "_auth_user_id" not in anonymous.session


@pytest.mark.django_db
class TestAddresses:
    @EXAMPLES
    @given(segment=hostile_text, page=hostile_text)
    def test_url_segments_and_query_parameters(self, client, member, segment, page):
        part = quote(segment, safe="")
        for url in [
            f"/forums/users/{part}/",
            f"/forums/users/{part}/replies/",
            f"/forums/users/{part}/edit/",
            f"/forums/topic/{part}/",
            f"/forums/forum/{part}/",
            f"/forums/reply/{part}/",
            f"/forums/unsubscribe/{part}/",
            f"/guides/{part}/",
            f"/forums/search/{part}/",
            f"/forums/search/{part}/?forum={quote(page)}&author={quote(page)}&hidden={quote(page)}",
            f"/forums/search/?bbp_search={quote(segment)}&forum={quote(page)}",
            f"/forums/topic-tag/{part}/",
            f"/forums/topic-tag/{part}/feed/",
            f"/forums/forum/{part}/feed/?type={quote(page)}",
            f"/forums/topic/{part}/feed/",
            f"/forums/view/{part}/",
            f"/topics/page/{quote(page)}/",
            f"/forums/?page={quote(page)}",
            f"/accounts/login/?next={quote(page)}",
            f"/forums/topic/do-hip-thrusts-work-the-lower-back/?quote={quote(page)}",
        ]:
            assert_answered(client.get(url))

    @EXAMPLES
    @given(value=hostile_text, search=hostile_text)
    def test_admin_filters_and_search(self, client, moderator, value, search):
        for url in [
            f"/admin/forum/post/?q={quote(search)}",
            f"/admin/forum/post/?status__exact={quote(value)}",
            f"/admin/forum/topic/?forum__id__exact={quote(value)}",
            f"/admin/forum/topic/?created_at__gte={quote(value)}",
            f"/admin/accounts/user/?q={quote(search)}&role__exact={quote(value)}",
            f"/admin/forum/report/?resolved_at__isnull={quote(value)}",
        ]:
            assert_answered(client.get(url))

    @EXAMPLES
    @given(cookie=hostile_text)
    def test_session_cookies(self, client, cookie):
        """What a server hands Django: the cookie's bytes (UTF-8 here) read as Latin-1."""
        client.raise_request_exception = False
        client.cookies["sessionid"] = cookie.encode().decode("latin-1")
        assert_answered(client.get("/forums/"))
        assert_answered(client.get("/forums/topic/do-hip-thrusts-work-the-lower-back/"))
