"""Communication in the Hasselt demo: news, a newsletter, working groups with a past and an upcoming meeting."""

from __future__ import annotations

import datetime

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

NEWS = [
    (
        "buurtcafe-runkst-opent",
        "Buurtcafé in Runkst opent de deuren",
        "Neighbourhood café in Runkst opens",
        "Elke woensdag koffie en een babbel voor wie alleen woont.",
        "Coffee and a chat every Wednesday for people who live alone.",
        "<p>Vrijwilligers en de wijkzorg ontvangen buren in het dienstencentrum.</p>",
        "<p>Volunteers and the district care team welcome neighbours at the service centre.</p>",
        "wijkzorg-runkst",
        2,
    ),
    (
        "week-van-de-veerkracht-programma",
        "Het programma van de Week van de Veerkracht staat online",
        "",
        "Meer dan twintig activiteiten in alle deelgemeenten.",
        "",
        "<p>Bekijk het volledige programma bij <strong>Evenementen</strong>.</p>",
        "",
        None,
        6,
    ),
    (
        "x100-in-zicht",
        "",
        "X100 in sight",
        "",
        "The network grows towards its next milestone.",
        "",
        "<p>Thank you to everyone who brought someone.</p>",
        None,
        12,
    ),
]


def load(*, today: datetime.date) -> str:
    now = timezone.now()
    domains = list(ActionDomain.objects.order_by("order")[:2])
    orgs = {o.slug: o for o in Organisation.objects.order_by("pk")}
    coordinator = User.objects.filter(email=f"coordinator@{DEMO_DOMAIN}").first()
    for slug, t_nl, t_en, s_nl, s_en, b_nl, b_en, org, days in NEWS:
        item, _created = NewsItem.objects.update_or_create(
            slug=slug,
            defaults={
                "title_nl": t_nl,
                "title_en": t_en,
                "summary_nl": s_nl,
                "summary_en": s_en,
                "body_nl": b_nl,
                "body_en": b_en,
                "organisation": orgs.get(org) if org else None,
                "author": coordinator,
                "publish_at": now - datetime.timedelta(days=days),
                "published_at": now - datetime.timedelta(days=days),
            },
        )
        item.action_domains.set(domains[:1])
    NewsItem.objects.update_or_create(
        slug="zomerplan-concept",
        defaults={"title_nl": "Zomerplan (concept)", "body_nl": "<p>Nog niet klaar.</p>", "author": coordinator},
    )
    Newsletter.objects.get_or_create(
        subject_nl="Nieuwsbrief: de eerste honderd",
        defaults={
            "subject_en": "Newsletter: the first hundred",
            "body_nl": "<p>Wat we samen deden dit voorjaar.</p>",
            "body_en": "<p>What we did together this spring.</p>",
            "created_by": coordinator,
        },
    )
    member = User.objects.filter(email=f"member@{DEMO_DOMAIN}").first()
    if member is not None and domains:
        Follow.objects.get_or_create(user=member, kind=FollowKind.DOMAIN, object_id=domains[0].pk)
        Profile.objects.update_or_create(
            user=member, defaults={"newsletter_consent": True, "newsletter_consent_at": now}
        )
    # The demo editor's organisation sits in the first group, so their board shows an overdue item.
    ordered = sorted(orgs.values(), key=lambda o: o.slug != "wijkzorg-runkst")
    groups = _groups(domains, ordered, today=today, now=now)
    return f"communication: {len(NEWS) + 1} news items, 1 newsletter, {groups} working groups with meetings"


def _groups(domains: list, orgs: list, *, today: datetime.date, now: datetime.datetime) -> int:
    if not domains or len(orgs) < 3:
        return 0
    editor = User.objects.filter(email=f"editor@{DEMO_DOMAIN}").first()
    made = 0
    for number, domain in enumerate(domains):
        members = orgs[number * 3 : number * 3 + 4]
        if len(members) < 3:
            members = orgs[:4]
        group, _created = WorkingGroup.objects.update_or_create(
            slug=f"werkgroep-{domain.slug}",
            # The first organisation convenes: the demo editor's, in the first group, schedules and minutes there.
            defaults={
                "name_nl": f"Werkgroep {domain.name_nl}",
                "name_en": f"{domain.name_en or domain.name_nl} working group",
                "description_nl": f"De partners van {domain.name_nl} stemmen hun werk af, beslissen samen en delen de taken.",
                "description_en": f"The partners of {domain.name_en or domain.name_nl} align their work, decide together "
                "and share out the tasks.",
                "action_domain": domain,
                "convener": members[0],
            },
        )
        group.organisations.set(members)
        past, created = Meeting.objects.get_or_create(
            group=group,
            title="Overleg voorjaar",
            defaults={
                "starts_at": now - datetime.timedelta(days=21),
                "place": "Stadhuis Hasselt, zaal 2",
                "ends_at": now - datetime.timedelta(days=21, hours=-2),
                "agenda": "<ol><li>Stand van zaken</li><li>Buurtcafés</li><li>Rondvraag</li></ol>",
                "minutes": "<p>We bespraken de eerste buurtcafés en wie de zalen regelt.</p>",
                "minutes_public": number == 0,
            },
        )
        if created:
            Decision.objects.create(meeting=past, text="Elke deelgemeente krijgt een buurtcafé voor de zomer.")
            ActionItem.objects.create(
                meeting=past,
                text="Zaal vastleggen in Runkst",
                owner_organisation=members[0],
                owner=editor,
                due_on=today - datetime.timedelta(days=3),  # overdue
            )
            ActionItem.objects.create(
                meeting=past,
                text="Flyer voor de buurtcafés",
                owner_organisation=members[1],
                due_on=today + datetime.timedelta(days=10),
            )
            for org in members[:3]:
                MeetingAttendance.objects.create(meeting=past, organisation=org, attended=True)
        Meeting.objects.get_or_create(
            group=group,
            title="Overleg zomer",
            defaults={
                "starts_at": now + datetime.timedelta(days=14),
                "video_url": "https://meet.example.org/werkgroep",
                "ends_at": now + datetime.timedelta(days=14, hours=2),
                "agenda": "<ol><li>Buurtcafés: eerste ervaringen</li><li>Week van de Veerkracht</li></ol>",
            },
        )
        made += 1
    return made
