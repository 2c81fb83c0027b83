"""The demo's challenges get their indicators (the agenda cannot import measurement, so it is done
here, after both demos ran)."""

import datetime

from samen.agenda.demo import challenge_specs
from samen.agenda.models import Challenge
from samen.measurement.models import Indicator


def load(*, today: datetime.date) -> str:
    linked = 0
    for spec in challenge_specs():
        challenge = Challenge.objects.filter(slug=spec["slug"]).first()
        if challenge is None:
            continue
        indicators = list(Indicator.objects.filter(code__in=spec["indicators"]))
        challenge.indicators.set(indicators)
        linked += len(indicators)
    return f"challenges: {linked} indicator links"
