"""The tests' copy of the demo is the demo: the same rows and files as `samen demo` leaves behind."""

import datetime
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from samen.core.tests import demo_copy
from samen.core.tests.demo_site import shared_folder

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(autouse=True)
def _this_process_only(monkeypatch):
    """These tests see the process's own copy; the one other processes share is tested on a folder of its own."""
    monkeypatch.setattr(demo_copy, "shared_folder", None)


def _contents() -> dict[str, Counter]:
    # Not the table versions (network.table_versions): their numbers rise with every write the load makes.
    tables = [t for t in demo_copy._tables() if t != "network_dataversion"]
    copy = demo_copy._take(tables, timezone.localdate(), prefilled=frozenset())
    if copy.dumps:
        return {table: Counter(dump.splitlines()) for table, dump in copy.dumps.items()}
    return {table: Counter(rows) for table, (_columns, rows) in copy.rows.items()}


def _media() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def test_the_copy_holds_the_same_rows_and_files_as_the_command(monkeypatch):
    demo_copy._copy = None  # not monkeypatched: the new copy stays for the process's later tests
    printed = demo_copy.load_demo()  # the command, and the copy taken of what it wrote
    loaded, files = _contents(), _media()
    assert sum(map(len, loaded.values())) > 5000 and "logos" in {f.split("/")[0] for f in files}
    assert "editor@demo.samen.invalid" in printed

    _flush()

    def refuse(*args, **kwargs):
        raise AssertionError("the command ran although a copy was there")

    monkeypatch.setattr(demo_copy, "call_command", refuse)
    assert demo_copy.load_demo() == printed  # what the command printed, with the rows it wrote
    assert _contents() == loaded
    assert _media() == files


def _flush() -> None:
    call_command("flush", "--noinput")
    for path in Path(settings.MEDIA_ROOT).rglob("*.png"):
        path.unlink()


def test_a_copy_taken_by_one_test_process_is_loaded_by_another(monkeypatch, tmp_path, tmp_path_factory):
    # The first process's command is played by the run's copy (the test above shows a copy writes what the
    # command writes): what is tested here is the hand-over between processes, not the command again.
    monkeypatch.setattr(demo_copy, "shared_folder", shared_folder(tmp_path_factory))
    demo_copy.load_demo()
    runs = demo_copy._copy
    _flush()

    def command() -> str:
        demo_copy._restore(runs, demo_copy._tables())
        return runs.output

    monkeypatch.setattr(demo_copy, "shared_folder", tmp_path)
    monkeypatch.setattr(demo_copy, "_copy", None)
    monkeypatch.setattr(demo_copy, "_demo", command)
    demo_copy.load_demo()  # the first process: the command, and the copy written to the shared folder
    loaded, files = _contents(), _media()
    assert (tmp_path / "demo-copy.pickle").exists()

    _flush()
    monkeypatch.setattr(demo_copy, "_copy", None)  # another process: no copy of its own yet

    def refuse(*args, **kwargs):
        raise AssertionError("the command ran although another process had taken a copy")

    monkeypatch.setattr(demo_copy, "_demo", refuse)
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


def _copy_of_this_database(**changes) -> demo_copy._Copy:
    """A copy that fits the database as it is now (an empty one: nothing to write back)."""
    filled = demo_copy._filled(demo_copy._tables())
    fits = {
        "day": timezone.localdate(),
        "vendor": connection.vendor,
        "prefilled": frozenset(filled),
        "prefilled_digest": demo_copy._prefilled_digest(filled),
        "taken_at": timezone.now(),
    }
    return demo_copy._Copy(**{**fits, **changes})


@pytest.mark.parametrize("made", ["group", "permission of a group"])
def test_a_row_made_before_the_demo_survives_it(monkeypatch, made):
    """Groups and permissions hold rows before any test (migrations): one a test adds is not wiped."""
    from django.contrib.auth.models import Group, Permission

    ran = []
    monkeypatch.setattr(demo_copy, "call_command", lambda *args, **kwargs: ran.append(args))
    monkeypatch.setattr(demo_copy, "_copy", _copy_of_this_database())
    group = Group.objects.order_by("pk").first()
    if made == "group":
        group = Group.objects.create(name="probe-own-group")
    else:
        group.permissions.add(Permission.objects.exclude(group=group).first())
    count = group.permissions.count()
    demo_copy.load_demo()
    assert ran == [("demo",)]
    assert Group.objects.get(pk=group.pk).permissions.count() == count


def test_an_old_copy_is_taken_again(monkeypatch):
    """The demo's times count from now: a copy older than MAX_AGE would make them older than a real load."""
    ran = []
    monkeypatch.setattr(demo_copy, "call_command", lambda *args, **kwargs: ran.append(args))
    old = timezone.now() - demo_copy.MAX_AGE - datetime.timedelta(seconds=1)
    monkeypatch.setattr(demo_copy, "_copy", _copy_of_this_database(taken_at=old))
    demo_copy.load_demo()
    assert ran == [("demo",)]
