"""The demo's results: under every goal, what partners promise (some split in parts) with a timeline of
updates, and one result tied to the goal's indicator."""

from __future__ import annotations

import datetime
import random

from samen.agenda.models import Goal
from samen.backbone.models import Result
from samen.backbone.services import result_update
from samen.measurement.models import Indicator
from samen.network.models import Organisation, User


def load(promises: list[dict], today: datetime.date, actor: User | None) -> int:
    """Owners are partners working in the goal's domain, taken in turn."""
    rng = random.Random(7)
    made = 0
    goals = list(Goal.objects.select_related("domain").order_by("domain__order", "order"))
    indicators = {}
    for indicator in Indicator.objects.filter(is_published=True).prefetch_related("goals"):
        for goal in indicator.goals.all():
            indicators.setdefault(goal.pk, indicator)
    for goal in goals:
        owners = list(Organisation.objects.filter(action_domains=goal.domain).order_by("slug")[:6])
        if not owners:
            continue
        for order, promise in enumerate(promises):
            made += _promise(goal, promise, order, owners, today, actor, rng)
        indicator = indicators.get(goal.pk)
        if indicator is not None:
            Result.objects.create(
                goal=goal,
                owner=indicator.steward,
                title=f"{indicator.name} naar de streefwaarde"[:200],
                indicator=indicator,
                order=len(promises),
            )
            made += 1
    return made


def _promise(
    goal: Goal,
    promise: dict,
    order: int,
    owners: list[Organisation],
    today: datetime.date,
    actor: User | None,
    rng: random.Random,
) -> int:
    """A promise under the goal; its parts (or, without parts, the promise itself) carry the updates."""
    owner = owners[(goal.pk + order) % len(owners)]
    parent = Result.objects.create(
        goal=goal, owner=owner, title=f"{promise['title']}: {goal.title}"[:200], weight=2 - order, order=order
    )
    if not promise["parts"]:
        _timeline(parent, today, actor, rng)
        return 1
    for i, part in enumerate(promise["parts"]):
        child = Result.objects.create(
            goal=goal,
            parent=parent,
            owner=owners[(goal.pk + i + 1) % len(owners)],
            title=part,
            weight=1 + i,
        )
        _timeline(child, today, actor, rng)
    return 1 + len(promise["parts"])


def _timeline(result: Result, today: datetime.date, actor: User | None, rng: random.Random) -> None:
    progress = 0
    day = today - datetime.timedelta(days=300)
    for status in ("on_track", rng.choice(["on_track", "at_risk", "delayed"]), rng.choice(["on_track", "done"])):
        progress = min(100, progress + rng.randint(15, 40)) if status != "done" else 100
        result_update(actor=actor, result=result, status=status, progress=progress, on=day, note="")
        day += datetime.timedelta(days=rng.randint(60, 120))
