"""The main menu as data: each app lists its entries in its AppConfig (`menu = (MenuEntry(...), ...)`),
each in one of the `GROUPS` below. base.html draws a group as a disclosure (`<details>`: no script,
the browser makes it keyboard accessible) holding its entries in `order`, and a group with a single
visible entry as a plain link, so the header stays one line on a desktop. Which entry is current is
said by the pages it covers (whole URL namespaces or single view names), never by guessing from how
URL names begin."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuGroup:
    key: str
    label: Any  # a lazy translation
    order: int


# The header's groups, left to right. Apps put their entries in one of them by key.
GROUPS = (
    MenuGroup("agenda", _("Agenda"), 10),
    MenuGroup("take-part", _("Take part"), 20),
    MenuGroup("progress", _("Progress"), 30),
    MenuGroup("mine", _("My Samen"), 40),
    MenuGroup("backbone", _("Backbone"), 50),
)


@dataclass(frozen=True)
class MenuEntry:
    label: Any  # a lazy translation
    url_name: str
    order: int
    group: str  # the key of one of GROUPS
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


@dataclass(frozen=True)
class MenuSection:
    """What the header draws: a group of items, or one link when only one of its entries is visible."""

    label: str
    items: list[MenuItem]

    @property
    def single(self) -> bool:
        return len(self.items) == 1

    @property
    def current(self) -> bool:
        return any(item.current for item in self.items)

    @property
    def count(self) -> int:
        return sum(item.count for item in self.items)

    @property
    def count_text(self) -> str:
        """What the group's number adds up, for screen readers: "2 unread, 1 waiting"."""
        return ", ".join(f"{item.count} {item.count_label}" for item in self.items if item.count)


def entries() -> list[MenuEntry]:
    found = [entry for config in apps.get_app_configs() for entry in getattr(config, "menu", ())]
    keys = [group.key for group in GROUPS]
    for entry in found:
        if entry.group not in keys:
            raise ImproperlyConfigured(
                f"The menu entry {entry.url_name} names group {entry.group!r}, not one of {keys}."
            )
    return sorted(found, key=lambda entry: entry.order)


def current_entry(menu: list[MenuEntry], view_name: str, namespace: str) -> MenuEntry | None:
    for entry in menu:
        if view_name in entry.views:
            return entry
    for entry in menu:
        if namespace and namespace in entry.namespaces:
            return entry
    return None


def _visible(request: HttpRequest) -> list[MenuEntry]:
    return [entry for entry in entries() if entry.visible is None or entry.visible(request)]


def _item(request: HttpRequest, entry: MenuEntry, current: MenuEntry | None) -> MenuItem:
    count = entry.count(request) if entry.count else 0
    return MenuItem(str(entry.label), reverse(entry.url_name), entry is current, count, str(entry.count_label))


def _current(request: HttpRequest, menu: list[MenuEntry]) -> MenuEntry | None:
    match = getattr(request, "resolver_match", None)
    return current_entry(menu, match.view_name, match.namespace) if match else None


def menu_items(request: HttpRequest) -> list[MenuItem]:
    """Every entry the person may see, in `order`, ungrouped."""
    menu = _visible(request)
    current = _current(request, menu)
    return [_item(request, entry, current) for entry in menu]


# A visitor's menu depends only on the entries a visitor sees (every entry's `visible` asks only who the
# person is, and none of them has a count for a visitor), the page's entry, the language and where the
# site is mounted: built once per process for each, instead of on every page a visitor opens.
_VISITOR_MENUS: dict[tuple[Any, ...], list[MenuSection]] = {}


def menu_sections(request: HttpRequest) -> list[MenuSection]:
    """The entries the person may see, in their groups; empty groups are left out."""
    menu = _visible(request)
    current = _current(request, menu)
    if request.user.is_authenticated or any(entry.count for entry in menu):
        return _sections(request, menu, current)
    shown = tuple((entry.url_name, entry.group, entry.order) for entry in menu)
    key = (shown, current.url_name if current else None, translation.get_language(), get_script_prefix())
    if key not in _VISITOR_MENUS:
        _VISITOR_MENUS[key] = _sections(request, menu, current)
    return _VISITOR_MENUS[key]


def _sections(request: HttpRequest, menu: list[MenuEntry], current: MenuEntry | None) -> list[MenuSection]:
    sections = []
    for group in sorted(GROUPS, key=lambda group: group.order):
        items = [_item(request, entry, current) for entry in menu if entry.group == group.key]
        if items:
            sections.append(MenuSection(str(group.label), items))
    return sections


def menu(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the menu, built only when a template draws it."""
    return {"menu": SimpleLazyObject(lambda: menu_sections(request))}


def signed_in(request: HttpRequest) -> bool:
    return request.user.is_authenticated
