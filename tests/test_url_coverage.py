"""Every URL of the site has an access test for every role.

Each `tests/<app>/test_access*.py` declares the URL names it covers in `COVERED_URLS`; a URL
that none covers fails here. The admin is covered by `tests/accounts/test_access.py` through
its own staff-only rule.
"""

import importlib
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

TESTS = Path(__file__).resolve().parent


def project_url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= project_url_names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


def covered_url_names() -> set[str]:
    covered: set[str] = set()
    for path in sorted(TESTS.glob("**/test_access*.py")):
        dotted = ".".join(path.relative_to(TESTS).with_suffix("").parts)
        module = importlib.import_module(f"tests.{dotted}")
        covered |= module.COVERED_URLS
    return covered


def test_every_url_has_an_access_test():
    assert sorted(project_url_names() - covered_url_names()) == []
