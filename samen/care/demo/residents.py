"""The demo's fictional residents of a care network, and the survey round that asked them how often they get a visit."""

from __future__ import annotations

import datetime
import random

from samen.care import services
from samen.care.models import CareNetwork, Resident, SurveyAnswer, SurveyRound


def load(
    network: CareNetwork, rng: random.Random, today: datetime.date, count: int, names: dict[str, list[str]]
) -> list[Resident]:
    """`count` residents of 78 to 96, some living alone, with up to three numbers of people nearby."""
    made = []
    for number in range(count):
        year = today.year - rng.randint(78, 96)
        nearby = [
            f"0470 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
            for _ in range(rng.choice([0, 1, 2, 3, 3, 3]))
        ]
        resident = Resident(
            network=network,
            area=network.area,
            name=f"{rng.choice(names['first'])} {rng.choice(names['last'])} (fictief)",
            birth_date=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
            address=f"Fictieve straat {number + 1}, 3500 Hasselt",
            phone=f"011 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            lives_alone=rng.random() < 0.6,
            nearby_1=nearby[0] if len(nearby) > 0 else "",
            nearby_2=nearby[1] if len(nearby) > 1 else "",
            nearby_3=nearby[2] if len(nearby) > 2 else "",
            language=rng.choice(["nl", "nl", "nl", "fr", "tr"]),
            notes="Fictieve bewoner voor de demo (fictief).",
            is_fictional=True,
        )
        resident.birth_year = year
        resident.nearby_count = len(nearby)
        resident.save()
        made.append(resident)
    return made


def survey(spec: dict, network: CareNetwork, residents: list[Resident], rng: random.Random) -> int:
    """A survey round like 2015's: how often each resident gets a visit (drawn with the data's weights)."""
    survey = SurveyRound.objects.create(
        network=network, name=spec["name"], held_on=datetime.date.fromisoformat(spec["held_on"])
    )
    visits_asked = list(spec["visits"])
    weights = list(spec["visits"].values())
    for resident in residents:
        visits = rng.choices(visits_asked, weights=weights)[0]
        can_call = rng.random() > spec["cannot_call"]
        SurveyAnswer.objects.create(
            survey=survey,
            resident=resident,
            visits=visits,
            can_call_someone=can_call,
            flags=services.survey_flags(visits=visits, can_call_someone=can_call, nearby_count=resident.nearby_count),
        )
    return len(residents)
