"""The network of the Hasselt demo: sectors, areas, partner organisations, the X50 and more members.

Everything but the three initiators is fictional. Generated members join up to today."""

from __future__ import annotations

import datetime
import io
import json
import random
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from samen.agenda.models import ActionDomain
from samen.core.permissions import BACKBONE, CARE_NETWORK, PARTNER_EDITORS
from samen.network.areas import load_areas_file
from samen.network.demo import growth as demo_growth
from samen.network.models import Area, Membership, Organisation, Sector, Skill, User
from samen.network.services import member_create

DATA = Path(__file__).parent / "data"
DEMO_PASSWORD = "hasselt-zorgstad-demo"
DEMO_DOMAIN = "demo.samen.invalid"
EXTRA_MEMBERS = 330
LOGO_COLOURS = ["#0b6b55", "#6a2c70", "#1d4e89", "#8a3b12", "#2f5d1e", "#7a1f3d"]

# One login per role of DESIGN.md that exists so far: (role, email, first, last, organisation, groups)
LOGINS = [
    ("admin", f"admin@{DEMO_DOMAIN}", "Ada", "Beheer", None, []),
    ("backbone coordinator", f"coordinator@{DEMO_DOMAIN}", "Karel", "Coördinator", "zorgstad-backbone", [BACKBONE]),
    ("partner editor", f"editor@{DEMO_DOMAIN}", "Eva", "Redacteur", "wijkzorg-runkst", [PARTNER_EDITORS]),
    ("member", f"member@{DEMO_DOMAIN}", "Mila", "Lid", None, []),
    # The care app (signals of isolated elderly) gives this role its work; until then it is a member.
    ("care network member", f"care@{DEMO_DOMAIN}", "Cas", "Buurtzorg", None, [CARE_NETWORK]),
]
# The role title their organisation shows, in Dutch like every other demo role title.
ROLE_TITLES = {"backbone coordinator": "coördinator", "partner editor": "redacteur"}


def logins() -> list[tuple[str, str, str]]:
    emails = set(User.objects.filter(email__in=[login[1] for login in LOGINS]).values_list("email", flat=True))
    return [(role, email, DEMO_PASSWORD) for role, email, *_rest in LOGINS if email in emails]


@transaction.atomic
def load(*, today: datetime.date) -> str:
    data = json.loads((DATA / "network.json").read_text(encoding="utf-8"))
    areas = load_areas_file(DATA / "hasselt_areas.geojson")
    for order, s in enumerate(data["sectors"], start=1):
        Sector.objects.update_or_create(
            slug=s["slug"], defaults={"order": order, "name_nl": s["name_nl"], "name_en": s["name_en"]}
        )
    for s in data["skills"]:
        Skill.objects.update_or_create(slug=s["slug"], defaults={"name_nl": s["name_nl"], "name_en": s["name_en"]})
    _organisations(data["organisations"])
    extra_orgs = demo_growth.organisations(today=today)
    _x50(data["people"])
    extra = _generated_members(data["people"], today=today)
    _logins()
    brought = demo_growth.grow(data["people"], today=today)
    return (
        f"network: {areas} areas, {len(data['organisations']) + extra_orgs} organisations, "
        f"{len(data['people'])} X50 members and {extra} more ({brought} brought by someone)"
    )


def _organisations(specs: list[dict]) -> None:
    sectors = {s.slug: s for s in Sector.objects.all()}
    domains = {d.slug: d for d in ActionDomain.objects.all()}
    for number, o in enumerate(specs):
        org, _created = Organisation.objects.update_or_create(
            slug=o["slug"],
            defaults={
                "name": o["name"],
                "sector": sectors[o["sector"]],
                "role": o["role"],
                "joined_on": datetime.date.fromisoformat(o["joined_on"]),
                "description_nl": o["description_nl"],
                "description_en": o["description_en"],
                "website": o["website"],
                "is_fictional": o["fictional"],
            },
        )
        org.action_domains.set([domains[d] for d in o["domains"]])
        # Made-up logos (initials on a colour) for fictional partners only; real ones keep theirs.
        if o["fictional"] and not org.logo:
            org.logo.name = _initials_logo(org, LOGO_COLOURS[number % len(LOGO_COLOURS)])
            org.logo_alt = f"{org.name}: logo"
            org.save(update_fields=["logo", "logo_alt"])


