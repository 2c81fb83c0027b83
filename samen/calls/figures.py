"""Call campaigns feed the shared measurement with counts per neighbourhood, never a name.

Two indicators, recorded through measurement's service as approved values (so the public pages
apply measurement's small-count suppression, "< 5", to counts and to rates on them):
- `calls-reached`: share of the people in the campaigns' pools who were reached, per neighbourhood
  and quarter (campaigns running in that quarter);
- `calls-needs`: people reached with at least one need (shopping, medication, loneliness, ...),
  per neighbourhood and quarter.
Recomputing a period writes the same rows again: the job is idempotent."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from samen.calls.models import CallCampaign, CallEntry, CallRule
from samen.measurement.models import Indicator
from samen.measurement.periods import period_for
from samen.measurement.services import indicator_save, measurement_record, published_data_changed
from samen.measurement.validation import Row
from samen.network.models import Organisation

REACHED = (CallRule.Outcome.REACHED, CallRule.Outcome.NEED)
# code: (name nl, name en, definition nl, definition en, unit, kind, direction)
INDICATORS = {
    "calls-reached": (
        "Bereikt in de belcampagnes",
        "Reached in the call campaigns",
        "Aandeel van de inwoners in de bellijsten van de belcampagnes dat aan de lijn kwam, per wijk en kwartaal.",
        "Share of the residents on the call campaigns' lists who were reached by phone, per neighbourhood and quarter.",
        "percentage",
        "ratio",
        "up",
    ),
    "calls-needs": (
        "Noden gevonden in de belcampagnes",
        "Needs found in the call campaigns",
        "Aantal bereikte inwoners met minstens één nood (boodschappen, medicatie, eenzaamheid, vervoer, geld, "
        "iemand om mee te praten), per wijk en kwartaal.",
        "Number of residents reached who had at least one need (shopping, medication, loneliness, transport, money, "
        "someone to talk to), per neighbourhood and quarter.",
        "count",
        "value",
        "up",
    ),
}


def _default_steward() -> Organisation | None:
    """The backbone organisation stewards the call indicators (else an initiator; none yet: later)."""
    for role in (Organisation.Role.BACKBONE, Organisation.Role.INITIATOR):
        found = Organisation.objects.filter(role=role).order_by("pk").first()
        if found is not None:
            return found
    return None


def _found(code: str) -> Indicator | None:
    return Indicator.objects.filter(code=code).first()


def call_indicators_ensure(*, steward: Organisation | None = None) -> list[Indicator]:
    """The two indicators, made once: when the first campaign is created and by the periodic job
    (a site needs no manual step); the demo passes its steward."""
    made = []
    for code, (name_nl, name_en, def_nl, def_en, unit, kind, direction) in INDICATORS.items():
        indicator = _found(code)
        if indicator is None:
            steward = steward or _default_steward()
            if steward is None:  # none yet: the periodic job tries again
                return []
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
                frequency="quarterly",
                steward=steward,
                population_band="",
                data_source="Samen: belcampagnes / call campaigns",
            )
            try:
                with transaction.atomic():  # two first campaigns at once: the second reads the first's
                    indicator_save(indicator=indicator, actor=None, note="calls")
            except (IntegrityError, ValidationError):  # the database's or the model's "already exists"
                indicator = _found(code)
                if indicator is None:
                    raise
        made.append(indicator)
    return made


@transaction.atomic
def call_figures_publish(*, today: datetime.date | None = None) -> int:
    """Record this quarter's figures of the call indicators that exist; returns rows written."""
    today = today or timezone.localdate()
    if not CallCampaign.objects.exists():
        return 0
    indicators = {i.code: i for i in call_indicators_ensure()}
    if not indicators:
        return 0
    start, end = period_for("quarterly", today)
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # area: reached, in pool, with a need
    entries = CallEntry.objects.filter(campaign__starts_on__lte=end, campaign__ends_on__gte=start).values_list(
        "area_id", "last_outcome", "needs"
    )
    for area, outcome, needs in entries:
        totals[area][1] += 1
        totals[area][0] += outcome in REACHED
        totals[area][2] += bool(needs) and outcome in REACHED
    rows: list[Row] = []
    reached, needs_found = indicators.get("calls-reached"), indicators.get("calls-needs")
    for area, (num, den, with_need) in sorted(totals.items()):
        if reached is not None and den:
            rows.append(Row(reached, area, start, end, "", num / den * reached.scale, float(num), float(den)))
        if needs_found is not None:
            rows.append(Row(needs_found, area, start, end, "", float(with_need), None, None))
    changed = set()
    for row in rows:
        _m, what = measurement_record(
            row=row, actor=None, organisation=row.indicator.steward, status="approved", note="calls"
        )
        if what != "unchanged":
            changed.add(row.indicator.pk)
    if changed:
        published_data_changed(changed)
    return len(rows)
