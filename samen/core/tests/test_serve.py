"""`samen serve` answers every page after only `samen migrate` and `samen demo`, as a newcomer runs it."""

import os
import socket
import subprocess
import sys
import time
import urllib.request


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _samen(args: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "samen", *args], env=env, capture_output=True, text=True, timeout=300, **kwargs
    )


def test_serve_collects_the_static_files_itself_and_answers_the_home_page(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SAMEN_", "DJANGO_", "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "CELERY_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="samen.settings", SAMEN_VAR_DIR=str(tmp_path), SAMEN_ENV="development")
    assert _samen(["migrate", "--noinput", "-v0"], env).returncode == 0
    assert _samen(["demo"], env).returncode == 0
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
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
