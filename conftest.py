"""Shared test fixtures: named people of each role, factories, a real SMTP server, and Chromium."""

from __future__ import annotations

import os
import shutil
import socket
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest

# Fixtures of a small measurement world, for the measurement and API tests alike; the migrated demo
# site that the tests running Samen in subprocesses copy (made once per run).
pytest_plugins = ["samen.measurement.tests.fixtures", "samen.agenda.tests.fixtures", "samen.core.tests.demo_site"]

# Playwright's sync API runs an event loop in the test thread; the ORM calls in tests are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("SAMEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    """The tests marked `slow` and the browser tests run first. xdist's worksteal gives each worker a
    block of the list and balances by taking tests from the end of a block, so a test of a minute left
    near the end of a block could keep one core busy alone while the other had finished (the run's
    tail). They all land in the first block: see docs/development.md for that limit."""

    def rank(item) -> int:
        return 0 if item.get_closest_marker("slow") else 1 if item.get_closest_marker("browser") else 2

    items.sort(key=rank)  # stable: the order within each group stays the collection's


@pytest.hookimpl(tryfirst=True)  # before parametrize, which takes a `page` parameter's fixture out of the names
def pytest_generate_tests(metafunc):
    """A test that names one of Playwright's fixtures (say a parameter called `page`) is run once per
    browser and counted as a browser test by pytest-playwright: only tests marked `browser` may. Checked
    here, not after collection, so that under xdist the message reaches the run's output (a collection
    error names the test and says why; an error in `pytest_collection_modifyitems` on a worker is lost)."""
    playwright = {"browser_name", "page", "context", "new_context", "browser", "browser_type"}  # its plugin's names
    if playwright & set(metafunc.fixturenames) and not metafunc.definition.get_closest_marker("browser"):
        raise pytest.UsageError(
            f"{metafunc.definition.nodeid} uses Playwright's fixtures but is not marked `browser` "
            "(a parameter named `page`? call it `page_name`)"
        )


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, tmp_path_factory):
    """pytest-django's (a suffix per xdist worker), and then: the test database is migrated once per run
    and copied by the other workers (see samen/core/tests/migrated_once.py). pytest-django's
    `django_db_setup` asks for this fixture just before it creates the test databases."""
    from samen.core.tests import migrated_once
    from samen.core.tests.demo_site import shared_folder

    migrated_once.install(shared_folder(tmp_path_factory))


@pytest.fixture(scope="session", autouse=True)
def _demo_copy_shared_between_workers(tmp_path_factory):
    """The test processes of a run share one copy of the demo (see demo_copy): a file in the run's folder."""
    from samen.core.tests import demo_copy
    from samen.core.tests.demo_site import shared_folder

    demo_copy.shared_folder = shared_folder(tmp_path_factory)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test has its own media folder and an empty cache (allauth keeps rate limits there)."""
    from django.core.cache import cache

    from samen.core import local_copies

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    local_copies.clear_all()
    yield
    from samen.core.tests.demo_copy import forget_copied_content_types

    forget_copied_content_types()


# --- Factories (plain functions in samen/core/tests/factories.py; shared_data fixtures call them too) ---


@pytest.fixture
def make_sector(db):
    from samen.core.tests.factories import make_sector

    return make_sector


@pytest.fixture
def make_domain(db):
    from samen.core.tests.factories import make_domain

    return make_domain


@pytest.fixture
def make_org(db):
    from samen.core.tests.factories import make_org

    return make_org


@pytest.fixture
def make_user(db):
    from samen.core.tests.factories import make_user

    return make_user


# --- Named people of every role ------------------------------------------------------------


@pytest.fixture
def org(db):
    from samen.core.tests.factories import make_our_org

    return make_our_org()


@pytest.fixture
def other_org(db):
    from samen.core.tests.factories import make_other_org

    return make_other_org()


@pytest.fixture
def member(db):
    from samen.core.tests.factories import make_member

    return make_member()


@pytest.fixture
def editor(org):
    from samen.core.tests.factories import make_editor

    return make_editor(org)


@pytest.fixture
def coordinator(db):
    from samen.core.tests.factories import make_coordinator

    return make_coordinator()


@pytest.fixture
def admin_user(db):
    from samen.core.tests.factories import make_admin

    return make_admin()


# --- A real SMTP server on loopback --------------------------------------------------------


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.recipients: list[list[str]] = []  # each message's envelope (RCPT TO), Bcc included

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(message_from_bytes(envelope.original_content))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings):
    """An aiosmtpd server on 127.0.0.1; Django sends real SMTP to it during the test."""
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    yield inbox
    controller.stop()


def message_text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("the message has no text/plain part")


# --- Chromium for the browser tests --------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium; never a downloaded browser. Missing Chromium skips, except in CI."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is not installed at {CHROMIUM}; CI must run the browser tests.")
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
