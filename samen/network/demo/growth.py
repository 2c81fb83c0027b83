"""How the demo network grew: circles, invitation chains ("everyone brings someone"), partners
joining over the years, and a few open invitations and proposals. Deterministic and idempotent:
it only fills in what is still empty, so what people changed stays as it is."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from samen.agenda.models import ActionDomain
from samen.network.models import JoinInvitation, Member, Membership, Organisation, PartnerProposal, Sector

DEMO_DOMAIN = "demo.samen.invalid"
SEED = 5000
EXTRA_ORGANISATIONS = 60
INITIATOR_ORGANISATIONS = ("stad-hasselt", "jessa-ziekenhuis", "hogeschool-pxl")

# Made-up partners by sector: (name pattern, places or kinds); invented, marked so once (footer, partner page).
PARTNER_NAMES = {
    "care": ["Thuisverpleging {}", "Apotheek {}", "Kinesitherapie {}", "Woonzorgcentrum {}"],
    "welfare": ["Buurtwerk {}", "Dienstencentrum {}", "Vrijwilligerspunt {}"],
    "government": ["Stadsloket {}", "Politiepost {}", "Bibliotheekfiliaal {}"],
    "knowledge": ["Basisschool {}", "Academie {}", "Leerlab {}"],
    "business": ["Bakkerij {}", "Fietsherstel {}", "Kapsalon {}", "Supermarkt {}"],
    "civil-society": ["Seniorenvereniging {}", "Sportclub {}", "Buurtcomité {}", "Jeugdhuis {}"],
}
PLACES = [
    "Kiewit", "Runkst", "Kuringen", "Stevoort", "Sint-Lambrechts-Herk", "Wimmertingen", "Godsheide",
    "Spalbeek", "Kermt", "Banneux", "Rapertingen", "Heilig Hart", "Sint-Katarina", "Hasselt-Centrum",
]  # fmt: skip


def organisations(*, today: datetime.date) -> int:
    """About a hundred partners in all: the described ones plus made-up partners joining since 2018."""
    rng = random.Random(SEED)
    sectors = {s.slug: s for s in Sector.objects.all()}
    domains = list(ActionDomain.objects.order_by("slug"))
    start = datetime.date(2018, 2, 1)
    span = (today - start).days
    slugs = sorted(PARTNER_NAMES)
    for number in range(EXTRA_ORGANISATIONS):
        sector = slugs[number % len(slugs)]
        pattern = PARTNER_NAMES[sector][number // len(slugs) % len(PARTNER_NAMES[sector])]
        place = PLACES[number % len(PLACES)]
        name = pattern.format(place)
        joined = start + datetime.timedelta(days=int(span * rng.random() ** 0.8))
        chosen = rng.sample(domains, k=rng.randint(1, 2)) if domains else []
        org, created = Organisation.objects.get_or_create(
            slug=f"demo-partner-{number + 1}",
            defaults={
                "name": name,
                "sector": sectors[sector],
                "joined_on": joined,
                "is_fictional": True,
                "description_nl": f"{pattern.split()[0]} in {place}, partner van het netwerk.",
                "description_en": f"{pattern.split()[0]} in {place}, a partner of the network.",
            },
        )
        if created:
            org.action_domains.set(chosen)
    return EXTRA_ORGANISATIONS


def grow(people: list[dict], *, today: datetime.date) -> int:
    """Circles for the X3 and X50, who brought whom, and where the newer members work."""
    _circles(people)
    rng = random.Random(SEED)
    members = list(
        Member.objects.filter(is_fictional=True, user__email__endswith=f"@{DEMO_DOMAIN}")
        .select_related("user")
        .order_by("joined_on", "pk")
    )
    x50 = {p["email"] for p in people}
    orgs = list(Organisation.objects.order_by("slug"))
    earlier: list[Member] = []
    brought = 0
    for member in members:
        pick = rng.random()
        chain_end = rng.random()
        work = rng.random()
        org = orgs[int(rng.random() * len(orgs))] if orgs else None
        if member.user.email not in x50 and earlier and pick > 0.12:
            # Most newcomers were brought by someone; recent joiners bring more (they are still keen).
            bringer = earlier[min(len(earlier) - 1, int(len(earlier) * (1 - chain_end**2)))]
            if member.brought_by_id is None and bringer.joined_on <= member.joined_on:
                member.brought_by = bringer
                member.save(update_fields=["brought_by"])
        if member.user.email not in x50 and org and work < 0.4 and not member.memberships.exists():
            Membership.objects.create(member=member, organisation=org, role_title="vrijwilliger", is_confirmed=True)
        brought += member.brought_by_id is not None
        earlier.append(member)
    _open_invitations(today=today)
    return brought


def _circles(people: list[dict]) -> None:
    """One person of each initiator is of the X3; the rest of the first fifty is the design team."""
    first_of: dict[str, str] = {}
    for p in people:
        if p["organisation"] in INITIATOR_ORGANISATIONS:
            first_of.setdefault(p["organisation"], p["email"])
    initiators = set(first_of.values())
    for member in Member.objects.filter(user__email__in=[p["email"] for p in people], circle=Member.Circle.NETWORK):
        member.circle = Member.Circle.INITIATORS if member.user.email in initiators else Member.Circle.DESIGN_TEAM
        member.save(update_fields=["circle"])


def _open_invitations(*, today: datetime.date) -> None:
    """The demo member has sent two invitations and proposed a partner; the coordinator decides."""
    member = Member.objects.filter(user__email=f"member@{DEMO_DOMAIN}").first()
    if member is None:
        return
    expires = timezone.now() + datetime.timedelta(days=20)
    for email in (f"buur.jan@{DEMO_DOMAIN}", f"collega.an@{DEMO_DOMAIN}"):
        JoinInvitation.objects.get_or_create(
            inviter=member,
            email=email,
            defaults={
                "kind": JoinInvitation.Kind.EMAIL,
                "message": "Doe je mee? Samen maken we de buurt warmer.",
                "nonce": "demo",
                "expires_at": expires,
            },
        )
    care = Sector.objects.filter(slug="care").first()
    if care is not None:
        PartnerProposal.objects.get_or_create(
            name="Tandartsenpraktijk Runkst",
            defaults={
                "proposed_by": member,
                "sector": care,
                "reason": "Zij zien veel ouderen die alleen wonen en willen graag signaleren.",
            },
        )
