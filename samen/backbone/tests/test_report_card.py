"""The annual report card: web page and PDF from the same figures, drafts for the backbone, published
versions archived so they never change, and its figures in the open data package."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from samen.agenda.models import ActionDomain
from samen.backbone.models import PublishedReport
from samen.measurement.models import Measurement


@pytest.fixture
def world(visits, put, areas, make_grant, make_domain, org):
    """Two action domains; the visits indicator with values up to 2024 and neighbourhood figures."""
    put(visits, 2024, num=50, den=1000)
    put(visits, 2024, areas["runkst"], num=20, den=400)
    put(visits, 2024, areas["terhilst"], num=48, den=600)
    make_domain("gezond-leven", name_nl="Gezond leven", name_en="Healthy living")
    make_grant(shares={org: Decimal(5000)})
    return visits


def _text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    # Lines wrap where the PDF's columns are narrow: compare words, not line breaks.
    return len(reader.pages), " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_backbone_sees_the_draft_with_baseline_latest_target_people_and_gaps(client, coordinator, world):
    client.force_login(coordinator)
    page = client.get("/en/report-card/2025/").content.decode()
    assert "Draft" in page
    row = page.split(f'data-indicator="{world.code}"')[1].split("</tr>")[0]
    assert "5.9% (2015)" in row  # baseline
    assert "5.0% (2024)" in row  # latest
    assert "50 of 1,000" in row  # the people behind the percentage
    assert "3.0% (2027)" in row  # target
    assert "From 5.0% in Runkst to 8.0% in Terhilst" in row  # neighbourhoods, protected as everywhere
    assert "down" in row and "(better)" in row
    assert "no value since 2024" in row
    assert "Healthy living" in page and "€ 20,000" in page


def test_the_public_does_not_see_a_draft(client, member, world):
    assert client.get("/nl/report-card/2025/").status_code == 404
    assert client.get("/nl/report-card/2025.pdf").status_code == 404
    client.force_login(member)
    assert client.get("/nl/report-card/2025/").status_code == 404


def test_the_pdf_has_a_summary_page_and_one_page_per_action_domain_with_the_web_figures(client, coordinator, world):
    client.force_login(coordinator)
    response = client.get("/nl/report-card/2025.pdf")
    assert response["Content-Type"] == "application/pdf"
    pages, text = _text(response.content)
    assert pages == ActionDomain.objects.count() + 1
    web = client.get("/nl/report-card/2025/").content.decode()
    for figure in ("5,0%", "50 van 1.000", "geen waarde sinds 2024", "€ 20.000", "Zorgzame buurten", "Gezond leven"):
        assert figure in web
        assert figure in text, figure


def test_a_published_report_card_never_changes(client, coordinator, world, put):
    client.force_login(coordinator)
    response = client.post("/nl/report-card/2025/publish/")
    assert response.status_code == 302
    assert set(PublishedReport.objects.values_list("year", "language")) == {(2025, "nl"), (2025, "en")}
    before_page = client.get("/nl/report-card/2025/").content.decode()
    before_pdf = client.get("/nl/report-card/2025.pdf").content
    Measurement.objects.filter(indicator=world, area__isnull=True, period_end__year=2024).update(numerator=80)
    put(world, 2025, num=10, den=1000)
    client.logout()
    after_page = client.get("/nl/report-card/2025/").content.decode()
    assert after_page.split('class="report-card"')[1] == before_page.split('class="report-card"')[1]
    assert client.get("/nl/report-card/2025.pdf").content == before_pdf
    assert "geen waarde sinds 2024" in after_page


def test_publishing_a_year_twice_is_refused(client, coordinator, world):
    client.force_login(coordinator)
    client.post("/nl/report-card/2025/publish/")
    first = PublishedReport.objects.get(year=2025, language="nl").html
    response = client.post("/nl/report-card/2025/publish/", follow=True)
    assert "al gepubliceerd" in response.content.decode()
    assert PublishedReport.objects.get(year=2025, language="nl").html == first


def test_only_the_backbone_publishes(client, editor, world):
    client.force_login(editor)
    assert client.post("/nl/report-card/2025/publish/").status_code == 403
    assert not PublishedReport.objects.exists()


def test_the_published_figures_are_in_the_open_data_package(client, coordinator, world):
    client.force_login(coordinator)
    client.post("/nl/report-card/2025/publish/")
    client.logout()
    package = client.get("/open-data/datapackage.json").json()
    resource = next(r for r in package["resources"] if r["name"] == "report-card-2025")
    csv_text = client.get(resource["path"].replace("http://testserver", "")).content.decode()
    assert f"zorgzame-buurten,A local net works,{world.code},5.0%" in csv_text
    assert "no value since 2024" in csv_text


def _measurements(indicator, areas, n):
    Measurement.objects.bulk_create(
        Measurement(
            indicator=indicator,
            area=areas["runkst"],
            area_key=areas["runkst"].pk,
            period_start=datetime.date(1900 + i // 12, i % 12 + 1, 1),
            period_end=datetime.date(1900 + i // 12, i % 12 + 1, 28),
            numerator=10 + i % 5,
            denominator=400,
            value=(10 + i % 5) / 4,
            status="approved",
        )
        for i in range(n)
    )


def test_the_report_card_costs_the_same_queries_for_10_and_1000_values(client, coordinator, world, areas):
    client.force_login(coordinator)
    _measurements(world, areas, 10)
    world.data_version += 1
    world.save()
    with CaptureQueriesContext(connection) as small:
        assert client.get("/en/report-card/2025/").status_code == 200
    Measurement.objects.filter(period_end__year__lt=2000).delete()
    _measurements(world, areas, 1000)
    world.data_version += 1
    world.save()
    cache.clear()  # the growth page's figures (read for the member cells) cold both times
    with CaptureQueriesContext(connection) as large:
        assert client.get("/en/report-card/2025/").status_code == 200
    assert len(large) == len(small)


def test_a_year_out_of_range_is_not_found(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/nl/report-card/0/").status_code == 404
    assert client.get("/nl/report-card/99999.pdf").status_code == 404


def test_small_attendance_of_a_campaign_is_protected_like_on_the_events_pages(org):
    from django.utils import timezone, translation

    from samen.activities.events.models import Event, Registration
    from samen.activities.tests.factories import make_campaign, make_event
    from samen.backbone.report import report_figures

    campaign = make_campaign(starts_on=datetime.date(2025, 5, 1), ends_on=datetime.date(2025, 5, 31))
    at = timezone.make_aware(datetime.datetime(2025, 5, 10, 10))
    accepted = {"campaign": campaign, "campaign_status": Event.CampaignStatus.ACCEPTED, "is_published": True}
    event = make_event(organisation=org, starts_at=at, ends_at=at + datetime.timedelta(hours=2), **accepted)
    for i in range(2):
        Registration.objects.create(
            event=event, name=f"P{i}", email=f"p{i}@example.org", status="confirmed", code=f"c{i}", checked_in_at=at
        )
    other = make_event(
        organisation=org, starts_at=at, ends_at=at + datetime.timedelta(hours=1), is_published=True, walk_ins=30
    )
    assert other.campaign_id is None
    with translation.override("en"):
        figures = report_figures(2025)["events"]
    assert figures["campaigns"][0]["attendance"] == "< 5"
    # The rest (30) is never shown, but it is protected like a shown part: the total stays wide open.
    assert figures["attendance"] == 32


def test_a_campaign_s_attendance_by_year_cannot_be_subtracted_from_the_campaign_page(client, org):
    """The campaign page shows its total (all years) and each event; the card shows the campaign's
    attendance in one year. Events of 30 and 3 one year, 20 and 25 the next: the page hides the 3
    and the 20, but a card showing 33 for the first year beside the page's 30 gave the 3 away."""
    from django.utils import timezone, translation

    from samen.activities.events.models import Event
    from samen.activities.tests.factories import make_campaign, make_event
    from samen.backbone.models import PublishedReport
    from samen.backbone.report import report_figures

    first, second = timezone.localdate().year - 2, timezone.localdate().year - 1
    campaign = make_campaign(
        starts_on=datetime.date(first, 1, 1), ends_on=datetime.date(second, 12, 31), is_published=True
    )
    accepted = {"campaign": campaign, "campaign_status": Event.CampaignStatus.ACCEPTED, "is_published": True}

    def held(year, walk_ins):
        at = timezone.make_aware(datetime.datetime(year, 6, 1 + walk_ins % 20, 10))
        return make_event(
            organisation=org, starts_at=at, ends_at=at + datetime.timedelta(hours=2), walk_ins=walk_ins, **accepted
        )

    big, small = held(first, 30), held(first, 3)
    held(second, 20), held(second, 25)
    with translation.override("en"):
        card = report_figures(first)
    # Published (the card is public only then; it never changes), the pages protect around it.
    PublishedReport.objects.create(year=first, language="en", html="", pdf=b"", figures=card)
    page = client.get(f"/en/campaigns/{campaign.slug}/").content.decode()
    on_page = dict(re.findall(r'<a href="[^"]*/events/([^/]+)/">.*?<span>([^<]+) attended</span>', page, re.S))
    assert on_page[small.slug] == "&lt; 5"
    in_year, year_total = card["events"]["campaigns"][0]["attendance"], card["events"]["attendance"]
    # The card's campaign-in-the-year and year total, less the big event, must not give the 3.
    big_shown = on_page[big.slug] == "30" or ">30<" in client.get(f"/en/events/{big.slug}/").content.decode()
    assert not (isinstance(in_year, int) and big_shown)
    assert not (isinstance(year_total, int) and big_shown)


