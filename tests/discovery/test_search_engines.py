"""What a search engine's crawler reads: titles, descriptions, canonical links and Open Graph
tags in the pages' heads, ``/robots.txt`` and the sitemaps."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from html.parser import HTMLParser

import pytest

from discovery.sitemaps import TopicSitemap
from forum import services, tagging
from forum.models import Post, Topic
from guides.models import Guide
from tests.conftest import GUIDE_SLUG

SITE = "http://testserver"  # FORUM_SITE_URL in the test settings
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.in_title = False
        self.meta: dict[str, list[str]] = {}
        self.links: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "title":
            self.in_title = True
        elif tag == "meta" and ("name" in attributes or "property" in attributes):
            key = attributes.get("name") or attributes["property"]
            self.meta.setdefault(key, []).append(attributes["content"])
        elif tag == "link":
            self.links.setdefault(attributes["rel"], []).append(attributes["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data


def head(response) -> _Head:
    """The page's head as a crawler reads it (attribute values unescaped)."""
    assert response.status_code == 200
    parser = _Head()
    parser.feed(response.content.decode())
    return parser


def title(client, url: str) -> str:
    return head(client.get(url)).title


def meta(response, key: str) -> str:
    (value,) = head(response).meta[key]
    return value


def canonical(client, url: str) -> str:
    (href,) = head(client.get(url)).links["canonical"]
    return href


@pytest.fixture
def forum(make_forum):
    return make_forum("Lifting", slug="lifting", description="Squats,\n  deadlifts and   presses.")


@pytest.mark.django_db
class TestTitles:
    def test_a_topics_second_page_has_its_own_title(
        self, client, settings, forum, make_topic, make_reply
    ):
        settings.FORUM_POSTS_PER_PAGE = 1
        make_reply(make_topic(forum=forum, title="Squat depth"))
        assert title(client, "/forums/topic/squat-depth/") == "Squat depth – Community Forums"
        assert (
            title(client, "/forums/topic/squat-depth/page/2/")
            == "Squat depth – page 2 – Community Forums"
        )

    def test_a_forums_second_page_has_its_own_title(self, client, settings, forum, make_topic):
        settings.FORUM_TOPICS_PER_PAGE = 1
        make_topic(forum=forum)
        make_topic(forum=forum)
        assert title(client, "/forums/forum/lifting/") == "Forum: Lifting – Community Forums"
        assert (
            title(client, "/forums/forum/lifting/page/2/")
            == "Forum: Lifting – page 2 – Community Forums"
        )

    def test_the_latest_topics_second_page_has_its_own_title(
        self, client, settings, forum, make_topic
    ):
        settings.FORUM_TOPICS_PER_PAGE = 1
        make_topic(forum=forum)
        assert title(client, "/topics/") == "Latest topics – Community Forums"
        assert title(client, "/topics/page/2/") == "Latest topics – page 2 – Community Forums"

    def test_a_members_lists_number_their_pages(
        self, client, settings, make_member, make_topic, make_reply
    ):
        settings.FORUM_TOPICS_PER_PAGE = settings.FORUM_POSTS_PER_PAGE = 1
        ann = make_member("ann", display_name="Ann")
        for _ in range(2):
            make_reply(make_topic(author=ann), author=ann)
        for path, heading in [
            ("topics", "Forum Topics Started"),
            ("replies", "Forum Replies Created"),
        ]:
            base = f"/forums/users/ann/{path}/"
            assert title(client, base) == f"{heading} – Ann – Community Forums"
            assert title(client, f"{base}page/2/") == f"{heading} – Ann – page 2 – Community Forums"

    def test_every_kind_of_page_has_a_title_of_its_own(
        self, client, guide_topic, make_forum, make_member, make_topic
    ):
        # A forum, a topic and a member of one name; the seeded guides' forum is "Guides",
        # as the guides' own page is. (A topic's title is its page's whole title, as in the
        # brief's "Topic title – page 2 – Site", so a topic may still share one with another.)
        make_topic(forum=make_forum("Lifting", slug="lifting"), title="Lifting")
        make_member("lifter", display_name="Lifting")
        author = guide_topic.author
        urls = [
            "/forums/forum/lifting/",
            "/forums/topic/lifting/",
            "/forums/users/lifter/",
            "/forums/",
            "/topics/",
            "/forums/view/popular/",
            "/forums/view/no-replies/",
            "/guides/",
            f"/guides/{GUIDE_SLUG}/",
            f"/forums/topic/{GUIDE_SLUG}/",
            f"/forums/forum/{guide_topic.forum.slug}/",
            f"/forums/users/{author.username}/",
            f"/forums/users/{author.username}/topics/",
            f"/forums/users/{author.username}/replies/",
            f"/forums/users/{author.username}/engagements/",
            f"/forums/users/{author.username}/favorites/",
        ]
        titles = [title(client, url) for url in urls]
        assert len(set(titles)) == len(titles), titles


