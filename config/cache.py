"""Redis cache backends that keep the site up while Redis is down.

Django's ``RedisCache`` raises on every connection error, so with Redis gone every page that
touches the cache fails. These subclasses catch the errors that mean "Redis is unreachable or
refusing work" (not programming errors such as ``INCR`` on a pickled value), log the outage
once, and then skip Redis for ``RETRY_SECONDS`` (a circuit breaker: an unreachable host
costs one connect timeout per process and interval, not one per call) before trying again.
When a call succeeds again the recovery is logged and Redis is used as before, without a
restart. What a failed operation returns instead depends on the cache's job:

- :class:`LocalFallbackRedisCache` (the ``default`` cache) serves it from a local-memory
  cache in this process. allauth's rate limiter takes a lock with ``add()`` and would refuse
  every login if ``add()`` always failed, or allow unlimited guesses if writes were dropped;
  with the fallback it keeps counting, per process. Only small values are kept locally, so
  whole pages cannot push the limiter's counters out: pages are simply not cached.
- :class:`MissOnErrorRedisCache` (the sessions cache) answers as a miss, so ``cached_db``
  sessions are read from and written to the database. A session must never be served from
  one process's memory (a logout handled by another process would not reach it). Keys it
  failed to write or delete are deleted first when Redis answers again, and entries live at
  most ``MAX_TIMEOUT`` seconds, so a copy that Redis kept through the outage is not served
  for long after the database changed meanwhile.

Extra ``OPTIONS`` (upper case, removed before the rest reach redis-py's connection pool):
``RETRY_SECONDS`` (5), ``FALLBACK_MAX_ENTRIES`` (5000), ``FALLBACK_MAX_VALUE_BYTES`` (4096),
``MAX_TIMEOUT`` (sessions cache; none by default).
"""

import logging
import pickle
import threading
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis import exceptions

logger = logging.getLogger(__name__)

# Errors that mean Redis cannot do the work now: unreachable, too slow, not speaking Redis's
# protocol (something else on its address), still loading its data, a read-only replica
# after a failover, out of memory, or unable to persist (MISCONF).
OUTAGE_ERRORS = (
    exceptions.ConnectionError,
    exceptions.TimeoutError,
    exceptions.InvalidResponse,
    exceptions.ReadOnlyError,
    exceptions.OutOfMemoryError,
)
MAX_PENDING_DELETES = 100_000


def is_outage(error: exceptions.RedisError) -> bool:
    return isinstance(error, OUTAGE_ERRORS) or str(error).startswith("MISCONF")


def describe_servers(servers: Iterable[str]) -> str:
    """The servers' addresses for a log line, without any password in the URL."""
    return ", ".join(
        f"{parts.hostname}:{parts.port or 6379}{parts.path}" if parts.hostname else parts.path
        for parts in (urlsplit(server) for server in servers)
    )


