"""Build the benchmark data: one topic with 1,000 replies by 50 authors, through the services.

Run from the project root (``bench/run.sh`` does it for you)::

    python -m bench.seed_data

It is idempotent: when the topic exists it says so and changes nothing. Everything is written in
one transaction, so an interrupted run leaves no half-built topic behind.
"""

import os
import random
from datetime import UTC, datetime, timedelta

import django

TOPIC_TITLE = "Benchmark topic"
TOPIC_SLUG = "benchmark-topic"
REPLIES = 1_000
AUTHORS = 50

_WORDS = [
    "squat",
    "hinge",
    "glute",
    "bridge",
    "hip",
    "thrust",
    "barbell",
    "tempo",
    "brace",
    "spine",
    "pelvis",
    "lumbar",
    "neutral",
    "range",
    "depth",
    "volume",
    "load",
    "progression",
    "recovery",
    "warm-up",
    "cue",
    "form",
    "rep",
    "set",
    "week",
    "plan",
    "coach",
    "lifter",
    "pain",
    "tight",
    "strong",
    "weak",
    "fatigue",
    "pad",
    "bench",
    "foot",
    "knee",
    "drive",
    "lockout",
]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


def reply_body(rng: random.Random, number: int) -> str:
    """A reply of a forum's usual shape: a few paragraphs, sometimes emphasis, a list or a link."""
    paragraphs = [
        " ".join(_sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(1, 3))
    ]
    if number % 3 == 0:
        paragraphs.append(f"**Reply {number}:** {_sentence(rng)}")
    if number % 5 == 0:
        paragraphs.append("\n".join(f"- {_sentence(rng)}" for _ in range(3)))
    if number % 7 == 0:
        paragraphs.append(f"See <https://example.com/articles/{number}> for more.")
    return "\n\n".join(paragraphs)


def seed(*, replies: int = REPLIES, authors: int = AUTHORS) -> str:
    from django.db import transaction

    from accounts.models import User
    from forum import services
    from forum.models import Forum, Topic

    if Topic.objects.filter(slug=TOPIC_SLUG).exists():
        return f"'{TOPIC_TITLE}' exists already; nothing to do."

    rng = random.Random(1000)
    started = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)
    with transaction.atomic():
        forum, _ = Forum.objects.get_or_create(
            slug="benchmark", defaults={"name": "Benchmark", "description": "Load-test data."}
        )
        members = [
            User.objects.create_user(username=f"bench{number:02d}", password=None)
            for number in range(1, authors + 1)
        ]
        topic = services.topic_create(
            forum=forum,
            author=members[0],
            title=TOPIC_TITLE,
            body=reply_body(rng, 0),
            created_at=started,
        )
        for number in range(1, replies + 1):
            services.reply_create(
                topic=topic,
                author=members[number % authors],
                body=reply_body(rng, number),
                created_at=started + timedelta(hours=number),
            )
    topic.refresh_from_db()
    return (
        f"Built '{topic.title}' (/forums/topic/{topic.slug}/): {topic.reply_count} replies, "
        f"{topic.voice_count} voices."
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    print(seed())
