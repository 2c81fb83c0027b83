"""The demo's campaigns and events: the Week van de Veerkracht of 2017 with its attendance, a new edition
to come, and partners' events in the coming weeks. Times are Brussels time; safe to run again.

Public facts (FACTS.md): the week bundled the activities of five partners and opened with group yoga in
the Japanese garden (almost 60 participants); the public event drew almost 200 people, residents among them.
Everything else here, and every person, is fictional."""

from __future__ import annotations

import datetime
import json
import random
from pathlib import Path

from django.utils import timezone

from samen.activities.events.models import Campaign, Event, Registration
from samen.activities.events.services import CODE_ALPHABET, CODE_LENGTH
from samen.activities.models import Activity
from samen.agenda.models import ActionDomain
from samen.network.models import Member, Organisation

DEMO_DOMAIN = "demo.samen.invalid"
DATA = Path(__file__).parent / "data"  # the events as data; the loaders below turn them into rows
JAPANESE_GARDEN = ("Japanse Tuin", "Gouverneur Verwilghensingel 23, 3500 Hasselt")
STEP_FREE = "Vlakke, verharde paden; rolstoeltoegankelijk toilet aan de ingang. Matjes zijn er, breng een dekentje mee."

# (slug, title, summary, lead organisation, action domain)
ACTIVITIES = [
    (
        "wvdv-samen-bewegen",
        "Samen bewegen in het groen",
        "Yoga, wandelen en bewegen in Hasseltse parken, voor elke leeftijd.",
        "kinepraktijk-demerpoort",
        "hasselt-beweegt",
    ),
    (
        "wvdv-veerkrachtige-buurt",
        "Veerkrachtige buurt",
        "Buren leren elkaar kennen en helpen elkaar in moeilijke tijden.",
        "buurtwerk-sint-hubertus",
        "zorgzame-buurten",
    ),
    (
        "wvdv-mantelzorg-adem",
        "Adem voor mantelzorgers",
        "Ontmoeting en ontspanning voor wie voor een naaste zorgt.",
        "mantelzorgpunt-hasselt",
        "zorgzame-buurten",
    ),
    (
        "wvdv-gezond-in-je-hoofd",
        "Gezond in je hoofd",
        "Workshops over stress, slaap en weerbaarheid.",
        "dienstencentrum-kiewitheide",
        "gezondheidsvaardige-stad",
    ),
    (
        "wvdv-zorg-dichtbij",
        "Zorg dichtbij",
        "Wijkzorg stelt zich voor: wie helpt je thuis, en hoe vraag je het?",
        "wijkzorg-runkst",
        "toegankelijke-zorgstad",
    ),
]


def load(today: datetime.date) -> str:
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=_organisation_slugs())}
    if len(organisations) < len(_organisation_slugs()):
        return "events: skipped (the network demo's organisations are missing)"
    activities = _activities(organisations)
    week_2017 = _week_2017(organisations, activities)
    upcoming = _upcoming(today, organisations, activities)
    registrations = Registration.objects.filter(event__in=[*week_2017, *upcoming]).count()
    return f"events: 2 campaigns, {len(week_2017) + len(upcoming)} events, {registrations} registrations"


def _organisation_slugs() -> set[str]:
    return {a[3] for a in ACTIVITIES} | {"zorgstad-backbone", "wandelclub-demerstappers", "apotheek-de-linde"}


def _activities(organisations: dict[str, Organisation]) -> dict[str, Activity]:
    domains = {d.slug: d for d in ActionDomain.objects.all()}
    found = {}
    for slug, title, summary, lead, domain in ACTIVITIES:
        activity, created = Activity.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "summary": summary,
                "lead_organisation": organisations[lead],
                "status": Activity.Status.RUNNING,
                "starts_on": datetime.date(2017, 10, 1),
            },
        )
        if created and domain in domains:
            activity.action_domains.set([domains[domain]])
        found[slug] = activity
    return found


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _event(slug: str, **fields) -> Event:
    event, _created = Event.objects.update_or_create(slug=slug, defaults=fields)
    return event


def _week_2017(organisations: dict, activities: dict) -> list[Event]:
    campaign, _created = Campaign.objects.update_or_create(
        slug="week-van-de-veerkracht-2017",
        defaults={
            "title": "Week van de Veerkracht 2017",
            "theme": "Veerkracht: samen sterker, in je lijf, je hoofd en je buurt",
            "description": (
                "Hasselt Zorgstad bundelde en versterkte een week lang de activiteiten van vijf partners. "
                "De week opende met een grote groepsyoga in de Japanse Tuin en sloot af met een publieksevent."
            ),
            "starts_on": datetime.date(2017, 10, 7),
            "ends_on": datetime.date(2017, 10, 14),
        },
    )
    accepted = {"campaign": campaign, "campaign_status": Event.CampaignStatus.ACCEPTED, "registration_open": False}
    specs = _week_2017_specs()
    events = []
    for slug, title, org, activity, day, start, end, place, capacity, checked_in, walk_ins, residents in specs:
        date = datetime.date(2017, 10, day)
        event = _event(
            slug,
            title=title,
            description=f"Deel van de {campaign.title}.",
            organisation=organisations[org],
            activity=activities[activity],
            starts_at=_at(date, *start),
            ends_at=_at(date, *end),
            place_name=place[0],
            address=place[1],
            accessibility=STEP_FREE
            if place == JAPANESE_GARDEN
            else "Toegankelijk voor rolstoelen; ringleiding in de zaal.",
            capacity=capacity,
            walk_ins=walk_ins,
            walk_in_residents=min(residents, walk_ins),
            **accepted,
        )
        _past_registrations(event, checked_in=checked_in, residents=max(residents - walk_ins, 0))
        events.append(event)
    return events


