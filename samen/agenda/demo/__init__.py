"""The common agenda of the Hasselt demo: the initiative, its ambition, five domains and their goals."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction

from samen.agenda.demo import voices
from samen.agenda.demo.faces import draw_scene
from samen.agenda.models import ActionDomain, Challenge, FocalPoint, Goal, ImageKind, Initiative, Milestone
from samen.core.errors import DemoRefused

DATA = Path(__file__).parent / "data" / "agenda.json"
CHALLENGES = Path(__file__).parent / "data" / "challenges.json"


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
    challenges = _challenges()
    return (
        f"agenda: {initiative.name}, {len(data['action_domains'])} action domains, {goals} goals, "
        f"{challenges} challenges"
    )


def challenge_specs() -> list[dict]:
    return json.loads(CHALLENGES.read_text(encoding="utf-8"))


def _challenges() -> int:
    """The demo's challenges, each with a generated illustration as its face (drawn once)."""
    specs = challenge_specs()
    for order, c in enumerate(specs, start=1):
        challenge, _created = Challenge.objects.update_or_create(
            slug=c["slug"],
            defaults={
                "domain": ActionDomain.objects.get(slug=c["domain"]),
                "status": Challenge.Status.PUBLISHED,
                "order": order,
                "image_kind": ImageKind.ILLUSTRATION,
                "focal_point": FocalPoint(c["focal_point"]),
                "credit": "Samen demo",
                **{f"{f}_{lang}": c[f"{f}_{lang}"] for f in ("title", "summary", "story") for lang in ("nl", "en")},
                **{f"image_alt_{lang}": c[f"alt_{lang}"] for lang in ("nl", "en")},
            },
        )
        challenge.goals.set(Goal.objects.filter(slug__in=c["goals"]))
        if not challenge.image or not challenge.image.storage.exists(challenge.image.name):
            challenge.image.save(f"{c['slug']}.png", ContentFile(draw_scene(c["scene"], seed=order)), save=True)
    return len(specs)


def link(*, today: datetime.date) -> str:
    """Second phase, once the network has its members: their voices (proposals, supports, comments, stories)."""
    return voices.load(today=today)
