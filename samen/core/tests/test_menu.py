"""The main menu is data from the apps; the page says which entry is current, at most one."""

import re

import pytest

from samen.core.menu import entries


def _menu(client, url):
    body = client.get(url).content.decode()
    nav = body[body.index('<ul class="nav">') : body.index("</ul>", body.index('<ul class="nav">'))]
    return re.findall(r'<a href="([^"]*)"( aria-current="page")?>([^<]+)</a>', nav)


def test_every_app_contributes_its_entries_in_one_order():
    from django.utils import translation

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
        "Dashboard",
        "Activities",
        "Events",
        "Partners",
        "News",
        "Network",
        "Results",
        "Sign in",
    ]
    assert [label for _, marked, label in menu if marked] == ([current] if current else [])


def test_an_editor_sees_their_figures_and_profile_and_the_backbone_may_curate(client, editor, coordinator):
    client.force_login(editor)
    labels = [label for _, _, label in _menu(client, "/en/profile/")]
    assert "Our figures" in labels and "My profile" in labels and "Curate" not in labels
    assert [label for _, marked, label in _menu(client, "/en/profile/") if marked] == ["My profile"]
    client.force_login(coordinator)
    assert "Curate" in [label for _, _, label in _menu(client, "/en/")]
