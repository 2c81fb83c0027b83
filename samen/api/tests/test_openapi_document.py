"""The OpenAPI document says what the answers hold: milestones with `reached`, and every 422."""

import json

import pytest


@pytest.fixture
def document(client, db):
    return json.loads(client.get("/api/v1/openapi.json").content)


def test_every_operation_that_takes_input_documents_its_422(document):
    missing = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            takes_input = operation.get("parameters") or operation.get("requestBody")
            if takes_input and "422" not in operation["responses"]:
                missing.append(f"{method.upper()} {path}")
    assert not missing, missing


def test_a_refused_parameter_answers_in_the_documented_shape(client, db):
    response = client.get("/api/v1/organisations?limit=0")
    assert response.status_code == 422
    body = response.json()
    assert isinstance(body["detail"], str) and "limit" in body["detail"]


def test_the_agenda_milestones_carry_reached_as_documented(client, document, make_user):
    import datetime

    from samen.agenda.models import Initiative, Milestone

    initiative = Initiative.objects.create(
        name="Zorgstad", baseline="Samen", vision="v", region="Hasselt", start_date=datetime.date(2017, 6, 1)
    )
    Milestone.objects.create(initiative=initiative, members=1, date="2017-10-01", label="X1")
    Milestone.objects.create(initiative=initiative, members=5000, date="2035-10-01", label="X5000")
    make_user()
    schema = document["components"]["schemas"]["MilestoneOut"]
    assert "reached" in schema["properties"] and "reached" in schema["required"]
    milestones = client.get("/api/v1/agenda").json()["milestones"]
    assert [(m["label"], m["reached"]) for m in milestones] == [("X1", True), ("X5000", False)]