def test_an_event_of_a_carded_year_published_later_is_protected_like_a_small_count(client, org):
    """The review's case: the card printed 36 for the campaign in the first year (30 + 6); an event of
    that year with 2 walk-ins is published after it. The campaign page's total less the card's 36
    and the second year's shown events must not give the 2 away."""
    from django.utils import timezone, translation

    from samen.activities.events.models import Event
    from samen.activities.tests.factories import make_campaign, make_event
    from samen.backbone.models import PublishedReport
    from samen.backbone.report import report_figures

    first, second = timezone.localdate().year - 2, timezone.localdate().year - 1
    campaign = make_campaign(
        starts_on=datetime.date(first, 1, 1), ends_on=datetime.date(second, 12, 31), is_published=True
    )
    accepted = {"campaign": campaign, "campaign_status": Event.CampaignStatus.ACCEPTED}

    def held(year, day, walk_ins, published=True):
        at = timezone.make_aware(datetime.datetime(year, 6, day, 10))
        return make_event(
            organisation=org, starts_at=at, ends_at=at + datetime.timedelta(hours=2), walk_ins=walk_ins,
            is_published=published, **accepted,
        )  # fmt: skip

    held(first, 1, 30), held(first, 2, 6), held(second, 3, 20), held(second, 4, 25)
    late = held(first, 5, 2, published=False)
    with translation.override("en"):
        card = report_figures(first)
    PublishedReport.objects.create(year=first, language="en", html="", pdf=b"", figures=card)
    Event.objects.filter(pk=late.pk).update(is_published=True)
    page = client.get(f"/en/campaigns/{campaign.slug}/").content.decode()
    on_page = re.findall(r'<a href="[^"]*/events/([^/]+)/">.*?<span>([^<]+) attended</span>', page, re.S)
    shown = dict(on_page)
    total = re.search(r'<span class="figure">([^<]+)</span> attendees', page)
    printed = card["events"]["campaigns"][0]["attendance"]
    # The reader's sum: the page's total − the card's first year − the second year's shown events.
    second_year = [e.slug for e in Event.objects.filter(starts_at__year=second)]
    if total and total.group(1).isdigit() and isinstance(printed, int):
        known = [int(shown[s]) for s in second_year if shown.get(s, "").isdigit()]
        assert len(known) < len(second_year) or int(total.group(1)) - printed - sum(known) != 2
    assert shown[late.slug] == "&lt; 5"


