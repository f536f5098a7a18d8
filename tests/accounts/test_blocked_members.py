"""Blocked members cannot edit their profile, and what they wrote there is not shown to
others: the spam they were blocked for does not stay public."""

import pytest
from django.test import Client

from accounts.models import User
from accounts.services import member_set_role
from tests.pages import text_of

SPAM_BIO = "Cheap pills at pills.example"
SPAM_SITE = "https://pills.example/"


@pytest.fixture
def blocked(make_member) -> User:
    member = make_member("spammer", display_name="Spammer", bio=SPAM_BIO, website=SPAM_SITE)
    member_set_role(member=member, role=User.Role.BLOCKED)
    return member


def viewer(member: User | None) -> Client:
    client = Client()
    if member is not None:
        client.force_login(member)
    return client


@pytest.mark.django_db
def test_a_blocked_member_cannot_edit_their_profile(blocked):
    client = viewer(blocked)
    url = "/forums/users/spammer/edit/"
    assert "Edit profile" not in text_of(client.get("/forums/users/spammer/"))
    assert client.get(url).status_code == 403
    response = client.post(url, {"display_name": "Pills", "bio": "More pills", "website": ""})
    assert response.status_code == 403
    blocked.refresh_from_db()
    assert (blocked.display_name, blocked.bio, blocked.website) == ("Spammer", SPAM_BIO, SPAM_SITE)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "participant"])
def test_a_blocked_members_bio_and_website_are_not_shown_to_others(blocked, make_member, who):
    client = viewer(make_member() if who == "participant" else None)
    page = client.get("/forums/users/spammer/")
    assert page.status_code == 200
    assert SPAM_BIO not in text_of(page)
    assert "pills.example" not in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["themself", "moderator"])
def test_the_member_and_moderators_still_see_them(blocked, make_member, who):
    if who == "moderator":
        member = make_member("mo")
        member_set_role(member=member, role=User.Role.MODERATOR)
    else:
        member = blocked
    page = viewer(member).get("/forums/users/spammer/")
    assert SPAM_BIO in text_of(page)
    assert f'href="{SPAM_SITE}"' in page.content.decode()


@pytest.mark.django_db
def test_a_blocked_member_still_sees_their_own_subscriptions(blocked):
    assert viewer(blocked).get("/forums/users/spammer/subscriptions/").status_code == 200
