"""The demo's two call campaigns: how each person's calls went, drawn (seeded) with the outcome weights of the data."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from samen.calls import services
from samen.calls.models import NEED_CODES, CallAttempt, CallCampaign, CallEntry, DoNotCall
from samen.care.models import CareNetwork, Signal
from samen.network.models import User


def _campaign_entries(
    data: dict, spec: dict, network: CareNetwork, coordinator: User, callers: list[User], today: datetime.date
) -> list[CallEntry]:
    """Saves the campaign of `spec`, builds its pool and answers its entries in calling order."""
    start = today - datetime.timedelta(days=spec["days_ago"])
    fields: dict[str, Any] = {"name": spec["name"], "min_age": spec["min_age"]}
    if "lives_alone_only" in spec:
        fields["lives_alone_only"] = spec["lives_alone_only"]
    if "order" in spec:
        fields["order"] = CallCampaign.Order(spec["order"])
    campaign = CallCampaign(
        network=network,
        script=data["script"],
        is_fictional=True,
        **fields,
        starts_on=start,
        ends_on=start + datetime.timedelta(days=spec["days"]),
    )
    campaign = services.campaign_save(campaign=campaign, areas=[], callers=callers, actor=coordinator)
    services.pool_build(campaign=campaign, actor=None, today=today)
    return list(campaign.entries.select_related("resident", "campaign").order_by("position"))


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    moment = datetime.datetime.combine(day, datetime.time(rng.randint(10, 16), rng.randint(0, 59)))
    return timezone.make_aware(moment)


def finished(
    data: dict, network: CareNetwork, coordinator: User, callers: list[User], rng: random.Random, today: datetime.date
) -> int:
    """The finished campaign: everyone in it was called over its weeks and reached an ending."""
    spec = data["finished"]
    entries = _campaign_entries(data, spec, network, coordinator, callers, today)
    start = today - datetime.timedelta(days=spec["days_ago"])
    attempts: list[CallAttempt] = []
    for entry in entries:
        ending = "no-number" if entry.status == CallEntry.Status.DATA_QUALITY else _ending(data["endings"], rng)
        day = start + datetime.timedelta(days=min(spec["days"] - 1, entry.position * 20 // len(entries)))
        attempts += _story(entry, ending, rng.choice(callers), day, rng)
    CallAttempt.objects.bulk_create(attempts)
    CallEntry.objects.bulk_update(
        entries, ["status", "attempts", "last_outcome", "follow_up", "follow_up_done_at", "needs", "signal"]
    )
    return len(entries)


def _ending(endings: list[dict], rng: random.Random) -> str:
    """A drawn ending; "no-number" is not drawn, it is the ending of everyone without a number."""
    drawn = [e for e in endings if e["outcome"] != "no-number"]
    return rng.choices([e["outcome"] for e in drawn], weights=[e["weight"] for e in drawn])[0]


def _story(entry: CallEntry, ending: str, caller: User, day: datetime.date, rng: random.Random) -> list[CallAttempt]:
    """The calls that led to a person's ending, and the entry as it ended."""
    S = CallEntry.Status
    tries = {"letter": 3, "call-back": 2}.get(
        ending, rng.choice([1, 1, 1, 2, 3]) if ending in ("reached", "need") else 1
    )
    if ending == "no-number":
        entry.status, entry.follow_up = S.FOLLOW_UP, "letter"
        entry.follow_up_done_at = _at(day, rng)
        entry.status = S.CLOSED
        return []
    made = []
    for number in range(tries):
        last = number == tries - 1
        outcome = {"letter": "no-answer", "call-back": "reached"}.get(ending, ending) if last else "no-answer"
        if ending == "call-back" and not last:
            outcome = "call-back"
        needs = sorted(rng.sample(NEED_CODES, rng.choice([1, 1, 2]))) if outcome == "need" else []
        made.append(
            CallAttempt(
                entry=entry,
                caller=caller,
                at=_at(day + datetime.timedelta(days=number), rng),
                outcome=rng.choice(["no-answer", "busy"]) if outcome == "no-answer" else outcome,
                needs=needs,
                answers={"1": "yes" if outcome == "reached" else "no"},
            )
        )
        entry.needs = needs or entry.needs
    entry.attempts, entry.last_outcome = tries, made[-1].outcome
    if ending in ("reached", "need", "call-back"):
        entry.status = S.DONE
    elif ending == "letter":
        entry.status, entry.follow_up, entry.follow_up_done_at = (
            S.CLOSED,
            "letter",
            _at(day + datetime.timedelta(days=4), rng),
        )
    elif ending == "wrong-number":
        entry.status = S.DATA_QUALITY
    elif ending == "do-not-call":
        entry.status = S.NEVER
        DoNotCall.objects.get_or_create(
            network_id=entry.campaign.network_id,
            phone_digest=services.phone_digest(entry.resident.phone),
            defaults={"resident": entry.resident, "recorded_at": made[-1].at},
        )
    if ending == "need":
        entry.signal = made[-1].signal = _signal(entry, made[-1], rng)
    return made


