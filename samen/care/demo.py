"""The care networks of the Hasselt demo: Sint-Hubertuswijk (the Runkst pilot) and Terhilst.

Every resident here is FICTIONAL (made-up names, addresses and numbers, marked `is_fictional`
and "(fictief)" in their notes). The six partners are those of the networks funded by the Koning
Boudewijnstichting: home care, welfare, the city's social service, a GP circle, a volunteers'
platform and a local service centre. There are signals in every state, one referral overdue and
escalated to the backbone, a survey round like the 2015 survey of people over 84, and the care
figures on the "no one alone at home" challenge."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils import timezone

from samen.activities.models import Activity
from samen.agenda.models import Challenge
from samen.care import services
from samen.care.figures import care_figures_publish, care_indicators_ensure
from samen.care.models import (
    CareNetwork,
    Case,
    Consent,
    NetworkMember,
    Referral,
    ReferralChange,
    Resident,
    Signal,
    SurveyAnswer,
    SurveyRound,
    WatchAgreement,
)
from samen.core.audit import audit_log
from samen.core.permissions import CARE_NETWORK, DATA_PROTECTION
from samen.network.demo import DEMO_DOMAIN, DEMO_PASSWORD, _demo_user
from samen.network.models import Area, Membership, Organisation, User
from samen.network.services import member_create

PARTNERS = [
    "wijkzorg-runkst",  # home care
    "buurtwerk-sint-hubertus",  # welfare, neighbourhood work
    "stad-hasselt",  # the city's social service
    "huisartsenkring-demer",  # GP circle
    "vrijwilligersplatform-handen-vol",  # volunteers
    "dienstencentrum-kiewitheide",  # local service centre
]
# (role, email, first, last, network, organisation, coordinator, groups)
LOGINS = [
    (
        "care network member",
        f"care@{DEMO_DOMAIN}",
        "Cas",
        "Buurtzorg",
        "sint-hubertuswijk",
        "wijkzorg-runkst",
        False,
        [CARE_NETWORK],
    ),
    (
        "care network coordinator",
        f"care-coordinator@{DEMO_DOMAIN}",
        "Nora",
        "Netwerk",
        "sint-hubertuswijk",
        "buurtwerk-sint-hubertus",
        True,
        [CARE_NETWORK],
    ),
    (
        "care partner (city social service)",
        f"care-partner@{DEMO_DOMAIN}",
        "Sam",
        "Sociaal",
        "sint-hubertuswijk",
        "stad-hasselt",
        False,
        [CARE_NETWORK],
    ),
    (
        "care network coordinator (Terhilst)",
        f"care-terhilst@{DEMO_DOMAIN}",
        "Tine",
        "Terhilst",
        "terhilst",
        "dienstencentrum-kiewitheide",
        True,
        [CARE_NETWORK],
    ),
    ("data-protection officer", f"dpo@{DEMO_DOMAIN}", "Dirk", "Privacy", None, None, False, [DATA_PROTECTION]),
]
FIRST = [
    "Maria",
    "Jozef",
    "Godelieve",
    "Frans",
    "Yvonne",
    "Albert",
    "Rosa",
    "Marcel",
    "Paula",
    "Henri",
    "Agnes",
    "Louis",
]
LAST = ["Vandael", "Moors", "Schoofs", "Jaspers", "Vanherck", "Lenaerts", "Cuppens", "Thijs", "Gielen", "Reynders"]


def logins() -> list[tuple[str, str, str]]:
    emails = set(User.objects.filter(email__in=[login[1] for login in LOGINS]).values_list("email", flat=True))
    # The network's demo lists the plain care member already.
    return [(role, email, DEMO_PASSWORD) for role, email, *_rest in LOGINS[1:] if email in emails]


def load(*, today: datetime.date) -> str:
    if CareNetwork.objects.filter(slug="sint-hubertuswijk").exists():
        return "care: the demo networks exist already"
    rng = random.Random(2015)
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=PARTNERS)}
    networks = {
        "sint-hubertuswijk": CareNetwork.objects.create(
            name="Buurtnetwerk Sint-Hubertuswijk (demo)",
            slug="sint-hubertuswijk",
            area=Area.objects.get(code="sint-hubertuswijk"),
            is_fictional=True,
        ),
        "terhilst": CareNetwork.objects.create(
            name="Buurtnetwerk Terhilst (demo)",
            slug="terhilst",
            area=Area.objects.get(code="terhilst"),
            is_fictional=True,
        ),
    }
    for network in networks.values():
        network.organisations.set(orgs.values())
    steward = Organisation.objects.filter(slug="zorgstad-backbone").first() or next(iter(orgs.values()))
    people = _people(networks, orgs, steward, today)
    _agreements(networks["sint-hubertuswijk"], today)
    residents = {
        slug: _residents(network, rng, today, 24 if slug == "sint-hubertuswijk" else 8)
        for slug, network in networks.items()
    }
    survey = _survey(networks["sint-hubertuswijk"], residents["sint-hubertuswijk"], rng)
    signals = _signals(networks["sint-hubertuswijk"], residents["sint-hubertuswijk"], people, orgs, today)
    _unrouted_worry(list(networks.values()))
    indicators = care_indicators_ensure(steward=steward)
    challenge = Challenge.objects.filter(slug="niemand-alleen-thuis").first()
    if challenge is not None:
        challenge.indicators.add(*indicators)
    rows = care_figures_publish(today=today)
    audit_log(actor=None, action="care.demo.loaded")
    return (
        f"care: 2 networks, {sum(len(r) for r in residents.values())} fictional residents, {signals} signals, "
        f"a survey round of {survey} answers, {rows} figures"
    )


def _people(
    networks: dict[str, CareNetwork], orgs: dict[str, Organisation], backbone: Organisation, today: datetime.date
) -> dict[str, User]:
    people = {}
    now = timezone.now()
    for _role, email, first, last, network, org, coordinator, groups in LOGINS:
        user, created = _demo_user(email, first, last)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            # Joined today and with a role at their organisation: the network demo's growth, run again,
            # draws the same random numbers for everyone before them and gives them no other role.
            member = member_create(user=user, joined_on=today, is_fictional=True)
            Membership.objects.create(
                member=member, organisation=orgs.get(org) or backbone, role_title=_role, is_confirmed=True
            )
        user.groups.add(*Group.objects.filter(name__in=groups))
        if network:
            NetworkMember.objects.get_or_create(
                network=networks[network],
                user=user,
                defaults={
                    "organisation": orgs.get(org),
                    "is_coordinator": coordinator,
                    "pledged_at": now,
                    "pledge_version": services.PLEDGE_VERSION,
                },
            )
        people[email.split("@")[0]] = user
    return people


def _agreements(network: CareNetwork, today: datetime.date) -> None:
    for business, kind, since, watches, calls in (
        (
            "Apotheek De Linde",
            "pharmacy",
            "2018-05-01",
            "medicijnen die niet afgehaald worden",
            "Buurtwerk Sint-Hubertus",
        ),
        ("bpost, ronde Runkst", "post", "2018-09-15", "brievenbussen die overlopen", "Buurtwerk Sint-Hubertus"),
        ("Fluvius", "utility", "2019-02-01", "meters die dagenlang stilstaan", "Sociale dienst Stad Hasselt"),
        ("Buurtsuper thuislevering", "delivery", "2020-04-01", "bestellingen die plots stoppen", "Wijkzorg Runkst"),
    ):
        WatchAgreement.objects.create(
            network=network,
            business=business,
            kind=kind,
            since=datetime.date.fromisoformat(since),
            watches_for=watches,
            calls=calls,
        )


def _residents(network: CareNetwork, rng: random.Random, today: datetime.date, count: int) -> list[Resident]:
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
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)} (fictief)",
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


def _survey(network: CareNetwork, residents: list[Resident], rng: random.Random) -> int:
    survey = SurveyRound.objects.create(
        network=network, name="Bevraging 84-plussers (zoals 2015)", held_on=datetime.date(2015, 11, 15)
    )
    for resident in residents:
        visits = rng.choices(["daily", "weekly", "less", "never"], weights=[30, 60, 8, 2])[0]
        can_call = rng.random() > 0.05
        SurveyAnswer.objects.create(
            survey=survey,
            resident=resident,
            visits=visits,
            can_call_someone=can_call,
            flags=services.survey_flags(visits=visits, can_call_someone=can_call, nearby_count=resident.nearby_count),
        )
    return len(residents)


def _signal(
    network: CareNetwork,
    resident: Resident | None,
    source: str,
    status: str,
    observations: list[str],
    urgency: str,
    when: datetime.datetime,
) -> Signal:
    signal = Signal.objects.create(
        network=network,
        area=network.area,
        resident=resident,
        source=source,
        observations=observations,
        urgency=urgency,
        status=status,
        about="" if resident else "Fictief: de man van nummer 12, Fictieve straat",
    )
    Signal.objects.filter(pk=signal.pk).update(created_at=when)
    return signal


def _signals(
    network: CareNetwork,
    residents: list[Resident],
    people: dict[str, User],
    orgs: dict[str, Organisation],
    today: datetime.date,
) -> int:
    now = timezone.now()
    days = datetime.timedelta(days=1)
    member, partner = people["care"], people["care-partner"]
    home_care, city = orgs["wijkzorg-runkst"], orgs["stad-hasselt"]
    # New, from the public form and from a member; dismissed.
    _signal(network, None, "public", "new", ["mail", "not-seen"], "urgent", now - 2 * datetime.timedelta(hours=3))
    _signal(network, residents[1], "member", "new", ["lonely", "no-one"], "normal", now - days)
    _signal(network, residents[2], "public", "dismissed", ["other"], "low", now - 20 * days)
    for r in residents[3:6]:
        Consent.objects.create(resident=r, scope="referral", how="spoken", recorded_by=member, given_at=now - 40 * days)
    # Assigned, with a referral that nobody acknowledged: overdue and escalated to the backbone.
    overdue = _case(network, residents[3], member, home_care, "assigned", now - 12 * days)
    _referral(overdue, home_care, city, "requested", now - 10 * days, escalation=2, by=member)
    # Assigned, with a referral in progress.
    running = _case(network, residents[4], member, home_care, "assigned", now - 8 * days)
    _referral(running, home_care, city, "in-progress", now - 6 * days, by=partner)
    # Followed up: closed with a visiting volunteer of "Een lokaal net werkt!".
    done = _case(network, residents[5], member, home_care, "closed", now - 30 * days)
    _referral(done, home_care, city, "completed", now - 28 * days, by=partner)
    activity = Activity.objects.filter(slug="een-lokaal-net-werkt").first()
    Case.objects.filter(pk=done.pk).update(
        status="closed", outcome="volunteer" if activity else "resolved", activity=activity, closed_at=now - 5 * days
    )
    if activity:
        residents[5].activities.add(activity)
    return Signal.objects.filter(network=network).count()


def _unrouted_worry(networks: list[CareNetwork]) -> None:
    """A worry from a neighbourhood where no network works: it waits for the backbone to hand it over."""
    covered = Q()
    for network in networks:
        covered |= Q(path__startswith=network.area.path)
    area = Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD).exclude(covered).order_by("code").first()
    if area is not None:
        Signal.objects.create(
            network=None,
            area=area,
            source="public",
            observations=["not-seen", "mail"],
            urgency="normal",
            about="Fictief: de vrouw van nummer 3, Fictieve laan",
        )


def _case(
    network: CareNetwork, resident: Resident, owner: User, org: Organisation, status: str, when: datetime.datetime
) -> Case:
    signal = _signal(
        network, resident, "survey", status, ["visited-less-than-weekly", "fewer-than-three-numbers"], "normal", when
    )
    case = Case.objects.create(network=network, resident=resident, signal=signal, owner_organisation=org, owner=owner)
    Case.objects.filter(pk=case.pk).update(opened_at=when)
    return case


def _referral(
    case: Case,
    source: Organisation,
    target: Organisation,
    status: str,
    when: datetime.datetime,
    *,
    by: User,
    escalation: int = 0,
) -> None:
    day = timezone.localdate(when)
    referral = Referral.objects.create(
        case=case,
        from_organisation=source,
        to_organisation=target,
        status=status,
        requested_at=when,
        acknowledge_by=services.add_working_days(day, services.ACKNOWLEDGE_WORKING_DAYS),
        outcome_by=day + datetime.timedelta(days=services.OUTCOME_DAYS),
        escalation=escalation,
        escalated_at=when + datetime.timedelta(days=5) if escalation else None,
        acknowledged_at=None if status == "requested" else when + datetime.timedelta(days=1),
        finished_at=when + datetime.timedelta(days=14) if status == "completed" else None,
    )
    case.shared_with.add(target)
    path = {
        "requested": ["requested"],
        "in-progress": ["requested", "accepted", "in-progress"],
        "completed": ["requested", "accepted", "in-progress", "completed"],
    }[status]
    previous = ""
    for step, state in enumerate(path):
        ReferralChange.objects.create(
            referral=referral, from_status=previous, to_status=state, at=when + datetime.timedelta(days=step), by=by
        )
        previous = state
