"""Figures without people: care feeds the shared measurement with counts per area, never a name.

Four indicators, recorded through measurement's own service as approved values, so the public
pages show them with measurement's small-count suppression (a count below the indicator's
disclosure threshold shows as "< 5", and so does a rate on such a count):
- `care-signals`: signals per neighbourhood, per quarter;
- `care-three-numbers`: share of residents over 80 with three nearby phone numbers, per neighbourhood;
- `care-referrals-in-time`: share of finished referrals completed within 28 days, per network area;
- `care-visited-less-weekly`: share of surveyed residents visited less than once a week, per neighbourhood.
Recomputing a period writes the same rows again: the job is idempotent."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from django.db import transaction
from django.utils import timezone

from samen.care.models import Referral, Resident, Signal, SurveyAnswer
from samen.measurement.models import Indicator
from samen.measurement.periods import period_for
from samen.measurement.services import indicator_save, measurement_record, published_data_changed
from samen.measurement.validation import Row
from samen.network.models import Organisation

# code: (name nl, name en, definition nl, definition en, unit, kind, direction, frequency, population band)
INDICATORS = {
    "care-signals": (
        "Signalen aan de buurtnetwerken",
        "Signals to the care networks",
        "Aantal signalen over mogelijk geïsoleerde ouderen dat de buurtnetwerken kregen, per wijk en kwartaal.",
        "Number of signals about possibly isolated older people the care networks received, per neighbourhood and quarter.",
        "count",
        "value",
        "up",
        "quarterly",
        "",
    ),
    "care-three-numbers": (
        "80-plussers in het netwerk met drie nummers in de buurt",
        "Residents over 80 in the networks with three nearby numbers",
        "Aandeel van de 80-plussers die een buurtnetwerk kent dat drie telefoonnummers van mensen in de buurt heeft.",
        "Share of the residents over 80 known to a care network who have three phone numbers of people nearby.",
        "percentage",
        "ratio",
        "up",
        "quarterly",
        "80+",
    ),
    "care-referrals-in-time": (
        "Doorverwijzingen binnen 28 dagen afgerond",
        "Referrals completed within 28 days",
        "Aandeel van de afgesloten doorverwijzingen van de buurtnetwerken dat binnen 28 dagen met succes afgerond werd.",
        "Share of the care networks' finished referrals that were completed within 28 days.",
        "percentage",
        "ratio",
        "up",
        "quarterly",
        "",
    ),
    "care-visited-less-weekly": (
        "Bevraagde ouderen met minder dan wekelijks bezoek",
        "Surveyed older people visited less than weekly",
        "Aandeel van de ouderen in een bevraging van een buurtnetwerk dat minder dan één keer per week bezoek krijgt.",
        "Share of the older people in a care network's survey round who get a visit less than once a week.",
        "percentage",
        "ratio",
        "down",
        "yearly",
        "80+",
    ),
}


def care_indicators_ensure(*, steward: Organisation) -> list[Indicator]:
    """The care indicators, made once with the steward given (the backbone, in the demo)."""
    made = []
    for code, (name_nl, name_en, def_nl, def_en, unit, kind, direction, frequency, band) in INDICATORS.items():
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None:
            indicator = Indicator(
                code=code,
                name_nl=name_nl,
                name_en=name_en,
                definition_nl=def_nl,
                definition_en=def_en,
                unit=unit,
                kind=kind,
                direction=direction,
                level=Indicator.Level.PERFORMANCE,
                frequency=frequency,
                steward=steward,
                population_band=band,
                data_source="Samen: buurtnetwerken / care networks",
            )
            indicator_save(indicator=indicator, actor=None, note="care")
        made.append(indicator)
    return made


def _age(year: int | None, today: datetime.date) -> int | None:
    return None if year is None else today.year - year


@transaction.atomic
def care_figures_publish(*, today: datetime.date | None = None) -> int:
    """Record the current period's figures of every care indicator that exists; returns rows written."""
    today = today or timezone.localdate()
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=INDICATORS)}
    rows: list[Row] = []
    if "care-signals" in indicators:
        rows += _signals(indicators["care-signals"], today)
    if "care-three-numbers" in indicators:
        rows += _three_numbers(indicators["care-three-numbers"], today)
    if "care-referrals-in-time" in indicators:
        rows += _referrals(indicators["care-referrals-in-time"], today)
    if "care-visited-less-weekly" in indicators:
        rows += _visits(indicators["care-visited-less-weekly"], today)
    changed = set()
    for row in rows:
        _m, what = measurement_record(
            row=row, actor=None, organisation=row.indicator.steward, status="approved", note="care"
        )
        if what != "unchanged":
            changed.add(row.indicator.pk)
    if changed:
        published_data_changed(changed)
    return len(rows)


