"""``@username`` in a post links to the member's page, rendered with the rest of the markdown
at write time; in code, in links and in email addresses it stays as typed."""

import pytest

from forum.markup import count_links, mentioned_usernames, render_markdown


@pytest.fixture
def members(make_member):
    return make_member("alice"), make_member("Bob.Smith")


def mention(username: str) -> str:
    return (
        f'<a href="/forums/users/{username}/" class="mention" '
        f'rel="nofollow ugc noopener noreferrer">@{username}</a>'
    )


@pytest.mark.django_db
class TestMentions:
    def test_a_members_name_links_to_their_page(self, members):
        html = render_markdown("Thanks @alice, and @bob.smith.")
        assert html == f"<p>Thanks {mention('alice')}, and {mention('Bob.Smith')}.</p>\n"
        assert mentioned_usernames(html) == ["alice", "Bob.Smith"]

    def test_names_nobody_has_stay_text(self, members):
        assert render_markdown("Hi @nobody") == "<p>Hi @nobody</p>\n"

    @pytest.mark.parametrize(
        "text",
        [
            "`@alice`",
            "    @alice in an indented code block",
            "```\n@alice\n```",
            "[@alice](https://example.com/)",
            "mail alice at me@alice.example",
            "a path/@alice",
        ],
    )
    def test_code_links_and_addresses_are_left_alone(self, members, text):
        html = render_markdown(text)
        assert 'class="mention"' not in html
        assert mentioned_usernames(html) == []

    def test_a_links_text_equal_to_a_mention_elsewhere_stays_inside_one_link(self, members):
        html = render_markdown("[@alice](https://example.com/) and\n@alice")
        assert html.count("<a ") == 2
        assert (
            '<a href="https://example.com/" rel="nofollow ugc noopener noreferrer">@alice</a>'
            in html
        )
        assert mentioned_usernames(html) == ["alice"]

    def test_formatting_around_a_mention_is_kept(self, members):
        html = render_markdown("**@alice**, (@alice)!")
        assert html == f"<p><strong>{mention('alice')}</strong>, ({mention('alice')})!</p>\n"
        assert mentioned_usernames(html) == ["alice"]  # once

    def test_a_mention_is_not_a_link_for_the_new_members_link_limit(self, members):
        assert count_links(render_markdown("@alice @bob.smith https://example.com")) == 1

    def test_a_typed_mention_class_is_not_kept(self, members):
        html = render_markdown('<a class="mention" href="/forums/users/alice/">x</a>')
        assert mentioned_usernames(html) == []

    def test_text_without_an_at_sign_makes_no_query(self, django_assert_num_queries):
        with django_assert_num_queries(0):
            render_markdown("No one is mentioned here.")