@pytest.mark.django_db
class TestDescriptions:
    def test_a_topics_description_is_its_opening_words_as_plain_text(
        self, client, forum, make_topic
    ):
        body = (
            "## Why depth matters\n\nMost lifters *stop short*: [the research](https://example.com)"
            " says    going below parallel\nloads the glutes more. " + "Keep the chest up. " * 20
        )
        make_topic(forum=forum, title="Squat depth", body=body)
        description = meta(client.get("/forums/topic/squat-depth/"), "description")
        # Markup dropped, whitespace collapsed, cut at a word within 155 characters.
        assert description == (
            "Why depth matters Most lifters stop short: the research says going below parallel "
            "loads the glutes more. Keep the chest up. Keep the chest up. Keep the…"
        )
        assert len(description) <= 155

    def test_a_short_opening_post_is_the_whole_description(self, client, forum, make_topic):
        make_topic(forum=forum, title="Short", body="Just **this**.")
        assert meta(client.get("/forums/topic/short/"), "description") == "Just this."

    def test_quotes_and_angle_brackets_stay_inside_the_attribute(self, client, forum, make_topic):
        make_topic(forum=forum, title='Say "hi" <b>&', body='Type "<script>" & <em>, then go.')
        response = client.get("/forums/topic/say-hi-b/")
        html = response.content.decode()
        assert '<script>"' not in html
        assert meta(response, "description") == 'Type "<script>" & <em>, then go.'
        assert meta(response, "og:title") == 'Say "hi" <b>&'
        assert head(response).title == 'Say "hi" <b>& – Community Forums'

    def test_later_pages_describe_the_topic_too_at_no_extra_query(
        self, client, settings, forum, make_topic, make_reply, django_assert_num_queries
    ):
        settings.FORUM_POSTS_PER_PAGE = 1
        settings.FORUM_PAGE_CACHE_SECONDS = 0
        topic = make_topic(forum=forum, title="Squat depth", body="Below parallel, always.")
        make_reply(topic, body="Not the opening words.")
        with django_assert_num_queries(2):  # the topic (with its opening words), the posts
            response = client.get("/forums/topic/squat-depth/page/2/")
        assert meta(response, "description") == "Below parallel, always."

    def test_a_long_opening_post_is_read_only_as_far_as_needed(self, client, forum, make_topic):
        words = " ".join(f"word{n}" for n in range(2000))
        make_topic(forum=forum, title="Long", body=words)
        description = meta(client.get("/forums/topic/long/"), "description")
        assert description.startswith("word0 word1 word2")
        assert description.endswith("…") and len(description) <= 155

    def test_an_opening_post_readers_cannot_see_is_not_described(self, client, forum, make_topic):
        topic = make_topic(forum=forum, title="Held open", body="Secret words.")
        Post.objects.filter(pk=topic.first_post_id).update(status=Post.Status.PENDING)
        response = client.get("/forums/topic/held-open/")
        assert "Secret words" not in response.content.decode()
        assert meta(response, "description") == "Held open"

    def test_a_forum_is_described_by_its_description(self, client, forum):
        response = client.get("/forums/forum/lifting/")
        assert meta(response, "description") == "Squats, deadlifts and presses."

    def test_a_member_is_described_by_public_name_and_counts_only(
        self, client, make_member, make_topic, make_reply
    ):
        ann = make_member("ann", display_name="Ann Lee", first_name="Annabel")
        make_reply(make_topic(author=ann), author=ann)
        description = meta(client.get("/forums/users/ann/"), "description")
        assert description == (
            "Ann Lee’s profile on Community Forums: 1 topic started, 1 reply created."
        )
        assert "ann@example.com" not in description and "Annabel" not in description

    def test_other_pages_have_the_sites_description(self, client, settings, guide_topic):
        settings.FORUM_SITE_DESCRIPTION = "All about hip thrusts."
        assert meta(client.get("/forums/"), "description") == "All about hip thrusts."
        assert meta(client.get("/topics/"), "description") == "All about hip thrusts."

    def test_a_guide_is_described_by_its_summary_and_its_topic_by_its_opening_words(
        self, client, guide_topic
    ):
        assert meta(client.get(f"/guides/{GUIDE_SLUG}/"), "description") == (
            "How hip thrusts engage and strengthen the lower back, their benefits, and how to "
            "progress them safely."
        )
        topic_description = meta(client.get(f"/forums/topic/{GUIDE_SLUG}/"), "description")
        assert topic_description.startswith("Welcome to this comprehensive guide")

    def test_a_guide_without_a_summary_is_described_by_its_opening_words(self, client, guide_topic):
        Guide.objects.filter(topic=guide_topic).update(summary="")
        description = meta(client.get(f"/guides/{GUIDE_SLUG}/"), "description")
        assert description.startswith("Welcome to this comprehensive guide")


