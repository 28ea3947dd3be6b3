"""Counting attempts in the cache, so that guessing has a price.

A fixed window of one hour per (scope, key): the first attempt of a window makes its counter
with the window's lifetime, later ones add to it, and the counter vanishes with the window.
With several web processes the cache must be shared (`CACHE_URL`), or each process counts on
its own. A cache that forgets (restart, eviction) only ever lets more attempts through, never
refuses anyone wrongly.
"""

import hashlib
import time

from django.core.cache import cache

WINDOW_SECONDS = 60 * 60


def _key(scope: str, key: str, *, now: float | None = None) -> str:
    window = int((time.time() if now is None else now) // WINDOW_SECONDS)
    # Hashed, so that what is counted (an address, a token) never sits in the cache in clear.
    digest = hashlib.sha256(f"{scope}\0{key}".encode()).hexdigest()
    return f"ratelimit:{digest}:{window}"


def attempts(*, scope: str, key: str) -> int:
    """How many attempts `key` made in `scope` during this window."""
    return cache.get(_key(scope, key), 0)


def add_attempt(*, scope: str, key: str) -> int:
    """Count one more attempt and return the count, this one included."""
    name = _key(scope, key)
    if cache.add(name, 1, timeout=WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(name)
    except ValueError:  # the counter expired between `add` and `incr`
        cache.add(name, 1, timeout=WINDOW_SECONDS)
        return 1


def is_limited(*, scope: str, key: str, limit: int) -> bool:
    """True once `key` has used up its `limit` attempts in this window."""
    return attempts(scope=scope, key=key) >= limit
