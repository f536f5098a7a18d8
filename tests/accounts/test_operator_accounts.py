"""Accounts an operator makes (the seeded admin, createsuperuser) log in on the site's own
login page, not only at /admin/; members who signed up still verify their address."""

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from accounts.models import User
from tests.pages import text_of

PASSWORD = "lift-heavy-2026!"


def log_in(client, login: str):
    return client.post("/accounts/login/", {"login": login, "password": PASSWORD})


@pytest.mark.django_db
def test_the_seeded_admin_logs_in_on_the_site_after_changepassword(client):
    admin = User.objects.get(username="admin")
    admin.set_password(PASSWORD)  # what `manage.py changepassword admin` does
    admin.save()
    response = log_in(client, "admin")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == admin.pk


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["", "boss@example.com"])
def test_a_createsuperuser_account_logs_in_on_the_site(client, email, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", interactive=False, username="boss", email=email)
    response = log_in(client, email or "boss")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="boss").pk)


@pytest.mark.django_db
def test_a_member_who_signed_up_still_confirms_their_address_first(client):
    member = User.objects.create_user("newbie", "newbie@example.com", PASSWORD)
    EmailAddress.objects.create(user=member, email=member.email, verified=False, primary=True)
    response = log_in(client, "newbie")
    assert "_auth_user_id" not in client.session
    assert "Verify Your Email Address" in text_of(client.get(response["Location"]))