def _count_row(indicator: Indicator, area_id: int, start: datetime.date, end: datetime.date, n: int) -> Row:
    return Row(indicator, area_id, start, end, "", float(n), None, None)


def _ratio_row(indicator: Indicator, area_id: int, start: datetime.date, end: datetime.date, num: int, den: int) -> Row:
    return Row(indicator, area_id, start, end, "", num / den * indicator.scale, float(num), float(den))


def _signals(indicator: Indicator, today: datetime.date) -> list[Row]:
    start, end = period_for(indicator.frequency, today)
    counts = Counter(
        # A worry not yet handed to a network is counted once a network has it.
        Signal.objects.filter(
            network__isnull=False, created_at__date__gte=start, created_at__date__lte=end
        ).values_list("area_id", flat=True)
    )
    return [_count_row(indicator, area, start, end, n) for area, n in sorted(counts.items())]


def _three_numbers(indicator: Indicator, today: datetime.date) -> list[Row]:
    start, end = period_for(indicator.frequency, today)
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for area, year, nearby in Resident.objects.filter(erased_at__isnull=True, birth_year__isnull=False).values_list(
        "area_id", "birth_year", "nearby_count"
    ):
        if (_age(year, today) or 0) >= 80:
            totals[area][1] += 1
            totals[area][0] += nearby >= 3
    return [_ratio_row(indicator, area, start, end, num, den) for area, (num, den) in sorted(totals.items()) if den]


def _referrals(indicator: Indicator, today: datetime.date) -> list[Row]:
    start, end = period_for(indicator.frequency, today)
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    finished = Referral.objects.filter(
        status__in=[Referral.Status.COMPLETED, Referral.Status.FAILED],
        finished_at__date__gte=start,
        finished_at__date__lte=end,
    ).values_list("case__network__area_id", "status", "requested_at", "finished_at")
    for area, status, requested, done in finished:  # finished: `done` is set (filtered on above)
        totals[area][1] += 1
        in_time = done is not None and (done - requested) <= datetime.timedelta(days=28)
        totals[area][0] += status == Referral.Status.COMPLETED and in_time
    return [_ratio_row(indicator, area, start, end, num, den) for area, (num, den) in sorted(totals.items()) if den]


def _visits(indicator: Indicator, today: datetime.date) -> list[Row]:
    """Per survey year up to this one (a later round of the same year counts with it)."""
    totals: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for area, held, visits in SurveyAnswer.objects.filter(resident__erased_at__isnull=True).values_list(
        "resident__area_id", "survey__held_on", "visits"
    ):
        totals[(held.year, area)][1] += 1
        totals[(held.year, area)][0] += visits in (SurveyAnswer.Visits.LESS, SurveyAnswer.Visits.NEVER)
    rows = []
    for (year, area), (num, den) in sorted(totals.items()):
        start, end = period_for(indicator.frequency, datetime.date(year, 6, 30))
        if den and start <= today:
            rows.append(_ratio_row(indicator, area, start, end, num, den))
    return rows
