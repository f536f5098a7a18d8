"""Signing up, confirming, logging in and out, passwords: allauth, as a visitor meets it."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import User
from tests.pages import text_of

PASSWORD = "lift-heavy-2026!"


def signup(client, username="newcomer", email="newcomer@example.com", **extra):
    return client.post(
        "/accounts/signup/",
        {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD,
         **extra},
    )  # fmt: skip


@pytest.fixture
def verified_member(db) -> User:
    member = User.objects.create_user("erin", "erin@example.com", PASSWORD)
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    return member


@pytest.mark.django_db
class TestSignup:
    def test_signup_sends_a_confirmation_and_the_link_confirms(self, client):
        response = signup(client)
        assert response.status_code == 302
        assert response["Location"] == "/accounts/confirm-email/"
        assert len(mail.outbox) == 1
        assert mail.outbox[0].subject.startswith("[Community Forums] ")
        link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[0].body)
        page = client.get(link.group(1))
        assert "Confirm" in text_of(page)
        client.post(link.group(1))
        assert EmailAddress.objects.get(email="newcomer@example.com").verified

    def test_an_unconfirmed_member_is_not_logged_in(self, client):
        signup(client)
        client.logout()
        response = client.post(
            "/accounts/login/", {"login": "newcomer", "password": PASSWORD}, follow=True
        )
        assert "_auth_user_id" not in client.session
        assert "Verify Your Email Address" in text_of(response)

    @pytest.mark.parametrize(
        "username", ["admin", "Admin", "MODERATOR", "keymaster", "Staff", "key_master", "Ad.Min"]
    )
    def test_names_that_pass_for_staff_are_refused(self, client, username):
        response = signup(client, username=username)
        assert response.status_code == 200
        assert "That username is reserved. Please choose another." in text_of(response)
        assert not User.objects.filter(username__iexact=username).exclude(pk__lte=1).exists()

    @pytest.mark.parametrize("username", ["two words", "a/b", "me@home", "plus+sign"])
    def test_usernames_keep_to_url_friendly_characters(self, client, username):
        response = signup(client, username=username)
        assert "Usernames may hold only letters, digits and the characters . _ -" in text_of(
            response
        )
        assert not User.objects.filter(username=username).exists()

    def test_a_filled_honeypot_creates_nobody_and_looks_like_success(self, client):
        response = signup(client, homepage="http://spam.example")
        assert response.status_code == 302
        assert not User.objects.filter(username="newcomer").exists()
        assert mail.outbox == []

    def test_the_honeypot_is_labelled_and_hidden_by_a_class(self, client):
        html = client.get("/accounts/signup/").content.decode()
        assert '<label for="id_homepage">Leave this field empty</label>' in html
        assert 'class="honeypot"' in html
        assert "style=" not in html


@pytest.mark.django_db
class TestLogin:
    @pytest.mark.parametrize("login", ["erin", "erin@example.com", "ERIN@example.com"])
    def test_login_by_username_or_email_goes_back_to_next(self, client, verified_member, login):
        response = client.post(
            "/accounts/login/?next=/forums/topic/do-hip-thrusts-work-the-lower-back/",
            {"login": login, "password": PASSWORD},
        )
        assert response["Location"] == "/forums/topic/do-hip-thrusts-work-the-lower-back/"
        assert int(client.session["_auth_user_id"]) == verified_member.pk

    def test_logout_needs_a_post(self, client, verified_member):
        client.force_login(verified_member)
        client.get("/accounts/logout/")
        assert "_auth_user_id" in client.session
        client.post("/accounts/logout/")
        assert "_auth_user_id" not in client.session

    def test_failed_logins_are_rate_limited(self, client, verified_member, settings):
        settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/key"}
        for _ in range(3):
            client.post("/accounts/login/", {"login": "erin", "password": "wrong"})
        response = client.post("/accounts/login/", {"login": "erin", "password": PASSWORD})
        assert "Too many failed login attempts. Try again later." in text_of(response)
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
class TestPasswords:
    def test_reset_answers_alike_for_known_and_unknown_addresses(self, client, verified_member):
        known = client.post("/accounts/password/reset/", {"email": "erin@example.com"})
        unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
        assert known.status_code == unknown.status_code == 302
        assert known["Location"] == unknown["Location"]
        assert [message.to for message in mail.outbox if "reset" in message.body.lower()] == [
            ["erin@example.com"]
        ]

    def test_members_change_their_password(self, client, verified_member):
        client.force_login(verified_member)
        client.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": "new-lift-2026!", "password2": "new-lift-2026!"},
        )
        verified_member.refresh_from_db()
        assert verified_member.check_password("new-lift-2026!")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/confirm-email/",
    ],
)
def test_account_pages_use_the_site_layout_with_labelled_fields(client, url):
    html = client.get(url).content.decode()
    assert 'class="skip-link"' in html
    assert html.count("<h1") == 1
    inputs = re.findall(r"<input [^>]*>", html)
    for tag in inputs:
        if re.search(r'type="(hidden|submit)"', tag):
            continue
        field_id = re.search(r'id="([^"]+)"', tag).group(1)
        assert re.search(rf'<label [^>]*for="{field_id}"', html), f"{field_id} has no label"


@pytest.mark.django_db
def test_member_pages_for_password_and_email_render(client, verified_member):
    client.force_login(verified_member)
    for url in ("/accounts/password/change/", "/accounts/email/"):
        response = client.get(url)
        assert response.status_code == 200
        assert 'class="skip-link"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/accounts/login/", ["<title> Log in –", "<h1> Log in </h1>", "> Log in </button>"]),
        (
            "/accounts/signup/",
            ["<title> Register –", "<h1> Register </h1>", "> Register </button>"],
        ),
    ],
)
def test_account_pages_speak_the_sites_vocabulary(client, url, words):
    """ "Log in", "Log out" and "Register", as the header and the notices say; never allauth's
    "Sign In" / "Sign Up" / "Sign Out"."""
    html = " ".join(client.get(url).content.decode().split())
    for word in words:
        assert word in html
    for theirs in ("Sign In", "Sign Up", "Sign Out", "sign in", "sign up"):
        assert theirs not in html