@pytest.mark.django_db
class TestCanonicalLinks:
    def test_the_home_page_and_the_forum_index_name_the_forum_index(self, client, guide_topic):
        assert canonical(client, "/") == f"{SITE}/forums/"
        assert canonical(client, "/forums/") == f"{SITE}/forums/"

    def test_a_later_page_is_its_own_canonical_page(self, client, settings, forum, make_topic):
        settings.FORUM_TOPICS_PER_PAGE = 1
        make_topic(forum=forum)
        make_topic(forum=forum)
        assert canonical(client, "/forums/forum/lifting/") == f"{SITE}/forums/forum/lifting/"
        assert (
            canonical(client, "/forums/forum/lifting/page/2/?utm_source=x")
            == f"{SITE}/forums/forum/lifting/page/2/"
        )

    @pytest.mark.parametrize(
        "url",
        [
            f"/forums/topic/{GUIDE_SLUG}/",
            "/topics/",
            "/forums/view/popular/",
            "/forums/users/admin/",
            "/forums/users/admin/topics/",
            "/guides/",
            f"/guides/{GUIDE_SLUG}/",
        ],
    )
    def test_reader_pages_name_themselves(self, client, guide_topic, url):
        assert canonical(client, url) == f"{SITE}{url}"

    def test_the_sites_address_wins_over_the_host_asked_for(self, client, settings, guide_topic):
        settings.FORUM_SITE_URL = "https://forum.example.org"
        settings.ALLOWED_HOSTS = ["www.forum.example.org"]
        response = client.get("/forums/", headers={"host": "www.forum.example.org"})
        assert head(response).links["canonical"] == ["https://forum.example.org/forums/"]

    def test_without_a_site_address_the_request_names_the_host(self, client, settings, guide_topic):
        settings.FORUM_SITE_URL = ""
        settings.ALLOWED_HOSTS = ["forum.example.org"]
        response = client.get("/forums/", headers={"host": "forum.example.org"})
        assert head(response).links["canonical"] == ["http://forum.example.org/forums/"]

    def test_search_pages_stay_out_of_the_index(self, client, guide_topic):
        response = client.get("/forums/search/hip/")
        assert meta(response, "robots") == "noindex"


@pytest.mark.django_db
class TestOpenGraph:
    def test_a_topic_page_describes_itself_as_an_article(self, client, forum, make_topic):
        topic = make_topic(forum=forum, title="Squat depth", body="Below parallel, always.")
        response = client.get("/forums/topic/squat-depth/")
        tags = head(response).meta
        assert tags["og:type"] == ["article"]
        assert tags["og:title"] == ["Squat depth"]
        assert tags["og:description"] == tags["description"] == ["Below parallel, always."]
        assert tags["og:url"] == head(response).links["canonical"]
        assert tags["og:url"] == [f"{SITE}/forums/topic/squat-depth/"]
        assert tags["og:site_name"] == ["Community Forums"]
        (published,) = tags["article:published_time"]
        assert datetime.fromisoformat(published) == topic.created_at.replace(microsecond=0)
        (modified,) = tags["article:modified_time"]
        assert datetime.fromisoformat(modified) == topic.last_active_at.replace(microsecond=0)


def robots_rules(text: str) -> list[tuple[str, str]]:
    return [
        (field.strip().lower(), value.strip())
        for field, _, value in (line.partition(":") for line in text.splitlines())
        if field.strip().lower() in ("allow", "disallow")
    ]


def crawlable(rules: list[tuple[str, str]], path: str) -> bool:
    """Google's reading: the longest matching rule wins, Allow on a tie; ``*`` is any run,
    a final ``$`` the end of the address."""
    matches = [
        (len(pattern), kind == "allow")
        for kind, pattern in rules
        if re.match(
            ".*".join(map(re.escape, pattern.removesuffix("$").split("*")))
            + ("$" if pattern.endswith("$") else ""),
            path,
        )
    ]
    return max(matches, default=(0, True))[1]


