"""A large bbPress export (WXR) to measure the importer on: written as a stream, the same file
for the same arguments.

``--replies`` replies in ``--topics`` topics by ``--members`` members, in ``--forums`` forums
(a category above them), over three years: each topic's replies come after it, some by
guests (``_bbp_anonymous_name``, sometimes a website), some spam, pending or trashed, one in
five answering an earlier reply, one in fifty edited (``_bbp_revision_log``); topics carry
tags, author IPs, subscriptions and favorites; a few topics are closed, spam or sticky.
Every field the importer reads (``../shared/bbpress-wxr.md``) appears.

    .venv/bin/python bench/wxr_generate.py /tmp/bbpress-1m.xml \\
        --replies 1000000 --topics 20000 --members 20000
"""

import argparse
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random
from xml.sax.saxutils import escape

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Generated bbPress forum</title>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://forum.example</wp:base_site_url>
<wp:base_blog_url>https://forum.example</wp:base_blog_url>
"""
TAGS = ["squats", "deadlifts", "bench-press", "mobility", "nutrition", "running", "sleep"]
WORDS = (
    "squat",
    "depth",
    "knee",
    "hip",
    "parallel",
    "bar",
    "grip",
    "form",
    "set",
    "rep",
    "load",
    "warm",
    "mobility",
    "coach",
    "week",
    "program",
    "deload",
    "tempo",
    "pause",
    "brace",
    "breathe",
    "stance",
    "width",
    "heel",
    "ankle",
    "spine",
    "neutral",
)


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def meta(key: str, value: object) -> str:
    return (
        f"<wp:postmeta><wp:meta_key>{cdata(key)}</wp:meta_key>"
        f"<wp:meta_value>{cdata(str(value))}</wp:meta_value></wp:postmeta>"
    )


def item(
    *, post_id, post_type, title, content, slug, status, parent, order, at, creator, extra=""
) -> str:
    date = at.strftime("%Y-%m-%d %H:%M:%S")
    return (
        f"<item><title>{cdata(title)}</title><dc:creator>{cdata(creator)}</dc:creator>"
        f"<content:encoded>{cdata(content)}</content:encoded>"
        f"<wp:post_id>{post_id}</wp:post_id><wp:post_date>{cdata(date)}</wp:post_date>"
        f"<wp:post_date_gmt>{cdata(date)}</wp:post_date_gmt>"
        f"<wp:post_name>{cdata(slug)}</wp:post_name><wp:status>{cdata(status)}</wp:status>"
        f"<wp:post_parent>{parent}</wp:post_parent><wp:menu_order>{order}</wp:menu_order>"
        f"<wp:post_type>{cdata(post_type)}</wp:post_type>{extra}</item>\n"
    )


def sentence(rng: Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def generate(out, *, replies: int, topics: int, members: int, forums: int, seed: int) -> None:
    rng = Random(seed)
    out.write(HEAD)
    for number in range(1, members + 1):
        login = f"member{number}"
        out.write(
            f"<wp:author><wp:author_id>{number}</wp:author_id>"
            f"<wp:author_login>{cdata(login)}</wp:author_login>"
            f"<wp:author_email>{cdata(login + '@example.com')}</wp:author_email>"
            f"<wp:author_display_name>{cdata(f'Member {number}')}</wp:author_display_name>"
            "<wp:author_first_name></wp:author_first_name>"
            "<wp:author_last_name></wp:author_last_name></wp:author>\n"
        )
    for tag in TAGS:
        out.write(
            f"<wp:term><wp:term_id>{TAGS.index(tag) + 1}</wp:term_id>"
            f"<wp:term_taxonomy>topic-tag</wp:term_taxonomy><wp:term_slug>{tag}</wp:term_slug>"
            f"<wp:term_name>{escape(tag.replace('-', ' ').title())}</wp:term_name></wp:term>\n"
        )
    start = datetime(2022, 1, 1, tzinfo=UTC)
    span = timedelta(days=3 * 365)
    next_id = 100
    category = next_id
    out.write(
        item(
            post_id=category,
            post_type="forum",
            title="Training",
            content="",
            slug="training",
            status="publish",
            parent=0,
            order=0,
            at=start,
            creator="member1",
            extra=meta("_bbp_forum_type", "category"),
        )
    )
    per_topic, remainder = divmod(replies, topics)
    # The first three topics are sticky (their ids follow from the layout: each topic, then
    # its replies), listed by the first forum as bbPress lists them: a PHP array.
    first_topic_ids = [
        next_id + forums + 1 + n * (per_topic + 1) + min(n, remainder)
        for n in range(min(3, topics))
    ]
    sticky = (
        f"a:{len(first_topic_ids)}:{{"
        + "".join(f"i:{n};i:{topic_id};" for n, topic_id in enumerate(first_topic_ids))
        + "}"
    )
    forum_ids = []
    for number in range(forums):
        next_id += 1
        forum_ids.append(next_id)
        out.write(
            item(
                post_id=next_id,
                post_type="forum",
                title=f"Forum {number + 1}",
                content=f"About forum {number + 1}.",
                slug=f"forum-{number + 1}",
                status="publish",
                parent=category,
                order=number + 1,
                at=start,
                creator="member1",
                extra=meta("_bbp_forum_type", "forum")
                + meta("_bbp_status", "closed" if number == forums - 1 else "open")
                + (meta("_bbp_sticky_topics", sticky) if number == 0 else ""),
            )
        )
    for topic_number in range(topics):
        next_id += 1
        topic_id = next_id
        opened = start + span * topic_number / topics
        author = f"member{rng.randint(1, members)}"
        status = rng.choices(["publish", "closed", "spam", "pending"], [90, 6, 2, 2])[0]
        extra = meta("_bbp_author_ip", f"198.51.100.{rng.randint(1, 254)}")
        for subscriber in rng.sample(range(1, members + 1), k=min(3, members)):
            extra += meta("_bbp_subscription", subscriber)
        extra += meta("_bbp_favorite", rng.randint(1, members))
        tags = "".join(
            f'<category domain="topic-tag" nicename="{tag}">{cdata(tag.title())}</category>'
            for tag in rng.sample(TAGS, k=2)
        )
        out.write(
            item(
                post_id=topic_id,
                post_type="topic",
                title=f"Topic {topic_number + 1}: {sentence(rng, 5)}",
                content=f"<p>{sentence(rng, 30)}</p>",
                slug=f"topic-{topic_number + 1}",
                status=status,
                parent=rng.choice(forum_ids),
                order=0,
                at=opened,
                creator=author,
                extra=extra + tags,
            )
        )
        count = per_topic + (1 if topic_number < remainder else 0)
        for order in range(1, count + 1):
            next_id += 1
            guest = rng.random() < 0.02
            reply_status = rng.choices(["publish", "spam", "pending", "trash"], [95, 2, 2, 1])[0]
            extra = meta("_bbp_author_ip", f"203.0.113.{rng.randint(1, 254)}")
            # One reply in five answers an earlier one (bbPress's threaded replies).
            answers = (
                topic_id + rng.randint(1, order - 1) if order > 1 and rng.random() < 0.2 else 0
            )
            extra += meta("_bbp_reply_to", answers)
            if rng.random() < 0.02:  # edited, with a reason, by its author or a moderator
                editor = rng.randint(1, members)
                reason = rng.choice(["typo", "clarified", ""])
                extra += meta(
                    "_bbp_revision_log",
                    f'a:1:{{i:{next_id + 5_000_000};a:2:{{s:6:"author";i:{editor};'
                    f's:6:"reason";s:{len(reason)}:"{reason}";}}}}',
                )
            if guest:
                extra += meta("_bbp_anonymous_name", f"Guest {rng.randint(1, 999)}")
                if rng.random() < 0.5:
                    extra += meta(
                        "_bbp_anonymous_website", f"https://guest{rng.randint(1, 999)}.example"
                    )
            creator = "" if guest else f"member{rng.randint(1, members)}"
            out.write(
                item(
                    post_id=next_id,
                    post_type="reply",
                    title=f"Reply To: Topic {topic_number + 1}",
                    content=f"<p>{sentence(rng, rng.randint(8, 60))}</p>",
                    slug=str(next_id),
                    status=reply_status,
                    parent=topic_id,
                    order=order,
                    at=opened + timedelta(minutes=7 * order),
                    creator=creator,
                    extra=extra,
                )
            )
    out.write("</channel>\n</rss>\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--replies", type=int, default=1_000_000)
    parser.add_argument("--topics", type=int, default=20_000)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--forums", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    with arguments.path.open("w", encoding="utf-8") as out:
        generate(
            out,
            replies=arguments.replies,
            topics=arguments.topics,
            members=arguments.members,
            forums=arguments.forums,
            seed=arguments.seed,
        )
    print(f"{arguments.path}: {arguments.path.stat().st_size / 2**20:,.0f} MiB", file=sys.stderr)


if __name__ == "__main__":
    main()
