"""The email preferences page (``/notifications/email/``): when each kind of notification is
emailed, and whether replying subscribes the member to the topic, which the reply and
new-topic forms' notify box then follows."""

import re

import pytest

from accounts.models import User
from notifications.models import EmailPreferences
from tests.conftest import GUIDE_SLUG
from tests.pages import text_of

URL = "/notifications/email/"
DEFAULTS = {
    "mention": "immediately",
    "quote": "immediately",
    "reply": "immediately",
    "topic": "digest",
    "moderation": "immediately",
}
NOTIFY_TICKED = re.compile(r'<input type="checkbox" name="notify"[^>]* checked')


@pytest.fixture
def alice(client, make_member) -> User:
    member = make_member("alice")
    client.force_login(member)
    return member


@pytest.mark.django_db
class TestThePage:
    def test_a_member_sees_each_kind_with_its_choices_and_the_defaults_checked(self, client, alice):
        response = client.get(URL)
        assert response.status_code == 200
        html = response.content.decode()
        assert "csrfmiddlewaretoken" in html
        page = text_of(response)
        for label in (
            "When someone mentions you",
            "When someone quotes your post",
            "Replies in topics you follow",
            "New topics in forums you follow",
            "Your posts held for moderation, or approved",
        ):
            assert label in page
            assert f"<legend>{label}</legend>" in html  # each kind's choices, a group
        for field, value in DEFAULTS.items():
            checked = re.search(rf'<input type="radio" name="{field}" value="{value}"[^>]*>', html)
            assert checked and "checked" in checked.group(0)
        assert html.count("<fieldset") >= 7  # the two groups, and each kind's choices
        assert "Subscribe me to the topics I start or reply to" in page

    def test_anonymous_visitors_are_sent_to_log_in(self, client):
        response = client.get(URL)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={URL}"

    def test_saving_changes_the_preferences(self, client, alice):
        choices = {**DEFAULTS, "mention": "digest", "topic": "off"}
        response = client.post(URL, {**choices, "subscribe_on_reply": "on"}, follow=True)
        assert "Your email preferences were saved." in text_of(response)
        saved = EmailPreferences.objects.get(member=alice)
        assert {field: getattr(saved, field) for field in DEFAULTS} == choices
        assert User.objects.get(pk=alice.pk).subscribe_on_reply is True

    def test_an_unknown_choice_is_shown_with_its_error_and_nothing_changes(self, client, alice):
        response = client.post(URL, {**DEFAULTS, "mention": "hourly", "subscribe_on_reply": "on"})
        assert response.status_code == 200
        assert "Select a valid choice. hourly is not one of the available choices." in text_of(
            response
        )
        assert not EmailPreferences.objects.exists()
        assert User.objects.get(pk=alice.pk).subscribe_on_reply is False

    def test_the_profile_editor_and_the_inbox_link_to_it(self, client, alice):
        for page in ("/forums/users/alice/edit/", "/notifications/"):
            assert f'href="{URL}"' in client.get(page).content.decode()


@pytest.mark.django_db
class TestReplyingSubscribes:
    def test_the_notify_box_starts_unticked_by_default(self, client, alice, guide_topic):
        html = client.get(f"/forums/topic/{GUIDE_SLUG}/").content.decode()
        assert 'name="notify"' in html
        assert not NOTIFY_TICKED.search(html)

    def test_the_notify_box_follows_the_preference_on_every_posting_form(
        self, client, alice, guide_topic
    ):
        client.post(URL, {**DEFAULTS, "subscribe_on_reply": "on"})
        forum = guide_topic.forum.slug
        for page in (
            f"/forums/topic/{GUIDE_SLUG}/",
            f"/forums/topic/{GUIDE_SLUG}/reply/",
            f"/forums/forum/{forum}/",
            f"/forums/forum/{forum}/new/",
        ):
            assert NOTIFY_TICKED.search(client.get(page).content.decode()), page
