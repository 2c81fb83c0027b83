"""GET /api/v1/challenges: the published challenges, their page and the indicators that show them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_it_lists_published_challenges_with_page_and_indicator_codes(client, make_challenge, visits, make_indicator):
    published = make_challenge("niemand-alleen-thuis", title_en="Nobody alone at home", title_nl="Niemand alleen")
    make_challenge("concept", status="draft")
    hidden = make_indicator("hidden-one", is_published=False)
    visits.challenges.add(published)
    hidden.challenges.add(published)
    response = client.get("/api/v1/challenges", headers={"accept-language": "en"})
    assert response.status_code == 200
    assert response.json() == [
        {
            "slug": "niemand-alleen-thuis",
            "title": "Nobody alone at home",
            "summary": "Almost 6% of people over 84 rarely get a visit.",
            "domain": published.domain.slug,
            "url": "http://testserver/en/challenges/niemand-alleen-thuis/",
            "indicators": ["eld-visit-weekly"],
        }
    ]


def test_it_speaks_dutch_when_asked(client, make_challenge):
    make_challenge(title_nl="Niemand alleen thuis")
    row = client.get("/api/v1/challenges", headers={"accept-language": "nl"}).json()[0]
    assert row["title"] == "Niemand alleen thuis"
    assert row["url"].endswith("/nl/challenges/niemand-alleen-thuis/")


def test_it_is_in_the_openapi_document(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/challenges" in schema["paths"]
    assert "ChallengeOut" in schema["components"]["schemas"]
    assert set(schema["components"]["schemas"]["ChallengeOut"]["properties"]) == {
        "slug",
        "title",
        "summary",
        "domain",
        "url",
        "indicators",
    }


def test_its_query_count_is_constant_in_the_number_of_challenges(client, make_challenge, visits):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/challenges").status_code == 200
        return len(ctx.captured_queries)

    for i in range(2):
        visits.challenges.add(make_challenge(f"a-{i}"))
    few = count()
    for i in range(10):
        visits.challenges.add(make_challenge(f"b-{i}"))
    assert count() == few
