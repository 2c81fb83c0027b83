"""The health check's own instrument, written for Samen (not copied from any published survey).

Sections for the five conditions of collective impact and the success factors; each statement is
answered on a 1–5 agreement scale. A backbone can add its own instrument in the curation pages."""

from __future__ import annotations

from typing import Any

SLUG = "samen-gezondheidscheck"
NAME = ("Gezondheidscheck van de samenwerking", "Health check of the collaboration")

# (slug, Dutch title, English title, [(Dutch statement, English statement), …])
SECTIONS: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    (
        "common-agenda",
        "Gedeelde agenda",
        "Common agenda",
        [
            (
                "Ik kan in eigen woorden uitleggen waar het initiatief naartoe wil.",
                "I can explain in my own words where the initiative wants to go.",
            ),
            (
                "De doelstellingen van de actiedomeinen sturen wat mijn organisatie kiest te doen.",
                "The goals of the action domains steer what my organisation chooses to do.",
            ),
        ],
    ),
    (
        "shared-measurement",
        "Gedeelde meting",
        "Shared measurement",
        [
            (
                "We kijken samen naar dezelfde cijfers als we bespreken of het beter gaat.",
                "We look at the same figures together when we discuss whether things improve.",
            ),
            (
                "Ik vertrouw de cijfers op het dashboard.",
                "I trust the figures on the dashboard.",
            ),
        ],
    ),
    (
        "reinforcing-activities",
        "Activiteiten die elkaar versterken",
        "Mutually reinforcing activities",
        [
            (
                "Ik weet welke partners aan hetzelfde werken als wij.",
                "I know which partners work on the same things as we do.",
            ),
            (
                "Onze activiteiten vullen elkaar aan in plaats van elkaar te overlappen.",
                "Our activities complement each other instead of overlapping.",
            ),
        ],
    ),
    (
        "communication",
        "Voortdurende communicatie",
        "Continuous communication",
        [
            (
                "Ik hoor op tijd wat er in het initiatief beslist wordt.",
                "I hear in time what is decided in the initiative.",
            ),
            (
                "Als ik iets wil bespreken met een andere partner, weet ik hoe.",
                "When I want to discuss something with another partner, I know how.",
            ),
        ],
    ),
    (
        "backbone",
        "Trekkersorganisatie",
        "Backbone organisation",
        [
            (
                "De trekker houdt de koers vast zonder alles zelf te willen doen.",
                "The backbone keeps the course without wanting to do everything itself.",
            ),
            (
                "De trekker volgt op wat partners beloofd hebben.",
                "The backbone follows up on what partners promised.",
            ),
        ],
    ),
    (
        "urgency",
        "Gevoelde urgentie",
        "Felt urgency",
        [
            (
                "Het probleem waar we aan werken vraagt nu actie, niet later.",
                "The problem we work on needs action now, not later.",
            ),
        ],
    ),
    (
        "leaders",
        "Trekkers uit elke sector",
        "Leaders from every sector",
        [
            (
                "Mensen met beslissingsmacht uit verschillende sectoren doen echt mee.",
                "People with the power to decide, from different sectors, really take part.",
            ),
        ],
    ),
    (
        "trust",
        "Vertrouwen",
        "Trust",
        [
            (
                "Ik kan eerlijk zeggen wat niet goed gaat zonder dat het tegen ons gebruikt wordt.",
                "I can say honestly what is not going well without it being used against us.",
            ),
            (
                "Partners komen hun afspraken na.",
                "Partners keep their agreements.",
            ),
        ],
    ),
    (
        "resources",
        "Middelen voor drie tot vijf jaar",
        "Resources for three to five years",
        [
            (
                "Ik verwacht dat er over drie jaar nog tijd en geld is voor deze samenwerking.",
                "I expect there will still be time and money for this collaboration in three years.",
            ),
        ],
    ),
]


def install(instrument_model: Any, section_model: Any, item_model: Any) -> Any:
    """Store the instrument (idempotent); the models are passed in so a migration can call it too."""
    instrument, made = instrument_model.objects.get_or_create(
        slug=SLUG, defaults={"name_nl": NAME[0], "name_en": NAME[1]}
    )
    if not made:
        return instrument
    for order, (slug, nl, en, items) in enumerate(SECTIONS):
        section = section_model.objects.create(instrument=instrument, slug=slug, title_nl=nl, title_en=en, order=order)
        item_model.objects.bulk_create(
            item_model(section=section, text_nl=t_nl, text_en=t_en, order=i) for i, (t_nl, t_en) in enumerate(items)
        )
    return instrument
