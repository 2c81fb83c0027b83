"""The backbone registers funders, grants (shares, payments, reporting dates) and cash positions on
the site: impossible values are named and nothing is written; nobody else sees or posts these pages."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from samen.backbone.models import CashPosition, Funder, Grant, GrantPayment, GrantShare, ReportingDue
from samen.core.models import AuditEntry


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _rows(prefix: str, rows: list[dict], total: int | None = None) -> dict:
    total = total if total is not None else len(rows)
    data = {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def _grant(funder, **fields) -> dict:
    data = {
        "funder": funder.pk,
        "title": "Buurtnetwerken tegen eenzaamheid",
        "amount": "20000",
        "currency": "EUR",
        "start": "2025-01-01",
        "end": "2026-06-30",
        "restrictions": "Enkel voor buurtnetwerken.",
        "domain": "",
    }
    data.update({k: v for k, v in fields.items() if k not in ("shares", "payments", "reports")})
    data.update(_rows("shares", fields.get("shares", []), total=max(6, len(fields.get("shares", [])))))
    data.update(_rows("payments", fields.get("payments", []), total=2))
    data.update(_rows("reports", fields.get("reports", []), total=2))
    return data


@pytest.fixture
def partners(make_org):
    return [make_org() for _ in range(6)]


def test_the_backbone_registers_a_funder(client, coordinator):
    client.force_login(coordinator)
    response = client.post("/en/backbone/funding/funders/", {"name": "Fonds Zorgzame Buurten", "website": ""})
    assert response.status_code == 302
    assert Funder.objects.get().name == "Fonds Zorgzame Buurten"
    assert AuditEntry.objects.filter(action="backbone.funder_create").exists()
    page = client.get("/en/backbone/funding/funders/").content.decode()
    assert "Fonds Zorgzame Buurten" in page


def test_a_funder_registered_twice_is_named(client, coordinator, funder):
    client.force_login(coordinator)
    response = client.post("/en/backbone/funding/funders/", {"name": funder.name})
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert Funder.objects.count() == 1


def test_the_backbone_registers_the_kbs_grant_over_six_partners_in_percentages(client, coordinator, funder, partners):
    client.force_login(coordinator)
    shares = [{"organisation": p.pk, "percent": "16.66"} for p in partners[:5]]
    shares.append({"organisation": partners[5].pk, "percent": "16.70"})
    data = _grant(
        funder,
        shares=shares,
        payments=[{"due_on": "2025-01-15", "amount": "16000"}, {"due_on": "2026-09-30", "amount": "4000"}],
        reports=[{"due_on": "2025-12-15", "what": "Tussentijds verslag"}],
    )
    response = client.post("/en/backbone/funding/grants/new/", data)
    assert response.status_code == 302, response.content.decode()
    grant = Grant.objects.get()
    assert grant.amount == 20000 and grant.shares.count() == 6
    assert sum(s.amount for s in grant.shares.all()) == Decimal(20000)
    assert GrantShare.objects.get(organisation=partners[0]).amount == Decimal("3332.00")
    assert [p.amount for p in grant.payments.all()] == [16000, 4000]
    assert grant.reports_due.get().what == "Tussentijds verslag"
    page = client.get("/en/backbone/funding/").content.decode()
    assert "3,332.00" in page and partners[0].name in page
    assert f'data-figure="shared-{grant.pk}">EUR 20,000.00<' in page  # rounded down: at most the grant


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end": "2024-12-31"}, "The period ends before it starts."),
        ({"amount": "-20000"}, "The amount must be more than zero."),
        ({"currency": "E1R"}, "A currency is a code of three letters"),
        ({"shares": "percent over 100"}, "The shares add up to 110.00 %, more than 100 % of the grant."),
        (
            {"shares": "amounts over the grant"},
            "The shares add up to EUR 21,000.00 (105.00 %), more than the grant&#x27;s EUR 20,000.00.",
        ),
        ({"shares": "one share over 100"}, "A share is at most the whole grant (100 %)."),
        ({"shares": "negative"}, "A share cannot be negative."),
        ({"shares": "twice"}, "A partner has one share; it is in the list twice."),
        ({"shares": "no partner"}, "This field is required."),
        ({"payments": "negative"}, "A payment cannot be negative."),
        (
            {"payments": "over the grant"},
            "The payments add up to EUR 25,000.00, more than the grant&#x27;s EUR 20,000.00.",
        ),
        ({"reports": "no what"}, "This field is required."),
    ],
)
def test_an_impossible_grant_is_named_and_nothing_is_written(client, coordinator, funder, partners, change, message):
    a, b = partners[0].pk, partners[1].pk
    lists = {
        ("shares", "percent over 100"): [{"organisation": a, "percent": "60"}, {"organisation": b, "percent": "50"}],
        ("shares", "amounts over the grant"): [
            {"organisation": a, "amount": "11000"},
            {"organisation": b, "amount": "10000"},
        ],
        ("shares", "one share over 100"): [{"organisation": a, "percent": "120"}],
        ("shares", "negative"): [{"organisation": a, "amount": "-5"}],
        ("shares", "twice"): [{"organisation": a, "amount": "5"}, {"organisation": a, "amount": "6"}],
        ("shares", "no partner"): [{"amount": "500"}],
        ("payments", "negative"): [{"due_on": "2025-01-01", "amount": "-1"}],
        ("payments", "over the grant"): [
            {"due_on": "2025-01-01", "amount": "20000"},
            {"due_on": "2026-01-01", "amount": "5000"},
        ],
        ("reports", "no what"): [{"due_on": "2025-12-01"}],
    }
    fields = {k: lists.get((k, v), v) for k, v in change.items()}
    client.force_login(coordinator)
    response = client.post("/en/backbone/funding/grants/new/", _grant(funder, **fields))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Grant.objects.exists() and not GrantShare.objects.exists() and not GrantPayment.objects.exists()


def test_changing_a_grant_keeps_a_reminded_report_reminded(client, coordinator, funder, make_grant, partners):
    grant = make_grant(
        shares={partners[0]: Decimal(1000)},
        payments=[(datetime.date(2025, 1, 1), Decimal(5000))],
        reports_due=[(datetime.date(2025, 12, 15), "Tussentijds verslag")],
    )
    ReportingDue.objects.update(reminded_on=datetime.date(2025, 12, 1))
    client.force_login(coordinator)
    form = client.get(f"/en/backbone/funding/grants/{grant.pk}/").content.decode()
    assert "Tussentijds verslag" in form and 'value="1000.00"' in form
    data = _grant(
        funder,
        amount="30000",
        shares=[{"organisation": partners[1].pk, "amount": "2000"}],  # the first partner's row cleared
        payments=[{"due_on": "2025-01-01", "amount": "5000", "received_on": "2025-01-03"}],
        reports=[
            {"due_on": "2025-12-15", "what": "Tussentijds verslag", "submitted_on": "2025-12-10"},
            {"due_on": "2026-09-15", "what": "Eindverslag"},
        ],
    )
    response = client.post(f"/en/backbone/funding/grants/{grant.pk}/", data)
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.amount == 30000
    assert [(s.organisation, s.amount) for s in grant.shares.all()] == [(partners[1], Decimal(2000))]
    assert grant.payments.get().received_on == datetime.date(2025, 1, 3)
    kept = grant.reports_due.get(what="Tussentijds verslag")
    assert kept.reminded_on == datetime.date(2025, 12, 1) and kept.submitted_on == datetime.date(2025, 12, 10)
    assert grant.reports_due.get(what="Eindverslag").reminded_on is None
    assert AuditEntry.objects.filter(action="backbone.grant_update").exists()


def test_the_backbone_enters_the_cash_and_the_runway_follows(client, coordinator):
    client.force_login(coordinator)
    today = timezone.localdate()
    response = client.post("/en/backbone/funding/cash/", {"on": today.isoformat(), "amount": "432000"})
    assert response.status_code == 302
    assert CashPosition.objects.get().amount == 432000
    # The same day again replaces the figure.
    client.post("/en/backbone/funding/cash/", {"on": today.isoformat(), "amount": "430000"})
    assert CashPosition.objects.get().amount == 430000
    assert AuditEntry.objects.filter(action="backbone.cashposition_update").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"on": "2025-01-01", "amount": "-1"}, "Cash is an amount in euro and cents, not negative."),
        ({"on": "2999-01-01", "amount": "10"}, "A cash position is of a day that has come, not of 1 Jan. 2999."),
        ({"on": "yesterday", "amount": "10"}, "Enter a valid date."),
    ],
)
def test_impossible_cash_is_named_and_not_written(client, coordinator, data, message):
    client.force_login(coordinator)
    response = client.post("/en/backbone/funding/cash/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CashPosition.objects.exists()


def test_a_cash_date_refused_is_written_in_the_page_s_language(client, coordinator):
    client.force_login(coordinator)
    response = client.post("/nl/backbone/funding/cash/", {"on": "2999-01-01", "amount": "10"})
    assert response.status_code == 400
    assert "1 jan 2999" in response.content.decode() and "2999-01-01." not in response.content.decode()


def test_a_partner_sees_no_grant_and_changes_none(client, editor, make_grant, org, funder):
    grant = make_grant(shares={org: Decimal("3333.33")})
    client.force_login(editor)
    for url in (
        f"/en/backbone/funding/grants/{grant.pk}/",
        "/en/backbone/funding/grants/new/",
        "/en/backbone/funding/funders/",
        "/en/backbone/funding/cash/",
    ):
        assert client.get(url).status_code == 403
    assert client.post(f"/en/backbone/funding/grants/{grant.pk}/", _grant(funder, amount="1")).status_code == 403
    grant.refresh_from_db()
    assert grant.amount == 20000


def test_the_lists_read_a_fixed_number_of_queries(client, coordinator, django_assert_num_queries):
    client.force_login(coordinator)

    def count(url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    Funder.objects.bulk_create(Funder(name=f"Fonds {i}") for i in range(10))
    CashPosition.objects.bulk_create(
        CashPosition(on=datetime.date(2020, 1, 1) + datetime.timedelta(days=i), amount=i) for i in range(10)
    )
    few = (count("/en/backbone/funding/funders/"), count("/en/backbone/funding/cash/"))
    Funder.objects.bulk_create(Funder(name=f"Fonds {i}") for i in range(10, 1000))
    CashPosition.objects.bulk_create(
        CashPosition(on=datetime.date(2020, 1, 1) + datetime.timedelta(days=i), amount=i) for i in range(10, 1000)
    )
    assert (count("/en/backbone/funding/funders/"), count("/en/backbone/funding/cash/")) == few


def test_the_grant_page_speaks_dutch(client, coordinator, funder, partners):
    client.force_login(coordinator)
    with translation.override("nl"):
        page = client.get("/nl/backbone/funding/grants/new/").content.decode()
        assert "Partners en hun deel" in page and "Betalingsschema" in page and "Rapportagedata" in page
        shares = [{"organisation": partners[0].pk, "percent": "60"}, {"organisation": partners[1].pk, "percent": "50"}]
        response = client.post("/nl/backbone/funding/grants/new/", _grant(funder, shares=shares))
    assert "De delen komen samen op 110,00 %, meer dan 100 % van de subsidie." in response.content.decode()


def test_the_funding_page_reads_a_fixed_number_of_queries_for_10_and_1000_grants(client, coordinator, funder, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n: int, start: int) -> None:
        grants = Grant.objects.bulk_create(
            Grant(
                funder=funder,
                title=f"Subsidie {i}",
                amount=Decimal(1000),
                start=datetime.date(2025, 1, 1),
                end=datetime.date(2025, 12, 31),
            )
            for i in range(start, start + n)
        )
        GrantShare.objects.bulk_create(GrantShare(grant=g, organisation=org, amount=Decimal(500)) for g in grants)
        GrantPayment.objects.bulk_create(
            GrantPayment(grant=g, due_on=datetime.date(2025, 2, 1), amount=Decimal(1000)) for g in grants
        )
        ReportingDue.objects.bulk_create(
            ReportingDue(grant=g, due_on=datetime.date(2025, 12, 1), what="Verslag") for g in grants
        )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/backbone/funding/").status_code == 200
        return len(queries)

    client.force_login(coordinator)
    add(10, 0)
    few = count()
    add(990, 10)
    assert count() == few


def test_a_reporting_line_whose_text_is_corrected_stays_reminded(make_grant, coordinator, funder):
    from samen.backbone.services import grant_save

    grant = make_grant(reports_due=[(datetime.date(2025, 12, 15), "Tussentijds verslg")])
    ReportingDue.objects.update(reminded_on=datetime.date(2025, 12, 1))
    grant_save(
        actor=coordinator,
        funder=funder,
        title=grant.title,
        amount=grant.amount,
        start=grant.start,
        end=grant.end,
        reports_due=[(datetime.date(2025, 12, 15), "Tussentijds verslag")],
        grant=grant,
    )
    report = ReportingDue.objects.get()
    assert report.what == "Tussentijds verslag" and report.reminded_on == datetime.date(2025, 12, 1)