class Breaker:
    """One process's view of one Redis cache: whether to skip Redis for now, since when it
    failed, and (for the sessions cache) the keys to delete once it answers.

    Shared by every thread's instance of a backend (Django makes one per thread), so each
    outage is logged once per process, not once per request.
    """

    def __init__(self, name: str, meanwhile: str) -> None:
        self.name = name
        self.meanwhile = meanwhile
        self.failed_at: float | None = None
        self.retry_at = 0.0
        self.pending_deletes: set[str] = set()
        self.lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self.retry_at

    def trip(self, error: Exception, retry_seconds: float) -> None:
        with self.lock:
            now = time.monotonic()
            self.retry_at = now + retry_seconds
            if self.failed_at is None:
                self.failed_at = now
                logger.error(
                    "%s: Redis is unavailable (%s: %s); %s, trying Redis again every %g s.",
                    self.name,
                    type(error).__name__,
                    error,
                    self.meanwhile,
                    retry_seconds,
                )

    def close(self) -> bool:
        """Mark Redis as answering; True when that ends an outage."""
        if self.failed_at is None:
            return False
        with self.lock:
            if self.failed_at is None:
                return False
            outage = time.monotonic() - self.failed_at
            self.failed_at = None
            self.retry_at = 0.0
        logger.warning("%s: Redis answers again after %.1f s.", self.name, outage)
        return True


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(name: str, meanwhile: str) -> Breaker:
    with _breakers_lock:
        if name not in _breakers:
            _breakers[name] = Breaker(name, meanwhile)
        return _breakers[name]


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping its ``redis.Redis`` objects.

    Django builds a new ``redis.Redis`` for every cache call, and building one registers
    its ~170 response callbacks: on a cached page that cost as much as the Redis round trip.
    A ``redis.Redis`` is safe to share between threads (each command takes a connection from
    the pool), so one per pool is kept.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)  # random among replicas for reads
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class GuardedRedisCache(RedisCache):
    """``RedisCache`` whose every operation goes through :meth:`_guarded`."""

    role = "cache"
    meanwhile = ""

    def __init__(self, server: str, params: dict) -> None:
        options = dict(params.get("OPTIONS", {}))
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        self._own_options = {
            name: options.pop(name)
            for name in ("FALLBACK_MAX_ENTRIES", "FALLBACK_MAX_VALUE_BYTES", "MAX_TIMEOUT")
            if name in options
        }
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusingRedisCacheClient
        prefix = f" (key prefix {self.key_prefix!r})" if self.key_prefix else ""
        self.breaker = breaker_for(
            f"The {self.role} at {describe_servers(self._servers)}{prefix}", self.meanwhile
        )

    def _guarded(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        if self.breaker.is_open():
            return self._instead(operation, *args, **kwargs)
        try:
            self._before_redis()
            result = getattr(super(), operation)(*args, **kwargs)
        except exceptions.RedisError as error:
            if not is_outage(error):
                raise
            self.breaker.trip(error, self.retry_seconds)
            return self._instead(operation, *args, **kwargs)
        if self.breaker.close():
            self._after_outage()
        return result

    def answers(self) -> bool:
        """Whether Redis answers a PING right now (for the health check), breaker or not."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except exceptions.RedisError:
            return False

    def _before_redis(self) -> None:
        """Work to do on Redis before the operation (raising Redis's errors)."""

    def _after_outage(self) -> None:
        """Work to do once Redis answers again."""

    def _instead(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("add", key, value, timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._guarded("get", key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set", key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("touch", key, timeout, version=version)

    def delete(self, key, version=None):
        return self._guarded("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._guarded("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._guarded("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._guarded("incr", key, delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set_many", data, timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._guarded("delete_many", keys, version=version)

    def clear(self):
        return self._guarded("clear")


class LocalFallbackRedisCache(GuardedRedisCache):
    """While Redis is down, each operation is served by a local-memory cache in this process."""

    role = "cache"
    meanwhile = "serving this process's local memory instead"

    def __init__(self, server: str, params: dict) -> None:
        super().__init__(server, params)
        self.max_value_bytes = int(self._own_options.get("FALLBACK_MAX_VALUE_BYTES", 4096))
        self.local = LocMemCache(
            # Every thread's instance shares the storage LocMemCache keeps per name.
            f"redis-fallback:{self.breaker.name}",
            {
                **{key: value for key, value in params.items() if key != "OPTIONS"},
                "OPTIONS": {
                    "MAX_ENTRIES": int(self._own_options.get("FALLBACK_MAX_ENTRIES", 5000))
                },
            },
        )

    def _instead(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        if operation in ("add", "set") and self._too_big(args[1]):
            return False if operation == "add" else None
        if operation == "set_many":
            data = {key: value for key, value in args[0].items() if not self._too_big(value)}
            failed = self.local.set_many(data, *args[1:], **kwargs)
            return [*failed, *(key for key in args[0] if key not in data)]
        return getattr(self.local, operation)(*args, **kwargs)

    def _too_big(self, value: Any) -> bool:
        return len(pickle.dumps(value, pickle.HIGHEST_PROTOCOL)) > self.max_value_bytes

    def _after_outage(self) -> None:
        # What was counted locally is dropped: a later outage starts from nothing rather than
        # from stale locks and histories.
        self.local.clear()


class MissOnErrorRedisCache(GuardedRedisCache):
    """While Redis is down, reads miss and writes do nothing, so callers use their own data.

    For ``cached_db`` sessions, whose source of truth is the database. Keys whose write or
    delete failed are remembered (per process) and deleted before the next operation once
    Redis answers, so a copy Redis kept through the outage is not served afterwards.
    """

    role = "sessions cache"
    meanwhile = "sessions come from the database"

    def __init__(self, server: str, params: dict) -> None:
        super().__init__(server, params)
        max_timeout = self._own_options.get("MAX_TIMEOUT")
        self.max_timeout = None if max_timeout is None else int(max_timeout)

    def get_backend_timeout(self, timeout=DEFAULT_TIMEOUT):
        timeout = super().get_backend_timeout(timeout)
        if self.max_timeout is None:
            return timeout
        return self.max_timeout if timeout is None else min(timeout, self.max_timeout)

    def _instead(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        if operation in ("add", "set", "delete"):
            self._forget_later([args[0]], kwargs.get("version"))
        elif operation in ("set_many", "delete_many"):
            self._forget_later(list(args[0]), kwargs.get("version"))
        if operation == "get":
            return args[1]
        if operation == "get_many":
            return {}
        if operation == "set_many":
            return list(args[0])
        if operation == "incr":
            raise ValueError(f"Key '{args[0]}' not found.")
        if operation in ("set", "delete_many"):
            return None
        return False  # add, touch, delete, has_key, clear

    def _forget_later(self, keys: list[str], version: int | None) -> None:
        pending = self.breaker.pending_deletes
        with self.breaker.lock:
            if len(pending) + len(keys) > MAX_PENDING_DELETES:
                return  # MAX_TIMEOUT still bounds how long such copies can be served
            pending.update(self.make_key(key, version=version) for key in keys)

    def _before_redis(self) -> None:
        if not self.breaker.pending_deletes:
            return
        with self.breaker.lock:
            keys = list(self.breaker.pending_deletes)
            self.breaker.pending_deletes.clear()
        try:
            self._cache.delete_many(keys)
        except exceptions.RedisError:
            with self.breaker.lock:
                self.breaker.pending_deletes.update(keys)
            raise
