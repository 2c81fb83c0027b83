"""The public API: the common agenda and the partner list, documented in OpenAPI."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from samen.core.tests.demo_copy import load_demo
from samen.core.tests.shared import shared_data


@shared_data(scope="class")
def demo():
    """The Hasselt demo, loaded once for the tests of a class (it takes seconds)."""
    load_demo()


class TestWithTheDemo:
    """The API on the demo's data."""

    def test_the_agenda_is_served_in_the_language_asked_for(self, client, db, demo):
        english = client.get("/api/v1/agenda", headers={"accept-language": "en"}).json()
        dutch = client.get("/api/v1/agenda", headers={"accept-language": "nl"}).json()
        assert english["baseline"] == "Healthy for as long as possible, the best care when it is needed"
        assert dutch["baseline"] == "Gezond zolang het kan, de beste zorg wanneer het nodig is"
        assert [m["members"] for m in english["milestones"]] == [50, 100, 500, 5000]
        assert len(english["action_domains"]) == 5
        assert all(d["goals"] for d in english["action_domains"])

    def test_organisations_are_paged_and_filtered(self, client, db, demo):
        from samen.network.models import Organisation

        page = client.get("/api/v1/organisations?limit=5&sector=care").json()
        assert page["count"] == Organisation.objects.filter(sector__slug="care").count() > 5
        assert len(page["items"]) == 5
        assert {o["sector"] for o in page["items"]} == {"care"}

    def test_a_bad_limit_is_a_clear_422(self, client, db, demo):
        response = client.get("/api/v1/organisations?limit=lots")
        assert response.status_code == 422
        assert "limit" in response.content.decode()

    def test_the_organisation_list_costs_the_same_for_any_page_size(self, client, db, demo):
        with CaptureQueriesContext(connection) as small:
            client.get("/api/v1/organisations?limit=2")
        with CaptureQueriesContext(connection) as large:
            client.get("/api/v1/organisations?limit=40")
        assert len(small.captured_queries) == len(large.captured_queries)


def test_the_agenda_says_so_when_there_is_no_initiative(client, db):
    response = client.get("/api/v1/agenda")
    assert response.status_code == 404
    assert response.json() == {"detail": "No initiative is set up yet."}


def test_the_openapi_document_describes_every_endpoint(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/agenda", "/api/v1/organisations"} <= set(spec["paths"])


def test_the_docs_page_is_served_from_our_own_static_files(client, db):
    body = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower()
    assert "<script>" not in body  # the CSP allows no inline script


def test_an_offset_too_large_for_the_database_is_a_422(client, db):
    response = client.get("/api/v1/organisations?offset=33841370749762097119232")
    assert response.status_code == 422
