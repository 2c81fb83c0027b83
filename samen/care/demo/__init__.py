"""The care networks of the Hasselt demo: Sint-Hubertuswijk (the Runkst pilot) and Terhilst.

Every resident here is FICTIONAL (made-up names, addresses and numbers, marked `is_fictional`
and "(fictief)" in their notes). The six partners are those of the networks funded by the Koning
Boudewijnstichting: home care, welfare, the city's social service, a GP circle, a volunteers'
platform and a local service centre. There are signals in every state, one referral overdue and
escalated to the backbone, a survey round like the 2015 survey of people over 84, and the care
figures on the "no one alone at home" challenge. The people, places and texts are in `data/care.json`."""

from __future__ import annotations

import datetime
import json
import random
from pathlib import Path

from django.contrib.auth.models import Group
from django.utils import timezone

from samen.agenda.models import Challenge
from samen.care import services
from samen.care.demo import residents as demo_residents
from samen.care.demo import signals as demo_signals
from samen.care.figures import care_figures_publish, care_indicators_ensure
from samen.care.models import CareNetwork, NetworkMember, WatchAgreement
from samen.core.audit import audit_log
from samen.core.permissions import CARE_NETWORK, DATA_PROTECTION
from samen.network.demo import DEMO_DOMAIN, DEMO_PASSWORD, _demo_user
from samen.network.models import Area, Membership, Organisation, User
from samen.network.services import member_create

DATA = json.loads((Path(__file__).parent / "data" / "care.json").read_text(encoding="utf-8"))
GROUPS = {"care-network": CARE_NETWORK, "data-protection": DATA_PROTECTION}
# The fictional residents' names; the calls demo draws its residents from them too.
FIRST: list[str] = DATA["names"]["first"]
LAST: list[str] = DATA["names"]["last"]


def _email(login: dict) -> str:
    return f"{login['login']}@{DEMO_DOMAIN}"


def logins() -> list[tuple[str, str, str]]:
    wanted = [_email(login) for login in DATA["logins"]]
    emails = set(User.objects.filter(email__in=wanted).values_list("email", flat=True))
    # The network's demo lists the plain care member already.
    return [(login["role"], _email(login), DEMO_PASSWORD) for login in DATA["logins"][1:] if _email(login) in emails]


def load(*, today: datetime.date) -> str:
    if CareNetwork.objects.filter(slug="sint-hubertuswijk").exists():
        return "care: the demo networks exist already"
    rng = random.Random(2015)
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=[p["slug"] for p in DATA["partners"]])}
    networks = {
        n["slug"]: CareNetwork.objects.create(
            name=n["name"], slug=n["slug"], area=Area.objects.get(code=n["area"]), is_fictional=True
        )
        for n in DATA["networks"]
    }
    for network in networks.values():
        network.organisations.set(orgs.values())
    steward = Organisation.objects.filter(slug="zorgstad-backbone").first() or next(iter(orgs.values()))
    people = _people(networks, orgs, steward, today)
    pilot = networks["sint-hubertuswijk"]
    _agreements(pilot)
    residents = {
        n["slug"]: demo_residents.load(networks[n["slug"]], rng, today, n["residents"], DATA["names"])
        for n in DATA["networks"]
    }
    survey = demo_residents.survey(DATA["survey"], pilot, residents[pilot.slug], rng)
    signals = demo_signals.load(DATA, pilot, residents[pilot.slug], people, orgs)
    demo_signals.unrouted_worry(DATA["unrouted_worry"], list(networks.values()))
    indicators = care_indicators_ensure(steward=steward)
    challenge = Challenge.objects.filter(slug=DATA["challenge"]).first()
    if challenge is not None:
        challenge.indicators.add(*indicators)
    rows = care_figures_publish(today=today)
    audit_log(actor=None, action="care.demo.loaded")
    return (
        f"care: {len(networks)} networks, {sum(len(r) for r in residents.values())} fictional residents, "
        f"{signals} signals, a survey round of {survey} answers, {rows} figures"
    )


def _people(
    networks: dict[str, CareNetwork], orgs: dict[str, Organisation], backbone: Organisation, today: datetime.date
) -> dict[str, User]:
    people = {}
    now = timezone.now()
    for login in DATA["logins"]:
        user, created = _demo_user(_email(login), login["first_name"], login["last_name"])
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            # Joined today and with a role at their organisation: the network demo's growth, run again,
            # draws the same random numbers for everyone before them and gives them no other role.
            member = member_create(user=user, joined_on=today, is_fictional=True)
            Membership.objects.create(
                member=member,
                organisation=orgs.get(login["organisation"]) or backbone,
                role_title=login["role"],
                is_confirmed=True,
            )
        user.groups.add(*Group.objects.filter(name__in=[GROUPS[g] for g in login["groups"]]))
        if login["network"]:
            NetworkMember.objects.get_or_create(
                network=networks[login["network"]],
                user=user,
                defaults={
                    "organisation": orgs.get(login["organisation"]),
                    "is_coordinator": login["coordinator"],
                    "pledged_at": now,
                    "pledge_version": services.PLEDGE_VERSION,
                },
            )
        people[login["login"]] = user
    return people


def _agreements(network: CareNetwork) -> None:
    """Local businesses that watch for signs (a pharmacy, the postman) and whom they call."""
    for a in DATA["watch_agreements"]:
        WatchAgreement.objects.create(
            network=network,
            business=a["business"],
            kind=a["kind"],
            since=datetime.date.fromisoformat(a["since"]),
            watches_for=a["watches_for"],
            calls=a["calls"],
        )
