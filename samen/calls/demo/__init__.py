"""The call campaigns of the Hasselt demo, in the care network of Sint-Hubertuswijk (care's demo).

A finished "Belgezel" over a few hundred FICTIONAL residents of 65 and over (made-up names and
numbers, marked `is_fictional` and "(fictief)"), with outcome shares like the campaigns of 2020
(about seven in ten reached, one in ten of them with a need, the unreachable sent a letter after
three attempts), and a running campaign of people over 75 living alone, with a call back, numbers
to check and a debrief; and a telephone circle with two weeks of rounds. The campaigns, their script
and the outcome weights are in `data/calls.json`; who was called and how it went is drawn, seeded."""

from __future__ import annotations

import datetime
import json
import random
from pathlib import Path

from django.utils import timezone

from samen.calls.demo import campaigns
from samen.calls.figures import call_figures_publish, call_indicators_ensure
from samen.calls.models import CallCampaign, CircleDay, TelephoneCircle
from samen.care.demo import FIRST, LAST
from samen.care.models import CareNetwork, Resident
from samen.core.audit import audit_log
from samen.network.demo import DEMO_DOMAIN
from samen.network.models import Organisation, User

DATA = Path(__file__).parent / "data" / "calls.json"


def load(*, today: datetime.date) -> str:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    if CallCampaign.objects.filter(name=data["finished"]["name"]).exists():
        return "calls: the demo campaigns exist already"
    network = CareNetwork.objects.filter(slug=data["network"]).first()
    if network is None:
        return "calls: no demo care network, nothing loaded"
    rng = random.Random(2020)
    people = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")}
    coordinator, callers = people["care-coordinator"], [people["care"], people["care-partner"]]
    residents = _residents(data["residents"], network, rng, today)
    finished = campaigns.finished(data, network, coordinator, callers, rng, today)
    running = campaigns.running(data, network, coordinator, callers, rng, today)
    circle = _circle(data["circle"], network, residents, people["care"], today)
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


def _residents(spec: dict, network: CareNetwork, rng: random.Random, today: datetime.date) -> list[Resident]:
    """Residents of 65 and over (most in their seventies), a few without a phone number."""
    languages, weights = list(spec["languages"]), list(spec["languages"].values())
    rows = []
    for number in range(spec["count"]):
        year = today.year - min(98, 65 + int(rng.expovariate(1 / 11)))
        phone = "" if rng.random() < 0.02 else f"011 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        resident = Resident(
            network=network,
            area=network.area,
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)} (fictief)",
            birth_date=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
            birth_year=year,
            address=spec["address"].format(number=number + 1),
            phone=phone,
            lives_alone=rng.random() < 0.45,
            language=rng.choices(languages, weights=weights)[0],
            notes=spec["notes"],
            is_fictional=True,
        )
        rows.append(resident)
    return Resident.objects.bulk_create(rows, batch_size=200)


def _circle(
    spec: dict, network: CareNetwork, residents: list[Resident], key_holder: User, today: datetime.date
) -> TelephoneCircle:
    """A telephone circle of the first residents, confirmed every morning but one, when the key holder went by."""
    circle = TelephoneCircle.objects.create(network=network, name=spec["name"], key_holder=key_holder)
    circle.places.bulk_create(
        [
            circle.places.model(circle=circle, resident=r, position=i)
            for i, r in enumerate(residents[: spec["places"]], 1)
        ]
    )
    for back in range(1, spec["days"] + 1):
        day = today - datetime.timedelta(days=back)
        confirmed = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 5 + back)))
        if back == spec["unconfirmed_days_ago"]:  # nobody confirmed: the key holder was alerted and went by
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
