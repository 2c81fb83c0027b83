from unittest import mock

from django.db import OperationalError


def test_it_reports_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_database_is_unreachable(client, db):
    with mock.patch("samen.core.views.connection.cursor", side_effect=OperationalError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_it_is_not_behind_a_language_prefix(client, db):
    assert client.get("/nl/healthz").status_code == 404
