"""Members edit their own profile; nobody else can, and unlisted fields stay put."""

import pytest

from accounts.models import User
from tests.pages import text_of

EDIT_URL = "/forums/users/erin/edit/"


def profile(**fields) -> dict:
    return {"display_name": "Erin K", "bio": "", "website": "", **fields}


@pytest.fixture
def erin(make_member) -> User:
    return make_member("erin")


@pytest.mark.django_db
class TestEditingOwnProfile:
    def test_saved_fields_show_on_the_member_page(self, client, erin):
        client.force_login(erin)
        response = client.post(
            EDIT_URL,
            profile(bio="Coach.\n<script>alert(1)</script>", website="https://erin.example"),
        )
        assert response["Location"] == "/forums/users/erin/"
        html = client.get("/forums/users/erin/").content.decode()
        assert "<h1>Erin K</h1>" in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<script>alert(1)" not in html
        assert '<a href="https://erin.example" rel="nofollow ugc noopener noreferrer">' in html

    def test_the_form_page_has_one_heading_and_takes_files(self, client, erin):
        client.force_login(erin)
        html = client.get(EDIT_URL).content.decode()
        assert html.count("<h1") == 1
        assert 'enctype="multipart/form-data"' in html
        assert "csrfmiddlewaretoken" in html
        for field in ("display_name", "bio", "website", "avatar_upload"):
            assert f'<label for="id_{field}">' in html

    def test_saving_says_so_on_the_member_page(self, client, erin):
        client.force_login(erin)
        response = client.post(EDIT_URL, profile(), follow=True)
        assert "Your profile was saved." in text_of(response)

    @pytest.mark.parametrize(
        "website",
        ["javascript:alert(1)", "ftp://files.example/", "data:text/html,hi", "not an address"],
    )
    def test_only_web_addresses_are_accepted_as_websites(self, client, erin, website):
        client.force_login(erin)
        response = client.post(EDIT_URL, profile(website=website))
        assert response.status_code == 200
        assert text_of(response).count("Enter a valid URL.") == 1  # said once
        assert 'aria-describedby="id_website_error"' in response.content.decode()
        erin.refresh_from_db()
        assert erin.website == ""

    def test_a_bio_over_the_limit_is_refused(self, client, erin):
        client.force_login(erin)
        response = client.post(EDIT_URL, profile(bio="x" * 1001))
        assert response.status_code == 200
        assert "Ensure this value has at most 1000 characters" in text_of(response)
        erin.refresh_from_db()
        assert erin.bio == ""

    def test_unlisted_fields_are_ignored(self, client, erin):
        client.force_login(erin)
        client.post(
            EDIT_URL, profile(role="moderator", is_staff="on", is_superuser="on", username="x")
        )
        erin.refresh_from_db()
        assert (erin.role, erin.is_staff, erin.is_superuser, erin.username) == (
            "participant", False, False, "erin",
        )  # fmt: skip

    def test_edit_link_shows_for_the_member_only(self, client, erin, make_member):
        assert "Edit profile" not in text_of(client.get("/forums/users/erin/"))
        client.force_login(erin)
        assert "Edit profile" in text_of(client.get("/forums/users/erin/"))


@pytest.mark.django_db
class TestOthers:
    def test_anonymous_visitors_are_sent_to_log_in(self, client, erin):
        assert client.get(EDIT_URL)["Location"] == f"/accounts/login/?next={EDIT_URL}"
        response = client.post(EDIT_URL, profile())
        assert response["Location"] == f"/accounts/login/?next={EDIT_URL}"
        erin.refresh_from_db()
        assert erin.display_name == ""

    def test_an_unknown_member_has_no_edit_page(self, client, erin):
        client.force_login(erin)
        assert client.get("/forums/users/nobody/edit/").status_code == 404

    def test_other_members_are_refused(self, client, erin, make_member):
        client.force_login(make_member("frank"))
        assert client.get(EDIT_URL).status_code == 403
        assert client.post(EDIT_URL, profile()).status_code == 403
        erin.refresh_from_db()
        assert erin.display_name == ""

    @pytest.mark.parametrize(
        "power", [{"role": "moderator", "is_staff": True}, {"is_staff": True, "is_superuser": True}]
    )
    def test_moderators_and_keymasters_may_edit_a_members_profile(
        self, client, erin, make_member, power
    ):
        client.force_login(make_member("boss", **power))
        assert "Edit profile" in text_of(client.get("/forums/users/erin/"))
        response = client.post(
            EDIT_URL, profile(display_name="Erin (edited by staff)"), follow=True
        )
        assert "The profile was saved." in text_of(response)
        erin.refresh_from_db()
        assert erin.display_name == "Erin (edited by staff)"
