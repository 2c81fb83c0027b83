"""Backbone coordinators and admins must use a second factor where SAMEN_REQUIRE_MFA is on."""

import pytest
from allauth.mfa.models import Authenticator


@pytest.fixture
def require_mfa(settings):
    settings.SAMEN_REQUIRE_MFA = True


@pytest.mark.parametrize("who", ["coordinator", "admin_user"])
def test_it_sends_a_coordinator_or_admin_without_a_second_factor_to_set_one_up(client, request, require_mfa, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get("/nl/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/nl/account/2fa/totp/activate/"
    # Setting one up asks for the password again first; the middleware lets that through.
    activate = client.get("/nl/account/2fa/totp/activate/")
    assert activate.status_code == 302
    assert activate["Location"].startswith("/nl/account/reauthenticate/")
    assert client.get(activate["Location"]).status_code == 200


def test_it_lets_a_coordinator_with_a_second_factor_through(client, coordinator, require_mfa):
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(coordinator)
    assert client.get("/nl/admin/").status_code == 200


def test_it_asks_nothing_of_a_member(client, member, require_mfa):
    client.force_login(member)
    assert client.get("/nl/profile/").status_code == 200


def test_it_is_off_in_the_local_demo(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/nl/admin/").status_code == 200


def test_an_unknown_address_sends_them_to_set_one_up_too_rather_than_failing(client, coordinator, require_mfa):
    client.force_login(coordinator)
    response = client.get("/nl/no-such-page/")
    assert response.status_code == 302
    assert response["Location"] == "/nl/account/2fa/totp/activate/"


def test_they_can_still_verify_an_email_address_first(client, coordinator, require_mfa):
    # allauth asks for every address to be verified before TOTP can be set up.
    client.force_login(coordinator)
    assert client.get("/nl/account/email/").status_code == 200
