"""Dutch is complete: every string of the code is in the catalogue, translated, and compiled."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

SAMEN = Path(__file__).resolve().parents[2]
CATALOGUE = SAMEN / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def test_every_dutch_string_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(CATALOGUE))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_placeholders_survive_translation():
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{ *\w+ *\}\}")
    for entry in polib.pofile(str(CATALOGUE)).translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            wanted = set(placeholder.findall(entry.msgid)) | set(placeholder.findall(entry.msgid_plural or ""))
            assert set(placeholder.findall(text)) <= wanted, entry.msgid
            if not entry.msgid_plural:
                assert set(placeholder.findall(text)) == wanted, entry.msgid


def test_the_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(CATALOGUE))
    mo = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in mo}
    source = {(e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in po.translated_entries()}
    assert compiled == source, "run: make messages (or python -m samen.core.i18n_compile)"


@pytest.mark.skipif(
    not shutil.which("xgettext") and os.environ.get("CI") != "true", reason="GNU gettext is not installed"
)
def test_the_catalogue_holds_every_string_of_the_code(tmp_path):
    copy = tmp_path / "samen"
    shutil.copytree(SAMEN, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "samen.settings_test", "PYTHONPATH": str(tmp_path)}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "nl",
            "--no-obsolete",
            "--ignore",
            "*/tests/*",
            "--ignore",
            "demo/data/*",
        ],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = {
        (e.msgctxt, e.msgid) for e in polib.pofile(str(copy / "locale/nl/LC_MESSAGES/django.po")) if not e.obsolete
    }
    known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOGUE)) if not e.obsolete}
    assert sorted(fresh - known, key=str) == [], "new strings: run make messages and translate them"
