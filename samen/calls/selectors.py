"""Reads of call campaigns that pages share. A caller's view of a person is built here and holds
only what a call needs: first name, phone, age band, language and the previous attempts."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from samen.calls.models import (
    AGE_BANDS,
    NEED_CODES,
    CallAttempt,
    CallBatch,
    CallCampaign,
    CallEntry,
    CallRule,
    CircleMember,
    DoNotCall,
    TelephoneCircle,
    age_band,
)
from samen.care import access as care_access
from samen.care.models import Resident, Signal
from samen.core.disclosure import public_counts
from samen.core.permissions import is_backbone
from samen.network.models import User

S = CallEntry.Status
REACHED = (CallRule.Outcome.REACHED, CallRule.Outcome.NEED)
THRESHOLD = 5


def campaigns_for(user: Any) -> QuerySet[CallCampaign]:
    """The backbone: every campaign; a coordinator: their networks'; a caller: those they call for."""
    campaigns = CallCampaign.objects.select_related("network")
    if is_backbone(user):
        return campaigns
    coordinated = [n for n, m in care_access.memberships(user).items() if m.is_coordinator]
    return campaigns.filter(Q(network__in=coordinated) | Q(callers=user)).distinct()


def circles_for(user: Any) -> QuerySet[TelephoneCircle]:
    memberships = care_access.memberships(user)
    coordinated = [n for n, m in memberships.items() if m.is_coordinator]
    return TelephoneCircle.objects.filter(
        Q(network__in=coordinated) | Q(key_holder=user, network__in=list(memberships))
    ).select_related("network")


@dataclass
class Callee:
    """What a caller sees of a person: never the full name, the address, or notes."""

    entry: CallEntry
    first_name: str
    phone: str
    age_band: str
    language: str
    attempts: list[CallAttempt] = field(default_factory=list)


def callee(entry: CallEntry, today: datetime.date) -> Callee:
    resident = entry.person
    bands = dict(AGE_BANDS)
    return Callee(
        entry=entry,
        first_name=(resident.name.split() or [""])[0],
        phone=resident.phone,
        age_band=str(bands.get(age_band(resident.birth_year, today), "")),
        language=resident.get_language_display(),
        attempts=list(entry.calls.all()),
    )


def batch_people(batch: CallBatch, today: datetime.date) -> list[Callee]:
    """The people of a live batch (three queries whatever its size); only the columns a call needs."""
    entries = (
        batch.entries.filter(status=S.RESERVED)
        .select_related("resident")
        .only(
            "status",
            "position",
            "attempts",
            "campaign_id",
            "batch_id",
            "resident__reference",
            "resident__name",
            "resident__phone",
            "resident__birth_year",
            "resident__language",
        )
        .prefetch_related("calls")
        .order_by("position")
    )
    return [callee(e, today) for e in entries]


def my_call_backs(campaign: CallCampaign, caller: Any) -> QuerySet[CallEntry]:
    """Call backs kept for this caller (when, not who: the person shows once it is in their batch)."""
    return CallEntry.objects.filter(campaign=campaign, status=S.WAITING, caller=caller).order_by("available_at")


def entries_with_status(campaign: CallCampaign, status: str) -> QuerySet[CallEntry]:
    """References and areas only: the coordinator opens a resident in care (audited there)."""
    return (
        campaign.entries.filter(status=status)
        .select_related("resident", "area")
        .only(
            "status",
            "attempts",
            "last_outcome",
            "follow_up",
            "position",
            "campaign_id",
            "resident__reference",
            "area__name",
        )
        .order_by("position")
    )


def debriefs(campaign: CallCampaign) -> QuerySet[CallAttempt]:
    return (
        CallAttempt.objects.filter(entry__campaign=campaign, debrief=True, debriefed_at__isnull=True)
        .select_related("caller", "entry__resident")
        .order_by("at")
    )


# --- The dashboard: counts only, small ones hidden -------------------------------------------------


@dataclass
class Cell:
    value: int
    hidden: bool = False
    small: bool = False


def _protected(counts: dict[Any, int], relations: list[tuple[Any, list[Any]]]) -> dict[Any, Cell]:
    hidden, small = public_counts(counts, relations, threshold=THRESHOLD)
    return {k: Cell(int(v), k in hidden, k in small) for k, v in counts.items()}


@dataclass
class Dashboard:
    pool: int
    by_status: dict[str, Cell]
    by_band: list[tuple[str, Cell, Cell, int | None]]
    by_area: list[tuple[str, Cell, Cell, int | None]]
    attempts: list[tuple[int, Cell]]
    needs: list[tuple[str, Cell]]
    signals: Cell
    signals_acted: Cell


def dashboard(campaign: CallCampaign, today: datetime.date) -> Dashboard:
    """Reached per age band and neighbourhood, attempts per person, needs, signals: one pass over the
    pool's clear columns (no resident is read), every count protected with the platform's rule
    (below 5 hidden, and what would give a hidden one away by subtraction)."""
    rows = list(campaign.entries.values_list("birth_year", "area__name", "status", "last_outcome", "attempts", "needs"))
    pool = len(rows)
    status: Counter[str] = Counter()
    band_all: Counter[str] = Counter()
    band_reached: Counter[str] = Counter()
    area_all: Counter[str] = Counter()
    area_reached: Counter[str] = Counter()
    attempts: Counter[int] = Counter()
    needs: Counter[str] = Counter()
    for year, area, state, outcome, tries, found in rows:
        band = age_band(year, today) or "?"
        status[state] += 1
        band_all[band] += 1
        area_all[area] += 1
        attempts[min(tries, 4)] += 1
        if outcome in REACHED:
            band_reached[band] += 1
            area_reached[area] += 1
        for need in found or []:
            needs[need] += 1
    statuses = {s: status.get(s, 0) for s in S.values}
    status_cells = _protected({**statuses, "all": pool}, [("all", list(S.values))])
    bands = [b for b, _label in AGE_BANDS if band_all[b]] + (["?"] if band_all["?"] else [])
    labels = dict(AGE_BANDS)
    areas = sorted(area_all)
    return Dashboard(
        pool=pool,
        by_status={s: status_cells[s] for s in S.values},
        by_band=_pairs(bands, band_all, band_reached, lambda b: str(labels.get(b, "?"))),
        by_area=_pairs(areas, area_all, area_reached, str),
        attempts=_ordered(
            _protected({**{n: attempts[n] for n in range(5)}, "all": pool}, [("all", list(range(5)))]), range(5)
        ),
        needs=[(code, cell) for code, cell in _protected({c: needs[c] for c in NEED_CODES}, []).items()],
        **_signals(campaign),
    )


