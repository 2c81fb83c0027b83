"""The common agenda: action domains, their goals with targets and deadlines, in two languages."""

import datetime

import pytest

from samen.agenda.models import Goal


@pytest.fixture
def domain(make_domain):
    domain = make_domain("toegankelijke-zorgstad", name_nl="Toegankelijke zorgstad", name_en="Accessible care city")
    Goal.objects.create(
        domain=domain,
        slug="alle-zorg-op-kaart",
        title_nl="Alle zorg op één kaart",
        title_en="All care on one map",
        target_nl="Tegen 2026 staat elk zorgaanbod op de kaart.",
        target_en="By 2026 every care service is on the map.",
        deadline=datetime.date(2026, 12, 31),
    )
    return domain


def test_the_agenda_lists_domains_with_goals_targets_and_deadlines(client, domain):
    body = client.get("/en/agenda/").content.decode()
    assert "Accessible care city" in body
    assert "All care on one map" in body
    assert "By 2026 every care service is on the map." in body
    assert '<time datetime="2026-12-31">' in body


def test_the_agenda_speaks_dutch_under_nl(client, domain):
    body = client.get("/nl/agenda/").content.decode()
    assert "Toegankelijke zorgstad" in body
    assert "Tegen 2026 staat elk zorgaanbod op de kaart." in body


def test_a_domain_page_shows_its_goals_and_partners(client, domain, make_org):
    make_org(name="Wijkzorg Runkst", domains=[domain])
    make_org(name="Elsewhere")
    body = client.get("/en/agenda/toegankelijke-zorgstad/").content.decode()
    assert "All care on one map" in body
    assert "Wijkzorg Runkst" in body
    assert "Elsewhere" not in body


def test_an_unknown_domain_is_a_404(client, db):
    assert client.get("/en/agenda/nope/").status_code == 404


def test_the_root_follows_the_browser_language(client, db):
    assert client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})["Location"] == "/en/"
    assert client.get("/", headers={"accept-language": "nl-BE"})["Location"] == "/nl/"
    # An unknown language falls back to Dutch, the initiative's own.
    assert client.get("/", headers={"accept-language": "xx"})["Location"] == "/nl/"


def test_the_language_switch_keeps_the_page(client, domain):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/nl/agenda/toegankelijke-zorgstad/"})
    assert response["Location"] == "/en/agenda/toegankelijke-zorgstad/"


def test_an_unknown_language_in_the_switch_is_ignored(client, db):
    response = client.post("/i18n/setlang/", {"language": "klingon", "next": "/nl/agenda/"})
    assert response["Location"] == "/nl/agenda/"


def test_the_backbone_finds_the_edit_link_on_the_domain_page(client, domain, coordinator, member):
    edit = f"/en/admin/agenda/actiondomain/{domain.pk}/change/"
    client.force_login(member)
    assert edit not in client.get("/en/agenda/toegankelijke-zorgstad/").content.decode()
    client.force_login(coordinator)
    assert edit in client.get("/en/agenda/toegankelijke-zorgstad/").content.decode()
    assert client.get(edit).status_code == 200
