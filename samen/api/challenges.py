"""The challenges of the common agenda: published ones, with their page and the indicators that show them."""

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Router, Schema

from samen.agenda.models import Challenge
from samen.agenda.selectors import published_challenges
from samen.measurement.models import Indicator

router = Router(tags=["agenda"])


class ChallengeOut(Schema):
    slug: str
    title: str
    summary: str
    domain: str = Field(..., description="Slug of the action domain.")
    url: str = Field(..., description="The challenge's public page, absolute.")
    indicators: list[str] = Field(..., description="Codes of the published indicators that show this challenge.")


@router.get("/challenges", response=list[ChallengeOut], summary="Published challenges of the common agenda")
def challenges(request: HttpRequest):
    """Texts are in the language of the Accept-Language header (Dutch or English); so is the page URL."""
    published = Indicator.objects.filter(is_published=True).only("pk", "code").order_by("code")
    rows = published_challenges().prefetch_related(Prefetch("indicators", queryset=published))
    return [_out(request, c) for c in rows]


def _out(request: HttpRequest, challenge: Challenge) -> dict:
    return {
        "slug": challenge.slug,
        "title": challenge.title,
        "summary": challenge.summary,
        "domain": challenge.domain.slug,
        "url": request.build_absolute_uri(challenge.get_absolute_url()),
        "indicators": [i.code for i in challenge.indicators.all()],
    }