def _read(name: str) -> list[dict]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _place(place: str | dict) -> tuple[str, str]:
    return JAPANESE_GARDEN if place == "japanese-garden" else (place["name"], place["address"])


def _time(text: str) -> tuple[int, int]:
    hour, minute = text.split(":")
    return int(hour), int(minute)


def _week_2017_specs() -> list[tuple]:
    """(slug, title, organisation, activity, day, from, to, place, capacity, checked in, walk-ins, residents)"""
    return [
        (
            r["slug"],
            r["title"],
            r["organisation"],
            r["activity"],
            r["day"],
            _time(r["start"]),
            _time(r["end"]),
            _place(r["place"]),
            r["capacity"],
            r["checked_in"],
            r["walk_ins"],
            r["residents"],
        )
        for r in _read("week_2017.json")
    ]


def _upcoming_specs(accepted: dict, proposed: dict) -> list[tuple]:
    """(slug, title, organisation, activity, days from today, from, to, place, capacity, price, campaign)"""
    campaign = {"accepted": accepted, "proposed": proposed, None: {}}
    return [
        (
            r["slug"],
            r["title"],
            r["organisation"],
            r["activity"],
            r["days_from_today"],
            _time(r["start"]),
            _time(r["end"]),
            _place(r["place"]),
            r["capacity"],
            r["price"],
            campaign[r["campaign"]],
        )
        for r in _read("upcoming_events.json")
    ]


def _past_registrations(event: Event, *, checked_in: int, residents: int) -> None:
    """Fictional participants who came (checked in), plus a few who registered and stayed home."""
    if event.registrations.exists():
        return
    rng = random.Random(event.slug)  # the same codes on every run
    no_shows = max(checked_in // 10, 1)
    rows = []
    for number in range(checked_in + no_shows):
        came = number < checked_in
        rows.append(
            Registration(
                event=event,
                name=f"Deelnemer {number + 1}",
                email=f"{event.slug}-{number + 1}@{DEMO_DOMAIN}",
                is_resident=number < residents,
                language="nl",
                status=Registration.Status.CONFIRMED,
                code=_code(rng),
                queued_at=event.starts_at - datetime.timedelta(days=3, minutes=number),
                checked_in_at=event.starts_at + datetime.timedelta(minutes=number % 20) if came else None,
            )
        )
    Registration.objects.bulk_create(rows)


def _code(rng: random.Random) -> str:
    return "".join(rng.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def _free_code(event: Event, rng: random.Random) -> str:
    while True:
        code = _code(rng)
        if not event.registrations.filter(code=code).exists():
            return code


def _upcoming(today: datetime.date, organisations: dict, activities: dict) -> list[Event]:
    start = today + datetime.timedelta(days=21)
    campaign, _created = Campaign.objects.update_or_create(
        slug="week-van-de-veerkracht-nieuwe-editie",
        defaults={
            "title": "Week van de Veerkracht (nieuwe editie)",
            "theme": "Veerkracht in elke wijk",
            "description": (
                "Een nieuwe editie: partners stellen hun activiteiten voor, de trekker stelt het programma samen. "
                "Alle workshops zijn gratis."
            ),
            "starts_on": start,
            "ends_on": start + datetime.timedelta(days=12),
        },
    )
    accepted = {"campaign": campaign, "campaign_status": Event.CampaignStatus.ACCEPTED}
    proposed = {"campaign": campaign, "campaign_status": Event.CampaignStatus.PROPOSED}
    specs = _upcoming_specs(accepted, proposed)
    events = []
    for slug, title, org, activity, days, begin, end, place, capacity, price, campaign_fields in specs:
        date = today + datetime.timedelta(days=days)
        event = _event(
            slug,
            title=title,
            description="Iedereen welkom. Inschrijven helpt ons om genoeg stoelen en koffie te voorzien.",
            organisation=organisations[org],
            activity=activities.get(activity) if activity else None,
            starts_at=_at(date, *begin),
            ends_at=_at(date, *end),
            place_name=place[0],
            address=place[1],
            accessibility=STEP_FREE if place == JAPANESE_GARDEN else "Gelijkvloers, toegankelijk voor rolstoelen.",
            capacity=capacity,
            price=price,
            registration_open=True,
            **({"campaign": None, "campaign_status": ""} | campaign_fields),
        )
        events.append(event)
    _members_register(events)
    return events


def _members_register(events: list[Event]) -> None:
    """Demo members register for the coming events; the small mantelzorgcafé gets a waiting list."""
    members = list(
        Member.objects.filter(user__email__endswith=f"@{DEMO_DOMAIN}", is_fictional=True)
        .select_related("user")
        .order_by("user__email")[:60]
    )[::5]  # spread over the alphabet
    for index, event in enumerate(events):
        if event.registrations.filter(member__isnull=False).exists():
            # Registered on an earlier run. Other apps' demos add fictional members after this one ran,
            # so the picked slice would shift and register other people: run twice, change nothing.
            continue
        rng = random.Random(event.slug)
        people = members[index % 3 : index % 3 + (6 if event.capacity == 4 else 3)]
        for position, member in enumerate(people):
            email = member.user.email.lower()
            if event.registrations.filter(email=email).exists():
                continue
            full = event.capacity is not None and position >= event.capacity
            Registration.objects.create(
                event=event,
                member=member,
                name=member.user.get_full_name() or email,
                email=email,
                is_resident=member.neighbourhood_id is not None,
                language="nl",
                status=Registration.Status.WAITING if full else Registration.Status.CONFIRMED,
                code=_free_code(event, rng),
                queued_at=timezone.now() - datetime.timedelta(hours=10 - position),
            )
