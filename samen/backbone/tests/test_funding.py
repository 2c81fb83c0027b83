"""Funding: grants with shares, expenses by hand and from the bookkeeping, runway, and who sees what."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from samen.backbone.models import CashPosition, Expense, Grant, GrantPayment
from samen.backbone.services import expense_add, grant_save
from samen.core.models import AuditEntry


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_grant_is_split_over_partners_and_audited(make_grant, make_org):
    partners = [make_org() for _ in range(6)]
    grant = make_grant(shares={p: Decimal("3333.33") for p in partners})
    assert grant.shares.count() == 6
    assert AuditEntry.objects.filter(action="backbone.grant_create").exists()


def test_shares_exceeding_the_amount_are_refused_and_nothing_is_written(make_grant, make_org):
    with pytest.raises(ValidationError) as refused:
        make_grant(amount="1000", shares={make_org(): Decimal(600), make_org(): Decimal(500)})
    assert "more than the grant" in str(refused.value)
    assert not Grant.objects.exists()


def test_a_period_that_ends_before_it_starts_is_refused(make_grant):
    with pytest.raises(ValidationError) as refused:
        make_grant(start=datetime.date(2025, 6, 1), end=datetime.date(2025, 1, 1))
    assert "ends before it starts" in str(refused.value)
    assert not Grant.objects.exists()


def test_a_negative_expense_is_refused(coordinator):
    with pytest.raises(ValidationError):
        expense_add(actor=coordinator, month=datetime.date(2025, 1, 1), amount=Decimal(-5), description="x")
    assert not Expense.objects.exists()


def test_the_backbone_adds_an_expense_on_the_page(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("backbone:expense_add"), {"month": "2025-03", "amount": "1250.50", "description": "Zaalhuur"}
    )
    assert response.status_code == 302
    expense = Expense.objects.get()
    assert expense.month == datetime.date(2025, 3, 1) and expense.amount == Decimal("1250.50")


def test_the_page_names_a_negative_expense(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("backbone:expense_add"), {"month": "2025-03", "amount": "-1", "description": "x"})
    assert response.status_code == 400
    assert "An expense cannot be negative." in response.content.decode()
    assert not Expense.objects.exists()


def _csv(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("boekhouding.csv", text.encode(), content_type="text/csv")


def test_a_bookkeeping_export_is_imported(client, coordinator, make_grant):
    grant = make_grant()
    client.force_login(coordinator)
    text = f"month;amount;description;grant\n2025-01;1.200,50;Coördinator;{grant.pk}\n2025-02;800;Drukwerk;\n"
    response = client.post(reverse("backbone:expense_import"), {"file": _csv(text)})
    assert response.status_code == 302
    assert Expense.objects.count() == 2
    assert Expense.objects.get(description="Coördinator").amount == Decimal("1200.50")
    assert AuditEntry.objects.filter(action="backbone.expense_import").exists()


def test_an_import_with_one_bad_row_writes_nothing_and_names_the_row(client, coordinator):
    client.force_login(coordinator)
    text = "month,amount,description\n2025-01,100,Zaal\n2025-13,50,Koffie\n2025-03,-4,Terugbetaling\n"
    response = client.post(reverse("backbone:expense_import"), {"file": _csv(text)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "Not a month" in page and "cannot be negative" in page
    assert not Expense.objects.exists()


def test_an_import_without_the_columns_is_refused(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("backbone:expense_import"), {"file": _csv("date,what\n2025-01,x\n")})
    assert response.status_code == 400
    assert "Columns missing" in response.content.decode()
    assert not Expense.objects.exists()


def test_the_funding_page_shows_runway_and_partner_amounts_to_the_backbone(client, coordinator, make_grant, org):
    grant = make_grant(shares={org: Decimal("3333.33")})
    GrantPayment.objects.create(grant=grant, due_on=datetime.date(2099, 1, 1), amount=Decimal(6000))
    CashPosition.objects.create(on=datetime.date(2020, 1, 1), amount=Decimal(3000))
    today = datetime.date.today()
    for months_back in (1, 2, 3):
        month = (today.replace(day=1) - datetime.timedelta(days=28 * months_back)).replace(day=1)
        Expense.objects.create(month=month, amount=Decimal(1000), description="loon")
    client.force_login(coordinator)
    page = client.get(reverse("backbone:funding")).content.decode()
    assert "3,333.33" in page  # the partner's share
    assert 'data-figure="runway">9<' in page  # (3000 + 6000) / 1000


def test_the_public_sees_funders_and_totals_per_year_but_no_partner_amounts(client, make_grant, org):
    make_grant(shares={org: Decimal("3333.33")})
    page = client.get(reverse("backbone:funding_public")).content.decode()
    assert "Koning Boudewijnstichting" in page
    assert 'data-figure="total-2025">€ 20,000<' in page
    assert "3,333" not in page and org.name not in page


def test_the_funding_page_is_for_the_backbone_only(client, member, editor):
    assert client.get(reverse("backbone:funding")).status_code == 302
    for person in (member, editor):
        client.force_login(person)
        assert client.get(reverse("backbone:funding")).status_code == 403
        assert client.post(reverse("backbone:expense_add"), {}).status_code == 403


def test_grant_save_changes_shares_of_an_existing_grant(make_grant, org, coordinator, funder):
    grant = make_grant(shares={org: Decimal(100)})
    grant_save(
        actor=coordinator,
        funder=funder,
        title=grant.title,
        amount=grant.amount,
        start=grant.start,
        end=grant.end,
        shares={org: Decimal(200)},
        grant=grant,
    )
    assert grant.shares.get().amount == Decimal(200)


def test_the_admin_refuses_shares_over_the_amount(client, admin_user, funder, org):
    client.force_login(admin_user)
    data = {
        "funder": funder.pk,
        "title": "X",
        "amount": "100",
        "currency": "EUR",
        "start": "2025-01-01",
        "end": "2025-12-31",
        "restrictions": "",
        "shares-TOTAL_FORMS": "1",
        "shares-INITIAL_FORMS": "0",
        "shares-0-organisation": org.pk,
        "shares-0-amount": "150",
        "payments-TOTAL_FORMS": "0",
        "payments-INITIAL_FORMS": "0",
        "reports_due-TOTAL_FORMS": "0",
        "reports_due-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:backbone_grant_add"), data)
    assert response.status_code == 200
    assert "more than the grant" in response.content.decode()
    assert not Grant.objects.exists()


def test_an_expense_typed_on_any_day_of_a_month_counts_in_the_runway(admin_client):
    from samen.backbone.models import CashPosition, Expense
    from samen.backbone.selectors import monthly_spending, runway_now

    CashPosition.objects.create(on=datetime.date(2026, 11, 30), amount=Decimal(12000))
    response = admin_client.post(
        "/en/admin/backbone/expense/add/", {"month": "2026-11-15", "amount": "3000", "description": "rent"}
    )
    assert response.status_code == 302
    assert list(Expense.objects.values_list("month", flat=True)) == [datetime.date(2026, 11, 1)]
    Expense.objects.create(month=datetime.date(2026, 10, 20), amount=Decimal(3000), description="rent")
    Expense.objects.create(month=datetime.date(2026, 9, 1), amount=Decimal(3000), description="rent")
    runway = runway_now(datetime.date(2026, 12, 1))
    assert runway.monthly_spending == 3000 and runway.months == 4.0 and runway.warning
    assert len(monthly_spending(today=datetime.date(2026, 12, 1))) == 3


@pytest.mark.parametrize("amount", ["123456789012345", "1.005"])
def test_an_amount_the_column_cannot_hold_is_refused_on_every_door(client, coordinator, make_grant, amount):
    import io

    from samen.backbone.importer import import_expenses

    data = f"month,amount,description\n2026-10,{amount},big\n".encode()
    result = import_expenses(io.BytesIO(data), name="x.csv", actor=coordinator, commit=True)
    assert not result.ok and not result.committed and result.problems[0].column == "amount"
    client.force_login(coordinator)
    response = client.post(reverse("backbone:expense_import"), {"file": _csv(data.decode())})
    assert response.status_code == 400 and "below 10,000,000,000" in response.content.decode()
    with pytest.raises(ValidationError):
        expense_add(actor=coordinator, month=datetime.date(2026, 10, 1), amount=Decimal(amount), description="x")
    with pytest.raises(ValidationError):
        make_grant(payments=[(datetime.date(2026, 1, 1), Decimal(amount))])
    assert not Expense.objects.exists() and not GrantPayment.objects.exists()


@pytest.mark.parametrize(
    "payments,message", [(["-10"], "cannot be negative"), (["60", "60"], "The payments add up to 120")]
)
def test_the_admin_refuses_negative_payments_and_a_schedule_over_the_amount(
    client, admin_user, funder, payments, message
):
    client.force_login(admin_user)
    data = {
        "funder": funder.pk,
        "title": "X",
        "amount": "100",
        "currency": "EUR",
        "start": "2025-01-01",
        "end": "2025-12-31",
        "shares-TOTAL_FORMS": "0",
        "shares-INITIAL_FORMS": "0",
        "payments-TOTAL_FORMS": str(len(payments)),
        "payments-INITIAL_FORMS": "0",
        "reports_due-TOTAL_FORMS": "0",
        "reports_due-INITIAL_FORMS": "0",
    }
    for i, amount in enumerate(payments):
        data |= {f"payments-{i}-due_on": "2025-06-01", f"payments-{i}-amount": amount}
    response = client.post(reverse("admin:backbone_grant_add"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Grant.objects.exists()


def test_money_received_after_the_cash_was_counted_is_still_to_come(make_grant):
    from samen.backbone.selectors import runway_now

    grant = make_grant(payments=[(datetime.date(2026, 3, 10), Decimal(16000))])
    CashPosition.objects.create(on=datetime.date(2026, 3, 1), amount=Decimal(2000))
    Expense.objects.create(month=datetime.date(2026, 2, 1), amount=Decimal(3000), description="rent")
    GrantPayment.objects.filter(grant=grant).update(received_on=datetime.date(2026, 3, 10))
    runway = runway_now(datetime.date(2026, 3, 20))
    assert runway.to_come == 16000 and runway.months == 18.0
    CashPosition.objects.create(on=datetime.date(2026, 3, 15), amount=Decimal(18000))
    assert runway_now(datetime.date(2026, 3, 20)).to_come == 0
