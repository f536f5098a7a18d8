"""Searching as a reader does: the form's address, the results, their order and filters."""

import re

import pytest

from accounts.models import User
from accounts.services import member_set_role
from forum import services
from forum.models import Post, Topic
from tests.pages import text_of


@pytest.fixture
def moderator(make_member) -> User:
    moderator = make_member("mona")
    member_set_role(member=moderator, role=User.Role.MODERATOR)
    return moderator


def results(response) -> list[str]:
    """The permalinks of the results, in order."""
    return re.findall(r'<a href="/forums/reply/(\d+)/">#', response.content.decode())


@pytest.mark.django_db
class TestAddresses:
    def test_bbpress_search_parameter_redirects_to_the_terms_address(self, client):
        response = client.get("/forums/search/", {"bbp_search": "  barbell rows "})
        assert response.status_code == 302
        assert response["Location"] == "/forums/search/barbell+rows/"

    def test_filters_are_kept_in_the_redirect(self, client, make_forum):
        make_forum("Lifting", slug="lifting")
        response = client.get(
            "/forums/search/", {"bbp_search": "a/b c", "forum": "lifting", "author": "ann"}
        )
        assert response["Location"] == "/forums/search/a%2Fb+c/?forum=lifting&author=ann"

    def test_search_page_without_terms_shows_the_form(self, client):
        response = client.get("/forums/search/")
        assert response.status_code == 200
        assert 'name="bbp_search"' in response.content.decode()
        assert "Results" not in text_of(response)

    def test_every_page_has_a_search_box_in_its_header(self, client, guide_topic):
        for url in ["/", guide_topic.get_absolute_url(), "/guides/"]:
            html = client.get(url).content.decode()
            assert 'role="search"' in html and 'action="/forums/search/"' in html

    def test_result_pages_are_not_indexed_by_search_engines(self, client, guide_topic):
        response = client.get("/forums/search/thrusts/")
        assert response["X-Robots-Tag"] == "noindex"
        assert '<meta name="robots" content="noindex">' in response.content.decode()

    def test_anonymous_search_sets_no_cookie(self, client, guide_topic):
        response = client.get("/forums/search/thrusts/")
        assert response.status_code == 200
        assert not response.cookies


