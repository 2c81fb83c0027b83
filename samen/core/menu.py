"""The main menu as data: each app lists its entries in its AppConfig (`menu = (MenuEntry(...), ...)`),
base.html draws them in `order`. Which entry is current is said by the pages it covers (whole URL
namespaces or single view names), never by guessing from how URL names begin."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject


@dataclass(frozen=True)
class MenuEntry:
    label: Any  # a lazy translation
    url_name: str
    order: int
    namespaces: tuple[str, ...] = ()  # every page of these namespaces marks the entry current
    views: tuple[str, ...] = ()  # and these pages ("namespace:name"), which win over a namespace
    visible: Callable[[HttpRequest], bool] | None = None
    count: Callable[[HttpRequest], int] | None = None  # a number shown beside the label (unread, waiting)
    count_label: Any = ""  # what the number counts, for screen readers


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    current: bool
    count: int = 0
    count_label: str = ""


def entries() -> list[MenuEntry]:
    found = [entry for config in apps.get_app_configs() for entry in getattr(config, "menu", ())]
    return sorted(found, key=lambda entry: entry.order)


def current_entry(menu: list[MenuEntry], view_name: str, namespace: str) -> MenuEntry | None:
    for entry in menu:
        if view_name in entry.views:
            return entry
    for entry in menu:
        if namespace and namespace in entry.namespaces:
            return entry
    return None


def menu_items(request: HttpRequest) -> list[MenuItem]:
    menu = [entry for entry in entries() if entry.visible is None or entry.visible(request)]
    match = getattr(request, "resolver_match", None)
    current = current_entry(menu, match.view_name, match.namespace) if match else None
    return [
        MenuItem(
            str(entry.label),
            reverse(entry.url_name),
            entry is current,
            entry.count(request) if entry.count else 0,
            str(entry.count_label),
        )
        for entry in menu
    ]


def menu(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the menu, built only when a template draws it."""
    return {"menu": SimpleLazyObject(lambda: menu_items(request))}


def signed_in(request: HttpRequest) -> bool:
    return request.user.is_authenticated
