"""Voices of the demo's members: proposals with supports and comments, and stories of people helped.

Runs after the network demo (it needs its fictional members): samen/measurement/demo_challenges.py
calls it at the end of the measurement demo. Every row is keyed, so running it twice changes nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from samen.agenda.models import Challenge, Comment, Proposal, Story, Support

DOMAIN = "demo.samen.invalid"

# (author index, challenge slug or None for a new challenge, title, body, supports, status, answer, comments)
PROPOSALS = [
    (
        0,
        "niemand-alleen-thuis",
        "Een belkring van buren in elke straat",
        "Elke 80-plusser die dat wil, krijgt drie buren die om beurten één keer per week bellen. "
        "Wie niet opneemt, krijgt dezelfde dag een bezoek. Het buurtwerk kan de eerste kringen helpen starten.",
        14,
        "accepted",
        "Dit past precies bij onze doelstelling ‘Een lokaal net werkt’. We starten in de pilootwijk met het "
        "buurtwerk en de wijkagent, en delen de resultaten op het dashboard.",
        [
            "Ik wil meedoen in onze straat in Runkst.",
            "Goed idee. Denk ook aan mensen die slecht horen: een deurbel-bezoek werkt dan beter.",
        ],
    ),
    (
        1,
        "niemand-alleen-thuis",
        "Apothekers vragen wie je kan bellen in nood",
        "Bij het ophalen van medicatie kan de apotheker vragen of iemand drie nummers heeft van mensen in de buurt. "
        "Zo niet, dan verwijst hij door naar het buurtnetwerk.",
        9,
        "open",
        "",
        ["Onze apotheek doet graag mee."],
    ),
    (
        2,
        "niemand-alleen-thuis",
        "Een koffiemoment in het dienstencentrum, met vervoer",
        "Wie niet meer goed te been is, komt niet naar het dienstencentrum. Een vrijwilligerschauffeur één keer per week zou veel helpen.",
        6,
        "merged",
        "Samengevoegd met het voorstel ‘Een belkring van buren in elke straat’: de belkring regelt ook het vervoer.",
        [],
    ),
    (
        3,
        "gezondheidsinformatie-voor-iedereen",
        "Leesbare afspraakbrieven testen met een burgerpanel",
        "Laat elke nieuwe brief van het ziekenhuis eerst lezen door vijf Hasselaren die het moeilijk hebben met lezen.",
        11,
        "open",
        "",
        ["Ik zit graag in zo'n panel.", "Ook de bijsluiters van de apotheek graag!"],
    ),
    (
        4,
        "mantelzorgers-niet-alleen",
        "Een mantelzorgcafé op zaterdagvoormiddag",
        "Veel mantelzorgers werken in de week. Een maandelijks café op zaterdag, met opvang voor wie ze verzorgen.",
        7,
        "not-now",
        "Een goed idee, maar er is dit jaar geen ruimte en geen budget voor opvang op zaterdag. We bekijken het opnieuw bij de begroting van volgend jaar.",
        ["Jammer, ik hoop volgend jaar."],
    ),
    (
        5,
        None,
        "Nieuwe uitdaging: eenzaamheid bij jonge mantelzorgers",
        "Jongeren die voor een ouder zorgen, vallen vaak uit de boot. Op school weet niemand het. "
        "Kan dit een eigen uitdaging op de agenda worden?",
        12,
        "open",
        "",
        ["Herkenbaar: ik zorgde zelf voor mijn moeder toen ik zestien was."],
    ),
    (
        6,
        "elke-dag-een-half-uur",
        "Wandelgroep vanuit de huisartsenpraktijk",
        "Huisartsen kunnen een wandeling ‘voorschrijven’: elke dinsdag vertrekt een groep aan de praktijk.",
        5,
        "open",
        "",
        [],
    ),
]

# (challenge slug, title, body, language, privacy, consent by)
STORIES = [
    (
        "niemand-alleen-thuis",
        "Drie nummers op de koelkast",
        "Een vrouw van 88 in Runkst viel vorige winter in haar keuken. Ze kon niemand bellen. Sinds het buurtnetwerk "
        "langskwam, hangen drie nummers op haar koelkast: haar buurvrouw, de bakker en een vrijwilliger. "
        "‘Ik durf weer alleen te zijn’, zegt ze.",
        "nl",
        Story.Privacy.ANONYMISED,
        "",
    ),
    (
        "niemand-alleen-thuis",
        "Louis heeft weer bezoek",
        "Louis (91) sprak na de dood van zijn vrouw weken niemand. Nu komt elke donderdag Yasmina van het buurtwerk "
        "koffie drinken. Hij vertelt haar over zijn jaren in de mijn.",
        "nl",
        Story.Privacy.CONSENT,
        "Louis (demo)",
    ),
    (
        "mantelzorgers-niet-alleen",
        "A weekend off, for the first time in two years",
        "A man who cares for his wife with dementia had not had a day off in two years. Through respite care arranged "
        "by a partner, he spent a weekend with his grandchildren at the coast.",
        "en",
        Story.Privacy.ANONYMISED,
        "",
    ),
]


def load(*, today: datetime.date) -> str:
    people = list(
        get_user_model().objects.filter(email__endswith=f"@{DOMAIN}", member__is_fictional=True).order_by("email")[:40]
    )
    coordinator = get_user_model().objects.filter(email=f"coordinator@{DOMAIN}").first()
    if len(people) < 20 or coordinator is None:
        return "agenda voices: skipped (the network demo has no members)"
    challenges = {c.slug: c for c in Challenge.objects.all()}
    supports = 0
    for n, (author, slug, title, body, backers, status, answer, comments) in enumerate(PROPOSALS):
        proposal = _proposal(people[author], challenges.get(slug), title, body, status, answer, coordinator)
        for backer in people[author + 1 : author + 1 + backers]:
            Support.objects.get_or_create(proposal=proposal, member=backer)
            supports += 1
        for i, text in enumerate(comments):
            Comment.objects.get_or_create(
                proposal=proposal, author=people[(author + 7 + i + n) % len(people)], body=text
            )
    for slug, title, body, language, privacy, consent_by in STORIES:
        Story.objects.get_or_create(
            challenge=challenges[slug],
            title=title,
            defaults={
                "body": body,
                "language": language,
                "privacy": privacy,
                "consent_by": consent_by,
                "consent_on": today - datetime.timedelta(days=40) if consent_by else None,
                "author": people[10],
                "status": Story.Status.PUBLISHED,
                "reviewed_by": coordinator,
                "published_at": timezone.now(),
            },
        )
    return f"agenda voices: {len(PROPOSALS)} proposals, {supports} supports, {len(STORIES)} stories"


def _proposal(author, challenge, title, body, status, answer, coordinator) -> Proposal:
    # Written directly, not through proposal_answer: the demo must not send anyone an email.
    proposal, _created = Proposal.objects.get_or_create(
        author=author,
        title=title,
        defaults={
            "kind": Proposal.Kind.IDEA if challenge else Proposal.Kind.CHALLENGE,
            "challenge": challenge,
            "body": body,
            "status": status,
            "answer": answer,
            "answered_by": coordinator if answer else None,
            "answered_at": timezone.now() if answer else None,
        },
    )
    return proposal
