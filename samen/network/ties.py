"""How higher apps tell the network map about their activities, without the network importing them.

An app that has activities (shared work of organisations) registers a provider in its
AppConfig.ready(), with the models whose changes alter what it provides:

    ties.register("activities", provide_activities, models=[Activity, Activity.partner_organisations.through])

The map and its measures read `activities()`; every change to a watched model (or to the
network's own models) raises `data_version()`, which keys the cached map."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "samen:network:data-version"


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
    version = cache.get(VERSION_KEY)
    if version is None:
        # Started from the clock, not from 1: after the cache is emptied, an old number (still a key
        # of some process's own copy of the map) is never handed out again.
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY, 0)
    return int(version)


def data_changed(**kwargs: object) -> None:
    """A signal receiver: only invalidates caches, no business logic."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), None)
