"""Fixtures of the campaign and event tests; test modules import the ones they use."""

from __future__ import annotations

import pytest

from samen.activities.tests import factories
from samen.activities.tests.factories import in_days  # noqa: F401  (the event tests import it from here)


@pytest.fixture
def campaign(db):
    return factories.make_campaign()


@pytest.fixture
def make_event(db, org):
    def make(**fields):
        return factories.make_event(**({"organisation": org} | fields))

    return make


@pytest.fixture
def event(make_event):
    return make_event(slug="groepsyoga", title="Groepsyoga in de Japanse tuin", capacity=2)


def register(event, email: str, *, name: str = "", member=None, resident: bool = False):
    """A registration through the service, confirmed straight away (as a member's one click is)."""
    from samen.activities.events.services import registration_confirm, registration_create

    registration = registration_create(
        event=event,
        name=name or email.split("@")[0].title(),
        email=email,
        is_resident=resident,
        language="en",
        member=member,
    )
    if registration.status == "pending":
        registration = registration_confirm(registration=registration)
    return registration
