"""The Redis cache backends of ``config.cache`` against a real ``redis-server`` that dies,
freezes and comes back: what each operation does meanwhile, the circuit breaker, the logs."""

import asyncio
import logging
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis

from config.cache import LocalFallbackRedisCache, MissOnErrorRedisCache
from tests.servers import RedisServer

RETRY_SECONDS = 0.2
ROOT = Path(__file__).resolve().parent.parent


def options(**extra) -> dict:
    return {
        "socket_connect_timeout": 0.2,
        "socket_timeout": 0.2,
        "RETRY_SECONDS": RETRY_SECONDS,
        **extra,
    }


@pytest.fixture
def make_cache():
    """``make_cache(backend, url, **options)``; its connections are closed after the test."""
    made = []

    def make(backend, url: str, **extra):
        made.append(backend(url, {"OPTIONS": options(**extra)}))
        return made[-1]

    yield make
    for cache in made:
        for pool in cache._cache._pools.values():
            pool.disconnect()


@pytest.fixture
def fallback_cache(redis_server, make_cache) -> LocalFallbackRedisCache:
    return make_cache(LocalFallbackRedisCache, redis_server.url)


@pytest.fixture
def sessions_cache(redis_server, make_cache) -> MissOnErrorRedisCache:
    return make_cache(MissOnErrorRedisCache, redis_server.url, MAX_TIMEOUT=600)


def outage_logs(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "config.cache"]


def test_every_operation_is_served_from_local_memory_while_redis_is_down(
    fallback_cache, redis_server
):
    fallback_cache.set("before", "in redis")
    redis_server.kill()

    assert fallback_cache.get("before") is None
    fallback_cache.set("page", "text")
    assert fallback_cache.get("page") == "text"
    assert fallback_cache.add("lock", True) is True
    assert fallback_cache.add("lock", True) is False
    assert fallback_cache.has_key("lock")
    assert fallback_cache.touch("lock", 60) is True
    fallback_cache.set("count", 1)
    assert fallback_cache.incr("count") == 2
    assert fallback_cache.decr("count", 2) == 0
    assert fallback_cache.set_many({"a": 1, "b": 2}) == []
    assert fallback_cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": 2}
    assert fallback_cache.get_or_set("computed", lambda: "value") == "value"
    assert fallback_cache.delete("lock") is True
    assert not fallback_cache.has_key("lock")
    fallback_cache.delete_many(["a", "b"])
    assert fallback_cache.get_many(["a", "b"]) == {}
    fallback_cache.clear()
    assert fallback_cache.get("page") is None


