"""The demo's two health-check rounds a year apart: this year's answers a little higher, resources lowest."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from samen.backbone.instrument import install as install_instrument
from samen.backbone.models import Instrument, Item, Section, SurveyRound
from samen.backbone.services import survey_answer
from samen.network.models import User


def load(rounds: list[dict], means: dict) -> int:
    # The migration installs it; a test database flushed after a transactional test has lost it.
    instrument = install_instrument(Instrument, Section, Item)
    items = list(Item.objects.filter(section__instrument=instrument).values_list("pk", "section__slug"))
    people = list(User.objects.filter(member__isnull=False, is_active=True).order_by("pk")[:60])
    now = timezone.now()
    answered = 0
    for spec in rounds:
        closes = now - datetime.timedelta(days=10 + 365 * spec["years_ago"])
        survey = SurveyRound.objects.create(
            instrument=instrument,
            title=spec["title"],
            opens_at=closes - datetime.timedelta(days=30),
            closes_at=closes,
        )
        rng = random.Random(spec["years_ago"])
        for person in people[: spec["people"]]:
            scores = {pk: _score(section, spec["lift"], means, rng) for pk, section in items}
            survey_answer(user=person, survey=survey, scores=scores, now=closes - datetime.timedelta(days=5))
            answered += 1
    return answered


def _score(section: str, lift: float, means: dict, rng: random.Random) -> int:
    """A score from 1 to 5 around the section's mean, lifted this year (resources' mean lifted once more)."""
    base = means["strong_mean"] if section in means["strong"] else means["other_mean"]
    if section == "resources":
        base = means["resources_mean"] + lift
    return max(1, min(5, round(rng.gauss(base + lift, 0.8))))