def test_publishing_is_all_or_nothing_across_languages_and_a_cut_short_one_can_be_completed(
    client, coordinator, monkeypatch, db
):
    from samen.backbone import report

    calls = []

    def failing_second(year):
        calls.append(year)
        if len(calls) == 2:
            raise RuntimeError("the PDF renderer died")
        return {"year": year}, "<p>x</p>", b"%PDF", 0.1

    monkeypatch.setattr(report, "build", failing_second)
    client.force_login(coordinator)
    client.raise_request_exception = False
    assert client.post("/en/report-card/2025/publish/").status_code == 500
    assert not PublishedReport.objects.exists()  # not one language without the other

    PublishedReport.objects.create(year=2025, language="nl", html="<p>nl</p>", pdf=b"%PDF", figures={})
    monkeypatch.setattr(report, "build", lambda year: ({"year": year}, "<p>en</p>", b"%PDF", 0.1))
    assert client.post("/en/report-card/2025/publish/").status_code == 302
    assert dict(PublishedReport.objects.values_list("language", "html")) == {"nl": "<p>nl</p>", "en": "<p>en</p>"}
    response = client.post("/en/report-card/2025/publish/", follow=True)  # a second click
    assert "already published" in response.content.decode()


def test_a_year_that_is_not_over_cannot_be_published(client, coordinator, monkeypatch, db):
    from django.utils import timezone

    from samen.backbone import report

    monkeypatch.setattr(report, "build", lambda year: ({"year": year}, "<p>x</p>", b"%PDF", 0.1))
    client.force_login(coordinator)
    year = timezone.localdate().year
    for y in (year, year + 3):
        response = client.post(f"/en/report-card/{y}/publish/", follow=True)
        assert "once the year is over" in response.content.decode()
    assert not PublishedReport.objects.exists()


