"""Names on proposals and comments only with consent: the author's profile says to show their name."""

import pytest

from samen.agenda.models import Comment


def _show_publicly(user, shown: bool) -> None:
    user.member.show_publicly = shown
    user.member.save(update_fields=["show_publicly"])


@pytest.mark.parametrize("viewer", ["visitor", "other member"])
def test_without_consent_the_page_says_a_member(client, make_user, member, challenge, make_proposal, viewer):
    commenter = make_user(first_name="Jozef")
    proposal = make_proposal(challenge, author=member)
    Comment.objects.create(proposal=proposal, author=commenter, body="Good idea")
    if viewer == "other member":
        client.force_login(make_user())
    page = client.get(f"/en/proposals/{proposal.pk}/").content.decode()
    assert "Mila" not in page and "Jozef" not in page
    assert "proposed by a member" in page
    assert page.count("a member ·") == 1  # the comment's byline
    nl = client.get(f"/nl/proposals/{proposal.pk}/").content.decode()
    assert "voorgesteld door een lid" in nl and "Mila" not in nl


def test_with_consent_the_first_name_is_shown(client, make_user, member, challenge, make_proposal):
    commenter = make_user(first_name="Jozef", last_name="Achternaam")
    _show_publicly(member, True)
    _show_publicly(commenter, True)
    proposal = make_proposal(challenge, author=member)
    Comment.objects.create(proposal=proposal, author=commenter, body="Good idea")
    page = client.get(f"/en/proposals/{proposal.pk}/").content.decode()
    assert "proposed by Mila" in page and "Jozef ·" in page
    assert "Lid" not in page and "Achternaam" not in page  # the first name only


def test_an_author_without_a_profile_is_a_member(client, make_user, challenge, make_proposal):
    author = make_user(first_name="Zonderprofiel")
    author.member.delete()
    proposal = make_proposal(challenge, author=author)
    page = client.get(f"/en/proposals/{proposal.pk}/").content.decode()
    assert "Zonderprofiel" not in page and "proposed by a member" in page


def test_the_forms_say_when_the_name_is_shown(client, member, challenge, make_proposal):
    client.force_login(member)
    notice = "Others see your first name only if your profile says to show your name"
    assert notice in client.get("/en/proposals/new/").content.decode()
    assert notice in client.get(make_proposal(challenge).get_absolute_url()).content.decode()
