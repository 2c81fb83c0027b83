"""The tests' copy of the demo is the demo: the same rows and files as `samen demo` leaves behind."""

from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from samen.core.tests import demo_copy

pytestmark = pytest.mark.usefixtures("transactional_db")


def _contents() -> dict[str, Counter]:
    copy = demo_copy._take(demo_copy._tables(), timezone.localdate(), prefilled=frozenset())
    if copy.dumps:
        return {table: Counter(dump.splitlines()) for table, dump in copy.dumps.items()}
    return {table: Counter(rows) for table, (_columns, rows) in copy.rows.items()}


def _media() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def test_the_copy_holds_the_same_rows_and_files_as_the_command(monkeypatch):
    demo_copy._copy = None  # not monkeypatched: the new copy stays for the process's later tests
    demo_copy.load_demo()  # the command, and the copy taken of what it wrote
    loaded, files = _contents(), _media()
    assert sum(map(len, loaded.values())) > 5000 and "logos" in {f.split("/")[0] for f in files}

    call_command("flush", "--noinput")
    for path in Path(settings.MEDIA_ROOT).rglob("*.png"):
        path.unlink()

    def refuse(*args, **kwargs):
        raise AssertionError("the command ran although a copy was there")

    monkeypatch.setattr(demo_copy, "call_command", refuse)
    demo_copy.load_demo()
    assert _contents() == loaded
    assert _media() == files


def test_a_database_a_test_has_written_to_gets_the_real_command(monkeypatch, make_user):
    ran = []
    monkeypatch.setattr(demo_copy, "call_command", lambda *args, **kwargs: ran.append(args))
    monkeypatch.setattr(demo_copy, "_copy", None)
    make_user()
    demo_copy.load_demo()
    assert ran == [("demo",)]
    assert demo_copy._copy is None  # a database with the test's rows in it is not copied
