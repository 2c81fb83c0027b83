"""An organisation confirms who works there before their role is shown on its page."""

import pytest

from samen.core.models import AuditEntry
from samen.network.models import Membership


@pytest.fixture
def claim(org, member):
    member.member.show_publicly = True
    member.member.save()
    return Membership.objects.create(member=member.member, organisation=org, role_title="director")


def _confirm_url(org, claim):
    return f"/en/partners/{org.slug}/people/{claim.pk}/confirm/"


def test_the_editor_sees_who_waits_and_confirms_them(client, editor, org, claim):
    client.force_login(editor)
    assert "Mila Lid" in client.get(f"/en/partners/{org.slug}/edit/").content.decode()
    assert "Mila Lid" not in client.get(f"/en/partners/{org.slug}/").content.decode()
    response = client.post(_confirm_url(org, claim), {"decision": "confirm"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.is_confirmed
    assert "Mila Lid, director" in client.get(f"/en/partners/{org.slug}/").content.decode()
    assert AuditEntry.objects.get(action="membership.confirmed").actor == editor


def test_the_editor_removes_a_wrong_claim(client, editor, org, claim):
    client.force_login(editor)
    client.post(_confirm_url(org, claim), {"decision": "decline"})
    assert not Membership.objects.filter(pk=claim.pk).exists()
    assert AuditEntry.objects.filter(action="membership.declined").exists()


@pytest.mark.parametrize("who", ["member", "other_editor"])
def test_nobody_else_confirms(client, request, org, other_org, claim, make_user, who):
    if who == "other_editor":
        from samen.core.permissions import PARTNER_EDITORS

        user = make_user(groups=[PARTNER_EDITORS])
        Membership.objects.create(member=user.member, organisation=other_org, is_editor=True, is_confirmed=True)
    else:
        user = request.getfixturevalue("member")
    client.force_login(user)
    assert client.post(_confirm_url(org, claim), {"decision": "confirm"}).status_code == 403
    claim.refresh_from_db()
    assert not claim.is_confirmed


def test_a_claim_of_another_organisation_cannot_be_confirmed_through_mine(client, editor, org, other_org, member):
    elsewhere = Membership.objects.create(member=member.member, organisation=other_org)
    client.force_login(editor)
    assert client.post(_confirm_url(org, elsewhere), {"decision": "confirm"}).status_code == 404
    elsewhere.refresh_from_db()
    assert not elsewhere.is_confirmed


def test_confirming_needs_a_post(client, editor, org, claim):
    client.force_login(editor)
    assert client.get(_confirm_url(org, claim)).status_code == 405