def _members_joined(year: int, n: int, brought: int) -> None:
    from samen.core.tests.factories import make_user
    from samen.network.models import Member

    ids = [make_user().member.pk for _ in range(n)]
    Member.objects.filter(pk__in=ids).update(joined_on=datetime.date(year, 3, 1))
    Member.objects.filter(pk__in=ids[1 : brought + 1]).update(brought_by_id=ids[0])


def test_two_years_of_member_totals_cannot_be_subtracted_to_a_small_count(db):
    from django.utils import translation

    from samen.backbone.report import report_figures
    from samen.core.disclosure import audit

    _members_joined(2024, 40, brought=30)
    _members_joined(2025, 3, brought=2)  # three people: never to be worked out
    _members_joined(2026, 20, brought=10)
    with translation.override("en"):
        cards = {year: report_figures(year)["network"] for year in (2024, 2025, 2026)}
    assert cards[2024]["members"] == 40 and cards[2024]["joined"] == 40
    assert cards[2025]["joined"] == "< 5"
    # The subtraction a reader tries: this year's members minus last year's.
    assert not (isinstance(cards[2025]["members"], int) and isinstance(cards[2024]["members"], int))
    # ...or next year's members minus next year's newcomers, minus the year before.
    assert not (isinstance(cards[2026]["members"], int) and isinstance(cards[2026]["joined"], int))
    # Every sum the three cards allow, solved: 2025's newcomers stay at least five wide.
    known = {}
    for year, card in cards.items():
        for name, key in (("total", "members"), ("joined", "joined"), ("brought", "brought_in")):
            known[(name, year)] = card[key]
    values = {k: float(v) if isinstance(v, int) else 0.0 for k, v in known.items()}
    values.update({("other", y): 0.0 for y in cards})
    hidden = [k for k, v in known.items() if not isinstance(v, int)] + [("other", y) for y in cards]
    relations = [(("total", 2024), [("joined", 2024)])]
    relations += [(("total", y), [("total", y - 1), ("joined", y)]) for y in (2025, 2026)]
    relations += [(("joined", y), [("brought", y), ("other", y)]) for y in cards]
    low, high = audit(values, relations, hidden)[("joined", 2025)]
    assert high - low >= 5


