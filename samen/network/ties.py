"""How higher apps tell the network map about their activities, without the network importing them.

An app that has activities (shared work of organisations) registers a provider in its
AppConfig.ready(), with the models whose changes alter what it provides:

    ties.register("activities", provide_activities, models=[Activity, Activity.partner_organisations.through])

The map and its measures read `activities()`; every change to a watched model (or to the
network's own models) raises `data_version()`, which keys the cached map and growth figures."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_NAME = "network"
IGNORED_FIELDS = {"last_login"}


@dataclass(frozen=True)
class ActivityTie:
    """One activity as the map sees it: its organisations (lead first) are tied by working together."""

    key: str  # unique across providers, e.g. "activity-12"
    label: str
    url: str
    organisation_ids: tuple[int, ...]
    domains: tuple[str, ...] = ()  # action-domain slugs
    area_paths: tuple[str, ...] = ()  # Area.path of the places it works in
    year: int | None = None  # when the organisations started working together on it


Provider = Callable[[], Iterable[ActivityTie]]
_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider, *, models: Iterable[type] = ()) -> None:
    """Add (or replace) a provider of activities; changes to `models` make the cached map stale."""
    _providers[name] = provider
    watch(*models)


def unregister(name: str) -> None:
    _providers.pop(name, None)


def activities() -> list[ActivityTie]:
    found: list[ActivityTie] = []
    for name in sorted(_providers):
        found.extend(_providers[name]())
    return found


def watch(*models: type) -> None:
    for model in models:
        uid = f"samen-network-version-{model._meta.label_lower}"
        post_save.connect(data_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(data_changed, sender=model, dispatch_uid=uid + "-delete")
        m2m_changed.connect(data_changed, sender=model, dispatch_uid=uid + "-m2m")


def data_version() -> int:
    """The current data version: one small query, the same answer in every process."""
    from samen.network.models import DataVersion

    number = DataVersion.objects.filter(name=VERSION_NAME).values_list("number", flat=True).first()
    if number is None:
        number = _start()
    return number


def data_changed(**kwargs: object) -> None:
    """A signal receiver: only makes the caches stale, no business logic."""
    from samen.network.models import DataVersion

    if str(kwargs.get("action", "post_")).startswith("pre_"):
        return  # m2m_changed says pre_add and post_add: one change, one step
    if kwargs.get("update_fields") and set(kwargs["update_fields"]) <= IGNORED_FIELDS:
        return  # every sign-in saves User.last_login: nothing the map or the growth figures show

    if not DataVersion.objects.filter(name=VERSION_NAME).update(number=F("number") + 1):
        _start()


def _start() -> int:
    from samen.network.models import DataVersion

    # Started from the clock, not from 0: a database made anew (tests, a restore) never hands out a
    # number that is still the key of some process's copy of an older map.
    version, _created = DataVersion.objects.get_or_create(name=VERSION_NAME, defaults={"number": time.time_ns()})
    return version.number
