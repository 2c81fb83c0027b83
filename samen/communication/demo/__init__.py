"""Communication in the Hasselt demo: news, a newsletter, working groups with a past and an upcoming meeting.

The texts are in `data/communication.json`; times count from now."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.utils import timezone

from samen.agenda.models import ActionDomain
from samen.communication.models import (
    ActionItem,
    Decision,
    Follow,
    FollowKind,
    Meeting,
    MeetingAttendance,
    NewsItem,
    Newsletter,
    Profile,
    WorkingGroup,
)
from samen.network.demo import DEMO_DOMAIN
from samen.network.models import Organisation, User

DATA = Path(__file__).parent / "data" / "communication.json"


def load(*, today: datetime.date) -> str:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    now = timezone.now()
    domains = list(ActionDomain.objects.order_by("order")[:2])
    orgs = {o.slug: o for o in Organisation.objects.order_by("pk")}
    coordinator = User.objects.filter(email=f"coordinator@{DEMO_DOMAIN}").first()
    for spec in data["news"]:
        _news_item(spec, orgs, coordinator, domains, now=now)
    draft = data["draft"]
    NewsItem.objects.update_or_create(
        slug=draft["slug"],
        defaults={"title_nl": draft["title_nl"], "body_nl": draft["body_nl"], "author": coordinator},
    )
    newsletter = data["newsletter"]
    Newsletter.objects.get_or_create(
        subject_nl=newsletter["subject_nl"],
        defaults={**{k: newsletter[k] for k in ("subject_en", "body_nl", "body_en")}, "created_by": coordinator},
    )
    member = User.objects.filter(email=f"member@{DEMO_DOMAIN}").first()
    if member is not None and domains:
        Follow.objects.get_or_create(user=member, kind=FollowKind.DOMAIN, object_id=domains[0].pk)
        Profile.objects.update_or_create(
            user=member, defaults={"newsletter_consent": True, "newsletter_consent_at": now}
        )
    # The demo editor's organisation sits in the first group, so their board shows an overdue item.
    ordered = sorted(orgs.values(), key=lambda o: o.slug != "wijkzorg-runkst")
    groups = _groups(data, domains, ordered, today=today, now=now)
    return f"communication: {len(data['news']) + 1} news items, 1 newsletter, {groups} working groups with meetings"


def _news_item(spec: dict, orgs: dict, author: User | None, domains: list, *, now: datetime.datetime) -> None:
    published = now - datetime.timedelta(days=spec["days_ago"])
    texts = {f"{f}_{lang}": spec[f"{f}_{lang}"] for f in ("title", "summary", "body") for lang in ("nl", "en")}
    item, _created = NewsItem.objects.update_or_create(
        slug=spec["slug"],
        defaults={
            **texts,
            "organisation": orgs.get(spec["organisation"]) if spec["organisation"] else None,
            "author": author,
            "publish_at": published,
            "published_at": published,
        },
    )
    item.action_domains.set(domains[:1])


def _groups(data: dict, domains: list, orgs: list, *, today: datetime.date, now: datetime.datetime) -> int:
    if not domains or len(orgs) < 3:
        return 0
    editor = User.objects.filter(email=f"editor@{DEMO_DOMAIN}").first()
    texts = data["working_group"]
    made = 0
    for number, domain in enumerate(domains):
        members = orgs[number * 3 : number * 3 + 4]
        if len(members) < 3:
            members = orgs[:4]
        names = {"name_nl": domain.name_nl, "name_en": domain.name_en or domain.name_nl}
        group, _created = WorkingGroup.objects.update_or_create(
            slug=f"werkgroep-{domain.slug}",
            # The first organisation convenes: the demo editor's, in the first group, schedules and minutes there.
            defaults={
                **{field: text.format(**names) for field, text in texts.items()},
                "action_domain": domain,
                "convener": members[0],
            },
        )
        group.organisations.set(members)
        for spec in data["meetings"]:
            # Only the first group's minutes are public.
            _meeting(group, spec, members, editor, public=number == 0, today=today, now=now)
        made += 1
    return made


def _meeting(
    group: WorkingGroup,
    spec: dict,
    members: list,
    editor: User | None,
    *,
    public: bool,
    today: datetime.date,
    now: datetime.datetime,
) -> None:
    """A meeting of the group; one with minutes also gets its decisions, action items and attendance."""
    starts = now + datetime.timedelta(days=spec["days_from_now"])
    fields = {key: spec[key] for key in ("place", "video_url", "agenda", "minutes") if key in spec}
    if "minutes" in spec:
        fields["minutes_public"] = public
    meeting, created = Meeting.objects.get_or_create(
        group=group,
        title=spec["title"],
        defaults={"starts_at": starts, "ends_at": starts + datetime.timedelta(hours=spec["hours"]), **fields},
    )
    if not created:
        return
    for text in spec.get("decisions", []):
        Decision.objects.create(meeting=meeting, text=text)
    for item in spec.get("action_items", []):
        ActionItem.objects.create(
            meeting=meeting,
            text=item["text"],
            owner_organisation=members[item["organisation"]],
            owner=editor if item["owner"] == "editor" else None,
            due_on=today + datetime.timedelta(days=item["due_in_days"]),  # the first is overdue
        )
    for org in members[: spec.get("attended", 0)]:
        MeetingAttendance.objects.create(meeting=meeting, organisation=org, attended=True)
