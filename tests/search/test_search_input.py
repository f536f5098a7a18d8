"""Whatever is typed into the search box gets a page with a clear message or results, never a
500, and nothing typed is taken as SQL or as FTS5's query language."""

import re
from urllib.parse import quote

import pytest

from tests.pages import text_of


def search(client, terms: str):
    return client.get("/forums/search/", {"bbp_search": terms}, follow=True)


@pytest.mark.django_db
class TestBadInput:
    def test_empty_terms_ask_for_words(self, client):
        response = search(client, "   ")
        assert response.status_code == 400
        assert "Enter one or more words to search for." in text_of(response)

    def test_a_thousand_characters_are_refused_with_the_limit(self, client):
        response = search(client, "a" * 1000)
        assert response.status_code == 400
        assert "Search for at most 200 characters at a time." in text_of(response)
        assert client.get("/forums/search/" + "a" * 1000 + "/").status_code == 400

    def test_punctuation_alone_finds_nothing_and_says_why(self, client):
        response = search(client, "!!! ... ???")
        assert response.status_code == 400
        assert "punctuation alone finds nothing" in text_of(response)

    def test_only_exclusions_ask_for_a_word_to_look_for(self, client):
        response = search(client, "-squat")
        assert response.status_code == 400
        assert "add at least one word to look for" in text_of(response)

    def test_too_many_terms(self, client):
        response = search(client, " ".join(f"w{n}" for n in range(17)))
        assert "at most 16 words or phrases" in text_of(response)

    def test_control_characters_are_refused(self, client):
        response = search(client, "squat\x1b[2J")
        assert response.status_code == 400
        assert "cannot contain control characters" in text_of(response)

    def test_nul_is_refused_before_any_view(self, client):
        assert search(client, "squat\x00").status_code == 400
        assert client.get("/forums/search/squat%00/").status_code == 400

    @pytest.mark.parametrize(
        "terms",
        [
            '"lower back',  # unbalanced quote: a phrase to the end
            'lower back"',
            "' OR 1=1 --",
            "lower; DROP TABLE forum_post;",
            "NEAR(lower back, 2)",
            "lower*",
            "body:lower",
            "^lower",
            "lower AND back NOT hip",
            "(lower OR back",
            "{body title}: lower",
            "%_\\",
            "- - -lower back",
            "or or lower or",
        ],
    )
    def test_database_syntax_is_only_words(self, client, guide_topic, terms):
        response = search(client, terms)
        assert response.status_code in (200, 400)
        if response.status_code == 200:
            page = text_of(response)
            assert "Search results for" in page

    def test_unbalanced_quote_reads_as_a_phrase(self, client, guide_topic):
        response = search(client, '"lower back')
        assert response.status_code == 200
        assert re.search(
            r"<mark>lower</mark>\s*<mark>back</mark>|<mark>lower back</mark>",
            response.content.decode(),
            re.I,
        )

    def test_fts_operators_are_searched_as_words(self, client, make_topic):
        topic = make_topic(body="Near the rack, not the bench.")
        response = search(client, "NEAR rack")
        assert str(topic.first_post_id) in response.content.decode()

    def test_hostile_terms_in_the_path(self, client, guide_topic):
        for terms in ["%27%20OR%201%3D1", quote('"x'), "..%2F..%2Fetc", "%E2%80%AE", "a/b/c"]:
            response = client.get(f"/forums/search/{terms}/")
            assert response.status_code in (200, 400), terms

    def test_page_numbers_past_the_end_are_not_found(self, client, guide_topic):
        assert client.get("/forums/search/thrusts/page/2/").status_code == 404
        assert client.get("/forums/search/thrusts/page/0/").status_code == 404


@pytest.mark.django_db
def test_a_page_number_past_any_result_is_not_found(client, guide_topic):
    for page in ("81", "999999999999999999", "9" * 30):
        assert client.get(f"/forums/search/thrusts/page/{page}/").status_code == 404
