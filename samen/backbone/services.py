"""Every write of the backbone: validated, atomic, audited."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from samen.backbone import compute
from samen.backbone.models import (
    CashPosition,
    Expense,
    Funder,
    Grant,
    GrantPayment,
    GrantShare,
    Item,
    Participation,
    PublishedReport,
    ReportingDue,
    Result,
    ResultUpdate,
    SurveyRound,
    Tally,
)
from samen.backbone.selectors import may_answer, survey_group
from samen.core.audit import audit_log
from samen.core.permissions import is_backbone
from samen.network.models import Organisation

# --- Funding -------------------------------------------------------------------------------------


def funder_save(*, actor: Any, name: str, website: str = "", funder: Funder | None = None) -> Funder:
    """Register a funder, or change one; audited."""
    is_new = funder is None
    funder = funder or Funder()
    funder.name, funder.website = name.strip(), website
    funder.full_clean()
    with transaction.atomic():
        funder.save()
        audit_log(
            actor=actor, action="backbone.funder_create" if is_new else "backbone.funder_update", obj=funder, changes={}
        )
    return funder


# (due on, amount[, received on]) and (due on, what[, submitted on]): the pages pass the dates they
# know, the demo and the tests the short form.
PaymentLine = tuple[datetime.date, Decimal] | tuple[datetime.date, Decimal, datetime.date | None]
ReportLine = tuple[datetime.date, str] | tuple[datetime.date, str, datetime.date | None]


def _money(amount: Decimal, currency: str) -> str:
    return f"{currency} {number_format(amount, 2, force_grouping=True)}"


def _grant_errors(
    *,
    amount: Decimal,
    currency: str,
    start: datetime.date,
    end: datetime.date,
    shares: Mapping[Organisation, Decimal],
    payments: list[PaymentLine],
    reports_due: list[ReportLine],
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if end < start:
        errors.setdefault("end", []).append(_("The period ends before it starts."))
    if amount <= 0:
        errors.setdefault("amount", []).append(_("The amount must be more than zero."))
    if any(p[1] < 0 or not compute.money_fits(p[1]) for p in payments):
        errors.setdefault("payments", []).append(_("A payment is an amount in euro and cents, not negative."))
    elif amount > 0 and sum((p[1] for p in payments), Decimal(0)) > amount:
        errors.setdefault("payments", []).append(
            _("The payments add up to %(total)s, more than the grant's %(amount)s.")
            % {"total": _money(sum((p[1] for p in payments), Decimal(0)), currency), "amount": _money(amount, currency)}
        )
    if any(not r[1].strip() for r in reports_due):
        errors.setdefault("reports_due", []).append(_("Say what is to be reported by each date."))
    if any(v < 0 for v in shares.values()):
        errors.setdefault("shares", []).append(_("A share cannot be negative."))
    elif amount > 0 and not compute.shares_fit(amount, shares.values()):
        total = sum(shares.values(), Decimal(0))
        errors.setdefault("shares", []).append(
            _("The shares add up to %(total)s (%(percent)s %%), more than the grant's %(amount)s.")
            % {
                "total": _money(total, currency),
                "percent": number_format(total * 100 / amount, 2),
                "amount": _money(amount, currency),
            }
        )
    return errors


def grant_save(
    *,
    actor: Any,
    funder: Funder,
    title: str,
    amount: Decimal,
    start: datetime.date,
    end: datetime.date,
    currency: str = "EUR",
    restrictions: str = "",
    domain: Any = None,
    shares: Mapping[Organisation, Decimal] | None = None,
    payments: Iterable[PaymentLine] | None = None,
    reports_due: Iterable[ReportLine] | None = None,
    grant: Grant | None = None,
) -> Grant:
    """Create or change a grant with its shares, payment schedule and reporting dates, all or nothing.

    The shares are replaced by the ones given. Payments and reporting dates are replaced too when
    given (None leaves them as they are); a reporting date that stays (same date, same report) keeps
    whether it was reminded, so changing a grant does not send its reminders again."""
    shares = dict(shares or {})
    payment_lines = list(payments or [])
    report_lines = list(reports_due or [])
    errors = _grant_errors(
        amount=amount,
        currency=currency,
        start=start,
        end=end,
        shares=shares,
        payments=payment_lines,
        reports_due=report_lines,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        is_new = grant is None
        grant = grant or Grant()
        for name, value in {
            "funder": funder,
            "title": title,
            "amount": amount,
            "currency": currency,
            "start": start,
            "end": end,
            "restrictions": restrictions,
            "domain": domain,
        }.items():
            setattr(grant, name, value)
        grant.full_clean()
        grant.save()
        grant.shares.all().delete()
        GrantShare.objects.bulk_create(GrantShare(grant=grant, organisation=o, amount=a) for o, a in shares.items())
        if payments is not None:
            grant.payments.all().delete()
            GrantPayment.objects.bulk_create(
                GrantPayment(grant=grant, due_on=p[0], amount=p[1], received_on=p[2] if len(p) > 2 else None)
                for p in payment_lines
            )
        if reports_due is not None:
            _reports_due_replace(grant, report_lines)
        audit_log(
            actor=actor,
            action="backbone.grant_create" if is_new else "backbone.grant_update",
            obj=grant,
            changes={"amount": str(amount), "shares": {o.slug: str(a) for o, a in shares.items()}},
        )
    return grant


def _reports_due_replace(grant: Grant, lines: list[ReportLine]) -> None:
    kept = {(r.due_on, r.what): r for r in grant.reports_due.all()}
    wanted = {(line[0], line[1].strip()): line[2] if len(line) > 2 else None for line in lines}
    # A row whose text was corrected (same date) is the same report: it keeps whether it was reminded.
    unmatched = [r for key, r in kept.items() if key not in wanted]
    for (due_on, what), submitted in wanted.items():
        row = kept.get((due_on, what))
        if row is None:
            row = next((r for r in unmatched if r.due_on == due_on), None)
            if row is None:
                ReportingDue.objects.create(grant=grant, due_on=due_on, what=what, submitted_on=submitted)
                continue
            unmatched.remove(row)
        if (row.what, row.submitted_on) != (what, submitted):
            row.what, row.submitted_on = what, submitted
            row.save(update_fields=["what", "submitted_on"])
    ReportingDue.objects.filter(pk__in=[r.pk for r in unmatched]).delete()


def cash_position_save(*, actor: Any, on: datetime.date, amount: Decimal, today: datetime.date) -> CashPosition:
    """The bank balance on a day (a second one for the same day replaces it); the latest is the runway's cash."""
    errors: dict[str, list[str]] = {}
    if amount < 0 or not compute.money_fits(amount):
        errors["amount"] = [_("Cash is an amount in euro and cents, not negative.")]
    if on > today:
        errors["on"] = [
            _("A cash position is of a day that has come, not of %(date)s.") % {"date": date_format(on, "j N Y")}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        position, created = CashPosition.objects.update_or_create(on=on, defaults={"amount": amount})
        audit_log(
            actor=actor,
            action="backbone.cashposition_create" if created else "backbone.cashposition_update",
            obj=position,
            changes={"amount": str(amount)},
        )
    return position


def expense_add(
    *, actor: Any, month: datetime.date, amount: Decimal, description: str, grant: Grant | None = None
) -> Expense:
    if amount < 0:
        raise ValidationError({"amount": _("An expense cannot be negative.")})
    expense = Expense(month=month.replace(day=1), amount=amount, description=description, grant=grant)
    expense.full_clean()
    with transaction.atomic():
        expense.save()
        audit_log(actor=actor, action="backbone.expense_add", obj=expense, changes={"amount": str(amount)})
    return expense


REMINDER_CLAIM_TIMEOUT = datetime.timedelta(hours=1)


def reporting_reminders_claim(
    *, today: datetime.date, now: datetime.datetime, days_before: int = 14
) -> list[ReportingDue]:
    """Claim, for the run that started at `now`, the reports due within `days_before` days that were
    not reminded yet. A report is marked as reminded only once its mail went out
    (`reporting_reminders_sent`); a run whose mail failed lets go (`reporting_reminders_release`) and
    the next run tries again. The claim keeps a second run from mailing the same report meanwhile; a
    claim older than an hour belongs to a run that died and is taken over."""
    ReportingDue.objects.filter(
        Q(reminder_claimed_at__isnull=True) | Q(reminder_claimed_at__lt=now - REMINDER_CLAIM_TIMEOUT),
        submitted_on__isnull=True,
        reminded_on__isnull=True,
        due_on__lte=today + datetime.timedelta(days=days_before),
    ).update(reminder_claimed_at=now)
    # One UPDATE takes each row for one run only; this run's rows are those carrying its own moment.
    return list(
        ReportingDue.objects.filter(reminder_claimed_at=now, reminded_on__isnull=True)
        .select_related("grant__funder")
        .order_by("due_on", "pk")
    )


def reporting_reminders_sent(*, claimed: list[ReportingDue], now: datetime.datetime, today: datetime.date) -> None:
    ReportingDue.objects.filter(pk__in=[r.pk for r in claimed], reminder_claimed_at=now).update(
        reminded_on=today, reminder_claimed_at=None
    )


def reporting_reminders_release(*, claimed: list[ReportingDue], now: datetime.datetime) -> None:
    ReportingDue.objects.filter(pk__in=[r.pk for r in claimed], reminder_claimed_at=now).update(
        reminder_claimed_at=None
    )


# --- Results -------------------------------------------------------------------------------------


def result_update(
    *,
    actor: Any,
    result: Result,
    status: str,
    progress: int | None = None,
    note: str = "",
    on: datetime.date | None = None,
) -> ResultUpdate:
    """A dated entry on a result's timeline; the result takes its status and progress."""
    if progress is not None and not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Progress is a percentage from 0 to 100.")})
    if status not in Result.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    with transaction.atomic():
        before = {"status": result.status, "progress": result.progress}
        update = ResultUpdate(
            result=result, on=on or timezone.localdate(), status=status, progress=progress, note=note, by=actor
        )
        update.full_clean(exclude=["by"])
        update.save()
        result.status = status
        result.progress = progress
        result.save(update_fields=["status", "progress"])
        audit_log(
            actor=actor,
            action="backbone.result_update",
            obj=result,
            changes={"status": [before["status"], status], "progress": [before["progress"], progress]},
        )
    return update


# --- Health check --------------------------------------------------------------------------------


class AnswerRefused(Exception):
    pass


def survey_answer(
    *, user: Any, survey: SurveyRound, scores: Mapping[int, int], now: datetime.datetime | None = None
) -> None:
    """Count one person's answers. Who answered and what they answered are stored apart: the
    answers only raise counters, so nothing ties them to the person or to the moment."""
    now = now or timezone.now()
    if not may_answer(user, survey):
        raise AnswerRefused(_("This round is private to another organisation."))
    if now < survey.opens_at:
        raise AnswerRefused(_("This round is not open yet."))
    if now >= survey.closes_at:
        raise AnswerRefused(
            _("This round closed on %(date)s.") % {"date": f"{timezone.localtime(survey.closes_at):%Y-%m-%d}"}
        )
    items = set(Item.objects.filter(section__instrument_id=survey.instrument_id).values_list("pk", flat=True))
    if set(scores) != items:
        raise AnswerRefused(_("Answer every statement."))
    if any(s not in (1, 2, 3, 4, 5) for s in scores.values()):
        raise AnswerRefused(_("Every answer is a score from 1 to 5."))
    group = survey_group(user)
    answered = Q()
    for item, value in scores.items():
        answered |= Q(item_id=item, group=group, score=value)
    given_now = now is not None
    try:
        with transaction.atomic():
            # Checked again where the write happens, against the stored dates and the time now: an
            # answer that waited (a lock, a slow request, a round closed early) must not land in a
            # round whose scores may already be shown.
            stored = SurveyRound.objects.select_for_update().filter(pk=survey.pk).values("opens_at", "closes_at")
            dates = stored.first()
            at = now if given_now else timezone.now()
            if dates is None or not dates["opens_at"] <= at < dates["closes_at"]:
                raise AnswerRefused(_("This round is closed."))
            # The unique constraint refuses a second answer even when two arrive at once.
            Participation.objects.create(round=survey, user=user, group=group)
            _tally_cells(survey)
            # Every cell of the round is written, not only the answered ones: on PostgreSQL a row
            # keeps the id of the transaction that last wrote it (xmin), which the participation
            # shares; touching all cells leaves nothing that tells which scores this person gave.
            Tally.objects.filter(round=survey).update(
                count=F("count") + Case(When(answered, then=Value(1)), default=Value(0))
            )
    except IntegrityError:
        raise AnswerRefused(_("You already answered this round.")) from None
    # No audit entry: it would carry a time and a name next to the round.


def _tally_cells(survey: SurveyRound) -> None:
    """Every (item, group, score) cell of a round at zero, made at once before any count: cells made
    as answers arrive would, by their order, tell the first answers apart."""
    if Tally.objects.filter(round=survey).exists():
        return
    items = Item.objects.filter(section__instrument_id=survey.instrument_id).order_by("pk").values_list("pk", flat=True)
    Tally.objects.bulk_create(
        (
            Tally(round=survey, item_id=item, group=group, score=value)
            for item in items
            for group in Participation.Group.values
            for value in range(1, 6)
        ),
        ignore_conflicts=True,
    )


# --- The report card -----------------------------------------------------------------------------


def report_publish(
    *, actor: Any, year: int, language: str, html: str, pdf: bytes, figures: dict[str, Any], seconds: float
) -> PublishedReport:
    """Archive a report card as published. A published year never changes: publishing it again is refused."""
    if not is_backbone(actor):
        raise PermissionError("only the backbone publishes report cards")
    if PublishedReport.objects.filter(year=year, language=language).exists():
        raise ValidationError(
            _("The report card of %(year)s is already published; it does not change.") % {"year": year}
        )
    with transaction.atomic():
        report = PublishedReport.objects.create(
            year=year,
            language=language,
            html=html,
            pdf=pdf,
            figures=figures,
            published_by=actor,
            generation_seconds=seconds,
        )
        audit_log(actor=actor, action="backbone.report_publish", obj=report)
    return report


def report_publish_year(
    *, actor: Any, year: int, build: Callable[[int], tuple[dict[str, Any], str, bytes, float]] | None = None
) -> list[PublishedReport]:
    """Publish a year's report card in every language, all or nothing: every language is built
    first, then all are archived in one transaction. A language published already is left as it is
    (so a publication cut short can be completed); a year published in every language is refused."""
    from samen.backbone import report

    if not is_backbone(actor):
        raise PermissionError("only the backbone publishes report cards")
    if year >= timezone.localdate().year:
        raise ValidationError(_("The report card of %(year)s can be published once the year is over.") % {"year": year})
    build = build or report.build
    done = set(PublishedReport.objects.filter(year=year).values_list("language", flat=True))
    missing = [language for language, _name in settings.LANGUAGES if language not in done]
    if not missing:
        raise ValidationError(
            _("The report card of %(year)s is already published; it does not change.") % {"year": year}
        )
    built = {}
    for language in missing:
        with translation.override(language):
            built[language] = build(year)
    try:
        with transaction.atomic():
            return [
                report_publish(
                    actor=actor, year=year, language=language, html=html, pdf=pdf, figures=figures, seconds=seconds
                )
                for language, (figures, html, pdf, seconds) in built.items()
            ]
    except IntegrityError:  # a second click that arrived while this one was building
        raise ValidationError(
            _("The report card of %(year)s is already published; it does not change.") % {"year": year}
        ) from None
