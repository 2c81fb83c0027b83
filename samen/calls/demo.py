"""The call campaigns of the Hasselt demo, in the care network of Sint-Hubertuswijk (care's demo).

A finished "Belgezel" over a few hundred FICTIONAL residents of 65 and over (made-up names and
numbers, marked `is_fictional` and "(fictief)"), with outcome shares like the campaigns of 2020
(about seven in ten reached, one in ten of them with a need, the unreachable sent a letter after
three attempts), and a running campaign of people over 75 living alone, with a call back, numbers
to check and a debrief; and a telephone circle with two weeks of rounds."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from samen.calls import services
from samen.calls.figures import call_figures_publish, call_indicators_ensure
from samen.calls.models import (
    NEED_CODES,
    CallAttempt,
    CallCampaign,
    CallEntry,
    CircleDay,
    DoNotCall,
    TelephoneCircle,
)
from samen.care.demo import FIRST, LAST
from samen.care.models import CareNetwork, Resident, Signal
from samen.core.audit import audit_log
from samen.network.demo import DEMO_DOMAIN
from samen.network.models import Organisation, User

FINISHED = "Belgezel Sint-Hubertuswijk (demo)"
RESIDENTS = 320
SCRIPT = [
    {"text": "Hoe gaat het met u?", "yes": 3, "no": 2},
    {"text": "Wat scheelt er? Kunnen we ergens mee helpen?", "yes": 0, "no": 0},
    {"text": "Heeft u iemand die boodschappen of medicatie kan halen?", "yes": 4, "no": 0},
    {"text": "Mogen we u over een paar weken nog eens bellen?", "yes": 0, "no": 0},
]
# Final outcome of a person in the finished campaign, with weights like Belgezel's: (outcome, weight).
ENDINGS = [
    ("reached", 60),
    ("need", 10),
    ("call-back", 4),  # reached at the time they asked
    ("letter", 15),  # three times no answer or busy
    ("wrong-number", 6),
    ("do-not-call", 3),
    ("no-number", 2),
]


def load(*, today: datetime.date) -> str:
    if CallCampaign.objects.filter(name=FINISHED).exists():
        return "calls: the demo campaigns exist already"
    network = CareNetwork.objects.filter(slug="sint-hubertuswijk").first()
    if network is None:
        return "calls: no demo care network, nothing loaded"
    rng = random.Random(2020)
    people = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")}
    coordinator, callers = people["care-coordinator"], [people["care"], people["care-partner"]]
    residents = _residents(network, rng, today)
    finished = _finished(network, coordinator, callers, rng, today)
    running = _running(network, coordinator, callers, rng, today)
    circle = _circle(network, residents[:6], people["care"], today)
    steward = Organisation.objects.filter(slug="zorgstad-backbone").first() or Organisation.objects.first()
    rows = 0
    if steward is not None:
        call_indicators_ensure(steward=steward)
        rows = call_figures_publish(today=today)
    audit_log(actor=None, action="calls.demo.loaded")
    return (
        f"calls: {len(residents)} fictional residents, a finished campaign of {finished} people, "
        f"a running one of {running}, the circle {circle.name}, {rows} figures"
    )


def _residents(network: CareNetwork, rng: random.Random, today: datetime.date) -> list[Resident]:
    rows = []
    for number in range(RESIDENTS):
        year = today.year - min(98, 65 + int(rng.expovariate(1 / 11)))
        phone = "" if rng.random() < 0.02 else f"011 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        resident = Resident(
            network=network,
            area=network.area,
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)} (fictief)",
            birth_date=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
            birth_year=year,
            address=f"Fictieve belstraat {number + 1}, 3500 Hasselt",
            phone=phone,
            lives_alone=rng.random() < 0.45,
            language=rng.choices(["nl", "fr", "tr", "it", "ar"], weights=[85, 4, 5, 4, 2])[0],
            notes="Fictieve bewoner voor de demo van de belcampagnes (fictief).",
            is_fictional=True,
        )
        rows.append(resident)
    return Resident.objects.bulk_create(rows, batch_size=200)


def _campaign(network: CareNetwork, coordinator: User, callers: list[User], **fields: object) -> CallCampaign:
    campaign = CallCampaign(network=network, script=SCRIPT, is_fictional=True, **fields)  # type: ignore[arg-type]
    return services.campaign_save(campaign=campaign, areas=[], callers=callers, actor=coordinator)


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    moment = datetime.datetime.combine(day, datetime.time(rng.randint(10, 16), rng.randint(0, 59)))
    return timezone.make_aware(moment)


def _finished(
    network: CareNetwork, coordinator: User, callers: list[User], rng: random.Random, today: datetime.date
) -> int:
    start = today - datetime.timedelta(days=60)
    campaign = _campaign(
        network,
        coordinator,
        callers,
        name=FINISHED,
        min_age=65,
        starts_on=start,
        ends_on=start + datetime.timedelta(days=28),
    )
    services.pool_build(campaign=campaign, actor=None, today=today)
    entries = list(campaign.entries.select_related("resident", "campaign").order_by("position"))
    attempts: list[CallAttempt] = []
    for entry in entries:
        ending = "no-number" if entry.status == CallEntry.Status.DATA_QUALITY else _ending(rng)
        day = start + datetime.timedelta(days=min(27, entry.position * 20 // len(entries)))
        attempts += _story(entry, ending, rng.choice(callers), day, rng)
    CallAttempt.objects.bulk_create(attempts)
    CallEntry.objects.bulk_update(
        entries, ["status", "attempts", "last_outcome", "follow_up", "follow_up_done_at", "needs", "signal"]
    )
    return len(entries)


def _ending(rng: random.Random) -> str:
    return rng.choices(
        [e for e, _w in ENDINGS if e != "no-number"], weights=[w for e, w in ENDINGS if e != "no-number"]
    )[0]


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


def _running(
    network: CareNetwork, coordinator: User, callers: list[User], rng: random.Random, today: datetime.date
) -> int:
    campaign = _campaign(
        network,
        coordinator,
        callers,
        name="Zomerbelronde 75+ alleenwonend (demo)",
        min_age=75,
        lives_alone_only=True,
        order=CallCampaign.Order.NEIGHBOURHOOD,
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=25),
    )
    services.pool_build(campaign=campaign, actor=None, today=today)
    entries = list(campaign.entries.select_related("resident", "campaign").order_by("position"))
    attempts: list[CallAttempt] = []
    now = timezone.now()
    for index, entry in enumerate(entries[: len(entries) // 3]):
        if entry.status != CallEntry.Status.WAITING:
            continue
        ending = _ending(rng) if index > 2 else "reached"
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
        attempts[0].note = "Mevrouw was erg aangeslagen; haar man is vorige maand overleden (fictief)."
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


def _circle(network: CareNetwork, residents: list[Resident], key_holder: User, today: datetime.date) -> TelephoneCircle:
    circle = TelephoneCircle.objects.create(
        network=network, name="Telefooncirkel Kiewitstraat (demo)", key_holder=key_holder
    )
    circle.places.bulk_create(
        [circle.places.model(circle=circle, resident=r, position=i) for i, r in enumerate(residents, 1)]
    )
    for back in range(1, 15):
        day = today - datetime.timedelta(days=back)
        confirmed = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 5 + back)))
        if back == 4:  # one morning nobody confirmed: the key holder was alerted and went by
            CircleDay.objects.create(
                circle=circle,
                day=day,
                key_holder_alerted_at=confirmed + datetime.timedelta(minutes=30),
                confirmed_at=confirmed + datetime.timedelta(minutes=50),
                confirmed_by=key_holder,
            )
        else:
            CircleDay.objects.create(circle=circle, day=day, confirmed_at=confirmed, confirmed_by=key_holder)
    return circle
