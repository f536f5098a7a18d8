"""The admin as a Keymaster meets it: every model listed, searchable, counters read-only."""

import pytest

from forum.models import Forum, Post, Topic
from forum.recount import recount_all


@pytest.fixture
def keymaster_client(client, django_user_model):
    keymaster = django_user_model.objects.create_superuser("keeper", "k@example.com", "pw")
    client.force_login(keymaster)
    return client


CHANGELISTS = [
    "/admin/accounts/user/",
    "/admin/forum/forum/",
    "/admin/forum/topic/",
    "/admin/forum/post/",
    "/admin/forum/postrevision/",
    "/admin/forum/topicsubscription/",
    "/admin/forum/topicfavorite/",
    "/admin/guides/guide/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", CHANGELISTS)
def test_every_model_has_a_searchable_filtered_changelist(keymaster_client, guide_topic, url):
    response = keymaster_client.get(url, {"q": "a"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="searchbar"' in html
    if url != "/admin/guides/guide/":
        assert 'id="changelist-filter"' in html


@pytest.mark.django_db
def test_topic_counters_are_read_only(keymaster_client, guide_topic):
    response = keymaster_client.get(f"/admin/forum/topic/{guide_topic.pk}/change/")
    form_fields = set(response.context["adminform"].form.fields)
    assert form_fields == {"title", "pin"}
    for counter in ("reply_count", "voice_count", "hidden_reply_count", "last_post", "status"):
        assert counter not in form_fields


@pytest.mark.django_db
def test_forum_counters_are_read_only(keymaster_client, guide_topic):
    response = keymaster_client.get(f"/admin/forum/forum/{guide_topic.forum_id}/change/")
    form_fields = set(response.context["adminform"].form.fields)
    assert not form_fields & {"topic_count", "post_count", "last_post", "last_active_at"}


@pytest.mark.django_db
def test_editing_a_post_body_renders_it_and_refreshes_the_page(
    keymaster_client, guide_topic, make_topic, django_capture_on_commit_callbacks
):
    topic = make_topic(body="before")
    keymaster_client.logout()
    assert "before" in keymaster_client.get(topic.get_absolute_url()).content.decode()
    keymaster_client.force_login(guide_topic.author)
    post = topic.first_post
    with django_capture_on_commit_callbacks(execute=True):
        response = keymaster_client.post(
            f"/admin/forum/post/{post.pk}/change/", {"body": "**after**"}
        )
    assert response.status_code == 302
    assert response["Location"] == "/admin/forum/post/"
    post.refresh_from_db()
    assert post.body_html == "<p><strong>after</strong></p>\n"
    keymaster_client.logout()
    assert (
        "<strong>after</strong>" in keymaster_client.get(topic.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db
def test_posts_and_topics_cannot_be_deleted_around_the_counters(keymaster_client, guide_topic):
    post_id = guide_topic.first_post_id
    assert keymaster_client.get(f"/admin/forum/post/{post_id}/delete/").status_code == 403
    assert keymaster_client.get(f"/admin/forum/topic/{guide_topic.pk}/delete/").status_code == 403
    response = keymaster_client.post(
        "/admin/forum/post/", {"action": "delete_selected", "_selected_action": [post_id]}
    )
    assert Post.objects.filter(pk=post_id).exists()
    assert response.status_code in (200, 302)
    assert Topic.objects.filter(pk=guide_topic.pk).exists()
    assert Forum.objects.get(pk=guide_topic.forum_id).post_count == 1
    assert recount_all(dry_run=True) == []


@pytest.mark.django_db
def test_change_form_saves_leave_every_counter_right(keymaster_client, make_topic, make_reply):
    topic = make_topic(title="Before")
    reply = make_reply(topic)
    response = keymaster_client.post(
        f"/admin/forum/topic/{topic.pk}/change/", {"title": "After", "pin": "1"}
    )
    assert response.status_code == 302
    keymaster_client.post(f"/admin/forum/post/{reply.pk}/change/", {"body": "Edited reply"})
    topic.refresh_from_db()
    assert (topic.title, topic.pin, topic.reply_count) == ("After", 1, 1)
    assert recount_all(dry_run=True) == []
