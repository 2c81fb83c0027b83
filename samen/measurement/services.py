"""Every write of shared measurement: recording values, the approval flow, definitions, stories."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import signals
from samen.core.audit import audit_log
from samen.core.tasks import enqueue
from samen.measurement.models import Indicator, IndicatorVersion, Measurement, MeasurementChange, Narrative
from samen.measurement.tasks import warm_indicator_figures
from samen.measurement.validation import Row, RowError
from samen.network.models import Organisation, User

DEFINITION_FIELDS = ("definition_nl", "definition_en", "unit", "kind")
Status = Measurement.Status


def published_data_changed(indicator_ids: Iterable[int]) -> None:
    """What the public sees of these indicators changed: their cached figures are stale."""
    ids = sorted(set(indicator_ids))
    # Indicators that take their population from one of these say other numbers of people now too.
    Indicator.objects.filter(Q(pk__in=ids) | Q(population_indicator__in=ids)).update(data_version=F("data_version") + 1)
    enqueue(warm_indicator_figures, ids)


def areas_changed(**kwargs: Any) -> None:
    """Areas or population figures changed: every indicator's figures are computed anew."""
    Indicator.objects.update(data_version=F("data_version") + 1)
    enqueue(warm_indicator_figures, list(Indicator.objects.filter(is_published=True).values_list("pk", flat=True)))


def _being_imported(indicator_ids: Iterable[int]) -> set[int]:
    """Those of the indicators an import is storing values of, with their rows locked (PostgreSQL) until
    the caller's transaction ends, so no import claims them in between (on SQLite the write lock does)."""
    rows = Indicator.objects.select_for_update().filter(pk__in=sorted(set(indicator_ids))).order_by("pk")
    return {pk for pk, importing in rows.values_list("pk", "importing") if importing}


def _figure(m: Measurement) -> dict[str, Any]:
    return {"value": m.value, "numerator": m.numerator, "denominator": m.denominator, "status": m.status}


@transaction.atomic
def measurement_record(
    *, row: Row, actor: User | None, organisation: Organisation | None, status: str = Status.DRAFT, note: str = ""
) -> tuple[Measurement, str]:
    """Store one checked row (as a draft unless told otherwise); returns the measurement and "new", "changed" or "unchanged".

    A changed value of an approved measurement goes back to draft: the public keeps seeing only
    approved values, and the new one must be approved in its turn.

    Refused (RowError) while an import stores values of the indicator: what is typed in meanwhile
    would be overwritten, or recorded with the wrong old value, when the import goes live."""
    if _being_imported([row.indicator.pk]):
        raise RowError(
            "indicator",
            _("An import is storing values of %(code)s right now; try again in a minute.")
            % {"code": row.indicator.code},
        )
    measurement = (
        Measurement.objects.select_for_update()
        .filter(
            indicator=row.indicator,
            area_key=row.area_id or 0,
            period_start=row.period_start,
            period_end=row.period_end,
            dims=row.dims,
        )
        .first()
    )
    if measurement is None:
        measurement = Measurement.objects.create(
            indicator=row.indicator,
            area_id=row.area_id,
            area_key=row.area_id or 0,
            period_start=row.period_start,
            period_end=row.period_end,
            dims=row.dims,
            value=row.value,
            numerator=row.numerator,
            denominator=row.denominator,
            organisation=organisation,
            status=status,
        )
        MeasurementChange.objects.create(
            measurement=measurement, by=actor, action="created", new=_figure(measurement), comment=note
        )
        return measurement, "new"
    if (measurement.value, measurement.numerator, measurement.denominator) == (
        row.value,
        row.numerator,
        row.denominator,
    ):
        return measurement, "unchanged"
    old = _figure(measurement)
    if measurement.status == Status.APPROVED:
        # The public keeps the approved value until the change is approved in its turn.
        measurement.kept = True
        measurement.kept_value, measurement.kept_numerator, measurement.kept_denominator = (
            measurement.value,
            measurement.numerator,
            measurement.denominator,
        )
    measurement.value, measurement.numerator, measurement.denominator = row.value, row.numerator, row.denominator
    measurement.status = status
    measurement.comment = ""
    measurement.updated_at = timezone.now()
    measurement.save()
    MeasurementChange.objects.create(
        measurement=measurement, by=actor, action="changed", old=old, new=_figure(measurement), comment=note
    )
    return measurement, "changed"


