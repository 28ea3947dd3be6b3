"""Counting attempts in the cache, so that guessing has a price.

A fixed window of one hour per (scope, key): the first attempt of a window makes its counter
with the window's lifetime, later ones add to it, and the counter vanishes with the window.
With several web processes the cache must be shared (`CACHE_URL`), or each process counts on
its own. A cache that forgets (restart, eviction) only ever lets more attempts through, never
refuses anyone wrongly.

What is counted per client is the client's address as django-axes reads it for sign-in
throttling (`client_address`), so that every limit of the site agrees on who a client is.
"""

import hashlib
import time

from axes.helpers import get_client_ip_address
from django.core.cache import cache

WINDOW_SECONDS = 60 * 60


def client_address(request) -> str | None:
    """The client's address, by the one rule of the site: django-axes' with django-ipware,
    reading the request headers `AXES_IPWARE_META_PRECEDENCE_ORDER` names (`AXES_IP_HEADERS`).

    Behind a proxy that sets X-Forwarded-For, configured with `HTTP_X_FORWARDED_FOR` first,
    clients behind it are told apart by their forwarded address; without it the header is
    ignored (only `REMOTE_ADDR` counts), so a client cannot dodge a limit by forging it."""
    if request is None:
        return None
    return get_client_ip_address(request) or None


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
