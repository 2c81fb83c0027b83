"""The demo's activities: partners' projects in every action domain, with open volunteer roles.

"Een lokaal net werkt!" follows the public record (FACTS.md); the other activities are made up
for fictional partners. Keyed on slugs, so a second run changes nothing."""

from __future__ import annotations

import datetime

from django.db import transaction

from samen.activities.models import Activity, PerformanceMeasure, Resource, Role, RoleSignup
from samen.agenda.models import ActionDomain, Goal
from samen.measurement.models import Indicator
from samen.network.models import Area, Member, Organisation, Skill

D = datetime.date
# slug: title, summary, lead, partners, domains, goals, areas, status, start, end, impact,
#       indicators, performance measures [(question, code)], roles [(title, skill, places, time, when)], resources
ACTIVITIES = {
    "een-lokaal-net-werkt": {
        "title": "Een lokaal net werkt!",
        "summary": "Elke thuiswonende 80-plusser heeft drie telefoonnummers van mensen in de buurt. Een pilootproject in de Sint-Hubertuswijk in Runkst.",
        "description": (
            "Wie ouder is dan 80 en thuis woont, moet in nood iemand in de buurt kunnen bellen. "
            "Een brugfiguur en de buurtwerker van de stad gaan langs bij elke 80-plusser in de wijk, "
            "brengen buren met elkaar in contact en zorgen dat iedereen drie telefoonnummers heeft "
            "van mensen dichtbij. De wijkagent is partner.\n\n"
            "Het project werd geschreven door de stad en het OCMW, Hogeschool PXL, Jessa Ziekenhuis, "
            "een huisartsenkring en een zorgnetwerk, en begin 2018 als pilootproject gesteund door de "
            "Koning Boudewijnstichting."
        ),
        "impact": "Minder 80-plussers die in nood niemand kunnen bereiken, en meer bezoek voor wie alleen is.",
        "lead": "buurtwerk-sint-hubertus",
        "partners": [
            "stad-hasselt",
            "hogeschool-pxl",
            "jessa-ziekenhuis",
            "huisartsenkring-demer",
            "zorgnetwerk-herkvallei",
            "wijkpolitie-demervallei",
        ],
        "domains": ["zorgzame-buurten"],
        "goals": ["een-lokaal-net-werkt"],
        "areas": ["sint-hubertuswijk"],
        "status": "running",
        "start": D(2018, 3, 1),
        "end": None,
        "indicators": ["eld-no-emergency-contact", "eld-visit-weekly", "eld-never-visited"],
        "measures": [("better-off", "three-numbers")],
        "roles": [
            ("Buurtbezoeker", "listening-visiting", 8, "Twee uur per week", "weekday-daytime"),
            ("Telefoonmaatje", "communication", 5, "Een uur per week, van thuis uit", "weekday-evening"),
            ("Vervoer naar de buurtbabbel", "driving", 2, "Eén voormiddag per maand", "weekday-daytime"),
        ],
        "resources": ["Een lokaal voor de maandelijkse buurtbabbel", "Kaartjes met drie telefoonnummers drukken"],
        "website": "https://www.hasseltzorgstad.be/",
    },
    "telefooncirkel-runkst": {
        "title": "Telefooncirkel voor alleenwonende ouderen",
        "summary": "Wie alleen woont, krijgt elke ochtend een telefoontje van een vaste buur.",
        "description": "Vrijwilligers bellen elke ochtend een vaste oudere buur. Geen antwoord? Dan belt de cirkel de afgesproken contactpersoon.",
        "impact": "Niemand blijft dagen zonder contact.",
        "lead": "wijkzorg-runkst",
        "partners": ["vrijwilligersplatform-handen-vol"],
        "domains": ["zorgzame-buurten"],
        "goals": ["een-lokaal-net-werkt"],
        "areas": ["sint-hubertuswijk", "runkst"],
        "status": "running",
        "start": D(2021, 9, 1),
        "end": None,
        "indicators": ["eld-visit-weekly"],
        "measures": [],
        "roles": [("Ochtendbeller", "communication", 6, "Tien minuten per dag", "weekday-daytime")],
        "resources": [],
    },
    "buurtbabbel-terhilst": {
        "title": "Buurtbabbel Terhilst",
        "summary": "Elke dinsdag koffie en een babbel in het ontmoetingshuis, voor wie wat meer volk wil zien.",
        "description": "Een open ontmoetingsmoment met koffie, een krant en een spelletje.",
        "impact": "Ouderen in Terhilst kennen meer buren.",
        "lead": "ontmoetingshuis-terhilst",
        "partners": ["buurtcomite-terhilst-leeft"],
        "domains": ["zorgzame-buurten"],
        "goals": ["een-lokaal-net-werkt"],
        "areas": ["terhilst"],
        "status": "running",
        "start": D(2022, 1, 11),
        "end": None,
        "indicators": ["eld-visit-weekly"],
        "measures": [],
        "roles": [("Gastvrouw of gastheer", "events", 3, "Dinsdagnamiddag, om de twee weken", "weekday-daytime")],
        "resources": ["Gezelschapsspelen"],
    },
    "aed-buurtnetwerk-kermt": {
        "title": "AED-buurtnetwerk Kermt",
        "summary": "Meer AED-toestellen aan de gevel en buurtbewoners die weten hoe ze reanimeren.",
        "description": "Samen met handelaars hangen we AED-toestellen op en we geven gratis reanimatielessen.",
        "impact": "Wie een hartstilstand krijgt, heeft binnen zes minuten hulp.",
        "lead": "brandweerpost-hasselt-zuid",
        "partners": ["patientenvereniging-hart-voor-hasselt", "buurtmarkt-kermt"],
        "domains": ["zorgzame-buurten"],
        "goals": ["hartveilige-stad"],
        "areas": ["kermt"],
        "status": "running",
        "start": D(2023, 3, 1),
        "end": None,
        "indicators": [],
        "measures": [("how-much", "aed-registered")],
        "roles": [("Lesgever reanimatie", "first-aid", 4, "Twee avonden per maand", "weekday-evening")],
        "resources": ["Twee AED-toestellen voor de Dorpsstraat"],
    },
    "dementievriendelijke-winkels": {
        "title": "Dementievriendelijke winkelstraat",
        "summary": "Winkeliers leren hoe ze klanten met dementie herkennen en helpen.",
        "description": "Een korte vorming voor winkeliers en een sticker op de deur.",
        "impact": "Mensen met dementie blijven langer zelf boodschappen doen.",
        "lead": "buurtmarkt-kermt",
        "partners": ["onderzoeksgroep-gezond-ouder-worden"],
        "domains": ["zorgzame-buurten"],
        "goals": ["dementievriendelijke-stad"],
        "areas": ["kermt-dorp"],
        "status": "planned",
        "start": D(2027, 2, 1),
        "end": D(2027, 12, 31),
        "indicators": [],
        "measures": [],
        "roles": [("Vormingsbegeleider", "communication", 2, "Een avond per kwartaal", "weekday-evening")],
        "resources": [],
    },
    "gezondheid-in-eenvoudige-taal": {
        "title": "Gezondheid in eenvoudige taal",
        "summary": "Bijsluiters, brieven en folders herschreven zodat iedereen ze begrijpt.",
        "description": "Taalcoaches en apothekers herschrijven samen gezondheidsinformatie en testen ze met bewoners.",
        "impact": "Meer mensen begrijpen wat hun arts en apotheker hen vertellen.",
        "lead": "taalbrug-volwassenenonderwijs",
        "partners": ["apotheek-de-linde", "eerstelijnszone-demerland"],
        "domains": ["gezondheidsvaardige-stad"],
        "goals": ["gezondheidsinformatie-begrijpen"],
        "areas": ["binnenstad", "rapertingen"],
        "status": "running",
        "start": D(2020, 9, 1),
        "end": None,
        "indicators": ["health-info-understood"],
        "measures": [],
        "roles": [
            ("Taalcoach", "languages", 4, "Drie uur per maand", "weekday-daytime"),
            ("Testlezer", None, 10, "Een uur, één keer", ""),
        ],
        "resources": [],
    },
    "mantelzorgcafe": {
        "title": "Mantelzorgcafé",
        "summary": "Een maandelijkse avond waar mantelzorgers elkaar ontmoeten en advies krijgen.",
        "description": "Mantelzorgers delen ervaringen; een sociaal werker beantwoordt vragen over premies en respijt.",
        "impact": "Mantelzorgers houden het langer vol en vinden sneller hulp.",
        "lead": "mantelzorgpunt-hasselt",
        "partners": ["ontmoetingsvereniging-kopru"],
        "domains": ["gezondheidsvaardige-stad"],
        "goals": ["mantelzorgers-ondersteund"],
        "areas": ["hasselt"],
        "status": "running",
        "start": D(2019, 1, 15),
        "end": None,
        "indicators": [],
        "measures": [("how-much", "informal-carers-supported")],
        "roles": [("Onthaal en koffie", "cooking", 2, "Eén avond per maand", "weekday-evening")],
        "resources": ["Een zaal met twintig stoelen"],
    },
    "zorgkaart-hasselt": {
        "title": "Zorgkaart Hasselt",
        "summary": "Alle zorg- en welzijnsdiensten van de stad op één kaart, met openingsuren en toegankelijkheid.",
        "description": "Een open kaart die partners zelf bijhouden; bewoners vinden er de juiste hulp dichtbij.",
        "impact": "Minder mensen die de weg naar hulp niet vinden.",
        "lead": "kenniscentrum-zorginnovatie",
        "partners": ["zorgdata-solutions", "eerstelijnszone-demerland"],
        "domains": ["toegankelijke-zorgstad"],
        "goals": ["zorgaanbod-in-kaart"],
        "areas": ["hasselt"],
        "status": "running",
        "start": D(2019, 1, 1),
        "end": None,
        "indicators": [],
        "measures": [("how-much", "care-map-services")],
        "roles": [
            ("Gegevens nakijken", "data-analysis", 3, "Twee uur per maand", ""),
            ("Digitale hulp in de bib", "it-help", 4, "Zaterdagvoormiddag", "weekend"),
        ],
        "resources": [],
    },
    "vervoer-naar-de-dokter": {
        "title": "Vervoer naar de dokter",
        "summary": "Vrijwillige chauffeurs brengen wie geen vervoer heeft naar de huisarts of het ziekenhuis.",
        "description": "Aanvragen komen binnen via het vrijwilligersplatform; chauffeurs krijgen een kilometervergoeding.",
        "impact": "Niemand stelt een doktersbezoek uit omdat er geen vervoer is.",
        "lead": "vrijwilligersplatform-handen-vol",
        "partners": ["taxi-demerstad"],
        "domains": ["toegankelijke-zorgstad"],
        "goals": ["snel-de-juiste-hulp", "geen-uitgestelde-zorg"],
        "areas": ["kuringen", "stokrooie"],
        "status": "running",
        "start": D(2020, 4, 1),
        "end": None,
        "indicators": [],
        "measures": [],
        "roles": [("Vrijwillige chauffeur", "driving", 6, "Een halve dag per week", "weekday-daytime")],
        "resources": ["Een rolstoelvriendelijke wagen"],
    },
    "rookvrije-schoolomgeving": {
        "title": "Rookvrije schoolpoort",
        "summary": "Een rookvrije zone rond de school, met groen in plaats van asfalt.",
        "description": "Leerlingen ontwerpen de zone mee; de stad plaatst borden en plantenbakken.",
        "impact": "Kinderen spelen in gezondere lucht.",
        "lead": "basisschool-de-vlindertuin",
        "partners": ["architectenbureau-open-ruimte"],
        "domains": ["gezonde-leefruimte"],
        "goals": ["rookvrije-speelplekken"],
        "areas": ["rapertingen"],
        "status": "planned",
        "start": D(2027, 3, 1),
        "end": D(2027, 6, 30),
        "indicators": [],
        "measures": [],
        "roles": [("Helpende handen bij het planten", None, 12, "Eén zaterdag", "weekend")],
        "resources": ["Plantenbakken en aarde"],
    },
    "rustbanken-binnenstad": {
        "title": "Rustbanken in de binnenstad",
        "summary": "Om de tweehonderd meter een bank, zodat ook wie slecht te been is naar de stad kan.",
        "description": "Een idee van bewoners: samen kiezen we de plekken.",
        "impact": "Ouderen en mensen met een beperking gaan vaker zelf de stad in.",
        "lead": "woonmaatschappij-demerhuis",
        "partners": ["mobiliteitspunt-midden-limburg"],
        "domains": ["gezonde-leefruimte"],
        "goals": ["rustpunten-binnenstad"],
        "areas": ["binnenstad"],
        "status": "idea",
        "start": None,
        "end": None,
        "indicators": [],
        "measures": [],
        "roles": [],
        "resources": ["Budget voor twintig banken"],
    },
    "wandelen-met-de-demerstappers": {
        "title": "Wandelen met de Demerstappers",
        "summary": "Elke zaterdag een wandeling van vijf kilometer op het tempo van de traagste.",
        "description": "Voor 65-plussers die weer in beweging willen komen.",
        "impact": "Meer 65-plussers bewegen elke week.",
        "lead": "wandelclub-demerstappers",
        "partners": ["seniorenvereniging-zilvergrijs", "kinepraktijk-demerpoort"],
        "domains": ["hasselt-beweegt"],
        "goals": ["beweegaanbod-65-plus"],
        "areas": ["stokrooie", "spalbeek"],
        "status": "running",
        "start": D(2021, 4, 3),
        "end": None,
        "indicators": ["active-30-minutes"],
        "measures": [],
        "roles": [("Wandelbegeleider", "exercise-coaching", 4, "Zaterdagvoormiddag", "weekend")],
        "resources": [],
    },
    "beweegbox-op-school": {
        "title": "Beweegbox op school",
        "summary": "Elke klas een kist met spelmateriaal voor de speeltijd.",
        "description": "Leerlingen bewogen elke dag een half uur meer op de speelplaats.",
        "impact": "Kinderen bewegen meer tijdens de schooldag.",
        "lead": "atheneum-de-bron",
        "partners": ["fitnesscentrum-kracht-en-balans"],
        "domains": ["hasselt-beweegt"],
        "goals": ["dagelijks-bewegen"],
        "areas": ["hasselt-centrum"],
        "status": "finished",
        "start": D(2022, 9, 1),
        "end": D(2023, 6, 30),
        "indicators": ["active-30-minutes"],
        "measures": [],
        "roles": [],
        "resources": [],
    },
}
# Some demo members say when they can help, so matching has something to go on.
AVAILABILITY_CYCLE = [
    ["weekday-daytime"],
    ["weekday-evening"],
    ["weekend"],
    ["weekday-daytime", "weekend"],
    ["weekday-evening", "weekend"],
]


