"""The partner directory and the home page: filters, content, and query counts that do not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samen.agenda.models import Initiative


@pytest.fixture
def initiative(db):
    return Initiative.objects.create(
        name="Hasselt Zorgstad",
        baseline_nl="Gezond zolang het kan, de beste zorg wanneer het nodig is",
        baseline_en="Healthy for as long as possible, the best care when it is needed",
        vision_nl="Samen zorgen voor morgen.",
        vision_en="Caring for tomorrow together.",
        region="Hasselt",
        start_date="2017-06-01",
    )


def test_it_filters_partners_by_sector_and_domain(client, make_org, make_sector, make_domain):
    care, welfare = make_sector("care"), make_sector("welfare")
    elderly = make_domain("zorgzame-buurten")
    make_org("wijkzorg", name="Wijkzorg Runkst", sector=care, domains=[elderly])
    make_org("apotheek", name="Apotheek De Linde", sector=care)
    make_org("buurtwerk", name="Buurtwerk Sint-Hubertus", sector=welfare, domains=[elderly])

    body = client.get("/en/partners/?sector=care&domain=zorgzame-buurten").content.decode()
    assert "Wijkzorg Runkst" in body
    assert "Apotheek De Linde" not in body
    assert "Buurtwerk Sint-Hubertus" not in body
    assert "1 partner" in body


def test_it_searches_names_and_descriptions(client, make_org):
    make_org(name="Wijkzorg Runkst", description_en="Home care in Runkst")
    make_org(name="Apotheek De Linde", description_en="A pharmacy")
    body = client.get("/en/partners/?q=pharmacy").content.decode()
    assert "Apotheek De Linde" in body
    assert "Wijkzorg Runkst" not in body


def test_an_unknown_filter_value_shows_no_partner_rather_than_an_error(client, make_org):
    make_org(name="Wijkzorg Runkst")
    response = client.get("/en/partners/?sector=nope&page=abc")
    assert response.status_code == 200
    assert "No partner matches these filters." in response.content.decode()


def test_the_partner_page_shows_only_confirmed_people_who_chose_to_be_shown(client, org, make_user):
    from samen.network.models import Membership

    def person(first, *, shown, confirmed):
        user = make_user(first_name=first, last_name="Person")
        user.member.show_publicly = shown
        user.member.save()
        Membership.objects.create(member=user.member, organisation=org, role_title="nurse", is_confirmed=confirmed)

    person("Shown", shown=True, confirmed=True)
    person("Hidden", shown=False, confirmed=True)
    person("Unconfirmed", shown=True, confirmed=False)
    body = client.get(f"/en/partners/{org.slug}/").content.decode()
    assert "Shown Person, nurse" in body
    assert "Hidden Person" not in body
    assert "Unconfirmed Person" not in body


def test_an_unknown_partner_is_a_404(client, db):
    assert client.get("/en/partners/nobody/").status_code == 404


def test_the_home_page_shows_the_initiative_figures_and_how_to_join(
    client, initiative, make_org, make_sector, make_user
):
    sector = make_sector("care", name_en="Care")
    make_sector("business", name_en="Business")
    make_org(name="Jessa Ziekenhuis", sector=sector)
    make_user()
    body = client.get("/en/").content.decode()
    assert "Hasselt Zorgstad" in body
    assert "Healthy for as long as possible, the best care when it is needed" in body
    assert "Caring for tomorrow together." in body
    assert "Jessa Ziekenhuis" in body
    assert "1 / 2" in body  # sectors covered
    assert "How to join" in body
    dutch = client.get("/nl/").content.decode()
    assert "Gezond zolang het kan, de beste zorg wanneer het nodig is" in dutch


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(make_org, make_sector, make_domain, make_user, count: int) -> None:
    from samen.network.models import Organisation

    sectors = [make_sector() for _ in range(3)]
    domains = [make_domain() for _ in range(2)]
    start = Organisation.objects.count()
    orgs = Organisation.objects.bulk_create(
        Organisation(slug=f"bulk-{i}", name=f"Bulk {i}", sector=sectors[i % 3], joined_on="2020-01-01")
        for i in range(start, start + count)
    )
    Organisation.action_domains.through.objects.bulk_create(
        Organisation.action_domains.through(organisation=o, actiondomain=domains[i % 2]) for i, o in enumerate(orgs)
    )


@pytest.mark.parametrize("url", ["/en/", "/en/partners/", "/en/partners/?sector=care&domain=x&q=bulk", "/en/agenda/"])
def test_query_counts_do_not_grow_with_the_number_of_organisations(
    client, initiative, make_org, make_sector, make_domain, make_user, url
):
    _grow(make_org, make_sector, make_domain, make_user, 10)
    small = _queries(client, url)
    _grow(make_org, make_sector, make_domain, make_user, 490)
    assert _queries(client, url) == small
    assert small <= 11  # the home page's 10 and, to key its cached part, the read of its tables' versions


def test_the_signed_in_home_page_costs_the_same_for_10_and_500_organisations(
    client, initiative, make_org, make_sector, make_domain, make_user, member
):
    client.force_login(member)
    _grow(make_org, make_sector, make_domain, make_user, 10)
    small = _queries(client, "/en/")
    _grow(make_org, make_sector, make_domain, make_user, 490)
    assert _queries(client, "/en/") == small


def test_a_nul_character_in_a_filter_finds_nothing_instead_of_failing(client, make_org):
    make_org(name="Wijkzorg Runkst")
    response = client.get("/en/partners/?q=%00&sector=a%00b")
    assert response.status_code == 200
    assert "No partner matches these filters." in response.content.decode()
    assert client.get("/api/v1/organisations?sector=%00").json()["count"] == 0
    assert client.get("/api/v1/indicators/a%00b").status_code == 404
