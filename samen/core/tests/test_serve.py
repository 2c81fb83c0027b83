"""`samen serve` answers every page after only `samen migrate` and `samen demo`, as a newcomer runs it.
The two commands run once per test run (`demo_site`); this test starts the server on a copy of their result."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from samen.core.tests.demo_site import manifest_of_every_static_file, site_env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_serve_collects_the_static_files_itself_and_answers_the_home_page(tmp_path, demo_site):
    demo_site(tmp_path)  # what `samen migrate` and `samen demo` leave in the var folder
    env = site_env(tmp_path)
    assert not (tmp_path / "static").exists()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "samen", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        body = ""
        deadline = time.monotonic() + 600  # a busy machine collects the static files slowly
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=10) as response:
                    assert response.status == 200
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert "Hasselt" in body
        css = body.split('href="/static/', 1)[1].split('"', 1)[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/{css}", timeout=10) as response:
            assert response.status == 200
        assert (tmp_path / "static" / "staticfiles.json").exists()
        static = tmp_path / "static"
        assert (static / (css + ".br")).exists()
        assert list(static.rglob("*.map")) and not list(static.rglob("*.map.br"))  # see settings: not compressed
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


def _manifest_of_every_static_file(settings, tmp_path, leave_out=()):
    """The site's static storage in `tmp_path`, with a manifest as collectstatic writes it."""
    from django.core.files.storage import storages

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": STORAGE}}
    return manifest_of_every_static_file(storages["staticfiles"], leave_out)


STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


def test_a_manifest_that_lists_every_static_file_is_current(settings, tmp_path):
    from samen.core.management.commands.serve import stale_static_file

    assert stale_static_file(_manifest_of_every_static_file(settings, tmp_path)) is None


def test_a_manifest_from_before_an_upgrade_that_added_a_file_is_stale(settings, tmp_path):
    from samen.core.management.commands.serve import stale_static_file

    storage = _manifest_of_every_static_file(settings, tmp_path, leave_out={"samen/samen.css"})
    assert stale_static_file(storage) == "samen/samen.css"


def test_a_manifest_older_than_a_static_file_is_stale(settings, tmp_path):
    from samen.core.management.commands.serve import stale_static_file

    storage = _manifest_of_every_static_file(settings, tmp_path)
    os.utime(storage.path(storage.manifest_name), (0, 0))  # written in 1970: every file changed since
    assert stale_static_file(storage) is not None


def test_serve_collects_again_when_the_manifest_is_stale(settings, tmp_path):
    import json

    from samen.core.management.commands.serve import Command

    storage = _manifest_of_every_static_file(settings, tmp_path, leave_out={"samen/samen.css"})
    Command()._collect_static_when_stale()
    paths = json.loads((tmp_path / storage.manifest_name).read_text())["paths"]
    assert paths["samen/samen.css"] != "samen/samen.css"  # collected: the hashed name
