"""The measurement API: public figures protected like the pages; values in only with a right token."""

import pytest

from samen.api.models import ApiToken
from samen.api.services import token_create
from samen.measurement.models import Measurement


@pytest.fixture
def token(org, editor):
    _token, secret = token_create(organisation=org, actor=editor, name="registration system")
    return secret


def test_indicators_are_listed_with_their_latest_value(client, visits):
    [item] = client.get("/api/v1/indicators", headers={"accept-language": "en"}).json()
    assert item["code"] == "eld-visit-weekly"
    assert item["name"] == "People over 84 visited less than once a week"
    assert (item["latest"]["numerator"], item["latest"]["denominator"]) == (60.0, 1000.0)
    assert item["steward"] == "wijkzorg-runkst"


def test_an_indicator_has_its_series(client, visits):
    data = client.get("/api/v1/indicators/eld-visit-weekly").json()
    assert [p["period_end"] for p in data["series"]] == ["2015-12-31"]
    assert client.get("/api/v1/indicators/nope").status_code == 404


def test_measurements_are_protected_like_the_page(client, visits):
    rows = client.get("/api/v1/indicators/eld-visit-weekly/measurements?limit=100").json()["items"]
    kiewit = next(r for r in rows if r["area"] == "kiewit")
    assert kiewit["suppressed"] and kiewit["value"] is None and kiewit["numerator"] is None
    runkst = next(r for r in rows if r["area"] == "runkst")
    assert runkst["suppressed"]  # secondary: else Kiewit = Centrum − Runkst
    centrum = next(r for r in rows if r["area"] == "centrum")
    assert centrum["rolled_up"] and centrum["numerator"] == 33.0


def test_measurements_are_filtered(client, visits):
    rows = client.get("/api/v1/indicators/eld-visit-weekly/measurements?area=initiative&dims=sex=f").json()["items"]
    assert len(rows) == 1
    assert rows[0]["numerator"] == 40.0
    assert client.get("/api/v1/indicators/eld-visit-weekly/measurements?period_from=2020-01-01").json()["count"] == 0


def _write(client, secret, rows):
    return client.post(
        "/api/v1/measurements",
        rows,
        content_type="application/json",
        headers={"authorization": f"Bearer {secret}", "accept-language": "en"},
    )


VALUE = {
    "indicator": "eld-visit-weekly",
    "area": "runkst",
    "period_start": "2019-01-01",
    "period_end": "2019-12-31",
    "numerator": 20,
    "denominator": 400,
}


def test_a_partner_system_sends_values_that_wait_for_approval(client, visits, token):
    response = _write(client, token, [VALUE, {**VALUE, "area": None, "dims": {"sex": "f"}}])
    assert response.status_code == 200, response.content
    assert response.json() == {"received": 2, "new": 2, "changed": 0, "unchanged": 0, "status": "submitted"}
    assert Measurement.objects.filter(period_start="2019-01-01", status="submitted").count() == 2
    again = _write(client, token, [VALUE]).json()
    assert again["unchanged"] == 1
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer samen_wrong", "Bearer ", "Basic abc", None])
def test_a_wrong_token_is_refused(client, visits, token, header):
    headers = {"authorization": header} if header else {}
    response = client.post("/api/v1/measurements", [VALUE], content_type="application/json", headers=headers)
    assert response.status_code == 401
    assert not Measurement.objects.filter(period_start="2019-01-01").exists()


def test_a_revoked_token_is_refused(client, visits, token, editor):
    from samen.api.services import token_revoke

    token_revoke(token=ApiToken.objects.get(), actor=editor)
    assert _write(client, token, [VALUE]).status_code == 401


def test_a_token_writes_only_for_its_organisations_indicators(client, visits, other_org, editor):
    _t, foreign = token_create(organisation=other_org, actor=editor, name="x")
    response = _write(client, foreign, [VALUE])
    assert response.status_code == 422
    assert "does not steward eld-visit-weekly" in response.json()["errors"][0]["message"]


def test_one_bad_value_stores_nothing(client, visits, token):
    response = _write(client, token, [VALUE, {**VALUE, "area": "kiewit", "numerator": 500}])
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == [
        {"index": 1, "field": "numerator", "message": "the numerator (500) is larger than the denominator (400)"}
    ]
    assert not Measurement.objects.filter(period_start="2019-01-01").exists()


def test_malformed_json_is_a_clear_4xx(client, visits, token):
    response = client.post(
        "/api/v1/measurements",
        "{not json",
        content_type="application/json",
        headers={"authorization": f"Bearer {token}"},
    )
    assert response.status_code in (400, 422)


# --- the token page ------------------------------------------------------------------------------


def test_an_editor_makes_a_token_sees_it_once_and_revokes_it(client, editor, org):
    client.force_login(editor)
    response = client.post("/en/api-tokens/", {"organisation": org.pk, "name": "registration system"})
    body = response.content.decode()
    assert "shown only this once" in body
    secret = response.context["secret"]
    assert secret.startswith("samen_")
    assert secret not in client.get("/en/api-tokens/").content.decode()
    token = ApiToken.objects.get()
    assert token.digest != secret
    client.post(f"/en/api-tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_an_editor_cannot_make_or_revoke_tokens_for_another_organisation(client, editor, other_org, coordinator):
    client.force_login(editor)
    response = client.post("/en/api-tokens/", {"organisation": other_org.pk, "name": "x"})
    assert "Select a valid choice" in response.content.decode()
    foreign, _secret = token_create(organisation=other_org, actor=coordinator, name="theirs")
    assert client.post(f"/en/api-tokens/{foreign.pk}/revoke/").status_code == 403
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


def test_a_member_has_no_token_page(client, member):
    client.force_login(member)
    assert client.get("/en/api-tokens/").status_code == 403


def test_a_partner_system_sends_more_than_a_visitor_may(client, visits, token, settings):
    # The token is read on the API's paths, so its requests are not held to a visitor's body limit.
    settings.SAMEN_ANONYMOUS_MAX_REQUEST_BYTES = 100
    response = _write(client, token, [VALUE])
    assert response.status_code == 200, response.content
    anonymous = client.post("/api/v1/measurements", [VALUE], content_type="application/json")
    assert anonymous.status_code == 413
