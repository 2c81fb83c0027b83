"""Whole public pages for visitors (network.page_cache): a second visitor gets the page with one query
(the data versions), never a member's page nor a page with a message or a form token in it, each
language its own copy, and a change to what the page shows on the next request."""

import time
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from samen.activities.models import Event, Registration
from samen.activities.selectors import Filters
from samen.activities.tests.factories import make_activity, make_campaign, make_event
from samen.activities.views import FILTERS_OFFER as ACTIVITY_FILTERS
from samen.agenda.models import ActionDomain, Challenge, Initiative
from samen.network.page_cache import no_tables, visitor_page
from samen.network.views import PAGE_SIZE as PARTNERS_PER_PAGE

pytestmark = pytest.mark.django_db

PAGES = [
    "/{lang}/",
    "/{lang}/dashboard/",
    "/{lang}/events/",
    "/{lang}/activities/",
    "/{lang}/challenges/niemand-alleen-thuis/",
    "/{lang}/indicators/{code}/",
    "/{lang}/network/growth/",
    "/{lang}/partners/",
    "/{lang}/partners/{org}/",
]


@pytest.fixture
def initiative(db):
    return Initiative.objects.create(name="Samen", baseline="b", vision="v", region="r", start_date="2020-01-01")


def _pages() -> list[str]:
    return [k for k in cache._cache if ":samen:page:" in k]  # locmem in the test settings


