"""Print, as JSON, what the load test needs from a seeded peer: the topic's page-1 URL, a
session cookie of a logged-in member, the cookies a first anonymous visit gets (machina gives
every anonymous visitor a session), and each page's SQL query count and HTML bytes.

Run inside the peer's venv with its settings: ``python -m bench.peers.facts spirit|machina``.
Queries and bytes are those of a steady-state request (the second of two), as bench/report.py
counts them.
"""

import json
import os
import sys

import django

from bench.peers.seed import MEMBER
from bench.seed_data import TOPIC_TITLE


def topic_url(peer: str) -> str:
    if peer == "spirit":
        from spirit.topic.models import Topic

        return Topic.objects.get(title=TOPIC_TITLE).get_absolute_url()
    from django.urls import reverse
    from machina.apps.forum_conversation.models import Topic

    topic = Topic.objects.select_related("forum").get(subject=TOPIC_TITLE)
    return reverse(
        "forum_conversation:topic",
        kwargs={
            "forum_slug": topic.forum.slug,
            "forum_pk": topic.forum.pk,
            "slug": topic.slug,
            "pk": topic.pk,
        },
    )


def member_cookie(member) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()  # in the database, which db and cached_db sessions both read
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def page_facts(url: str, member=None, keep_cookies: bool = True) -> dict:
    """Queries and bytes of a steady-state GET. keep_cookies=False: a visitor sending no cookie,
    as wrk's anonymous load does (a fresh client each time)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if member is not None:
        client.force_login(member)
    first = client.get(url)
    if not keep_cookies:
        client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return {
        "queries": len(queries),
        "html_bytes": len(response.content),
        "sets_cookies": sorted(first.cookies),
    }


def anonymous_cookie(url: str) -> str:
    """The cookies a first anonymous GET sets, as a Cookie header value ("" when none)."""
    from django.test import Client

    response = Client().get(url)
    return "; ".join(f"{name}={morsel.value}" for name, morsel in response.cookies.items())


if __name__ == "__main__":
    peer = sys.argv[1]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"bench.peers.{peer}_settings")
    django.setup()
    from django.contrib.auth import get_user_model

    member = get_user_model().objects.get(username=MEMBER)
    url = topic_url(peer)
    facts = {
        "url": url,
        "cookie": member_cookie(member),
        "anonymous_cookie": anonymous_cookie(url),
        "anonymous": page_facts(url, keep_cookies=False),
        "anonymous-returning": page_facts(url),
        "member": page_facts(url, member),
    }
    print(json.dumps(facts))