def _initials_logo(org: Organisation, colour: str) -> str:
    name = f"logos/demo-{org.slug}.png"
    if not default_storage.exists(name):  # the media storage: MEDIA_ROOT, or the S3 bucket
        image = Image.new("RGB", (192, 192), colour)
        initials = "".join(word[0] for word in org.name.split()[:2]).upper()
        font = ImageFont.load_default(size=80)
        ImageDraw.Draw(image).text((96, 96), initials, fill="white", font=font, anchor="mm")
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        default_storage.save(name, ContentFile(buffer.getvalue()))
    return name


def _demo_user(email: str, first: str, last: str) -> tuple[User, bool]:
    """A fictional person; what they or the backbone changed since is left alone on a second run."""
    user, created = User.objects.get_or_create(email=email, defaults={"first_name": first, "last_name": last})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user, created


def _x50(people: list[dict]) -> None:
    areas = {a.code: a for a in Area.objects.all()}
    domains = {d.slug: d for d in ActionDomain.objects.all()}
    skills = {s.slug: s for s in Skill.objects.all()}
    orgs = {o.slug: o for o in Organisation.objects.all()}
    for number, p in enumerate(people):
        user, created = _demo_user(p["email"], p["first_name"], p["last_name"])
        if not created:
            continue
        member = member_create(user=user, joined_on=datetime.date.fromisoformat(p["joined_on"]), is_fictional=True)
        member.neighbourhood = areas[p["neighbourhood"]]
        member.show_publicly = number % 3 != 0
        member.show_neighbourhood_publicly = number % 2 == 0
        member.save()
        member.interests.set([domains[d] for d in p["interests"]])
        member.skills.set([skills[s] for s in p["skills"]])
        if p["organisation"]:
            # Most roles of the design team are confirmed; a few wait, so editors see the queue.
            Membership.objects.create(
                member=member,
                organisation=orgs[p["organisation"]],
                role_title=p["role_title_nl"],
                is_confirmed=number % 7 != 3,
            )


def _generated_members(people: list[dict], *, today: datetime.date) -> int:
    """Members who joined after the X50, spread from the launch (early 2018) up to today."""
    rng = random.Random(2018)  # the same people every run
    firsts = [p["first_name"] for p in people]
    lasts = [p["last_name"] for p in people]
    neighbourhoods = list(Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD).order_by("code"))
    domains = list(ActionDomain.objects.order_by("slug"))
    skills = list(Skill.objects.order_by("slug"))
    start = datetime.date(2018, 2, 1)
    span = (today - start).days
    for number in range(EXTRA_MEMBERS):
        first, last = rng.choice(firsts), rng.choice(lasts)
        email = f"{first}.{last}.{number}@{DEMO_DOMAIN}".lower().replace(" ", "").encode("ascii", "ignore").decode()
        # Growth speeds up over time: more of the later members joined recently.
        joined = start + datetime.timedelta(days=int(span * (1 - (1 - rng.random()) ** 1.6)))
        neighbourhood = rng.choice(neighbourhoods)
        interests = rng.sample(domains, k=rng.randint(1, 2))
        their_skills = rng.sample(skills, k=rng.randint(1, 3))
        user, created = _demo_user(email, first, last)
        if created:
            member = member_create(user=user, joined_on=joined, is_fictional=True)
            member.neighbourhood = neighbourhood
            member.save()
            member.interests.set(interests)
            member.skills.set(their_skills)
    return EXTRA_MEMBERS


def _logins() -> None:
    for role, email, first, last, org_slug, groups in LOGINS:
        user, created = _demo_user(email, first, last)
        if not created:
            continue  # a changed password or role stays as it was set
        user.set_password(DEMO_PASSWORD)
        user.is_superuser = role == "admin"
        user.is_staff = role in ("admin", "backbone coordinator")
        user.save()
        user.groups.set(Group.objects.filter(name__in=groups))
        member = member_create(user=user, joined_on=datetime.date(2018, 2, 1), is_fictional=True)
        member.neighbourhood = Area.objects.filter(code="sint-hubertuswijk").first()
        member.save()
        if org_slug:
            Membership.objects.create(
                member=member,
                organisation=Organisation.objects.get(slug=org_slug),
                role_title=ROLE_TITLES[role],
                is_editor=True,
                is_confirmed=True,
            )
        elif role == "member":
            # A role the demo editor still has to confirm.
            Membership.objects.create(
                member=member, organisation=Organisation.objects.get(slug="wijkzorg-runkst"), role_title="vrijwilliger"
            )