@pytest.mark.django_db
class TestResults:
    def test_result_links_to_the_post_permalink_with_its_topic(
        self, client, make_topic, make_reply
    ):
        topic = make_topic(title="Grip training", body="Opening words.")
        reply = make_reply(topic, body="Chalk helps a slipping deadlift grip a lot.")
        response = client.get("/forums/search/chalk/")
        page = text_of(response)
        assert results(response) == [str(reply.pk)]
        assert "Viewing 1 result (of 1 total)" in page
        assert f"Reply Grip training #{reply.pk} by {reply.author.username}" in page
        assert f'href="{topic.get_absolute_url()}"' in response.content.decode()
        assert "<mark>Chalk</mark> helps" in response.content.decode()

    def test_words_match_other_forms_of_themselves(self, client, make_topic):
        topic = make_topic(body="She was squatting twice a week.")
        assert results(client.get("/forums/search/squats/")) == [str(topic.first_post_id)]

    def test_a_title_match_ranks_above_a_body_match(self, client, make_topic):
        in_body = make_topic(title="Weekly log", body="Some kettlebell swings today.")
        in_title = make_topic(title="Kettlebell questions", body="Which weight to start?")
        assert results(client.get("/forums/search/kettlebell/")) == [
            str(in_title.first_post_id),
            str(in_body.first_post_id),
        ]

    def test_title_matches_are_marked(self, client, make_topic):
        make_topic(title="Kettlebell questions", body="Which weight to start?")
        html = client.get("/forums/search/kettlebell/").content.decode()
        assert "<mark>Kettlebell</mark> questions" in html
        assert "Which weight to start?" in html  # no body match: its opening words

    def test_all_words_must_appear(self, client, make_topic):
        make_topic(body="Rowing machine intervals.")
        both = make_topic(body="Rowing and running intervals.")
        assert results(client.get("/forums/search/rowing+running/")) == [str(both.first_post_id)]

    def test_quoted_words_must_appear_together(self, client, make_topic):
        make_topic(body="Back off on the squat; front foot forward.")
        together = make_topic(body="Front squat technique.")
        response = client.get('/forums/search/"front squat"/')
        assert results(response) == [str(together.first_post_id)]

    def test_minus_leaves_posts_out(self, client, make_topic):
        make_topic(body="Bench press and dips.")
        kept = make_topic(body="Bench press and push-ups.")
        assert results(client.get("/forums/search/bench+-dips/")) == [str(kept.first_post_id)]

    def test_or_finds_either(self, client, make_topic):
        a = make_topic(body="Foam rolling.")
        b = make_topic(body="Static stretching.")
        make_topic(body="Nothing related.")
        found = results(client.get("/forums/search/foam+or+stretching/"))
        assert sorted(found) == sorted([str(a.first_post_id), str(b.first_post_id)])

    def test_no_results_says_so_helpfully(self, client, guide_topic):
        response = client.get("/forums/search/xylophone/")
        assert response.status_code == 200
        page = text_of(response)
        assert "No posts were found for “xylophone”" in page
        assert "Try fewer or other words" in page

    def test_results_are_paginated(self, client, settings, make_topic, make_reply):
        settings.FORUM_POSTS_PER_PAGE = 2
        topic = make_topic(body="Deload week one.")
        for n in range(4):
            make_reply(topic, body=f"Deload week, day {n}.")
        first = client.get("/forums/search/deload/")
        assert "Viewing 2 results - 1 through 2 (of 5 total)" in text_of(first)
        assert 'href="/forums/search/deload/page/2/"' in first.content.decode()
        last = client.get("/forums/search/deload/page/3/")
        assert "Viewing 5 result (of 5 total)" in text_of(last)
        assert client.get("/forums/search/deload/page/4/").status_code == 404
        seen = set()
        for page in (1, 2, 3):
            url = "/forums/search/deload/" + (f"page/{page}/" if page > 1 else "")
            seen.update(results(client.get(url)))
        assert len(seen) == 5

    def test_page_links_keep_the_filters(self, client, settings, make_forum, make_topic):
        settings.FORUM_POSTS_PER_PAGE = 1
        forum = make_forum("Cardio", slug="cardio")
        make_topic(forum=forum, body="Zone two runs.")
        make_topic(forum=forum, body="Zone two rides.")
        html = client.get("/forums/search/zone/?forum=cardio").content.decode()
        assert 'href="/forums/search/zone/page/2/?forum=cardio"' in html


@pytest.mark.django_db
class TestFilters:
    def test_by_forum_includes_its_subforums(self, client, make_forum, make_topic):
        parent = make_forum("Training", slug="training")
        child = make_forum("Legs", slug="legs", parent=parent)
        elsewhere = make_forum("Food", slug="food")
        in_child = make_topic(forum=child, body="Lunges every day.")
        in_parent = make_topic(forum=parent, body="Lunges or split squats?")
        make_topic(forum=elsewhere, body="Lunges burn calories?")
        found = results(client.get("/forums/search/lunges/?forum=training"))
        assert sorted(found) == sorted([str(in_child.first_post_id), str(in_parent.first_post_id)])
        assert results(client.get("/forums/search/lunges/?forum=legs")) == [
            str(in_child.first_post_id)
        ]

    def test_by_author(self, client, make_member, make_topic):
        ann = make_member("ann")
        mine = make_topic(author=ann, body="My plank record.")
        make_topic(body="Their plank record.")
        assert results(client.get("/forums/search/plank/?author=ann")) == [str(mine.first_post_id)]

    def test_unknown_author_is_a_clear_message(self, client, guide_topic):
        response = client.get("/forums/search/thrusts/?author=nobody-here")
        assert response.status_code == 400
        assert "No member is called “nobody-here”." in text_of(response)

    def test_unknown_forum_is_a_clear_message(self, client, guide_topic):
        response = client.get("/forums/search/thrusts/?forum=no-such-forum")
        assert response.status_code == 400
        assert "Select a valid choice" in text_of(response)