def test_someone_who_left_since_the_last_published_card_cannot_be_worked_out(db):
    from django.utils import translation

    from samen.backbone.report import report_figures
    from samen.network.models import Member

    _members_joined(2023, 40, brought=20)
    _members_joined(2024, 10, brought=5)
    with translation.override("en"):
        card_2024 = report_figures(2024)
    PublishedReport.objects.create(year=2024, language="en", html="", pdf=b"", figures=card_2024)
    assert card_2024["network"]["members"] == 50
    # One who joined in 2024 leaves (account deleted); twelve join in 2025.
    Member.objects.filter(joined_on__year=2024, brought_by__isnull=True).first().user.delete()
    _members_joined(2025, 12, brought=6)
    with translation.override("en"):
        network = report_figures(2025)["network"]
    members, joined = network["members"], network["joined"]
    # The reader's sum: last year's published members plus this year's newcomers, minus this year's members.
    assert not (isinstance(members, int) and isinstance(joined, int)), (members, joined)


def test_a_card_made_after_the_growth_page_showed_its_year_ends_pins_no_small_cohort(db):
    """The growth page shows the members at each December (and the cohorts); a reader saved it. Then
    the 2022 card is made: 40 members at the end of 2022, laid beside the page's 43 at the end of 2023
    (its headline: nobody joined since), would pin the three who joined in 2023."""
    from django.utils import timezone, translation

    from samen.backbone.report import report_figures
    from samen.core.disclosure import audit
    from samen.network.selectors.growth import growth_view

    joins, brought = {2021: 40, 2023: 3}, {2021: 39, 2023: 2}
    for y, n in joins.items():
        _members_joined(y, n, brought=brought[y])
    today = timezone.localdate()
    with translation.override("en"):
        page = growth_view(today=today, public=True)
        card = report_figures(2022)["network"]
    years = range(2021, today.year + 1)
    truth = {("end", y): float(sum(n for z, n in joins.items() if z <= y)) for y in years}
    truth |= {("joined", y): float(joins.get(y, 0)) for y in years}
    truth |= {("brought", 2022): 0.0, ("other", 2022): 0.0}
    known = {("end", e.month.year): e.members for e in page.year_ends if e.members is not None}
    cohorts = {r.period.year: r.cohort for r in page.by_year}
    # A year with no row in the table of cohorts is a year nobody joined: a known zero.
    known |= {("joined", y): cohorts.get(y, 0) for y in years if cohorts.get(y, 0) is not None}
    for key, name in ((("end", 2022), "members"), (("joined", 2022), "joined"), (("brought", 2022), "brought_in")):
        if isinstance(card[name], int):
            known[key] = card[name]
    assert all(truth[k] == v for k, v in known.items())  # nobody left: the page and the card agree
    assert known[("end", 2023)] == 43  # the page's headline
    hidden = [k for k in truth if k not in known]
    relations = [(("end", 2021), [("joined", 2021)]), (("joined", 2022), [("brought", 2022), ("other", 2022)])]
    relations += [(("end", y), [("end", y - 1), ("joined", y)]) for y in years if y > 2021]
    small = {k for k in hidden if 0 < truth[k] < 5}
    assert ("joined", 2023) in small
    narrow = {k: v for k, v in audit(truth, relations, hidden).items() if k in small and v[1] - v[0] < 5}
    assert not narrow, (narrow, known, card)