def run_in_own_loop(coroutine):
    """Run ``coroutine`` in a thread of its own: the browser tests' Playwright keeps an event
    loop in the main thread for the whole session."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_the_async_operations_fall_back_too(fallback_cache, redis_server):
    redis_server.kill()
    run_in_own_loop(fallback_cache.aset("page", "text"))
    assert run_in_own_loop(fallback_cache.aget("page")) == "text"
    assert run_in_own_loop(fallback_cache.aadd("lock", True)) is True


def test_whole_pages_are_not_kept_in_local_memory(fallback_cache, redis_server):
    redis_server.kill()
    fallback_cache.set("history", [time.time()] * 10)
    fallback_cache.set("page", b"x" * 10_000)
    assert fallback_cache.set_many({"small": 1, "big": "y" * 10_000}) == ["big"]
    assert fallback_cache.get_many(["history", "page", "small", "big"]).keys() == {
        "history",
        "small",
    }


def test_the_breaker_skips_redis_until_its_interval_has_passed_then_uses_it_again(
    fallback_cache, redis_server
):
    redis_server.kill()
    fallback_cache.set("during", "local")
    redis_server.start()

    fallback_cache.set("soon-after", "local")  # within the interval: not even tried
    assert redis_server.keys("*soon-after") == []
    time.sleep(RETRY_SECONDS + 0.05)
    fallback_cache.set("later", "shared")
    assert redis_server.keys("*later") == [b":1:later"]
    assert fallback_cache.get("during") is None  # the local copy was dropped on recovery


def test_a_frozen_redis_costs_one_timeout_per_interval_not_one_per_call(redis_server, make_cache):
    cache = make_cache(LocalFallbackRedisCache, redis_server.url, RETRY_SECONDS=5)
    cache.set("page", "cached")
    redis_server.process.send_signal(signal.SIGSTOP)  # accepts connections, never answers

    started = time.monotonic()
    assert cache.get("page") is None
    assert time.monotonic() - started >= 0.2  # the socket timeout
    started = time.monotonic()
    for _ in range(20):
        assert cache.get("page") is None
    assert time.monotonic() - started < 0.2


def test_an_outage_is_logged_once_and_so_is_the_recovery(fallback_cache, redis_server, caplog):
    caplog.set_level(logging.WARNING, logger="config.cache")
    redis_server.kill()
    deadline = time.monotonic() + 3 * RETRY_SECONDS
    while time.monotonic() < deadline:  # many calls, several retries of Redis
        fallback_cache.get("page")
        time.sleep(0.01)
    redis_server.start()
    time.sleep(RETRY_SECONDS + 0.05)
    for _ in range(3):
        fallback_cache.get("page")

    [down, back] = outage_logs(caplog)
    assert "Redis is unavailable (ConnectionError" in down
    assert f"127.0.0.1:{redis_server.port}" in down
    assert "answers again" in back
    assert [record.exc_info for record in caplog.records] == [None, None]  # no tracebacks


def test_the_log_never_shows_the_password_in_the_redis_url(redis_server, make_cache, caplog):
    caplog.set_level(logging.WARNING, logger="config.cache")
    url = f"redis://:s3cret-pw@127.0.0.1:{redis_server.port}/0"
    cache = make_cache(LocalFallbackRedisCache, url)
    redis_server.kill()
    cache.get("page")
    [down] = outage_logs(caplog)
    assert "s3cret-pw" not in down


def test_a_programming_error_is_raised_not_taken_for_an_outage(
    fallback_cache, redis_server, caplog
):
    fallback_cache.set("history", ["not", "a", "number"])
    with pytest.raises(redis.ResponseError):
        fallback_cache.incr("history")
    assert outage_logs(caplog) == []


def test_the_sessions_cache_misses_and_stores_nothing_while_redis_is_down(
    sessions_cache, redis_server
):
    sessions_cache.set("session", {"user": 1})
    redis_server.kill()

    assert sessions_cache.get("session") is None
    assert sessions_cache.get("session", "default") == "default"
    sessions_cache.set("new", {"user": 2})
    assert sessions_cache.get("new") is None
    assert sessions_cache.add("new", {"user": 2}) is False
    assert sessions_cache.has_key("new") is False
    assert "new" not in sessions_cache
    assert sessions_cache.get_many(["session", "new"]) == {}
    assert sessions_cache.set_many({"a": 1}) == ["a"]
    assert sessions_cache.delete("session") is False
    with pytest.raises(ValueError):
        sessions_cache.incr("count")


def test_a_session_ended_while_redis_was_down_is_deleted_from_it_when_it_answers(
    tmp_path, make_cache
):
    """Redis comes back with data from before the outage (here from a snapshot; a network
    partition leaves the same behind): what changed meanwhile is not served from it."""
    server = RedisServer(directory=tmp_path)
    server.start()
    sessions_cache = make_cache(MissOnErrorRedisCache, server.url)
    try:
        sessions_cache.set("ended", {"user": 1})
        sessions_cache.set("changed", {"user": 1, "theme": "old"})
        with server.client() as client:
            client.save()
        server.kill()
        sessions_cache.delete("ended")  # a logout
        sessions_cache.set("changed", {"user": 1, "theme": "new"})
        server.start()
        assert sorted(server.keys("*")) == [b":1:changed", b":1:ended"]

        time.sleep(RETRY_SECONDS + 0.05)
        assert sessions_cache.get("ended") is None
        assert sessions_cache.get("changed") is None  # read from the database again
        assert server.keys("*") == []
    finally:
        server.kill()


def test_the_sessions_cache_keeps_entries_no_longer_than_its_max_timeout(
    sessions_cache, redis_server
):
    sessions_cache.set("session", {"user": 1}, 1_209_600)  # two weeks, as cached_db asks
    sessions_cache.set("forever", {"user": 1}, None)
    with redis_server.client() as client:
        assert 0 < client.ttl(":1:session") <= 600
        assert 0 < client.ttl(":1:forever") <= 600


def test_production_settings_put_sessions_on_their_own_cache_and_pages_on_the_fallback():
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY="s" * 50,
        ALLOWED_HOSTS="forum.example.com",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_ENGINE, s.SESSION_CACHE_ALIAS, "
        "s.CACHES['default']['BACKEND'], s.CACHES['sessions']['BACKEND'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == [
        "accounts.sessions.cached_db",
        "sessions",
        "config.cache.LocalFallbackRedisCache",
        "config.cache.MissOnErrorRedisCache",
    ]
