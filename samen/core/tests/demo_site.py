"""A Samen site as a newcomer makes it (`samen migrate`, then `samen demo`), made once per test run.

The tests that run Samen in subprocesses (`test_serve.py`, `test_crash_safety.py`) each needed a
site of their own: migrations and the demo, about 40 s of CPU, paid again by every such test. This
fixture runs the two commands once per run into a var folder that all xdist workers share (the
first worker to ask makes it under a file lock; the others wait and reuse it), and gives each test
a copy of that folder: the SQLite database, the secret and care keys and the demo's media. The
commands are the real ones, in a subprocess with the development settings, exactly as before; only
their result is copied. A test that changes its copy changes nothing for the others.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import pytest

# Settings the test process has that a newcomer's shell would not.
_FOREIGN = ("SAMEN_", "DJANGO_", "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "CELERY_")


def site_env(var_dir: Path) -> dict[str, str]:
    """The environment of `samen` run by hand in a fresh checkout, its files in `var_dir`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_FOREIGN)}
    env.update(DJANGO_SETTINGS_MODULE="samen.settings", SAMEN_VAR_DIR=str(var_dir), SAMEN_ENV="development")
    return env


def samen(env: dict[str, str], *args: str, **kwargs) -> subprocess.CompletedProcess:
    """Run `python -m samen ARGS`; a failure shows the end of its error output."""
    done = subprocess.run([sys.executable, "-m", "samen", *args], env=env, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"samen {' '.join(args)}: {done.stderr[-2000:]}"
    return done


def manifest_of_every_static_file(storage: Any, leave_out: Collection[str] = ()) -> Any:
    """Write `storage`'s manifest as collectstatic would, every static file named as itself (the hashes
    do not matter to who reads it): a server started on it sees its static files current and does not
    collect them (about 15 s of CPU, compressing each file). Answers the storage. The folder then holds
    only the manifest: a test that fetches a page's static files must not use this (`test_serve.py`
    collects for real; the crash test asks only `/healthz`)."""
    from django.contrib.staticfiles.finders import get_finders

    names = [
        os.path.join(source.prefix, path) if getattr(source, "prefix", None) else path
        for finder in get_finders()
        for path, source in finder.list(["CVS", ".*", "*~"])
    ]
    storage.hashed_files = {name: name for name in names if name not in leave_out}
    storage.save_manifest()
    return storage


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's temporary folder all workers see (an xdist worker's own is a subfolder of it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    """`demo_site(folder)` fills `folder` with a copy of the migrated demo site's var folder, returns it."""
    shared = shared_folder(tmp_path_factory)
    made = shared / "demo-site"
    with open(shared / "demo-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes; the others wait here
        if not (made / "done").exists():
            shutil.rmtree(made, ignore_errors=True)  # half made by a worker that died
            made.mkdir()
            env = site_env(made)
            env.pop("DATABASE_URL", None)  # SQLite under the var folder, as a newcomer has it
            samen(env, "migrate", "--noinput", "-v0")
            samen(env, "demo")
            (made / "done").touch()

    def copy(folder: Path) -> Path:
        shutil.copytree(made, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("done"))
        return folder

    return copy
