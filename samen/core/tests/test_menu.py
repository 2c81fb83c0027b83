"""The main menu is data from the apps, drawn in groups; the page says which entry is current, at most one."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.utils import translation

from samen.core import menu as core_menu
from samen.core.menu import MenuEntry, entries, menu_sections


def _nav(client, url) -> str:
    body = client.get(url).content.decode()
    return body[body.index('<ul class="nav">') : body.index("</nav>")]


def _menu(client, url):
    return re.findall(r'<a href="([^"]*)"( aria-current="page")?>([^<]+)</a>', _nav(client, url))


def _groups(client, url):
    """(label, marked current) of each group's summary."""
    nav = _nav(client, url)
    return [(label, bool(current)) for current, label in re.findall(r'<summary( class="current")?>([^<]+)', nav)]


def test_every_app_contributes_its_entries_in_one_order():
    with translation.override("en"):  # whatever language an earlier test left active
        labels = [str(entry.label) for entry in entries()]
    assert labels == [
        "Agenda",
        "Challenges",
        "Dashboard",
        "Activities",
        "Events",
        "Partners",
        "News",
        "Network",
        "Results",
        "Our figures",
        "Health check",
        "Notifications",
        "Care networks",
        "Inbox",
        "Call campaigns",
        "My profile",
        "Backbone",
        "Curate",
    ]


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("/en/agenda/", "Agenda"),
        ("/en/challenges/", "Challenges"),
        ("/en/proposals/", "Challenges"),
        ("/en/dashboard/", "Dashboard"),
        ("/en/partners/", "Partners"),
        ("/en/network/growth/", "Network"),
        ("/en/results/", "Results"),
        ("/en/", None),
    ],
)
def test_a_visitor_sees_the_public_entries_and_the_current_page(client, db, url, current):
    menu = _menu(client, url)
    assert [label for _, _, label in menu] == [
        "Agenda",
        "Challenges",
        "Activities",
        "Events",
        "Partners",
        "News",
        "Dashboard",
        "Network",
        "Results",
        "Sign in",
    ]
    assert [label for _, marked, label in menu if marked] == ([current] if current else [])
    groups = _groups(client, url)
    assert [label for label, _ in groups] == ["Agenda", "Take part", "Progress"]
    # The group that holds the current page is marked too.
    holding = {"Agenda": "Agenda", "Challenges": "Agenda", "Dashboard": "Progress", "Partners": "Take part"}
    holding |= {"Network": "Progress", "Results": "Progress"}
    assert [label for label, marked in groups if marked] == ([holding[current]] if current else [])


def test_an_editor_sees_their_figures_and_profile_and_the_backbone_may_curate(client, editor, coordinator):
    client.force_login(editor)
    labels = [label for _, _, label in _menu(client, "/en/profile/")]
    assert "Our figures" in labels and "My profile" in labels and "Curate" not in labels
    assert [label for _, marked, label in _menu(client, "/en/profile/") if marked] == ["My profile"]
    client.force_login(coordinator)
    assert "Curate" in [label for _, _, label in _menu(client, "/en/")]


@pytest.fixture
def english():
    """Labels in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def test_the_backbone_sees_every_group_and_a_group_adds_up_its_counts(coordinator, monkeypatch, english):
    request = RequestFactory().get("/en/")
    request.user = coordinator
    request.resolver_match = None
    sections = menu_sections(request)
    assert [s.label for s in sections] == ["Agenda", "Take part", "Progress", "My Samen", "Backbone"]
    mine = sections[3]
    assert [i.label for i in mine.items][-1] == "My profile" and not mine.single
    assert [i.label for i in sections[4].items] == ["Backbone", "Curate"]

    counts = {"Notifications": (2, "unread"), "Inbox": (1, "waiting")}
    entries_now = entries()
    monkeypatch.setattr(
        core_menu,
        "entries",
        lambda: [
            MenuEntry(**{**e.__dict__, "count": lambda r, n=counts[str(e.label)][0]: n})
            if str(e.label) in counts
            else e
            for e in entries_now
        ],
    )
    mine = menu_sections(request)[3]
    assert (mine.count, mine.count_text) == (3, "2 unread, 1 waiting")


def test_a_group_with_one_visible_entry_is_a_plain_link(client, db, monkeypatch):
    only_agenda = [e for e in entries() if e.group != "agenda" or e.url_name == "agenda:agenda"]
    monkeypatch.setattr(core_menu, "entries", lambda: only_agenda)
    assert [label for label, _ in _groups(client, "/en/")] == ["Take part", "Progress"]
    assert _menu(client, "/en/")[0][2] == "Agenda"


def test_an_entry_in_an_unknown_group_is_refused(monkeypatch):
    from django.apps import apps

    config = apps.get_app_config("agenda")
    monkeypatch.setattr(config, "menu", (MenuEntry("Odd", "agenda:agenda", order=1, group="elsewhere"),))
    with pytest.raises(ImproperlyConfigured, match="elsewhere"):
        entries()


def test_a_visitors_menu_is_built_once_per_page_entry_and_language_a_members_every_time(client, db, editor):
    core_menu._VISITOR_MENUS.clear()
    with pytest.MonkeyPatch.context() as patch:
        built = []
        real = core_menu._sections
        patch.setattr(core_menu, "_sections", lambda *args: built.append(1) or real(*args))
        first = _menu(client, "/en/dashboard/")
        assert _menu(client, "/en/dashboard/") == first and len(built) == 1
        assert [label for _, marked, label in _menu(client, "/en/partners/") if marked] == ["Partners"]
        dutch = _menu(client, "/nl/dashboard/")
        assert len(built) == 3 and dutch != first  # another entry, another language: built for each
        client.force_login(editor)  # counts of their own: never taken from the visitors' menus
        _menu(client, "/en/dashboard/")
        _menu(client, "/en/dashboard/")
        assert len(built) == 5
