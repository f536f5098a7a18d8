"""One failed-login budget per account, whatever the Host header, the spelling of the login or
the form (the site's or the admin's), and only spent by a password that was really checked."""

import pytest
from allauth.account.models import EmailAddress
from django.db import OperationalError, connection

from accounts.models import User
from tests.pages import text_of

PASSWORD = "lift-heavy-2026!"
TOO_MANY = "Too many failed login attempts. Try again later."


@pytest.fixture
def erin(db) -> User:
    member = User.objects.create_user("erin", "erin@example.com", PASSWORD)
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    return member


@pytest.fixture
def boss(db) -> User:
    return User.objects.create_user(
        "boss", "boss@example.com", PASSWORD, is_staff=True, is_superuser=True
    )


def site_login(client, login, password, **headers):
    return client.post("/accounts/login/", {"login": login, "password": password}, **headers)


def admin_login(client, username, password, **headers):
    return client.post("/admin/login/", {"username": username, "password": password}, **headers)


def spend_the_account_budget(client, login="erin"):
    for _ in range(5):  # "5/300s/key"
        assert TOO_MANY not in text_of(site_login(client, login, "wrong"))


@pytest.mark.parametrize("host", ["testserver:31337", "TESTSERVER", "localhost:8000"])
def test_another_host_header_gets_no_fresh_guesses(client, erin, host):
    spend_the_account_budget(client)
    response = site_login(client, "erin", PASSWORD, HTTP_HOST=host)
    assert TOO_MANY in text_of(response)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("login", ["ERIN", "erin@example.com", "Erin@Example.com"])
def test_another_spelling_of_the_account_gets_no_fresh_guesses(client, erin, login):
    spend_the_account_budget(client)
    assert TOO_MANY in text_of(site_login(client, login, PASSWORD))
    assert "_auth_user_id" not in client.session


def test_the_admin_login_refuses_an_account_whose_budget_the_site_login_spent(client, boss):
    spend_the_account_budget(client, login="boss")
    response = admin_login(client, "boss", PASSWORD)
    assert response.status_code == 200
    assert TOO_MANY in text_of(response)
    assert "_auth_user_id" not in client.session


def test_the_site_login_refuses_an_account_whose_budget_the_admin_login_spent(client, erin):
    for _ in range(5):
        assert TOO_MANY not in text_of(admin_login(client, "erin", "wrong"))
    assert TOO_MANY in text_of(site_login(client, "erin@example.com", PASSWORD))
    assert "_auth_user_id" not in client.session


def test_a_good_admin_login_still_works(client, boss):
    response = admin_login(client, "boss", PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == boss.pk


def test_a_staff_login_does_not_wipe_the_failures_counted_against_the_address(client, erin, boss):
    for number in range(9):  # "10/m/ip": nine failures, each against another name
        site_login(client, f"nobody{number}", "wrong")
    assert admin_login(client, "boss", PASSWORD).status_code == 302
    client.logout()
    site_login(client, "nobody-else", "wrong")  # the tenth
    response = site_login(client, "erin", PASSWORD)
    assert TOO_MANY in text_of(response)
    assert "_auth_user_id" not in client.session


def test_logins_that_fail_because_the_database_fails_spend_nothing(erin, client):
    def database_drops_during_the_password_check(execute, sql, params, many, context):
        if '"password"' in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    client.raise_request_exception = False
    with connection.execute_wrapper(database_drops_during_the_password_check):
        for _ in range(6):
            assert site_login(client, "erin", PASSWORD).status_code == 500
    response = site_login(client, "erin", PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == erin.pk
