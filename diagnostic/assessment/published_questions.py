"""What a published framework version asks, kept in Django's cache: its pages (areas with
their number of questions) and what each question accepts. A published or retired version
never changes (framework/immutability.py), so the questionnaire's pages and saves read this
instead of asking the database each time; a draft is always read from the database.

The key names the version by primary key, code, version and creation time, so a database
rebuilt with reused keys finds nothing of the old one.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache

from ..framework.immutability import is_locked

TIMEOUT = 7 * 24 * 60 * 60
KINDS = ("areas", "rules")


def version_key(framework) -> str:
    """The parts of a cache key that name one version of one framework, and only it."""
    created = framework.created_at.isoformat() if framework.created_at else ""
    return "\x1f".join(map(str, [framework.pk, framework.code, framework.version, created]))


def _key(framework, kind: str) -> str:
    digest = hashlib.sha256(f"{version_key(framework)}\x1f{kind}".encode()).hexdigest()[:32]
    return f"assessment-published:{kind}:{digest}"


def cached(*, framework, kind: str, load: Callable):
    """`load()`, kept for a published version; a draft's is loaded on every call."""
    if framework is None or not is_locked(framework):
        return load()
    key = _key(framework, kind)
    found = cache.get(key)
    if found is None:
        found = load()
        cache.set(key, found, TIMEOUT)
    return found


def forget(*, framework) -> None:
    """Drop what is kept of a version: only for test data, which may rebuild a published
    version in place (tests/factories.py `editable`)."""
    cache.delete_many([_key(framework, kind) for kind in KINDS])
