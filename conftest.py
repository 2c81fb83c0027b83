"""Shared test fixtures: named people of each role, factories, a real SMTP server, and Chromium."""

from __future__ import annotations

import datetime
import itertools
import os
import shutil
import socket
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest

# Fixtures of a small measurement world, for the measurement and API tests alike.
pytest_plugins = ["samen.measurement.tests.fixtures", "samen.agenda.tests.fixtures"]

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
_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test has its own media folder and an empty cache (allauth keeps rate limits there)."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


# --- Factories -------------------------------------------------------------------------------


@pytest.fixture
def make_sector(db):
    def make(slug: str | None = None, **fields):
        from samen.network.models import Sector

        slug = slug or f"sector-{next(_counter)}"
        return Sector.objects.create(
            slug=slug, name_nl=fields.pop("name_nl", slug), name_en=fields.pop("name_en", slug), **fields
        )

    return make


@pytest.fixture
def make_domain(db):
    def make(slug: str | None = None, **fields):
        from samen.agenda.models import ActionDomain

        slug = slug or f"domain-{next(_counter)}"
        return ActionDomain.objects.create(
            slug=slug,
            name_nl=fields.pop("name_nl", f"Domein {slug}"),
            name_en=fields.pop("name_en", f"Domain {slug}"),
            **fields,
        )

    return make


@pytest.fixture
def make_org(db, make_sector):
    def make(slug: str | None = None, sector=None, domains=(), **fields):
        from samen.network.models import Organisation

        slug = slug or f"org-{next(_counter)}"
        org = Organisation.objects.create(
            slug=slug,
            name=fields.pop("name", slug.replace("-", " ").title()),
            sector=sector or make_sector(),
            joined_on=fields.pop("joined_on", datetime.date(2020, 1, 1)),
            **fields,
        )
        org.action_domains.set(domains)
        return org

    return make


@pytest.fixture
def make_user(db):
    def make(email: str | None = None, password: str = "a-Good-passw0rd", groups=(), **fields):
        from allauth.account.models import EmailAddress
        from django.contrib.auth.models import Group

        from samen.network.models import User
        from samen.network.services import member_create

        email = email or f"person{next(_counter)}@example.org"
        user = User.objects.create_user(email=email, password=password, **fields)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        user.groups.set(Group.objects.filter(name__in=groups))
        member_create(user=user)
        return user

    return make


# --- Named people of every role ------------------------------------------------------------


@pytest.fixture
def org(make_org):
    return make_org("wijkzorg-runkst", name="Wijkzorg Runkst")


@pytest.fixture
def other_org(make_org):
    return make_org("apotheek-de-linde", name="Apotheek De Linde")


@pytest.fixture
def member(make_user):
    return make_user("mila@example.org", first_name="Mila", last_name="Lid")


@pytest.fixture
def editor(make_user, org):
    from samen.core.permissions import PARTNER_EDITORS
    from samen.network.models import Membership

    user = make_user("eva@example.org", first_name="Eva", last_name="Redacteur", groups=[PARTNER_EDITORS])
    Membership.objects.create(member=user.member, organisation=org, role_title="coördinator", is_editor=True)
    return user


@pytest.fixture
def coordinator(make_user):
    from samen.core.permissions import BACKBONE

    return make_user("karel@example.org", first_name="Karel", last_name="Coördinator", groups=[BACKBONE], is_staff=True)


@pytest.fixture
def admin_user(make_user):
    return make_user("ada@example.org", first_name="Ada", last_name="Beheer", is_staff=True, is_superuser=True)


# --- A real SMTP server on loopback --------------------------------------------------------


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(message_from_bytes(envelope.original_content))
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