@pytest.mark.django_db
class TestRobotsTxt:
    def test_is_plain_text_cacheable_and_cookie_free(self, client):
        response = client.get("/robots.txt")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")

    def test_names_the_absolute_sitemap(self, client, settings):
        settings.FORUM_SITE_URL = "https://forum.example.org"
        text = client.get("/robots.txt").content.decode()
        assert "User-agent: *" in text.splitlines()
        assert "Sitemap: https://forum.example.org/sitemap.xml" in text.splitlines()

    def test_readers_pages_may_be_crawled(self, client):
        rules = robots_rules(client.get("/robots.txt").content.decode())
        for path in [
            "/",
            "/forums/",
            "/forums/forum/lifting/",
            "/forums/forum/lifting/page/2/",
            "/forums/topic/squat-depth/",
            "/forums/topic/squat-depth/page/3/",
            "/forums/reply/12/",
            "/forums/users/ann/",
            "/forums/users/ann/replies/page/2/",
            "/topics/",
            "/forums/view/popular/",
            "/guides/",
            f"/guides/{GUIDE_SLUG}/",
            "/forums/feed/",
            "/accounts/login/",
            "/accounts/signup/",
            "/sitemap.xml",
            "/static/css/forum.css",
        ]:
            assert crawlable(rules, path), path

    def test_forms_tools_search_and_accounts_may_not(self, client):
        rules = robots_rules(client.get("/robots.txt").content.decode())
        for path in [
            "/admin/",
            "/accounts/login/?next=/forums/",
            "/accounts/password/reset/",
            "/accounts/email/",
            "/forums/search/",
            "/forums/search/squat/",
            "/forums/preview/",
            "/forums/forum/lifting/new/",
            "/forums/topic/squat-depth/reply/",
            "/forums/topic/squat-depth/reply/?quote=12",
            "/forums/topic/squat-depth/moderate/close/",
            "/forums/topic/squat-depth/merge/",
            "/forums/topic/squat-depth/subscription/",
            "/forums/topic/squat-depth/favorite/",
            "/forums/reply/12/edit/",
            "/forums/reply/12/report/",
            "/forums/reply/12/split/",
            "/forums/reply/12/move/",
            "/forums/reply/12/moderate/spam/",
            "/forums/unsubscribe/abc/",
            "/forums/users/ann/edit/",
            "/forums/users/ann/subscriptions/",
            "/forums/unsubscribe/forum/abc/",
            "/notifications/",
            "/notifications/email/",
            "/notifications/unsubscribe/abc/",
            "/forums/topic/squat-depth/unread/",
            "/forums/forum/lifting/read/",
            "/forums/read/",
        ]:
            assert not crawlable(rules, path), path


def parse_xml(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)  # noqa: S314 (the site's own sitemap)


def sitemap_locations(root: ET.Element) -> dict[str, str | None]:
    """Each ``<loc>`` with its ``<lastmod>`` (or None)."""
    return {
        url.findtext("sm:loc", namespaces=SITEMAP_NS): url.findtext(
            "sm:lastmod", namespaces=SITEMAP_NS
        )
        for url in root
    }


def section_urls(client) -> list[str]:
    index = parse_xml(client.get("/sitemap.xml"))
    assert index.tag == f"{{{SITEMAP_NS['sm']}}}sitemapindex"
    return list(sitemap_locations(index))


def listed(client) -> dict[str, str | None]:
    """Every URL of every sitemap page the index names, with its lastmod."""
    urls: dict[str, str | None] = {}
    for section_url in section_urls(client):
        assert section_url.startswith(f"{SITE}/sitemap-")
        root = parse_xml(client.get(section_url.removeprefix(SITE)))
        assert root.tag == f"{{{SITEMAP_NS['sm']}}}urlset"
        urls |= sitemap_locations(root)
    return urls