def status_cells(campaign: CallCampaign) -> tuple[int, list[tuple[str, Cell]]]:
    """The pool by status, protected like the dashboard (one grouped query)."""
    counts = dict.fromkeys(S.values, 0)
    for status, n in campaign.entries.values_list("status").annotate(n=Count("pk")).values_list("status", "n"):
        counts[status] = n
    total = sum(counts.values())
    cells = _protected({**counts, "all": total}, [("all", list(S.values))])
    return total, [(str(S(s).label), cells[s]) for s in S.values]


def _ordered(cells: dict[Any, Cell], keys: Any) -> list[tuple[Any, Cell]]:
    return [(k, cells[k]) for k in keys]


def _pairs(
    keys: list[Any], total: Counter[Any], reached: Counter[Any], label: Any
) -> list[tuple[str, Cell, Cell, int | None]]:
    """(label, in the pool, reached) per key; the totals and the parts protected together."""
    counts: dict[Any, int] = {("all", k): total[k] for k in keys}
    counts |= {("reached", k): reached[k] for k in keys}
    counts[("all", "*")] = sum(total[k] for k in keys)
    counts[("reached", "*")] = sum(reached[k] for k in keys)
    relations = [(("all", "*"), [("all", k) for k in keys]), (("reached", "*"), [("reached", k) for k in keys])]
    cells = _protected(counts, relations)
    return [
        (label(k), cells[("all", k)], cells[("reached", k)], _share(cells[("reached", k)], cells[("all", k)]))
        for k in keys
    ]


def _share(part: Cell, whole: Cell) -> int | None:
    """A percentage only on two shown counts (a rate on a hidden count would give it away)."""
    if part.hidden or whole.hidden or not whole.value:
        return None
    return round(100 * part.value / whole.value)


def _signals(campaign: CallCampaign) -> dict[str, Cell]:
    found = Signal.objects.filter(pk__in=campaign.entries.filter(signal__isnull=False).values("signal")).aggregate(
        made=Count("pk"), acted=Count("pk", filter=Q(status__in=[Signal.Status.ASSIGNED, Signal.Status.CLOSED]))
    )
    cells = _protected({"made": found["made"], "acted": found["acted"]}, [])
    return {"signals": cells["made"], "signals_acted": cells["acted"]}


def manages_any(user: Any) -> bool:
    return bool(is_backbone(user) or any(m.is_coordinator for m in care_access.memberships(user).values()))


def calling_closed_reason(campaign: CallCampaign, now: datetime.datetime) -> str:
    """Why calling is closed now, or "" when it is open."""
    local = timezone.localtime(now)
    if local.date() < campaign.starts_on:
        return _("The campaign starts on %(date)s.") % {"date": date_format(campaign.starts_on, "j N Y")}
    if local.date() > campaign.ends_on:
        return _("The campaign has ended.")
    if not campaign.calls_from <= local.time() < campaign.calls_until:
        return _("Calls are made between %(start)s and %(end)s.") % {
            "start": time_format(campaign.calls_from, "H:i"),
            "end": time_format(campaign.calls_until, "H:i"),
        }
    return ""


def current_batch(campaign: CallCampaign, caller: User, now: datetime.datetime) -> CallBatch | None:
    """The batch this caller still holds now (not released, not expired), if any."""
    return (
        CallBatch.objects.filter(campaign=campaign, caller=caller, released_at__isnull=True, hold_until__gt=now)
        .order_by("-reserved_at")
        .first()
    )


def resident_calls(resident: Resident) -> dict[str, Any]:
    """A resident's part of their subject export: every campaign call and circle they are in."""
    attempts = CallAttempt.objects.filter(entry__resident=resident).select_related("entry__campaign", "signal")
    return {
        "calls": [
            {
                "campaign": a.entry.campaign.name,
                "at": a.at.isoformat(),
                "outcome": a.outcome,
                "answers": {_question(a.entry.campaign.script, number): answer for number, answer in a.answers.items()},
                "needs": a.needs,
                "call_back_at": a.call_back_at.isoformat() if a.call_back_at else None,
                "note": a.note,
                "signal": a.signal.reference if a.signal else None,
            }
            for a in attempts
        ],
        "call_campaigns": [
            {"campaign": e.campaign.name, "status": e.status, "attempts": e.attempts}
            for e in CallEntry.objects.filter(resident=resident).select_related("campaign")
        ],
        "telephone_circles": [
            m.circle.name for m in CircleMember.objects.filter(resident=resident).select_related("circle")
        ],
        "do_not_call": DoNotCall.objects.filter(resident=resident).exists(),
    }


def _question(script: list[dict[str, Any]], number: str) -> str:
    index = int(number) - 1 if number.isdigit() else -1
    return f"{number}. {script[index]['text']}" if 0 <= index < len(script) else number
