"""The growth pages and the growth API: what they show, what they hide, and their query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samen.agenda.models import Initiative, Milestone
from samen.network.models import Area, Member
from samen.network.tests.fixtures import grow_network


@pytest.fixture
def ambition(db):
    initiative = Initiative.objects.create(
        name="Zorgstad", baseline="Samen", vision="v", region="Hasselt", start_date=datetime.date(2017, 6, 1)
    )
    for members, date in ((50, "2017-10-01"), (100, "2018-02-01"), (5000, "2035-10-01")):
        Milestone.objects.create(initiative=initiative, members=members, date=date, label=f"X{members}")
    return initiative


@pytest.fixture
def wijken(db):
    city = Area.objects.create(code="hasselt", name="Hasselt", kind="city", path="/hasselt/")
    district = Area.objects.create(code="h", name="H", kind="district", parent=city, path="/hasselt/h/")
    return [
        Area.objects.create(
            code=code, name=code.title(), kind="neighbourhood", parent=district, path=f"/hasselt/h/{code}/"
        )
        for code in ("kiewit", "runkst", "banneux")
    ]


def test_the_public_summary_shows_members_milestones_and_the_forecast(client, ambition, make_sector, make_org):
    care = make_sector("care")
    grow_network(members=60, organisations=4, sector=care)
    grow_network(members=10, organisations=0, sector=care, start=datetime.date.today() - datetime.timedelta(days=100))  # noqa: DTZ011
    page = client.get("/en/network/growth/").content.decode()
    assert '<dd data-figure="members">70</dd>' in page
    assert '<dd data-figure="organisations">4</dd>' in page
    assert "Next milestone: X100 (100 members by" in page
    assert "Not on track: " in page  # the milestone's date is long past
    assert "How the forecast is made" in page
    assert "<svg" in page  # the chart, drawn on the server
    assert "Milestones of the ambition" in page


def test_the_public_summary_hides_small_neighbourhood_counts_and_the_backbone_sees_them(
    client, coordinator, ambition, make_sector, wijken
):
    kiewit, runkst, banneux = wijken
    care = make_sector("care")
    grow_network(members=12, organisations=1, sector=care, area=kiewit)
    grow_network(members=3, organisations=0, sector=care, area=runkst)
    grow_network(members=6, organisations=0, sector=care, area=banneux)
    grow_network(members=5, organisations=0, sector=care, area=None)  # "not said" is shown too
    page = client.get("/en/network/growth/").content.decode()
    assert '<th scope="row">Kiewit</th><td>12</td>' in page
    # Runkst (3) is small; Banneux (6) is hidden too ("hidden", not "< 5"), else 21 - 12 - 5 would give Runkst away.
    assert '<th scope="row">Runkst</th><td>&lt; 5</td>' in page
    assert '<th scope="row">Banneux</th><td>hidden</td>' in page  # hidden only to protect Runkst
    client.force_login(coordinator)
    page = client.get("/en/network/growth/backbone/").content.decode()
    assert '<th scope="row">Runkst</th><td>3</td>' in page
    assert "by quarter of joining" in page


def test_the_sector_mix_names_sectors_not_yet_engaged(client, ambition, make_sector, make_org):
    care = make_sector("care", name_en="Care")
    make_sector("business", name_en="Business")
    grow_network(members=5, organisations=1, sector=care)
    page = client.get("/en/network/growth/").content.decode()
    assert "Not yet engaged" in page and "Business" in page[page.index("Not yet engaged") :][:300]


def test_circles_are_shown_as_such_and_small_ones_hidden_publicly(client, coordinator, ambition, make_user):
    for circle in ("initiators", "design-team", "design-team"):
        Member.objects.filter(pk=make_user().member.pk).update(circle=circle)
    page = client.get("/en/network/growth/").content.decode()
    assert '<th scope="row">Initiators</th><td>&lt; 5</td>' in page
    assert '<th scope="row">Design team</th><td>&lt; 5</td>' in page
    client.force_login(coordinator)
    page = client.get("/en/network/growth/backbone/").content.decode()
    assert '<th scope="row">Initiators</th><td>1</td>' in page
    assert '<th scope="row">Design team</th><td>2</td>' in page


def test_a_circle_hidden_only_to_protect_another_reads_hidden_not_below_five(client, ambition, make_user):
    for circle in ["initiators"] * 3 + ["design-team"] * 47:
        Member.objects.filter(pk=make_user().member.pk).update(circle=circle)
    page = client.get("/en/network/growth/").content.decode()
    assert '<th scope="row">Initiators</th><td>&lt; 5</td>' in page
    assert '<th scope="row">Design team</th><td>hidden</td>' in page  # not "< 5": it has 47


def test_sectors_count_the_same_people_as_the_member_total(client, ambition, make_sector, make_user):
    from samen.network.models import Membership, Organisation
    from samen.network.selectors.growth import growth_view

    care = make_sector("care")
    org = Organisation.objects.create(name="Zorg", slug="zorg", sector=care, joined_on=datetime.date(2020, 1, 1))
    confirmed, unconfirmed, gone = make_user().member, make_user().member, make_user().member
    Membership.objects.create(member=confirmed, organisation=org, is_confirmed=True)
    Membership.objects.create(member=unconfirmed, organisation=org, is_confirmed=False)
    Membership.objects.create(member=gone, organisation=org, is_confirmed=True)
    gone.user.is_active = False
    gone.user.save()
    view = growth_view(today=datetime.date.today(), public=False)  # noqa: DTZ011
    assert next(s for s in view.sectors if s.slug == "care").members == 1


def test_small_cohorts_and_their_rates_are_hidden_publicly(client, coordinator, ambition, make_sector):
    care = make_sector("care")
    grow_network(members=60, organisations=1, sector=care)  # 53 joined in 2019 and brought 27, 7 in 2020 brought 3
    grow_network(members=2, organisations=0, sector=care, start=datetime.date(2022, 1, 1))  # 2 brought 1
    page = client.get("/en/network/growth/").content.decode()
    assert '<th scope="row">2022</th><td>&lt; 5</td><td>&lt; 5</td><td>hidden</td>' in page
    # The small cohorts of 2022 and 2026 (the coordinator joined today) add up to 3, which the total
    # minus the shown cohorts would give: 2020's cohort (7) is hidden too, and reads "hidden".
    assert '<th scope="row">2020</th><td>hidden</td><td>&lt; 5</td><td>hidden</td>' in page
    # The people brought add up to the overall rate times the members: 2019's 27 protects the small ones.
    assert '<th scope="row">2019</th><td>53</td><td>hidden</td><td>hidden</td>' in page
    assert "by quarter of joining" not in page
    client.force_login(coordinator)
    page = client.get("/en/network/growth/backbone/").content.decode()
    assert '<th scope="row">2022</th><td>2</td><td>1</td><td>0.50</td>' in page


def test_the_dutch_summary_is_in_dutch(client, ambition):
    page = client.get("/nl/network/growth/").content.decode()
    assert "Groei van het netwerk" in page and "Tegenover de ambitie" in page


def _queries(client, url) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/en/network/growth/", "/en/network/growth/backbone/", "/api/v1/network/growth"])
def test_growth_queries_do_not_grow_with_the_network(client, coordinator, ambition, make_sector, wijken, url):
    client.force_login(coordinator)
    care = make_sector("care")
    grow_network(members=5, organisations=2, sector=care, area=wijken[0])
    few = _queries(client, url)
    grow_network(members=150, organisations=30, sector=care, area=wijken[1], start=datetime.date(2021, 1, 1))
    assert _queries(client, url) == few


def test_the_growth_api_gives_months_milestones_and_the_forecast(client, ambition, make_sector):
    grow_network(members=30, organisations=3, sector=make_sector("care"), start=datetime.date(2024, 1, 1))
    data = client.get("/api/v1/network/growth").json()
    assert data["members"] == 30 and data["organisations"] == 3
    # The members at the end of each year (all 30 joined in 2024; an organisation every 30 days from January).
    assert data["months"][0] == {"month": "2024-12-01", "members": 30, "organisations": 3}
    assert [m["members"] for m in data["milestones"]] == [50, 100, 5000]
    assert data["forecast"]["next_milestone"] == 50
    assert data["forecast"]["method"].startswith("compound monthly growth rate")
    assert data["forecast"]["points"][0]["members"] == 30


def test_the_growth_api_is_in_the_openapi(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/network/growth" in schema["paths"]


def _rows(page: str, caption: str) -> dict[str, list[str]]:
    """The rows of the table with this caption: {row header: [cells]}."""
    import re

    table = page.split(f"<caption>{caption}</caption>", 1)[1].split("</table>", 1)[0]
    return {
        head: re.findall(r"<td>(.*?)</td>", cells)
        for head, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table)
    }


def _number(cell: str) -> float | None:
    return None if cell in ("hidden", "&lt; 5") else float(cell.replace(",", ""))


def test_no_two_year_end_totals_subtract_to_a_hidden_cohort(client, ambition, make_sector):
    """A reader redoes every sum the page shows: each year's end is the year before's plus that year's
    newcomers, the last is the headline's total. Every hidden cohort stays at least 5 wide."""
    from samen.core.disclosure import audit

    care = make_sector("care")
    grow_network(members=60, organisations=1, sector=care)  # 53 joined in 2019, 7 in 2020
    grow_network(members=2, organisations=0, sector=care, start=datetime.date(2022, 1, 1))
    grow_network(members=9, organisations=0, sector=care, start=datetime.date(2024, 3, 1))
    page = client.get("/en/network/growth/").content.decode()
    ends = {
        int(h.split()[-1]): _number(c[0])
        for h, c in _rows(page, "Members and partner organisations at the end of each year").items()
    }
    cohorts = {int(h): _number(c[0]) for h, c in _rows(page, "People brought per member, by year of joining").items()}
    assert cohorts[2022] is None and cohorts[2020] is None  # 2 is small; 7 protects it
    values: dict = {("total",): 71.0}  # the headline
    values.update({("end", y): n or 0.0 for y, n in ends.items()})  # a hidden cell's value is not used
    values.update({("joined", y): n or 0.0 for y, n in cohorts.items()})
    hidden = [("end", y) for y, n in ends.items() if n is None] + [
        ("joined", y) for y, n in cohorts.items() if n is None
    ]
    relations = [(("total",), [("joined", y) for y in cohorts]), (("total",), [("end", max(ends))])]
    relations += [(("end", y), [("end", y - 1), ("joined", y)]) for y in ends]  # absent cells take no part
    for key, (low, high) in audit(values, relations, hidden).items():
        if key[0] == "joined":
            assert high - low >= 5, (key, low, high)
    # The API gives only the shown year ends.
    data = client.get("/api/v1/network/growth").json()
    shown = {int(m["month"][:4]): m["members"] for m in data["months"]}
    assert shown == {y: n for y, n in ends.items() if n is not None}


