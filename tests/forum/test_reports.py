"""Members report a post once; reports wait in the admin until a moderator resolves them."""

import pytest
from django.test import Client

from accounts.services import member_set_role
from forum.models import Report
from tests.pages import text_of


@pytest.fixture
def reply(guide_topic, make_reply, make_member):
    return make_reply(guide_topic, author=make_member("spammer"), body="Buy pills")


@pytest.mark.django_db
class TestReporting:
    def test_a_member_reports_a_post_once(self, client, make_member, reply):
        member = make_member("erin")
        client.force_login(member)
        url = f"/forums/reply/{reply.pk}/report/"
        assert f'href="{url}"' in client.get(reply.topic.get_absolute_url()).content.decode()
        response = client.post(url, {"reason": "Spam link"}, follow=True)
        assert "the moderators will look at this post" in text_of(response)
        again = client.post(url, {"reason": "Still spam"}, follow=True)
        assert "You have already reported this post." in text_of(again)
        report = Report.objects.get()
        assert (report.post, report.reporter, report.reason) == (reply, member, "Spam link")

    def test_a_reason_is_required(self, client, make_member, reply):
        client.force_login(make_member())
        response = client.post(f"/forums/reply/{reply.pk}/report/", {"reason": ""})
        assert "Tell the moderators what is wrong with the post." in text_of(response)
        assert not Report.objects.exists()

    def test_anonymous_readers_are_sent_to_log_in(self, client, reply):
        response = client.post(f"/forums/reply/{reply.pk}/report/", {"reason": "x"})
        assert response["Location"].startswith("/accounts/login/")
        assert not Report.objects.exists()

    def test_no_report_link_on_your_own_post(self, client, reply):
        client.force_login(reply.author)
        page = client.get(reply.topic.get_absolute_url()).content.decode()
        assert f"/forums/reply/{reply.pk}/report/" not in page

    def test_reporting_your_own_post_directly_is_refused(self, client, reply):
        client.force_login(reply.author)
        url = f"/forums/reply/{reply.pk}/report/"
        assert client.get(url).status_code == 403
        response = client.post(url, {"reason": "Look at me"})
        assert response.status_code == 403
        assert "You cannot report this post." in text_of(response)
        assert not Report.objects.exists()


@pytest.mark.django_db
def test_moderators_resolve_reports_in_the_admin_queue(reply, make_member):
    Report.objects.create(post=reply, reporter=make_member(), reason="Spam")
    moderator = make_member("mod", role="moderator")
    member_set_role(member=moderator, role="moderator")
    client = Client()
    client.force_login(moderator)
    queue = client.get("/admin/forum/report/", {"resolved_at__isempty": "1"})
    assert queue.status_code == 200
    assert f'<a href="/forums/reply/{reply.pk}/">#{reply.pk}</a>' in queue.content.decode()
    report = Report.objects.get()
    client.post("/admin/forum/report/", {"action": "resolve", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert report.resolved_by == moderator
    assert report.resolved_at is not None
