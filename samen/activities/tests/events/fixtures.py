"""Fixtures of the campaign and event tests; test modules import the ones they use."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone

_counter = itertools.count(1)


def in_days(days: float, hour: int = 10) -> datetime.datetime:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def campaign(db):
    from samen.activities.events.models import Campaign

    today = timezone.localdate()
    return Campaign.objects.create(
        slug="week-van-de-veerkracht",
        title="Week van de Veerkracht",
        theme="Veerkracht in elke wijk",
        description="Een week vol activiteiten.",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
    )


@pytest.fixture
def make_event(db, org):
    def make(**fields):
        from samen.activities.events.models import Event

        number = next(_counter)
        defaults = {
            "slug": f"event-{number}",
            "title": f"Event {number}",
            "organisation": org,
            "starts_at": in_days(3, 10),
            "ends_at": in_days(3, 12),
            "place_name": "Japanse tuin",
            "address": "Gouverneur Verwilghensingel, 3500 Hasselt",
            "accessibility": "Vlakke paden, rolstoeltoegankelijk toilet.",
        }
        defaults.update(fields)
        return Event.objects.create(**defaults)

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
