"""The network map page and its data endpoint: who sees whom, filters, the provider hook, caching, queries."""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samen.network import ties
from samen.network.models import Area, Member, Membership
from samen.network.tests.fixtures import grow_network
from samen.network.ties import ActivityTie


@pytest.fixture
def shared_work(org, other_org):
    """A provider like the activities app's: one activity of both test organisations."""
    work = [
        ActivityTie(
            key="test-1",
            label="Warme buurt",
            url="/en/activities/warme-buurt/",
            organisation_ids=(org.pk, other_org.pk),
            domains=("zorg",),
            area_paths=("/hasselt/kiewit/",),
            year=2021,
        )
    ]
    ties.register("test", lambda: work)
    ties.data_changed()
    yield work
    ties.unregister("test")


def _data(client, query=""):
    response = client.get(f"/en/network/map/data.json{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def _labels(data, kind):
    return sorted(n[1] for n in data["nodes"] if n[0] == kind)


def test_the_public_sees_organisations_and_activities_but_no_people(client, member, org, other_org, shared_work):
    Member.objects.filter(pk=member.member.pk).update(show_publicly=True)
    Membership.objects.create(member=member.member, organisation=org, is_confirmed=True)
    data = _data(client)
    assert _labels(data, "o") == ["Apotheek De Linde", "Wijkzorg Runkst"]
    assert _labels(data, "a") == ["Warme buurt"]
    assert _labels(data, "p") == []
    assert len(data["edges"]) == 2


def test_members_see_only_people_who_consented(client, member, make_user, org, shared_work):
    shown = make_user(first_name="Noor", last_name="Shown")
    hidden = make_user(first_name="Jan", last_name="Hidden")
    Member.objects.filter(pk=shown.member.pk).update(show_publicly=True)
    for user in (shown, hidden):
        Membership.objects.create(member=user.member, organisation=org, is_confirmed=True)
    client.force_login(member)
    data = _data(client)
    assert _labels(data, "p") == ["Noor Shown"]
    page = client.get("/en/network/map/").content.decode()
    assert "Jan Hidden" not in page


def test_a_persons_neighbourhood_filters_only_when_they_allow_it(client, member, make_user, shared_work):
    kiewit = Area.objects.create(code="kiewit", name="Kiewit", kind="neighbourhood", path="/hasselt/kiewit/")
    open_, closed = make_user(first_name="Open", last_name="A"), make_user(first_name="Closed", last_name="B")
    Member.objects.filter(pk=open_.member.pk).update(
        show_publicly=True, neighbourhood=kiewit, show_neighbourhood_publicly=True
    )
    Member.objects.filter(pk=closed.member.pk).update(show_publicly=True, neighbourhood=kiewit)
    client.force_login(member)
    assert _labels(_data(client, "?area=kiewit"), "p") == ["Open A"]


def test_filters_by_action_domain_and_area(client, org, other_org, make_org, shared_work, make_domain):
    zorg = make_domain("zorg")
    org.action_domains.set([zorg])
    Area.objects.create(code="kiewit", name="Kiewit", kind="neighbourhood", path="/hasselt/kiewit/")
    make_org("los", name="Losse Partner")
    assert _labels(_data(client, "?domain=zorg"), "o") == ["Wijkzorg Runkst"]
    assert _labels(_data(client, "?area=kiewit"), "o") == ["Apotheek De Linde", "Wijkzorg Runkst"]
    assert _labels(_data(client, "?domain=nothing"), "o") == []


def test_the_page_has_the_measures_and_a_table_of_organisations_and_their_ties(
    client, org, other_org, make_org, shared_work
):
    make_org("los", name="Losse Partner")
    page = client.get("/en/network/map/").content.decode()
    assert "Organisations and their ties" in page
    row = page[page.index(">Wijkzorg Runkst</a></th>") :][:300]
    assert "Apotheek De Linde" in row
    assert "1 organisation without ties" in page
    assert 'src="/static/network/map.js"' in page
    assert "<script>" not in page  # the CSP forbids inline scripts


def test_the_data_version_is_in_the_database_so_every_process_sees_a_change(org, make_org):
    before = ties.data_version()
    make_org("nieuw")
    after = ties.data_version()
    assert after > before
    cache.clear()  # another process's cache, or an emptied one: the number stays
    assert ties.data_version() == after


def test_a_change_makes_the_cached_map_stale(client, org, shared_work, make_org):
    assert _labels(_data(client), "o") == ["Apotheek De Linde", "Wijkzorg Runkst"]
    make_org("nieuw", name="Nieuwe Partner")  # a save raises the data version
    assert "Nieuwe Partner" in _labels(_data(client), "o")


def test_the_map_is_served_from_the_cache_until_the_data_changes(client, org, shared_work):
    _data(client)
    with CaptureQueriesContext(connection) as queries:
        _data(client)
    assert len(queries) == 1  # a visitor: only the data version is read, the map comes from the cache


def _cold_queries(client, url) -> int:
    ties.data_changed()  # the bulk inserts of grow_network send no signals
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/en/network/map/data.json", "/en/network/map/", "/en/network/map/?domain=x&area=y"])
def test_map_queries_do_not_grow_with_the_network(client, member, make_sector, shared_work, url):
    client.force_login(member)
    care = make_sector("care")
    grow_network(members=4, organisations=2, sector=care)
    few = _cold_queries(client, url)
    grow_network(members=120, organisations=25, sector=care)
    assert _cold_queries(client, url) == few


def test_a_change_made_by_another_worker_reaches_this_workers_copy_of_the_map(client, org, shared_work):
    from django.db.models import F

    from samen.network.models import DataVersion, Organisation

    assert "Wijkzorg Runkst" in client.get("/en/network/map/").content.decode()  # now in this process's copy
    # Another gunicorn worker renames it: its signal raises the version in the database, not here.
    Organisation.objects.filter(pk=org.pk).update(name="Wijkzorg Runkst-Oost")
    DataVersion.objects.filter(name=ties.VERSION_NAME).update(number=F("number") + 1)
    page = client.get("/en/network/map/").content.decode()
    assert "Wijkzorg Runkst-Oost" in page


def test_signing_in_leaves_the_data_version_unchanged(client, member):
    before = ties.data_version()
    client.force_login(member)  # Django saves last_login on every sign-in
    member.refresh_from_db()
    assert member.last_login is not None
    assert ties.data_version() == before


def test_other_changes_of_a_user_still_raise_the_data_version(member):
    before = ties.data_version()
    member.first_name = "Milou"
    member.save(update_fields=["first_name"])
    assert ties.data_version() > before
