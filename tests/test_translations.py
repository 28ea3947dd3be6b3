"""Spanish first, English complete: every string has its Spanish translation, compiled."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "es_MX" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
SOURCES = ["accounts", "diagnostic", "reports", "lib", "templates", "config", "manage.py"]


def untranslated(po: polib.POFile) -> list[str]:
    return [
        e.msgid
        for e in po
        if not e.obsolete
        and ("fuzzy" in e.flags or not (e.msgstr or any(e.msgstr_plural.values())))
    ]


def test_every_spanish_string_is_translated():
    assert untranslated(polib.pofile(str(PO))) == []


def test_compiled_catalogue_matches_the_source_catalogue():
    po = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.pofile(str(PO))
        if not e.obsolete
    }
    mo = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(MO)) if e.msgid
    }
    po.pop((None, ""), None)
    assert {k: str(v) for k, v in po.items()} == {
        k: str({int(i): s for i, s in v.items()} if isinstance(v, dict) else v)
        for k, v in mo.items()
    }


def test_catalogue_holds_every_string_of_the_code(tmp_path):
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext is required in CI (apt-get install -y gettext)")
        pytest.skip("GNU gettext is not installed: apt-get install -y gettext")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "es_MX", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    found = {e.msgid for e in polib.pofile(str(tmp_path / "locale/es_MX/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}
    assert sorted(found - committed) == [], "run `make messages` and translate the new strings"
