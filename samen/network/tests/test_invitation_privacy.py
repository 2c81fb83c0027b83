"""Review fixes of the invitations: what a link and a page give away, and plain text kept plain."""

import datetime

from django.utils import timezone

from samen.network import services
from samen.network.models import JoinInvitation, User


def test_a_message_with_an_ampersand_is_stored_as_typed(member):
    invitation = services.invitation_send(
        inviter=member.member, email="noor@example.org", message="Tom & Jerry <b>komen</b>", link_for=str
    )
    assert invitation.message == "Tom & Jerry komen"


def test_the_link_page_shows_the_message_with_its_ampersand_once_escaped(client, member):
    invitation = services.invitation_send(
        inviter=member.member, email="noor@example.org", message="Tom & Jerry", link_for=str
    )
    page = client.get(f"/en/join/{services.invitation_token(invitation)}/").content.decode()
    assert "Tom &amp; Jerry" in page and "&amp;amp;" not in page


def test_a_shared_link_never_shows_the_inviters_email(client, make_user):
    nameless = make_user("secret.person@example.org", first_name="", last_name="")
    token = services.invitation_token(services.invitation_link_get(inviter=nameless.member))
    page = client.get(f"/en/join/{token}/").content.decode()
    assert "secret.person" not in page
    assert "A member invites you to join the network." in page


def test_a_shared_link_names_the_inviter_by_first_name_only(client, member):
    token = services.invitation_token(services.invitation_link_get(inviter=member.member))
    page = client.get(f"/en/join/{token}/").content.decode()
    assert "Mila invites you to join the network." in page and "Lid" not in page.split("<main", 1)[-1]


def test_an_expired_link_does_not_name_the_inviter_by_email(client, make_user):
    nameless = make_user("secret.person@example.org", first_name="", last_name="")
    link = services.invitation_link_get(inviter=nameless.member)
    JoinInvitation.objects.filter(pk=link.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    page = client.get(f"/en/join/{services.invitation_token(link)}/").content.decode()
    assert page.count("secret.person") == 0 and "Ask a member for a new one." in page
    assert User.objects.filter(email="secret.person@example.org").exists()