@pytest.mark.django_db
class TestSitemaps:
    def test_lists_the_forums_and_visible_topics_with_their_last_activity(
        self, client, forum, make_topic, guide_topic
    ):
        topic = make_topic(forum=forum, title="Squat depth")
        urls = listed(client)
        assert (
            urls[f"{SITE}/forums/topic/squat-depth/"]
            == topic.last_active_at.replace(microsecond=0).isoformat()
        )
        assert f"{SITE}/forums/topic/{GUIDE_SLUG}/" in urls
        forum.refresh_from_db()
        assert (
            urls[f"{SITE}/forums/forum/lifting/"]
            == forum.last_active_at.replace(microsecond=0).isoformat()
        )
        assert urls[f"{SITE}/forums/"] == urls[f"{SITE}/forums/forum/lifting/"]  # the latest
        assert all(lastmod for lastmod in urls.values())

    @pytest.mark.parametrize(
        "status", [Topic.Status.PENDING, Topic.Status.SPAM, Topic.Status.TRASH]
    )
    def test_never_lists_hidden_topics(self, client, forum, make_topic, status):
        hidden = make_topic(forum=forum, title="Hidden one")
        make_topic(forum=forum, title="Shown one")
        services.topic_set_status(topic=hidden, status=status)
        urls = listed(client)
        assert f"{SITE}/forums/topic/shown-one/" in urls
        assert f"{SITE}/forums/topic/hidden-one/" not in urls

    def test_lists_the_tags_that_have_a_page(self, client, forum, make_topic):
        shown, hidden = make_topic(forum=forum), make_topic(forum=forum)
        tagging.topic_set_tags(topic=shown, names=["Squat"])
        tagging.topic_set_tags(topic=hidden, names=["Spammy"])
        services.topic_set_status(topic=hidden, status=Topic.Status.SPAM)
        urls = listed(client)
        assert f"{SITE}/forums/topic-tag/squat/" in urls
        assert f"{SITE}/forums/topic-tag/spammy/" not in urls

    def test_a_forum_is_as_fresh_as_its_subforums(self, client, make_forum, make_topic, ago):
        parent = make_forum("Training", slug="training")
        child = make_forum("Squats", slug="squats", parent=parent)
        make_topic(forum=parent, created_at=ago(days=5))
        make_topic(forum=child, created_at=ago(days=1))
        urls = listed(client)
        assert urls[f"{SITE}/forums/forum/training/"] == urls[f"{SITE}/forums/forum/squats/"]

    def test_topics_are_split_into_pages_the_index_names(
        self, client, monkeypatch, forum, make_topic, guide_topic
    ):
        monkeypatch.setattr(TopicSitemap, "limit", 2)
        for n in range(4):
            make_topic(forum=forum, title=f"Topic {n}")
        assert section_urls(client) == [
            f"{SITE}/sitemap-forums.xml",
            f"{SITE}/sitemap-topics.xml",
            f"{SITE}/sitemap-topics.xml?p=2",
            f"{SITE}/sitemap-topics.xml?p=3",
            f"{SITE}/sitemap-tags.xml",
        ]
        topic_urls = [url for url in listed(client) if "/forums/topic/" in url]
        assert len(topic_urls) == len(set(topic_urls)) == 5
        assert client.get("/sitemap-topics.xml?p=4").status_code == 404
        assert client.get("/sitemap-nothing.xml").status_code == 404

    def test_a_page_costs_the_same_queries_whatever_the_number_of_topics(
        self, client, monkeypatch, forum, make_topic, django_assert_num_queries
    ):
        monkeypatch.setattr(TopicSitemap, "limit", 5)
        make_topic(forum=forum)
        with django_assert_num_queries(2):  # the total (forums' counters), the page's rows
            client.get("/sitemap-topics.xml")
        for _ in range(12):
            make_topic(forum=forum)
        with django_assert_num_queries(2):
            response = client.get("/sitemap-topics.xml?p=2")
        assert len(parse_xml(response)) == 5
        with django_assert_num_queries(1):  # every forum
            client.get("/sitemap-forums.xml")
        with django_assert_num_queries(4):  # the forums, the latest topic, the two totals
            client.get("/sitemap.xml")

    def test_addresses_are_on_the_sites_address(self, client, settings, forum, make_topic):
        settings.FORUM_SITE_URL = "https://forum.example.org"
        settings.ALLOWED_HOSTS = ["www.forum.example.org"]
        make_topic(forum=forum, title="Squat depth")
        index = client.get("/sitemap.xml", headers={"host": "www.forum.example.org"})
        sections = list(sitemap_locations(parse_xml(index)))
        assert sections[0] == "https://forum.example.org/sitemap-forums.xml"
        topics = client.get("/sitemap-topics.xml", headers={"host": "www.forum.example.org"})
        assert "https://forum.example.org/forums/topic/squat-depth/" in sitemap_locations(
            parse_xml(topics)
        )

    def test_is_cacheable_cookie_free_and_answers_a_conditional_request(self, client, guide_topic):
        for url in ["/sitemap.xml", "/sitemap-topics.xml", "/sitemap-forums.xml"]:
            response = client.get(url)
            assert "public" in response["Cache-Control"], url
            assert not response.cookies and "Cookie" not in response.get("Vary", ""), url
            again = client.get(url, headers={"if-none-match": response["ETag"]})
            assert again.status_code == 304, url