@transaction.atomic
def load(today: datetime.date) -> str:
    if not Organisation.objects.filter(slug="buurtwerk-sint-hubertus").exists():
        return ""  # the network demo did not run
    orgs = {o.slug: o for o in Organisation.objects.all()}
    domains = {d.slug: d for d in ActionDomain.objects.all()}
    goals = {g.slug: g for g in Goal.objects.all()}
    areas = {a.code: a for a in Area.objects.all()}
    indicators = {i.code: i for i in Indicator.objects.all()}
    skills = {s.slug: s for s in Skill.objects.all()}
    for slug, spec in ACTIVITIES.items():
        _activity(slug, spec, orgs, domains, goals, areas, indicators, skills)
    _members(domains, skills)
    signups = _signups()
    return f"activities: {len(ACTIVITIES)} activities, {Role.objects.count()} volunteer roles, {signups} sign-ups"


def _activity(slug, spec, orgs, domains, goals, areas, indicators, skills) -> None:
    activity, _created = Activity.objects.update_or_create(
        slug=slug,
        defaults={
            "title": spec["title"],
            "summary": spec["summary"],
            "description": spec["description"],
            "societal_impact": spec["impact"],
            "lead_organisation": orgs[spec["lead"]],
            "website": spec.get("website", ""),
            "status": spec["status"],
            "starts_on": spec["start"],
            "ends_on": spec["end"],
            "is_published": True,
        },
    )
    activity.partner_organisations.set([orgs[o] for o in spec["partners"]])
    activity.action_domains.set([domains[d] for d in spec["domains"]])
    activity.goals.set([goals[g] for g in spec["goals"] if g in goals])
    activity.areas.set([areas[a] for a in spec["areas"] if a in areas])
    activity.indicators.set([indicators[i] for i in spec["indicators"] if i in indicators])
    for question, code in spec["measures"]:
        if code in indicators:
            PerformanceMeasure.objects.update_or_create(
                activity=activity, indicator=indicators[code], defaults={"question": question}
            )
    for title, skill, places, time, when in spec["roles"]:
        Role.objects.update_or_create(
            activity=activity,
            title=title,
            defaults={"skill": skills.get(skill), "places": places, "time_asked": time, "availability": when},
        )
    for description in spec["resources"]:
        Resource.objects.get_or_create(activity=activity, description=description)


