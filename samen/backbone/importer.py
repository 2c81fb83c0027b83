"""Importing expenses from a bookkeeping export (CSV or XLSX): every row checked, then all or nothing.

Columns: month (YYYY-MM or a date), amount, description, and optionally grant (the grant's id).
Tables are read like the measurement importer reads them (comma, semicolon or tab; UTF-8; XLSX)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from samen.backbone.compute import money_fits
from samen.backbone.models import Expense, Grant
from samen.core.audit import audit_log
from samen.measurement.importer import ImportRefused, Problem, read_table

REQUIRED = ("month", "amount", "description")


@dataclass
class ExpenseImport:
    rows: int = 0
    total: Decimal = Decimal(0)
    problems: list[Problem] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def _month(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime | datetime.date):
        return datetime.date(value.year, value.month, 1)
    text = str(value).strip()
    for fmt in ("%Y-%m", "%Y-%m-%d", "%d/%m/%Y", "%m/%Y"):
        try:
            day = datetime.datetime.strptime(text, fmt)  # noqa: DTZ007 (a calendar date, no time)
        except ValueError:
            continue
        return datetime.date(day.year, day.month, 1)
    return None


def _amount(value: Any) -> Decimal | None:
    text = str(value).strip().replace("€", "").replace(" ", "")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")  # 1.234,56
    elif "," in text:
        text = text.replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def import_expenses(source: IO[bytes], *, name: str, actor: Any, commit: bool) -> ExpenseImport:
    """Check every row; with `commit` and no problem, write them all in one transaction."""
    result = ExpenseImport()
    rows = read_table(source, name)
    try:
        _line, header = next(rows)
    except StopIteration:
        raise ImportRefused(_("The file is empty.")) from None
    columns = [str(h).strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ImportRefused(_("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)})
    at = {c: columns.index(c) for c in (*REQUIRED, "grant") if c in columns}
    grants = set(Grant.objects.values_list("pk", flat=True))
    expenses: list[Expense] = []
    for line, cells in rows:
        if not any(str(c).strip() for c in cells):
            continue
        values = {c: cells[i] if i < len(cells) else "" for c, i in at.items()}
        cell = values.get
        result.rows += 1
        month, amount, description = (
            _month(cell("month", "")),
            _amount(cell("amount", "")),
            str(cell("description", "")).strip(),
        )
        grant_id = None
        if month is None:
            result.problems.append(
                Problem(line, "month", _("Not a month: “%(value)s” (use YYYY-MM).") % {"value": cell("month", "")})
            )
        if amount is None:
            result.problems.append(
                Problem(line, "amount", _("Not an amount: “%(value)s”.") % {"value": cell("amount", "")})
            )
        elif amount < 0:
            result.problems.append(Problem(line, "amount", _("An expense cannot be negative.")))
        elif not money_fits(amount):
            result.problems.append(
                Problem(
                    line,
                    "amount",
                    _("“%(value)s” is not an amount in euro and cents below 10,000,000,000.")
                    % {"value": cell("amount", "")},
                )
            )
        if not description:
            result.problems.append(Problem(line, "description", _("Say what the money was spent on.")))
        if str(cell("grant", "")).strip():
            try:
                grant_id = int(str(cell("grant", "")).strip())
            except ValueError:
                grant_id = -1
            if grant_id not in grants:
                result.problems.append(
                    Problem(line, "grant", _("No grant with id “%(value)s”.") % {"value": cell("grant", "")})
                )
        if month and amount is not None and amount >= 0 and money_fits(amount) and description:
            result.total += amount
            expenses.append(
                Expense(
                    month=month,
                    amount=amount,
                    description=description[:200],
                    grant_id=grant_id,
                    imported_from=name[:200],
                )
            )
    if commit and result.ok and expenses:
        with transaction.atomic():
            Expense.objects.bulk_create(expenses)
            audit_log(
                actor=actor,
                action="backbone.expense_import",
                changes={"file": name, "rows": result.rows, "total": str(result.total)},
            )
        result.committed = True
    return result