@pytest.mark.django_db
class TestWhatReadersMaySee:
    @pytest.fixture
    def hidden_and_shown(self, make_topic, make_reply):
        topic = make_topic(body="Visible sprint drills.")
        shown = make_reply(topic, body="Sprint drills, published.")
        hidden = {}
        for status in (Post.Status.PENDING, Post.Status.SPAM, Post.Status.TRASH):
            post = make_reply(topic, body=f"Sprint drills, {status}.")
            services.post_set_status(post=post, status=status)
            hidden[status] = post
        for status in (Topic.Status.PENDING, Topic.Status.SPAM, Topic.Status.TRASH):
            hidden_topic = make_topic(body=f"Sprint drills in a {status} topic.")
            services.topic_set_status(topic=hidden_topic, status=status)
            hidden[f"topic-{status}"] = Post.objects.get(pk=hidden_topic.first_post_id)
        return [str(topic.first_post_id), str(shown.pk)], [str(p.pk) for p in hidden.values()]

    def test_readers_never_see_hidden_posts_or_topics(self, client, hidden_and_shown):
        shown, _ = hidden_and_shown
        assert sorted(results(client.get("/forums/search/sprint/?hidden=1"))) == sorted(shown)

    def test_members_never_see_them_either(self, client, make_member, hidden_and_shown):
        shown, _ = hidden_and_shown
        client.force_login(make_member())
        assert sorted(results(client.get("/forums/search/sprint/?hidden=1"))) == sorted(shown)
        assert "Include pending" not in client.get("/forums/search/sprint/").content.decode()

    def test_moderators_may_include_them(self, client, moderator, hidden_and_shown):
        shown, hidden = hidden_and_shown
        client.force_login(moderator)
        assert sorted(results(client.get("/forums/search/sprint/"))) == sorted(shown)
        response = client.get("/forums/search/sprint/?hidden=1")
        assert sorted(results(response)) == sorted(shown + hidden)
        assert "Spam" in text_of(response)


@pytest.mark.django_db
class TestQueryCount:
    def test_a_page_of_results_costs_the_same_whatever_the_number_found(
        self, client, make_topic, make_reply, django_assert_num_queries
    ):
        topic = make_topic(body="Tempo squats.")
        with django_assert_num_queries(4):  # forums, matches, posts, excerpts
            client.get("/forums/search/tempo/")
        for n in range(30):
            make_reply(topic, body=f"Tempo work, set {n}.")
        with django_assert_num_queries(4):
            response = client.get("/forums/search/tempo/")
        assert len(results(response)) == 25

    def test_filters_add_one_query_for_the_author(
        self, client, make_member, make_topic, django_assert_num_queries
    ):
        make_topic(author=make_member("ann"), body="Tempo squats.")
        with django_assert_num_queries(5):
            client.get("/forums/search/tempo/?author=ann&forum=")

    def test_no_match_costs_two_queries(self, client, guide_topic, django_assert_num_queries):
        with django_assert_num_queries(2):  # forums, matches
            client.get("/forums/search/xylophone/")


@pytest.mark.django_db
def test_a_search_matching_more_than_it_ranks_says_so(
    client, monkeypatch, settings, make_topic, make_reply
):
    monkeypatch.setattr("search.backends.WINDOW", 3)
    settings.FORUM_POSTS_PER_PAGE = 2
    topic = make_topic(title="Rowing log", body="Erg rowing, day one.")
    replies = [make_reply(topic, body=f"Erg rowing, day {n}.") for n in range(2, 7)]
    response = client.get("/forums/search/erg/")
    page = text_of(response)
    assert "Viewing 2 results - 1 through 2 of the 4 most recent matches, best first." in page
    assert "More posts match “erg” than are ranked here" in page
    ranked = set(results(response)) | set(results(client.get("/forums/search/erg/page/2/")))
    # The four most recent matches, and never the older ones.
    assert ranked == {str(reply.pk) for reply in replies[-4:]}
    assert client.get("/forums/search/erg/page/3/").status_code == 404
    assert "ranked here" not in text_of(client.get("/forums/search/day+one/"))