def _queries(client, url: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_second_visitor_gets_the_page_with_only_the_versions_read(
    client, initiative, challenge, visits, org, lang, django_user_model
):
    for page in PAGES:
        url = page.format(lang=lang, code=visits.code, org=org.slug)
        computed, first = _queries(client, url)
        client.cookies.clear()  # another visitor
        cached, second = _queries(client, url)
        assert cached == 1, url  # one query reads the data versions; the page is one cache read
        assert computed > cached, url
        assert second.content == first.content, url
        # Vary, Cache-Control… as when computed; each answer has its own request id.
        assert {**second.headers, "X-Request-ID": ""} == {**first.headers, "X-Request-ID": ""}, url


def test_a_member_never_gets_nor_leaves_a_cached_page(client, initiative, challenge, member):
    client.get("/en/")
    stored = _pages()
    assert len(stored) == 1
    client.force_login(member)
    mine = client.get("/en/").content.decode()
    assert 'action="/en/account/logout/"' in mine  # rendered for them, with their sign-out form
    assert _pages() == stored
    client.logout()
    assert 'action="/en/account/logout/"' not in client.get("/en/").content.decode()


def test_a_visitor_with_a_message_pending_gets_the_page_rendered_and_nothing_is_stored(client, initiative):
    client.get("/en/dashboard/")
    stored = _pages()
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode([Message(constants.INFO, "Your registration is received.")])
    body = client.get("/en/dashboard/").content.decode()
    assert "Your registration is received." in body
    assert _pages() == stored  # the page with the message is not stored for others
    client.cookies.clear()
    assert "Your registration is received." not in client.get("/en/dashboard/").content.decode()


def test_each_language_has_its_own_page(client, initiative, challenge):
    english = client.get("/en/challenges/niemand-alleen-thuis/").content.decode()
    dutch = client.get("/nl/challenges/niemand-alleen-thuis/").content.decode()
    assert '<html lang="en">' in english and '<html lang="nl">' in dutch
    assert client.get("/en/challenges/niemand-alleen-thuis/").content.decode() == english
    assert len(_pages()) == 2


def test_an_edited_challenge_shows_on_the_next_visitor_request(client, initiative, challenge):
    assert challenge.title in client.get(challenge.get_absolute_url()).content.decode()
    challenge.title = "Samen tegen eenzaamheid"
    challenge.save()
    assert "Samen tegen eenzaamheid" in client.get(challenge.get_absolute_url()).content.decode()


def _event_with_registrations(org, confirmed: int) -> Event:
    """A published event of 30 places, three days ahead, with this many confirmed registrations."""
    event = make_event(organisation=org, title="Yoga in the park", is_published=True, capacity=30)
    Registration.objects.bulk_create(
        Registration(event=event, name=f"P{n}", email=f"p{n}@example.org", status="confirmed", code=f"P{n}")
        for n in range(confirmed)
    )
    return event


def test_a_registration_shows_on_the_next_visitor_request(client, initiative, org):
    event = _event_with_registrations(org, 10)
    assert "20 places left" in client.get("/en/events/").content.decode()
    assert "20 places left" in client.get("/en/events/").content.decode()  # the stored page
    Registration.objects.create(event=event, name="Ann", email="ann@example.org", status="confirmed", code="A1")
    assert "19 places left" in client.get("/en/events/").content.decode()


def test_an_approved_value_shows_on_the_next_visitor_request(client, initiative, visits, put, areas, coordinator):
    from samen.measurement.services import measurements_approve

    page = f"/en/indicators/{visits.code}/"
    client.get(page)
    waiting = put(visits, 2019, areas["runkst"], num=20, den=400, status="submitted")
    assert '<th scope="row">2019</th>' not in client.get(page).content.decode()
    measurements_approve(measurements=[waiting], actor=coordinator)
    assert '<th scope="row">2019</th>' in client.get(page).content.decode()


def test_a_challenge_a_visitor_may_not_see_is_never_cached_for_them(client, initiative, challenge, coordinator):
    Challenge.objects.filter(pk=challenge.pk).update(status=Challenge.Status.DRAFT)
    assert client.get(challenge.get_absolute_url()).status_code == 404
    client.force_login(coordinator)  # the backbone sees drafts
    assert client.get(challenge.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(challenge.get_absolute_url()).status_code == 404
    assert _pages() == []


def _visitor_request():
    request = RequestFactory().get("/en/test/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize(
    "mine",
    [
        lambda request, response: get_token(request),  # a form with the visitor's CSRF token
        lambda request, response: response.set_cookie("seen", "1"),
        lambda request, response: request.session.__setitem__("seen", True),
    ],
    ids=["csrf token", "cookie", "session"],
)
def test_a_page_with_something_of_the_visitor_own_is_not_stored(initiative, mine):
    calls = []

    @visitor_page(no_tables)
    def view(request):
        calls.append(1)
        response = HttpResponse("page")
        mine(request, response)
        return response

    view(_visitor_request())
    view(_visitor_request())
    assert len(calls) == 2

    @visitor_page(no_tables)
    def plain(request):
        calls.append(1)
        return HttpResponse("page")

    plain(_visitor_request())
    plain(_visitor_request())
    assert len(calls) == 3


def test_the_language_links_keep_the_page_and_its_query(client, initiative):
    english = client.get("/en/partners/?q=zorg").content.decode()
    assert '<a href="/nl/partners/?q=zorg" hreflang="nl" lang="nl">Nederlands</a>' in english
    dutch = client.get("/nl/events/").content.decode()
    assert '<a href="/en/events/" hreflang="en" lang="en">English</a>' in dutch
    missing = client.get("/en/no-such-page/").content.decode()
    assert 'href="/nl/no-such-page/"' in missing
    assert 'href="/nl/x/?a=1"' in client.get("/en-gb/x/?a=1").content.decode()  # the prefix as written
    assert "csrfmiddlewaretoken" not in client.get("/en/").content.decode()  # the frame holds no token


@pytest.mark.parametrize(("accept_language", "other"), [("nl-BE", "en"), ("en-GB", "nl")])
def test_on_a_page_without_a_prefix_the_language_link_sets_the_cookie_and_comes_back(
    client, initiative, member, accept_language, other
):
    """An email's unsubscribe link and a 404 without a prefix take their language from the cookie."""
    from samen.communication.unsubscribe import unsubscribe_token

    page = f"/unsubscribe/{unsubscribe_token(member, 'weekly')}/"
    for address in (page, "/no-such-page/"):
        html = client.get(address, headers={"accept-language": accept_language}).content.decode()
        link = f"/i18n/setlang/?language={other}&amp;next={quote(address, safe='')}"
        assert f'<a href="{link}" hreflang="{other}" lang="{other}">' in html
    response = client.get(
        "/i18n/setlang/", {"language": other, "next": page}, headers={"accept-language": accept_language}
    )
    assert response.status_code == 302 and response["Location"] == page
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == other
    assert f'<html lang="{other}"' in client.get(page, headers={"accept-language": accept_language}).content.decode()


def test_the_language_link_by_get_goes_only_to_this_site(client, db):
    response = client.get("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get("/i18n/setlang/", {"language": "klingon", "next": "/nl/events/"})
    assert response["Location"] == "/nl/events/" and settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert client.get("/i18n/setlang/", {"language": "nl", "next": "/en/events/"})["Location"] == "/nl/events/"


def test_an_address_without_a_prefix_goes_to_the_page_in_the_visitor_language(client, initiative):
    response = client.get("/dashboard/", headers={"accept-language": "en-GB"})
    assert response.status_code == 302 and response["Location"] == "/en/dashboard/"


def test_members_share_the_calendar_parts_with_visitors_but_not_who_sees_small_counts(
    client, initiative, org, member, coordinator
):
    event = _event_with_registrations(org, 3)
    visitor = client.get("/en/events/").content.decode()
    assert "There are places left" in visitor and "27 places left" not in visitor  # 3 is a small count
    client.force_login(member)
    client.get("/en/events/")
    computed, page = _queries(client, "/en/events/")
    mine = page.content.decode()
    assert "There are places left" in mine and "My registrations" in mine
    client.force_login(coordinator)  # sees small counts: the events are rendered for them
    managed, page = _queries(client, "/en/events/")
    assert "27 places left" in page.content.decode()
    assert managed > computed
    client.force_login(member)
    Registration.objects.create(event=event, name="Ann", email="ann@example.org", status="confirmed", code="A1")
    assert "There are places left" in client.get("/en/events/").content.decode()  # 4: still small
    Registration.objects.bulk_create(
        Registration(event=event, name=f"Q{n}", email=f"q{n}@example.org", status="confirmed", code=f"Q{n}")
        for n in range(2)
    )
    assert "24 places left" in client.get("/en/events/").content.decode()  # the change shows at once
    client.logout()
    assert "24 places left" in client.get("/en/events/").content.decode()


def test_a_support_shows_on_the_challenge_page_at_once_and_rebuilds_only_its_ideas(
    client, initiative, challenge, member, make_proposal
):
    from samen.agenda.models import Support

    proposal = make_proposal(challenge=challenge, title="Supported idea")
    url = "/en/challenges/niemand-alleen-thuis/"
    assert "0 supports" in client.get(url).content.decode()
    cache_keys = [k for k in cache._cache if ":samen:public:challenge:" in k and ":last:" not in k]
    Support.objects.create(proposal=proposal, member=member)
    assert "1 support" in client.get(url).content.decode()
    # The part above the ideas was not made again: a support does not change what it shows.
    assert [k for k in cache._cache if ":samen:public:challenge:" in k and ":last:" not in k] == cache_keys
    assert len([k for k in cache._cache if ":samen:public:challenge-ideas:" in k and ":last:" not in k]) == 2


def test_a_query_parameter_the_page_does_not_read_is_never_stored(client, initiative):
    """Twenty campaign links (`?utm_source=N`) must not make twenty whole-page entries."""
    for n in range(1, 21):
        assert client.get(f"/en/dashboard/?utm_source={n}").status_code == 200
    assert len(_pages()) <= 1
    assert _pages() == []  # the page was rendered for each, stored for none


def test_the_parameters_a_page_reads_share_one_entry_in_any_order(client, initiative):
    make_campaign(slug="x")
    client.get("/en/events/?page=1&campaign=x")
    client.get("/en/events/?campaign=x&page=1")
    assert len(_pages()) == 1
    cached, _response = _queries(client, "/en/events/?campaign=x&page=1")
    assert cached == 1
    client.get("/en/events/?campaign=x&page=1&fbclid=abc")
    assert len(_pages()) == 1


def _parts() -> list[str]:
    return [k for k in cache._cache if ":samen:public:" in k]


def _junk_is_rendered_and_not_stored(client, path: str, junk: list[str]) -> None:
    """Each made-up value gets the page, and leaves neither the page nor any part of its own in the cache
    (only the parts of the page without a query, such as the calendar's filters beside a page number)."""
    client.get(path)
    plain = set(_parts())
    cache.clear()
    for query in junk:
        assert client.get(f"{path}?{query}").status_code == 200, query
        assert _pages() == [], query
        assert set(_parts()) <= plain, query


def _offered_is_stored_and_served(client, url: str) -> None:
    before = len(_pages())
    computed, first = _queries(client, url)
    assert len(_pages()) == before + 1, url
    client.cookies.clear()
    cached, second = _queries(client, url)
    assert cached == 1 < computed, url
    assert second.content == first.content, url


def test_junk_values_of_the_partner_filters_leave_no_entry(client, initiative, org, make_org):
    for n in range(PARTNERS_PER_PAGE):  # two pages, one in org's sector
        make_org(f"partner-{n:02}")
    domain = ActionDomain.objects.create(slug="zorg", name_nl="Zorg", name_en="Care")
    _junk_is_rendered_and_not_stored(
        client,
        "/en/partners/",
        [
            "sector=junk1",
            f"sector={org.sector.slug}%20",  # read as the slug once stripped: still another address
            "domain=junk2",
            "q=wijkzorg",
            "q=%20",
            "page=3",  # past the last: Paginator shows the last
            "page=99999",
            "page=0",
            "page=-1",
            "page=02",
            "page=abc",
            f"sector={org.sector.slug}&page=2",  # one page only in this sector
            "q=SPAM-FOR-EVERYONE&q=",  # the view reads the last; the language links keep both
            f"sector=junk&sector={org.sector.slug}",
        ],
    )
    search = client.get("/en/partners/?q=wijkzorg").content.decode()
    assert "Wijkzorg Runkst" in search and "Partner 01" not in search  # rendered for the visitor as ever
    _offered_is_stored_and_served(client, f"/en/partners/?q=&sector={org.sector.slug}&domain={domain.slug}&page=1")
    _offered_is_stored_and_served(client, "/en/partners/?q=&sector=&domain=&page=2")


def test_junk_values_of_the_activity_filters_leave_no_entry(client, initiative, org, areas, domain_with_goal):
    goal = domain_with_goal
    make_activity("Buurtbabbels", lead=org, goal=goal, areas=[areas["runkst"]])
    _junk_is_rendered_and_not_stored(
        client,
        "/en/activities/",
        [
            *(f"{name}=junk" for name in ("domain", "goal", "area", "sector", "status", "organisation")),
            "q=buurt",
            "page=2",
            "page=01",
            f"goal={goal.slug}%20",
            "q=SPAM-FOR-EVERYONE&q=",
        ],
    )
    offered = (
        f"domain={goal.domain.slug}&goal={goal.slug}&area=hasselt&sector={org.sector.slug}&status=running"
        f"&organisation={org.slug}&q=&page=1"
    )
    _offered_is_stored_and_served(client, f"/en/activities/?{offered}")
    assert "Buurtbabbels" in client.get(f"/en/activities/?{offered}").content.decode()


@pytest.mark.parametrize(
    ("path", "nothing"),
    [
        ("/en/partners/", "q=&sector=&domain=&page=1"),
        ("/en/activities/", "domain=&goal=&area=&sector=&status=&organisation=&q=&page=1"),
        ("/en/events/", "campaign=&organisation=&page="),
    ],
)
def test_empty_values_and_the_first_page_share_the_page_without_a_query(client, initiative, path, nothing):
    """The filter form sends every field: `?sector=&domain=` is the page without a query, not a copy."""
    client.get(path)
    assert len(_pages()) == 1
    client.cookies.clear()
    cached, _response = _queries(client, f"{path}?{nothing}")
    assert cached == 1
    assert len(_pages()) == 1


def test_every_activity_filter_says_what_it_offers():
    assert set(ACTIVITY_FILTERS) == {*Filters.parameters(), "page"}


def test_junk_values_of_the_calendar_filters_leave_no_entry(client, initiative, org):
    campaign = make_campaign()
    make_event(
        organisation=org, title="Yoga in the park", is_published=True, campaign=campaign, campaign_status="accepted"
    )
    _junk_is_rendered_and_not_stored(
        client,
        "/en/events/",
        ["campaign=junk1", "organisation=junk2", "page=2", "page=1.0", "campaign=SPAM&campaign="],
    )
    _offered_is_stored_and_served(client, f"/en/events/?campaign={campaign.slug}&organisation={org.slug}&page=")
    assert "Yoga in the park" in client.get(f"/en/events/?campaign={campaign.slug}").content.decode()


def test_a_page_is_stored_no_longer_than_its_parts_have_left(client, initiative):
    """The calendar's "upcoming" part lives 60 s: a page built around a part with 10 s left is kept
    10 s, so what moves with the clock lags at most 60 s, not 120."""
    client.get("/en/events/")
    parts = [k for k in cache._cache if ":samen:public:" in k]
    assert parts
    for made in parts:
        key = made.split(":", 2)[2]  # locmem's own prefix off
        html, _until = cache.get(key)
        cache.set(key, (html, time.time() + 10), 10)
    for page in _pages():
        cache.delete(page.split(":", 2)[2])
    client.get("/en/events/")
    [page] = _pages()
    assert cache._expire_info[page] - time.time() <= 10


def test_the_calendar_parts_a_member_shares_are_the_visitors_byte_for_byte(client, initiative, org, member, editor):
    """Members share the calendar's parts with visitors (`everyone=True`): a part rendered for a member,
    or for one who may create events, must be exactly what a visitor's request would have stored, or a
    person's own link (or a form's token) would be served to every visitor."""
    assert editor.has_perm("activities.create_event") and not editor.has_perm("activities.manage_campaigns")
    _event_with_registrations(org, 0)

    def parts_made_for(person) -> dict[str, str]:
        cache.clear()
        client.logout()
        if person is not None:
            client.force_login(person)
        assert client.get("/en/events/").status_code == 200
        made = [k.split(":", 2)[2] for k in cache._cache if ":samen:public:" in k and ":last:" not in k]
        return {key: cache.get(key)[0] for key in made}

    visitor = parts_made_for(None)
    assert len(visitor) == 2 and "Yoga" in "".join(visitor.values())  # the events and the filters
    assert parts_made_for(member) == visitor
    assert parts_made_for(editor) == visitor


def test_a_membership_confirmed_or_withdrawn_shows_on_the_partner_pages_at_once(client, initiative, org, member):
    from samen.network.models import Membership

    member.member.show_publicly = True
    member.member.save()
    membership = Membership.objects.create(member=member.member, organisation=org, role_title="buurtwerker")
    url = f"/en/partners/{org.slug}/"
    assert "Mila Lid" not in client.get(url).content.decode()  # not confirmed yet
    assert _queries(client, url)[0] == 1  # stored
    membership.is_confirmed = True
    membership.save()
    assert "Mila Lid, buurtwerker" in client.get(url).content.decode()
    membership.delete()
    assert "Mila Lid" not in client.get(url).content.decode()
    org.name = "Renamed partner"
    org.save()
    assert "Renamed partner" in client.get("/en/partners/").content.decode()
