"""Plain functions that make challenges and proposals; the fixtures call them per test,
`shared_data` fixtures once per module."""

from samen.core.tests.factories import make_domain


def make_challenge(slug: str = "niemand-alleen-thuis", status: str = "published", domain=None, **fields):
    from samen.agenda.models import Challenge

    return Challenge.objects.create(
        slug=slug,
        title_nl=fields.pop("title_nl", "Niemand alleen thuis"),
        title_en=fields.pop("title_en", "Nobody alone at home"),
        summary_nl=fields.pop("summary_nl", "Bijna 6% van de 84-plussers krijgt zelden bezoek."),
        summary_en=fields.pop("summary_en", "Almost 6% of people over 84 rarely get a visit."),
        story_nl=fields.pop("story_nl", "Achter de cijfers zitten mensen."),
        story_en=fields.pop("story_en", "Behind the figures are people."),
        domain=domain or make_domain(),
        status=status,
        **fields,
    )


def make_proposal(challenge=None, *, author, title: str = "Een belkring van buren", **fields):
    from samen.agenda.models import Proposal

    return Proposal.objects.create(
        kind="idea" if challenge else "challenge",
        challenge=challenge,
        author=author,
        title=title,
        body=fields.pop("body", "Drie buren bellen om beurten."),
        **fields,
    )
