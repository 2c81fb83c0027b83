"""The backbone sets up care networks in the admin; residents, signals and cases are never there."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_backbone_sets_up_a_network_in_the_admin(client, coordinator, runkst_network):
    client.force_login(coordinator)
    assert client.get("/en/admin/care/carenetwork/").status_code == 200
    assert client.get(f"/en/admin/care/carenetwork/{runkst_network.pk}/change/").status_code == 200


@pytest.mark.parametrize("model", ["resident", "signal", "case", "consent", "referral", "surveyanswer", "glassbreak"])
def test_no_personal_data_of_residents_is_in_the_admin(client, admin_user, model):
    client.force_login(admin_user)
    assert client.get(f"/en/admin/care/{model}/").status_code == 404
