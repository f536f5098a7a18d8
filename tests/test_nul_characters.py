"""NUL characters in URLs, query strings and cookies get a 400 or are ignored, never a 500,
on SQLite and on PostgreSQL (which cannot compare text holding NUL)."""

import pytest

from forum.models import Topic
from tests.pages import text_of

MEMBER_PAGES = ["", "topics/", "replies/", "engagements/", "favorites/", "subscriptions/",
                "edit/"]  # fmt: skip


@pytest.fixture(autouse=True)
def _answers_not_exceptions(client):
    client.raise_request_exception = False


@pytest.mark.django_db
@pytest.mark.parametrize("page", MEMBER_PAGES)
def test_a_nul_in_a_member_address_is_a_bad_request(client, make_member, page):
    client.force_login(make_member())
    response = client.get(f"/forums/users/%00/{page}")
    assert response.status_code == 400
    assert "Bad request" in text_of(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/forums/topic/do-hip-thrusts-work-the-lower-back/?quote=%00",
     "/forums/?page=%00", "/forums/unsubscribe/%00/", "/accounts/login/?next=%00",
     "/forums/topic/a%00b/", "/guides/%00/"],
)  # fmt: skip
def test_a_nul_anywhere_in_the_address_is_a_bad_request(client, url):
    assert client.get(url).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["status__exact=%00", "q=%00", "author__id__exact=%00", "%00=1", "created_at__gte=%00"],
)
def test_admin_list_filters_holding_nul_are_a_bad_request(client, make_member, query):
    client.force_login(make_member(is_staff=True, is_superuser=True))
    assert client.get(f"/admin/forum/post/?{query}").status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cookie", ["\x00" * 32, "\x00" * 8, "a" * 31 + "\x00", "A" * 32, "x" * 1000, "' OR 1=1 --"]
)
def test_a_malformed_session_cookie_is_no_session(client, make_member, cookie):
    client.cookies["sessionid"] = cookie
    for url in ("/forums/", "/forums/topic/do-hip-thrusts-work-the-lower-back/",
                "/accounts/login/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Log in" in text_of(response)


@pytest.mark.django_db
def test_a_real_session_still_works(client, make_member):
    member = make_member("erin")
    client.force_login(member)
    assert len(client.cookies["sessionid"].value) == 32
    assert "erin" in text_of(client.get("/forums/"))


@pytest.mark.django_db
def test_moving_topics_to_a_forum_that_is_not_a_number_changes_nothing(
    client, make_member, make_topic
):
    topic = make_topic()
    client.force_login(make_member(is_staff=True, is_superuser=True))
    for forum in ("abc", "²", "\x00", ""):
        response = client.post(
            "/admin/forum/topic/",
            {"action": "move_topics", "_selected_action": [topic.pk], "apply": "1",
             "forum": forum},
        )  # fmt: skip
        assert response.status_code == 302
    assert Topic.objects.get(pk=topic.pk).forum_id == topic.forum_id
