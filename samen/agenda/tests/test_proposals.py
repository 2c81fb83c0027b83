"""Proposals, Decidim-style: a member proposes, others support once and comment, the backbone answers."""

import pytest
from django.db import IntegrityError, transaction

from conftest import message_text
from samen.agenda.models import Comment, Proposal, Support
from samen.core.models import AuditEntry
from samen.core.tests.test_browser import wait_for_mail


def test_a_member_proposes_an_idea_for_a_challenge(client, member, challenge):
    client.force_login(member)
    form = client.get(f"/en/proposals/new/?challenge={challenge.slug}").content.decode()
    assert f'<option value="{challenge.pk}" selected>' in form
    response = client.post(
        "/en/proposals/new/",
        {"kind": "idea", "challenge": challenge.pk, "title": "A phone circle", "body": "Three neighbours call."},
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == f"/en/proposals/{proposal.pk}/"
    assert (proposal.author, proposal.challenge, proposal.status, proposal.language) == (
        member,
        challenge,
        "open",
        "en",
    )
    assert AuditEntry.objects.filter(action="proposal.created", object_id=str(proposal.pk)).exists()
    assert "A phone circle" in client.get(f"/en/challenges/{challenge.slug}/").content.decode()


def test_a_member_proposes_a_new_challenge_without_choosing_one(client, member, challenge):
    client.force_login(member)
    response = client.post(
        "/en/proposals/new/",
        {"kind": "challenge", "challenge": challenge.pk, "title": "Young carers", "body": "They are alone."},
    )
    assert response.status_code == 302
    assert Proposal.objects.get().challenge is None


def test_an_idea_without_a_challenge_is_refused_next_to_the_field(client, member, challenge):
    client.force_login(member)
    response = client.post("/en/proposals/new/", {"kind": "idea", "title": "Idea", "body": "Text"})
    body = response.content.decode()
    assert 'id="id_challenge_errors"' in body
    assert "Choose the challenge your idea is for." in body
    assert not Proposal.objects.exists()


def test_a_draft_challenge_cannot_be_chosen(client, member, make_challenge):
    draft = make_challenge("draft-one", status="draft")
    client.force_login(member)
    response = client.post("/en/proposals/new/", {"kind": "idea", "challenge": draft.pk, "title": "x", "body": "y"})
    assert "Select a valid choice." in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_visitor_is_sent_to_sign_in_to_propose(client, db):
    response = client.get("/en/proposals/new/")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_html_and_scripts_in_a_proposal_are_removed(client, member, challenge):
    client.force_login(member)
    client.post(
        "/en/proposals/new/",
        {
            "kind": "idea",
            "challenge": challenge.pk,
            "title": "<b>Bold</b> idea",
            "body": 'Hello <script>alert("x")</script><img src=x onerror=alert(1)> & <a href="javascript:x">more</a>',
        },
    )
    proposal = Proposal.objects.get()
    assert proposal.title == "Bold idea"
    assert proposal.body == "Hello  & more"
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "onerror" not in page


def test_a_member_supports_once_and_a_second_time_is_told(client, member, make_user, challenge, make_proposal):
    proposal = make_proposal(challenge)
    other = make_user()
    client.force_login(other)
    response = client.post(f"/en/proposals/{proposal.pk}/support/", follow=True)
    assert "You support this proposal. Thank you!" in response.content.decode()
    response = client.post(f"/en/proposals/{proposal.pk}/support/", follow=True)
    assert "You already support this proposal; each member supports it once." in response.content.decode()
    assert Support.objects.filter(proposal=proposal).count() == 1
    assert '<span class="figure">1</span> member supports this' in response.content.decode()


def test_the_author_cannot_support_their_own_proposal(client, member, challenge, make_proposal):
    proposal = make_proposal(challenge, author=member)
    client.force_login(member)
    page = client.get(f"/en/proposals/{proposal.pk}/").content.decode()
    assert "Support this proposal" not in page
    assert "Your own proposal: others can support it." in page
    response = client.post(f"/en/proposals/{proposal.pk}/support/", follow=True)
    assert "You cannot support your own proposal" in response.content.decode()
    assert not Support.objects.exists()


def test_the_database_refuses_a_second_support_too(member, challenge, make_proposal):
    proposal = make_proposal(challenge)
    Support.objects.create(proposal=proposal, member=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(proposal=proposal, member=member)


def test_an_answered_proposal_collects_no_more_support(client, make_user, challenge, make_proposal):
    proposal = make_proposal(challenge, status="not-now", answer="Later.")
    client.force_login(make_user())
    response = client.post(f"/en/proposals/{proposal.pk}/support/", follow=True)
    assert "it no longer collects support" in response.content.decode()
    assert not Support.objects.exists()


def test_comments_are_plain_text_whatever_html_is_sent(client, make_user, challenge, make_proposal):
    proposal = make_proposal(challenge)
    client.force_login(make_user())
    response = client.post(
        f"/en/proposals/{proposal.pk}/comment/",
        {"body": 'Good <script>document.cookie</script><iframe src="//evil"></iframe><em>idea</em> 1 < 2'},
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.body == "Good idea 1 < 2"
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert '<p lang="en">Good idea 1 &lt; 2</p>' in page
    assert "document.cookie" not in page and "<iframe" not in page


def test_a_comment_that_is_only_html_is_refused_next_to_the_field(client, member, challenge, make_proposal):
    proposal = make_proposal(challenge)
    client.force_login(member)
    response = client.post(f"/en/proposals/{proposal.pk}/comment/", {"body": "<script>x</script>"})
    assert response.status_code == 400
    assert "Write a comment; it was empty once HTML was removed." in response.content.decode()
    assert not Comment.objects.exists()


def test_the_author_edits_an_open_proposal(client, member, challenge, make_proposal):
    proposal = make_proposal(challenge)
    client.force_login(member)
    response = client.post(f"/en/proposals/{proposal.pk}/edit/", {"title": "Better title", "body": "Better body"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Better title"
    entry = AuditEntry.objects.get(action="proposal.updated")
    assert entry.changes["title"] == ["Een belkring van buren", "Better title"]


def test_editing_someone_elses_proposal_is_forbidden(client, make_user, coordinator, challenge, make_proposal):
    proposal = make_proposal(challenge)
    for person in (make_user(), coordinator):
        client.force_login(person)
        assert client.get(f"/en/proposals/{proposal.pk}/edit/").status_code == 403
        assert client.post(f"/en/proposals/{proposal.pk}/edit/", {"title": "Mine", "body": "Now"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.title == "Een belkring van buren"


def test_an_answered_proposal_cannot_be_edited_by_its_author(client, member, challenge, make_proposal):
    proposal = make_proposal(challenge, status="accepted", answer="Yes.")
    client.force_login(member)
    assert client.get(f"/en/proposals/{proposal.pk}/edit/").status_code == 403


def test_the_backbone_answers_publicly_and_the_proposer_gets_an_email(
    client, member, coordinator, challenge, make_proposal, smtp_inbox, django_capture_on_commit_callbacks
):
    proposal = make_proposal(challenge)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/proposals/{proposal.pk}/answer/",
            {"status": "not-now", "answer": "No budget this year; we look again in spring."},
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answered_by) == ("not-now", coordinator)
    mail = wait_for_mail(smtp_inbox)
    assert mail["To"] == member.email
    text = message_text(mail)
    assert "No budget this year; we look again in spring." in text
    assert "Answer: not now" in text
    assert f"/nl/proposals/{proposal.pk}/" in text and f"/en/proposals/{proposal.pk}/" in text
    client.logout()
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "No budget this year; we look again in spring." in page
    assert AuditEntry.objects.filter(action="proposal.answered", object_id=str(proposal.pk)).exists()


def test_an_answer_needs_a_reason(
    client, coordinator, challenge, make_proposal, smtp_inbox, django_capture_on_commit_callbacks
):
    proposal = make_proposal(challenge)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(f"/en/proposals/{proposal.pk}/answer/", {"status": "accepted", "answer": ""})
    assert callbacks == []
    assert response.status_code == 400
    assert 'id="id_answer_errors"' in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.is_open
    assert smtp_inbox.messages == []


def test_a_member_cannot_answer(client, make_user, challenge, make_proposal):
    proposal = make_proposal(challenge)
    client.force_login(make_user())
    response = client.post(f"/en/proposals/{proposal.pk}/answer/", {"status": "accepted", "answer": "Me!"})
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.is_open


def test_the_list_filters_by_status_and_kind(client, challenge, make_proposal):
    make_proposal(challenge, title="Open idea")
    make_proposal(challenge, title="Accepted idea", status="accepted", answer="Yes")
    make_proposal(None, title="New challenge")
    body = client.get("/en/proposals/?status=accepted").content.decode()
    assert "Accepted idea" in body and "Open idea" not in body
    body = client.get("/en/proposals/?kind=challenge").content.decode()
    assert "New challenge" in body and "Open idea" not in body
    # An unknown filter value shows everything rather than an error.
    assert "Open idea" in client.get("/en/proposals/?status=bogus").content.decode()


def test_the_answer_stands_when_the_mail_server_is_down(
    client, coordinator, challenge, make_proposal, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens
    proposal = make_proposal(challenge)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/proposals/{proposal.pk}/answer/", {"status": "accepted", "answer": "Yes."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "accepted"


def test_a_proposal_in_another_language_says_so_and_carries_its_lang(client, challenge, make_proposal):
    proposal = make_proposal(challenge, title="A walking club", body="Neighbours walk together.", language="en")
    dutch = client.get(f"/nl/proposals/{proposal.pk}/").content.decode()
    assert '<span class="tag language-label">in het Engels</span>' in dutch
    assert '<div class="proposal-body" lang="en">' in dutch
    english = client.get(f"/en/proposals/{proposal.pk}/").content.decode()
    assert "language-label" not in english