def test_the_forecast_is_withheld_when_its_rate_would_give_away_a_few_newcomers(client, ambition, make_sector):
    # The rate is (members now / members a year ago) ** (1 / 12) - 1: with 3 newcomers in the year,
    # the rate and the total would tell "3 joined lately".
    care = make_sector("care")
    grow_network(members=60, organisations=1, sector=care)
    grow_network(members=3, organisations=0, sector=care, start=datetime.date.today() - datetime.timedelta(days=60))  # noqa: DTZ011
    data = client.get("/api/v1/network/growth").json()
    assert data["forecast"] is None and data["forecast_withheld"] is True
    page = client.get("/en/network/growth/").content.decode()
    assert "No forecast is shown here" in page and "How the forecast is made" not in page
    assert "grew on average" not in page


def test_a_published_report_card_and_the_year_ends_do_not_give_away_who_left_since(client, ambition, make_sector):
    """The 2022 card said 90 members, 30 of them new; two of those have left since. The page's 88 and
    28 beside the card's 90 and 30 would tell "2 left"."""
    from samen.backbone.models import PublishedReport

    care = make_sector("care")
    grow_network(members=60, organisations=1, sector=care)
    grow_network(members=30, organisations=0, sector=care, start=datetime.date(2022, 1, 1))
    PublishedReport.objects.create(
        year=2022, language="en", html="", pdf=b"", figures={"network": {"members": 90, "joined": 30}}
    )
    for member in Member.objects.filter(joined_on__year=2022).order_by("pk")[:2]:
        member.user.is_active = False
        member.user.save()
    page = client.get("/en/network/growth/").content.decode()
    ends = _rows(page, "Members and partner organisations at the end of each year")
    cohorts = _rows(page, "People brought per member, by year of joining")
    assert ends["December 2022"][0] != "88" and cohorts["2022"][0] != "28"
    assert '<dd data-figure="members">88</dd>' in page  # the headline stays