def _signal(entry: CallEntry, attempt: CallAttempt, rng: random.Random) -> Signal:
    observations = list(dict.fromkeys(services.NEED_TO_OBSERVATION.get(n, "other") for n in attempt.needs))
    signal = Signal.objects.create(
        network_id=entry.campaign.network_id,
        area_id=entry.area_id,
        resident=entry.resident,
        source=Signal.Source.MEMBER,
        observations=observations,
        urgency=Signal.Urgency.NORMAL,
        details=f"Uit de belcampagne “{entry.campaign.name}”. Noden: {', '.join(attempt.needs)}.",
        status=rng.choices([Signal.Status.CLOSED, Signal.Status.ASSIGNED, Signal.Status.NEW], weights=[70, 20, 10])[0],
    )
    Signal.objects.filter(pk=signal.pk).update(created_at=attempt.at)
    return signal


def running(
    data: dict, network: CareNetwork, coordinator: User, callers: list[User], rng: random.Random, today: datetime.date
) -> int:
    """The running campaign: a third of its people called so far, some waiting for another try."""
    spec = data["running"]
    entries = _campaign_entries(data, spec, network, coordinator, callers, today)
    attempts: list[CallAttempt] = []
    now = timezone.now()
    for index, entry in enumerate(entries[: len(entries) // 3]):
        if entry.status != CallEntry.Status.WAITING:
            continue
        ending = _ending(data["endings"], rng) if index > 2 else "reached"
        if ending in ("letter", "call-back"):
            # Still running: one try so far, back in the pool in a few hours (or at the time asked).
            outcome = "no-answer" if ending == "letter" else "call-back"
            caller = rng.choice(callers)
            attempt = CallAttempt(entry=entry, caller=caller, at=now - datetime.timedelta(hours=2), outcome=outcome)
            if outcome == "call-back":
                attempt.call_back_at = now + datetime.timedelta(hours=20)
                entry.caller, entry.available_at = caller, attempt.call_back_at
            else:
                entry.available_at = now + datetime.timedelta(hours=2)
            entry.attempts, entry.last_outcome = 1, outcome
            attempts.append(attempt)
        else:
            attempts += _story(
                entry, ending, rng.choice(callers), today - datetime.timedelta(days=rng.randint(0, 2)), rng
            )
    if attempts:
        attempts[0].debrief = True
        attempts[0].note = spec["debrief"]
    CallAttempt.objects.bulk_create(attempts)
    CallEntry.objects.bulk_update(
        entries,
        [
            "status",
            "attempts",
            "last_outcome",
            "follow_up",
            "follow_up_done_at",
            "needs",
            "signal",
            "caller",
            "available_at",
        ],
    )
    return len(entries)
