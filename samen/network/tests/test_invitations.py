"""Everyone brings someone: invitation links and mails, signing up through them, and every refusal."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import message_text
from samen.network import services
from samen.network.models import JoinInvitation, Member, Membership, User

LINK = re.compile(r"https?://testserver(/\S+/)")


def _signup(client, email="noor@example.org", lang="en"):
    return client.post(
        f"/{lang}/account/signup/",
        {
            "email": email,
            "first_name": "Noor",
            "last_name": "El Amrani",
            "password1": "Veer-kracht-2026",
            "password2": "Veer-kracht-2026",
        },
    )


def _invite_page_link(client) -> str:
    page = client.get("/en/network/invite/").content.decode()
    return re.search(r'id="invite-link"[^>]*value="https?://testserver([^"]+)"', page).group(1)


def test_a_member_has_a_personal_link_and_who_signs_up_through_it_is_brought_by_them(client, member, smtp_inbox):
    client.force_login(member)
    link = _invite_page_link(client)
    client.logout()

    page = client.get(link)
    assert page.status_code == 200
    assert "Mila invites you to join the network." in page.content.decode()
    assert _signup(client).status_code == 302
    noor = Member.objects.get(user__email="noor@example.org")
    assert noor.brought_by == member.member
    assert JoinInvitation.objects.get(inviter=member.member, kind="link").uses == 1

    client.force_login(member)
    page = client.get("/en/network/invite/").content.decode()
    assert "Noor El Amrani" in page
    assert "1 person joined through this link." in page


def test_the_brought_list_shows_whom_those_brought_in_turn(client, member, make_user):
    noor, jan = make_user(first_name="Noor", last_name="A"), make_user(first_name="Jan", last_name="B")
    services.member_brought_by_set(member=noor.member, brought_by=member.member, actor=None)
    services.member_brought_by_set(member=jan.member, brought_by=noor.member, actor=None)
    Member.objects.filter(pk=jan.member.pk).update(show_publicly=True)
    client.force_login(member)
    page = client.get("/en/network/invite/").content.decode()
    assert page.index("Noor A") < page.index("who brought in turn:") < page.index("Jan B")


def test_whom_they_brought_in_turn_is_named_only_with_consent(client, member, make_user):
    noor = make_user(first_name="Noor", last_name="A")
    services.member_brought_by_set(member=noor.member, brought_by=member.member, actor=None)
    for first in ("Piet", "Joris"):
        private = make_user(first_name=first, last_name="Privé")
        Member.objects.filter(pk=private.member.pk).update(show_publicly=False)
        services.member_brought_by_set(member=private.member, brought_by=noor.member, actor=None)
    client.force_login(member)
    page = client.get("/en/network/invite/").content.decode()
    assert "Noor A" in page and "Privé" not in page
    assert "2 people who do not show their name" in page


def test_a_personal_link_can_be_used_by_several_people(client, member):
    link = services.invitation_link_get(inviter=member.member)
    token = services.invitation_token(link)
    for email in ("a@example.org", "b@example.org"):
        client.get(f"/en/join/{token}/")
        _signup(client, email=email)
        client.logout()
    assert Member.objects.filter(brought_by=member.member).count() == 2


def test_a_renewed_link_withdraws_the_old_one(client, member):
    old = services.invitation_token(services.invitation_link_get(inviter=member.member))
    client.force_login(member)
    response = client.post("/en/network/invite/", {"action": "renew"})
    assert response.status_code == 302
    client.logout()
    page = client.get(f"/en/join/{old}/")
    assert page.status_code == 400
    assert "This invitation link was withdrawn." in page.content.decode()


def test_an_invitation_by_email_is_sent_over_smtp_with_the_personal_message(
    client, member, smtp_inbox, django_capture_on_commit_callbacks
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/network/invite/",
            {"action": "email", "email": "Noor@Example.org", "message": "Kom je ook? <b>Gezellig</b>"},
        )
    assert response.status_code == 302
    [mail] = smtp_inbox.messages
    assert mail["To"] == "Noor@example.org"
    assert mail["Subject"] == "[Samen] Mila Lid invites you to join the network"
    text = message_text(mail)
    assert "Kom je ook? Gezellig" in text and "<b>" not in text
    link = LINK.search(text).group(1)
    client.logout()

    # The link reached that inbox: signing up with the same address needs no second confirmation.
    client.get(link)
    _signup(client, email="noor@example.org")
    noor = User.objects.get(email="noor@example.org")
    assert noor.member.brought_by == member.member
    assert noor.emailaddress_set.get().verified
    assert client.get("/en/profile/").status_code == 200  # signed in at once
    invitation = JoinInvitation.objects.get(kind="email")
    assert invitation.used_by == noor.member and invitation.used_at is not None


def test_an_invitation_mail_is_in_the_inviters_language(client, member, smtp_inbox, django_capture_on_commit_callbacks):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/nl/network/invite/", {"action": "email", "email": "noor@example.org", "message": ""})
    [mail] = smtp_inbox.messages
    assert "nodigt je uit" in message_text(mail)


def test_a_used_email_invitation_cannot_be_used_again(client, member):
    invitation = services.invitation_send(
        inviter=member.member, email="noor@example.org", message="", link_for=lambda t: t
    )
    token = services.invitation_token(invitation)
    client.get(f"/en/join/{token}/")
    _signup(client, email="noor@example.org")
    client.logout()
    page = client.get(f"/en/join/{token}/")
    assert page.status_code == 410
    assert "This invitation was already used to join." in page.content.decode()


def test_an_expired_invitation_says_when_it_expired_and_whom_to_ask(client, member):
    invitation = services.invitation_send(
        inviter=member.member, email="noor@example.org", message="", link_for=lambda t: t
    )
    JoinInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    page = client.get(f"/en/join/{services.invitation_token(invitation)}/")
    assert page.status_code == 410
    text = page.content.decode()
    assert "This invitation expired on" in text and "Ask Mila for a new one." in text


@pytest.mark.parametrize("token", ["not-a-token", "eyJpIjoxLCJuIjoiYWJjIn0:forgedsignature", "x" * 300])
def test_a_forged_link_is_refused(client, db, token):
    page = client.get(f"/en/join/{token}/")
    assert page.status_code == 400
    assert "This invitation link is not valid." in page.content.decode()


def test_a_link_signed_for_another_invitation_does_not_work(client, member):
    invitation = services.invitation_link_get(inviter=member.member)
    invitation.nonce = "guessed"
    page = client.get(f"/en/join/{services.invitation_token(invitation)}/")
    assert page.status_code == 400
    assert "withdrawn" in page.content.decode()


def test_inviting_a_member_answers_as_for_anyone_but_sends_nothing(
    client, member, make_user, smtp_inbox, django_capture_on_commit_callbacks
):
    make_user("noor@example.org")
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/network/invite/", {"action": "email", "email": "NOOR@example.org", "message": ""}, follow=True
        )
    text = response.content.decode()
    assert "The invitation to NOOR@example.org is sent." in text
    assert "already a member" not in text
    # No invitation goes out; only the member learns, in their own inbox, that someone tried.
    [mail] = smtp_inbox.messages
    assert mail["To"] == "noor@example.org"
    assert mail["Subject"] == "[Samen] Mila tried to invite you to the network"
    assert "/join/" not in message_text(mail)


def test_invitations_to_members_count_against_the_daily_limit(client, member, make_user, settings):
    settings.SAMEN_INVITATIONS_PER_DAY = 2
    for n in range(3):
        make_user(f"m{n}@example.org")
    client.force_login(member)
    for n in range(2):
        assert client.post("/en/network/invite/", {"action": "email", "email": f"m{n}@example.org"}).status_code == 302
    response = client.post("/en/network/invite/", {"action": "email", "email": "m2@example.org"})
    assert response.status_code == 200
    assert "the most a day allows" in response.content.decode()


def test_staff_invitations_to_members_count_against_the_daily_limit(client, editor, org, make_user, settings):
    settings.SAMEN_INVITATIONS_PER_DAY = 1
    make_user("m0@example.org")
    make_user("m1@example.org")
    client.force_login(editor)
    assert client.post(f"/en/partners/{org.slug}/invite/", {"email": "m0@example.org"}).status_code == 302
    response = client.post(f"/en/partners/{org.slug}/invite/", {"email": "m1@example.org"})
    assert response.status_code == 200 and "the most a day allows" in response.content.decode()


def test_a_failing_mail_server_does_not_fail_the_page_and_the_invitation_stays(
    client, member, settings, django_capture_on_commit_callbacks
):
    from conftest import _free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = (
        "127.0.0.1",
        _free_port(),
        False,
    )  # nobody listens
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/network/invite/", {"action": "email", "email": "noor@example.org"})
    assert response.status_code == 302
    assert JoinInvitation.objects.filter(kind="email", email="noor@example.org").exists()


def test_a_bad_address_is_named(client, member):
    client.force_login(member)
    response = client.post("/en/network/invite/", {"action": "email", "email": "noor at home", "message": ""})
    assert "Enter a valid email address." in response.content.decode()


def test_invitations_per_day_are_limited(client, member, settings):
    settings.SAMEN_INVITATIONS_PER_DAY = 2
    client.force_login(member)
    for n in range(2):
        assert client.post("/en/network/invite/", {"action": "email", "email": f"p{n}@example.org"}).status_code == 302
    response = client.post("/en/network/invite/", {"action": "email", "email": "p3@example.org"})
    assert response.status_code == 200
    assert "You sent 2 invitations in the last 24 hours, the most a day allows." in response.content.decode()
    assert JoinInvitation.objects.filter(kind="email").count() == 2


def test_yesterdays_invitations_do_not_count_against_today(member, settings):
    settings.SAMEN_INVITATIONS_PER_DAY = 1
    first = services.invitation_send(inviter=member.member, email="a@example.org", message="", link_for=str)
    JoinInvitation.objects.filter(pk=first.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    second = services.invitation_send(inviter=member.member, email="b@example.org", message="", link_for=str)
    assert second.email == "b@example.org" and second.pk != first.pk
    assert JoinInvitation.objects.filter(inviter=member.member, kind="email").count() == 2
    # Within 24 hours the limit holds again: the same day's second invitation is refused.
    with pytest.raises(ValidationError) as refused:
        services.invitation_send(inviter=member.member, email="c@example.org", message="", link_for=str)
    assert list(refused.value.message_dict) == ["email"]


def test_a_signed_in_member_following_a_link_is_told_it_is_for_someone_new(client, member, make_user):
    token = services.invitation_token(services.invitation_link_get(inviter=member.member))
    other = make_user()
    client.force_login(other)
    response = client.get(f"/en/join/{token}/", follow=True)
    assert "You are already a member; this invitation is for someone new." in response.content.decode()
    other.member.refresh_from_db()
    assert other.member.brought_by is None


# --- No circles in "brought by" ------------------------------------------------------------------


def test_a_circle_in_brought_by_is_refused_by_the_service(member, make_user):
    b, c = make_user().member, make_user().member
    services.member_brought_by_set(member=b, brought_by=member.member, actor=None)
    services.member_brought_by_set(member=c, brought_by=b, actor=None)
    with pytest.raises(ValidationError) as error:
        services.member_brought_by_set(member=member.member, brought_by=c, actor=None)
    assert "that would be a circle" in str(error.value.message_dict["brought_by"])
    member.member.refresh_from_db()
    assert member.member.brought_by is None


def test_nobody_brings_themselves(member):
    member.member.brought_by = member.member
    with pytest.raises(ValidationError):
        member.member.full_clean()


def test_model_validation_refuses_a_longer_circle(member, make_user):
    b = make_user().member
    services.member_brought_by_set(member=b, brought_by=member.member, actor=None)
    m = member.member
    assert m.brought_by_id is None
    m.brought_by = b
    with pytest.raises(ValidationError, match="circle"):
        m.full_clean(exclude=["user"])


# --- Organisations invite their staff --------------------------------------------------------------


def test_an_editor_invites_staff_who_join_with_a_confirmed_role(
    client, editor, org, smtp_inbox, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/partners/{org.slug}/invite/", {"email": "nieuw@example.org", "message": "Welkom!"})
    assert response.status_code == 302
    [mail] = smtp_inbox.messages
    assert "You join as a member of Wijkzorg Runkst." in message_text(mail)
    link = LINK.search(message_text(mail)).group(1)
    client.logout()
    assert "You join as a member of Wijkzorg Runkst." in client.get(link).content.decode()
    _signup(client, email="nieuw@example.org")
    membership = Membership.objects.get(member__user__email="nieuw@example.org")
    assert membership.organisation == org and membership.is_confirmed and not membership.is_editor
    assert membership.member.brought_by == editor.member


def test_an_editor_cannot_invite_for_another_organisation(client, editor, other_org):
    client.force_login(editor)
    response = client.post(f"/en/partners/{other_org.slug}/invite/", {"email": "x@example.org"})
    assert response.status_code == 403
    assert not JoinInvitation.objects.exists()


def _staff_invitation(editor, org, email="nieuw@example.org"):
    return services.invitation_send(inviter=editor.member, email=email, message="", link_for=str, organisation=org)


def test_a_forwarded_staff_invitation_gives_no_role_and_stays_for_the_person_it_was_sent_to(client, editor, org):
    invitation = _staff_invitation(editor, org)
    client.get(f"/en/join/{services.invitation_token(invitation)}/")
    response = client.post(
        "/en/account/signup/",
        {
            "email": "doorgestuurd@example.org",
            "first_name": "Door",
            "last_name": "Gestuurd",
            "password1": "Veer-kracht-2026",
            "password2": "Veer-kracht-2026",
        },
        follow=True,
    )
    assert "This invitation of Wijkzorg Runkst was sent to another email address" in response.content.decode()
    joined = Member.objects.get(user__email="doorgestuurd@example.org")
    # The invited address is not theirs: not given to them, not even as a second address.
    assert list(joined.user.emailaddress_set.values_list("email", "verified")) == [("doorgestuurd@example.org", False)]
    assert not Membership.objects.filter(member=joined).exists()
    assert joined.brought_by == editor.member
    invitation.refresh_from_db()
    assert invitation.used_at is None
    client.logout()
    client.get(f"/en/join/{services.invitation_token(invitation)}/")
    r = _signup(client, email="NIEUW@example.org")  # the address it was sent to, other case: the role is theirs
    assert r.status_code == 302, r.content.decode()[-3000:]
    assert Membership.objects.get(member__user__email__iexact="nieuw@example.org", organisation=org).is_confirmed


def test_a_forwarded_email_invitation_is_not_used_up(client, member):
    invitation = services.invitation_send(inviter=member.member, email="noor@example.org", message="", link_for=str)
    client.get(f"/en/join/{services.invitation_token(invitation)}/")
    _signup(client, email="someone.else@example.org")
    invitation.refresh_from_db()
    assert invitation.used_at is None and invitation.used_by is None


def test_the_personal_link_comes_from_site_url_not_from_the_host_asked(client, member, settings):
    settings.SITE_URL = "https://samen.example.org"
    settings.ALLOWED_HOSTS = ["elsewhere.example", "testserver"]
    client.force_login(member)
    page = client.get("/en/network/invite/", HTTP_HOST="elsewhere.example").content.decode()
    assert re.search(r'id="invite-link"[^>]*value="https://samen\.example\.org/en/join/', page)
    assert "elsewhere.example" not in page