def test_the_growth_page_and_the_published_cards_together_pin_no_hidden_cohort(client, ambition, make_sector):
    """The review's case: 8 joined in 2023, 3 in 2024, 50 in 2025, 30 in 2026; the cards of 2023, 2024
    and 2025 published in turn. A reader takes every figure of the cards, the page and the API
    (nobody left: a card's members are the page's year end) and redoes the sums."""
    from django.utils import translation

    from samen.backbone.models import PublishedReport
    from samen.backbone.report import report_figures
    from samen.core.disclosure import audit

    care = make_sector("care")
    for members, year in ((8, 2023), (3, 2024), (50, 2025), (30, 2026)):
        grow_network(members=members, organisations=0, sector=care, start=datetime.date(year, 1, 1))
    cards = {}
    for year in (2023, 2024, 2025):
        with translation.override("en"):
            cards[year] = report_figures(year)["network"]
        PublishedReport.objects.create(year=year, language="en", html="", pdf=b"", figures={"network": cards[year]})
    page = client.get("/en/network/growth/").content.decode()
    api = {int(m["month"][:4]): m["members"] for m in client.get("/api/v1/network/growth").json()["months"]}
    ends = {
        int(h.split()[-1]): _number(c[0])
        for h, c in _rows(page, "Members and partner organisations at the end of each year").items()
    }
    cohorts = {int(h): _number(c[0]) for h, c in _rows(page, "People brought per member, by year of joining").items()}
    for year, card in cards.items():
        if isinstance(card["members"], int):
            ends[year] = float(card["members"])
        if isinstance(card["joined"], int):
            cohorts[year] = float(card["joined"])
    for year, members in api.items():
        ends[year] = float(members)
    values: dict = {("end", y): n or 0.0 for y, n in ends.items()} | {
        ("joined", y): n or 0.0 for y, n in cohorts.items()
    }
    hidden = [k for k in values if (ends if k[0] == "end" else cohorts)[k[1]] is None]
    relations = [(("end", y), [("end", y - 1), ("joined", y)]) for y in ends]
    rows = _rows(page, "People brought per member, by year of joining")
    small = {("joined", int(h)) for h, c in rows.items() if c[0] == "&lt; 5"}
    assert ("joined", 2024) in small  # 3 joined: "< 5" on the page and the card
    # (A cover the cards have published already cannot be widened; what matters is the small counts.)
    narrow = {k: v for k, v in audit(values, relations, hidden).items() if k in small and v[1] - v[0] < 5}
    assert not narrow, narrow
    # What the cards printed, unchanged since, reads as its number, not "hidden".
    page_ends = _rows(page, "Members and partner organisations at the end of each year")
    # (A card made while the page hid its year end may hide it too: the page came first.)
    printed = {y: str(card["members"]) for y, card in cards.items() if isinstance(card["members"], int)}
    assert printed.get(2025) == "61"
    assert all(page_ends[f"December {y}"][0] == n for y, n in printed.items()), (printed, page_ends)
