"""The common agenda of the Hasselt demo: the initiative, its ambition, five domains and their goals."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.db import transaction

from samen.agenda.models import ActionDomain, Goal, Initiative, Milestone
from samen.core.errors import DemoRefused

DATA = Path(__file__).parent / "demo_data" / "agenda.json"


def _date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


@transaction.atomic
def load(*, today: datetime.date) -> str:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    spec = data["initiative"]
    initiative = Initiative.objects.first() or Initiative(is_demo=True)
    if not initiative.is_demo:
        raise DemoRefused(f"This database holds a real initiative ({initiative.name}); the demo will not overwrite it.")
    initiative.name = spec["name"]
    initiative.region = spec["region"]
    initiative.start_date = _date(spec["start_date"])
    for lang in ("nl", "en"):
        setattr(initiative, f"baseline_{lang}", spec[f"baseline_{lang}"])
        setattr(initiative, f"vision_{lang}", spec[f"vision_{lang}"])
    initiative.save()
    for m in spec["milestones"]:
        Milestone.objects.update_or_create(
            initiative=initiative,
            members=m["members"],
            defaults={"date": _date(m["date"]), "label_nl": m["label_nl"], "label_en": m["label_en"]},
        )
    goals = 0
    for order, d in enumerate(data["action_domains"], start=1):
        domain, _created = ActionDomain.objects.update_or_create(
            slug=d["slug"],
            defaults={
                "order": order,
                "on_record": d["on_record"],
                **{f"{f}_{lang}": d[f"{f}_{lang}"] for f in ("name", "summary") for lang in ("nl", "en")},
            },
        )
        for goal_order, g in enumerate(d["goals"], start=1):
            Goal.objects.update_or_create(
                slug=g["slug"],
                defaults={
                    "domain": domain,
                    "order": goal_order,
                    "deadline": _date(g["deadline"]),
                    **{f"{f}_{lang}": g[f"{f}_{lang}"] for f in ("title", "target") for lang in ("nl", "en")},
                },
            )
            goals += 1
    return f"agenda: {initiative.name}, {len(data['action_domains'])} action domains, {goals} goals"