def _members(domains, skills) -> None:
    """Fictional members without availability get some; the demo member gets a profile that matches."""
    members = Member.objects.filter(is_fictional=True, availability=[]).order_by("pk")
    for number, member in enumerate(members):
        member.availability = AVAILABILITY_CYCLE[number % len(AVAILABILITY_CYCLE)]
        member.save(update_fields=["availability"])
    mila = Member.objects.filter(user__email="member@demo.samen.invalid").first()
    if mila is not None and not mila.interests.exists() and not mila.skills.exists():
        mila.interests.set([domains["zorgzame-buurten"]])
        mila.skills.set([s for k, s in skills.items() if k in ("listening-visiting", "communication")])
        mila.availability = ["weekday-daytime", "weekday-evening"]
        mila.save(update_fields=["availability"])


def _signups() -> int:
    """A few members of the neighbourhood already took roles, so organisers see filled places."""
    role = Role.objects.filter(activity__slug="een-lokaal-net-werkt", title="Buurtbezoeker").first()
    if role is None:
        return 0
    visitors = (
        Member.objects.filter(is_fictional=True, skills__slug="listening-visiting")
        .exclude(user__email__in=["member@demo.samen.invalid"])
        .order_by("pk")[:3]
    )
    for member in visitors:
        RoleSignup.objects.get_or_create(role=role, member=member)
    return RoleSignup.objects.count()
