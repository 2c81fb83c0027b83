"""The public parts of the heavy pages are rendered once per language and data version for visitors who
are not signed in (core's `{% public_cache %}`, keyed by network.table_versions): a write they show
makes them new at once, a write they do not show keeps them, signed-in people never get them, and a
page reads the same queries whatever the size of the data, computed (both caches cleared) and cached."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samen.activities.models import Activity, Event
from samen.agenda.models import Initiative, Proposal, Support
from samen.core import local_copies

pytestmark = pytest.mark.django_db

PAGES = [
    "/{lang}/",
    "/{lang}/dashboard/",
    "/{lang}/events/",
    "/{lang}/activities/",
    "/{lang}/challenges/niemand-alleen-thuis/",
    "/{lang}/indicators/{code}/",
    "/api/v1/indicators",
]


def _public_keys() -> list[str]:
    # locmem in the test settings; the "last" copies (served during a build) are not counted
    return [k for k in cache._cache if ":samen:public:" in k and ":last:" not in k]


def _queries(client, url: str, *, computed: bool = False) -> int:
    if computed:  # count the page as computed, not as read from the caches
        cache.clear()
        local_copies.clear_all()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow(org, challenge, count: int, make_user) -> None:
    from samen.core.tests.factories import make_org

    """More activities, events, organisations and ideas: none of it may cost a cached page a query."""
    start = timezone.now() + datetime.timedelta(days=3)
    for i in range(count):
        other = make_org(f"grow-{count}-{i}", sector=org.sector)
        activity = Activity.objects.create(slug=f"grow-{count}-{i}", title=f"Grow {i}", lead_organisation=other)
        activity.challenges.add(challenge)
        Event.objects.create(
            slug=f"grow-{count}-{i}",
            title=f"Event {i}",
            organisation=other,
            activity=activity,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            is_published=True,
        )
        Proposal.objects.create(kind="idea", challenge=challenge, author=make_user(), title=f"Idea {i}", body="Text")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_cached_page_costs_the_same_few_queries_for_little_and_much_data(
    client, initiative, org, challenge, visits, make_user, lang
):
    visits.challenges.add(challenge)
    urls = [p.format(lang=lang, code=visits.code) for p in PAGES]
    _grow(org, challenge, 1, make_user)
    few_computed = {url: _queries(client, url, computed=True) for url in urls}
    for url in urls:
        client.get(url)  # each fills the caches again (the next one's counting emptied them)
    few = {url: _queries(client, url) for url in urls}
    _grow(org, challenge, 15, make_user)
    assert {url: _queries(client, url, computed=True) for url in urls} == few_computed
    for url in urls:
        client.get(url)
    many = {url: _queries(client, url) for url in urls}
    assert many == few
    # The versions, the cache and what the page around the part reads (an indicator: its row, to 404).
    assert max(few.values()) <= 8, few


@pytest.fixture
def initiative(db):
    return Initiative.objects.create(name="Samen", baseline="b", vision="v", region="r", start_date="2020-01-01")


def test_the_home_page_shows_a_new_partner_at_once(client, initiative, org, make_org):
    def partners() -> str:
        body = client.get("/en/").content.decode()
        return body.split('<span class="figure">')[1].split("</span>")[0]

    before = partners()
    assert partners() == before  # from the cache now
    make_org("nieuw")
    assert int(partners()) == int(before) + 1


def test_a_write_the_page_does_not_show_keeps_it_cached(client, initiative, challenge, member, make_proposal):
    proposal = make_proposal(challenge=challenge)
    client.get("/en/")
    cached = _queries(client, "/en/")
    Support.objects.create(proposal=proposal, member=member)  # the home page shows no supports
    assert _queries(client, "/en/") == cached
    Proposal.objects.create(kind="idea", challenge=challenge, author=member, title="Another", body="Text")
    assert _queries(client, "/en/") > cached  # the challenge cards count the ideas: computed anew


def test_each_language_has_its_own_copy(client, challenge):
    english = client.get("/en/challenges/niemand-alleen-thuis/").content.decode()
    dutch = client.get("/nl/challenges/niemand-alleen-thuis/").content.decode()
    assert "Behind the figures are people." in english and "Behind the figures are people." not in dutch
    assert "Achter de cijfers zitten mensen." in dutch
    keys = [k for k in _public_keys() if ":challenge:" in k]
    assert len(keys) == 2 and any(":nl:" in k for k in keys) and any(":en:" in k for k in keys)


def test_a_signed_in_person_never_gets_nor_leaves_a_public_copy(client, member, org, challenge, make_proposal):
    proposal = make_proposal(challenge=challenge, title="Supported by me")
    Support.objects.create(proposal=proposal, member=member)
    client.force_login(member)
    mine = client.get("/en/challenges/niemand-alleen-thuis/").content.decode()
    assert "You support it" in mine
    assert _public_keys() == []  # nothing of a signed-in page is stored for others
    client.logout()
    public = client.get("/en/challenges/niemand-alleen-thuis/").content.decode()
    assert "You support it" not in public and "Invite someone" not in public
    client.force_login(member)
    assert "You support it" in client.get("/en/challenges/niemand-alleen-thuis/").content.decode()


def test_filters_and_pages_of_a_list_are_cached_apart(client, org):
    Activity.objects.create(slug="een", title="Alpha walk", lead_organisation=org, is_published=True)
    Activity.objects.create(slug="twee", title="Beta choir", lead_organisation=org, is_published=True)
    assert "Alpha walk" in client.get("/en/activities/?q=Alpha").content.decode()
    only_beta = client.get("/en/activities/?q=Beta").content.decode()
    assert "Beta choir" in only_beta and "Alpha walk" not in only_beta


def test_the_calendar_shows_a_place_taken_at_once_and_keeps_its_filters_cached(client, org):
    from samen.activities.models import Registration

    start = timezone.now() + datetime.timedelta(days=2)
    event = Event.objects.create(
        slug="yoga",
        title="Yoga in the park",
        organisation=org,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        is_published=True,
        capacity=30,
    )
    # Ten registered already: places left are shown only beside a count that is not small (issue 11).
    Registration.objects.bulk_create(
        Registration(event=event, name=f"P{n}", email=f"p{n}@example.org", status="confirmed", code=f"P{n}")
        for n in range(10)
    )
    assert "20 places left" in client.get("/en/events/").content.decode()
    filters = [k for k in _public_keys() if ":calendar-filters:" in k]
    Registration.objects.create(event=event, name="Ann", email="ann@example.org", status="confirmed", code="A1")
    assert "19 places left" in client.get("/en/events/").content.decode()
    assert [k for k in _public_keys() if ":calendar-filters:" in k] == filters  # the same copy, still used


def test_an_indicator_page_and_the_api_show_a_renamed_steward_at_once(client, visits):
    from samen.network.models import Organisation

    page = f"/en/indicators/{visits.code}/"
    assert visits.steward.name in client.get(page).content.decode()
    assert f'"steward": "{visits.steward.slug}"' in client.get("/api/v1/indicators").content.decode()
    # No signal, one UPDATE: the name on the page, the slug in the API.
    Organisation.objects.filter(pk=visits.steward_id).update(name="Renamed steward", slug="renamed-steward")
    assert "Renamed steward" in client.get(page).content.decode()
    assert '"steward": "renamed-steward"' in client.get("/api/v1/indicators").content.decode()


def test_the_disclosure_threshold_is_in_the_key(client, settings, challenge):
    client.get("/en/challenges/niemand-alleen-thuis/")
    settings.SAMEN_DISCLOSURE_THRESHOLD = 10  # set, and the server restarted: no copy made under 5 is used
    client.get("/en/challenges/niemand-alleen-thuis/")
    assert len([k for k in _public_keys() if ":challenge:" in k]) == 2


def test_while_one_request_builds_a_new_copy_the_others_get_the_last_one(
    client, initiative, org, make_org, monkeypatch
):
    def partners() -> int:
        body = client.get("/en/").content.decode()
        return int(body.split('<span class="figure">')[1].split("</span>")[0])

    before = partners()
    make_org("nieuw")
    from samen.core.templatetags import public_cache

    class BeingBuilt:  # another request holds the build of the new copy
        def __getattr__(self, name):
            return getattr(cache, name)

        def add(self, key, *args, **kwargs):
            return False if key.endswith(":building") else cache.add(key, *args, **kwargs)

    monkeypatch.setattr(public_cache, "cache", BeingBuilt())
    assert partners() == before  # the copy of a moment ago, not a second build of the same page
    monkeypatch.setattr(public_cache, "cache", cache)
    assert partners() == before + 1  # the build done, everyone gets the new copy