def _move(
    measurements: Iterable[Measurement], *, actor: User, allowed_from: set[str], to: str, action: str, comment: str = ""
) -> int:
    """Move measurements to another status in two queries plus one for their history.

    Refused as a whole (RowError) when an import is storing values of one of their indicators right now:
    the import replaces those values, and moving only the others would leave the choice half done."""
    chosen = [m for m in measurements if m.status in allowed_from]
    busy = _being_imported({m.indicator_id for m in chosen})
    if busy:
        codes = sorted(Indicator.objects.filter(pk__in=busy).values_list("code", flat=True))
        raise RowError(
            "indicator",
            _("An import is storing values of %(code)s right now; try again in a minute.") % {"code": ", ".join(codes)},
        )
    # Read anew under the lock: a value read before an import went live may have been the copy of an old
    # value, gone since (it must get no history), or another approver may have moved it meanwhile.
    current = Measurement.objects.select_for_update().filter(pk__in=[m.pk for m in chosen], status__in=allowed_from)
    still = set(current.values_list("pk", flat=True))
    chosen = [m for m in chosen if m.pk in still]
    if not chosen:
        return 0
    now = timezone.now()
    approved = {"kept": False, "kept_value": None, "kept_numerator": None, "kept_denominator": None}
    Measurement.objects.filter(pk__in=[m.pk for m in chosen]).update(
        status=to, comment=comment, updated_at=now, **(approved if to == Status.APPROVED else {})
    )
    changes = []
    for m in chosen:
        old = _figure(m)
        m.status, m.comment, m.updated_at = to, comment, now
        changes.append(
            MeasurementChange(measurement=m, by=actor, action=action, old=old, new=_figure(m), comment=comment)
        )
    MeasurementChange.objects.bulk_create(changes, batch_size=2000)
    if to == Status.APPROVED or Status.APPROVED in allowed_from:
        published_data_changed(m.indicator_id for m in chosen)
    return len(chosen)


@transaction.atomic
def measurements_submit(*, measurements: Iterable[Measurement], actor: User) -> int:
    """Drafts and returned values go to the backbone for approval."""
    for m in measurements:
        if not actor.has_perm("measurement.submit_for_indicator", m.indicator):
            raise PermissionDenied
    count = _move(
        measurements, actor=actor, allowed_from={Status.DRAFT, Status.RETURNED}, to=Status.SUBMITTED, action="submitted"
    )
    ids = [m.pk for m in measurements if m.status == Status.SUBMITTED]
    transaction.on_commit(lambda: signals.measurements_submitted.send(sender=Measurement, measurement_ids=ids))
    return count


@transaction.atomic
def measurements_approve(*, measurements: Iterable[Measurement], actor: User) -> int:
    if not actor.has_perm("measurement.approve"):
        raise PermissionDenied
    count = _move(measurements, actor=actor, allowed_from={Status.SUBMITTED}, to=Status.APPROVED, action="approved")
    audit_log(actor=actor, action="measurements.approved", changes={"count": count})
    return count


@transaction.atomic
def measurements_return(*, measurements: Iterable[Measurement], actor: User, comment: str) -> int:
    """Send values back to the steward with the reason."""
    if not actor.has_perm("measurement.approve"):
        raise PermissionDenied
    if not comment.strip():
        raise ValidationError(_("Say why the values go back, so the steward can fix them."))
    count = _move(
        measurements,
        actor=actor,
        allowed_from={Status.SUBMITTED},
        to=Status.RETURNED,
        action="returned",
        comment=comment.strip(),
    )
    audit_log(actor=actor, action="measurements.returned", changes={"count": count, "comment": comment.strip()})
    ids = [m.pk for m in measurements if m.status == Status.RETURNED]
    transaction.on_commit(lambda: signals.measurements_returned.send(sender=Measurement, measurement_ids=ids))
    return count


@transaction.atomic
def indicator_save(
    *, indicator: Indicator, actor: User | None, note: str = "", valid_from: datetime.date | None = None
) -> Indicator:
    """Save an indicator; a changed definition, unit or kind becomes a new dated version."""
    indicator.full_clean()
    before = Indicator.objects.filter(pk=indicator.pk).values(*DEFINITION_FIELDS).first() if indicator.pk else None
    changed = before is not None and any(before[f] != getattr(indicator, f) for f in DEFINITION_FIELDS)
    if changed:
        indicator.version += 1
    indicator.save()
    if before is None or changed:
        IndicatorVersion.objects.create(
            indicator=indicator,
            number=indicator.version,
            valid_from=valid_from or timezone.localdate(),
            definition_nl=indicator.definition_nl,
            definition_en=indicator.definition_en,
            unit=indicator.unit,
            kind=indicator.kind,
            note=note,
        )
        audit_log(
            actor=actor, action="indicator.defined", obj=indicator, changes={"version": indicator.version, "note": note}
        )
    return indicator


@transaction.atomic
def narrative_save(
    *, indicator: Indicator, period_end: datetime.date, text_nl: str, text_en: str, actor: User
) -> Narrative:
    if not actor.has_perm("measurement.submit_for_indicator", indicator):
        raise PermissionDenied
    narrative, _created = Narrative.objects.update_or_create(
        indicator=indicator, period_end=period_end, defaults={"text_nl": text_nl, "text_en": text_en, "author": actor}
    )
    audit_log(actor=actor, action="narrative.saved", obj=indicator, changes={"period_end": str(period_end)})
    published_data_changed([indicator.pk])
    return narrative


@transaction.atomic
def challenge_indicators_set(*, challenge: Any, indicators: Iterable[Indicator], actor: User) -> None:
    """Which indicators show a challenge of the agenda: their live figures appear on its page."""
    before = set(challenge.indicators.values_list("code", flat=True))
    challenge.indicators.set(indicators)
    after = set(challenge.indicators.values_list("code", flat=True))
    if before != after:
        audit_log(
            actor=actor,
            action="challenge.indicators_set",
            obj=challenge,
            changes={"indicators": [sorted(before), sorted(after)]},
        )
