"""Moderation: any member reports a proposal or comment, the backbone hides it, all of it audited."""

import pytest
from django.db import IntegrityError, transaction

from samen.agenda.models import Comment, Report
from samen.core.models import AuditEntry


def test_a_member_reports_a_comment_and_the_backbone_hides_it(client, make_user, coordinator, challenge, make_proposal):
    proposal = make_proposal(challenge)
    comment = Comment.objects.create(proposal=proposal, author=make_user(), body="Rude words")
    reporter = make_user()
    client.force_login(reporter)
    response = client.post(f"/en/moderation/comment/{comment.pk}/report/", {"reason": "Insulting"})
    assert response["Location"] == f"/en/proposals/{proposal.pk}/#comment-{comment.pk}"
    report = Report.objects.get()
    assert (report.comment, report.reporter, report.reason) == (comment, reporter, "Insulting")

    client.force_login(coordinator)
    page = client.get("/en/proposals/moderation/").content.decode()
    assert "Rude words" in page and "Insulting" in page
    client.post(f"/en/moderation/comment/{comment.pk}/hide/", {"hidden": "1", "next": "moderation"})
    comment.refresh_from_db()
    assert comment.is_hidden
    assert Report.objects.get().resolved_at is not None
    assert "Rude words" not in client.get("/en/proposals/moderation/").content.decode()

    client.logout()
    assert "Rude words" not in client.get(proposal.get_absolute_url()).content.decode()
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", "actor"))
    assert ("moderation.reported", reporter.pk) in actions
    assert ("moderation.hidden", coordinator.pk) in actions


def test_a_hidden_proposal_is_gone_for_the_public_but_the_backbone_can_show_it_again(
    client, member, coordinator, challenge, make_proposal
):
    proposal = make_proposal(challenge, title="Advertising")
    client.force_login(coordinator)
    client.post(f"/en/moderation/proposal/{proposal.pk}/hide/", {"hidden": "1"})
    client.logout()
    assert client.get(proposal.get_absolute_url()).status_code == 404
    assert "Advertising" not in client.get("/en/proposals/").content.decode()
    assert "Advertising" not in client.get(f"/en/challenges/{challenge.slug}/").content.decode()
    client.force_login(member)  # the author too: hidden is hidden
    assert client.get(proposal.get_absolute_url()).status_code == 404
    client.force_login(coordinator)
    assert "Hidden by moderation" in client.get(proposal.get_absolute_url()).content.decode()
    client.post(f"/en/moderation/proposal/{proposal.pk}/hide/", {"hidden": "0"})
    client.logout()
    assert client.get(proposal.get_absolute_url()).status_code == 200
    assert AuditEntry.objects.filter(action="moderation.shown", object_id=str(proposal.pk)).exists()


def test_a_report_needs_a_reason(client, member, challenge, make_proposal):
    proposal = make_proposal(challenge)
    client.force_login(member)
    response = client.post(f"/en/moderation/proposal/{proposal.pk}/report/", {"reason": ""})
    assert 'id="id_reason_errors"' in response.content.decode()
    assert not Report.objects.exists()


def test_the_backbone_keeps_reported_content_visible(client, member, coordinator, challenge, make_proposal):
    proposal = make_proposal(challenge)
    client.force_login(member)
    client.post(f"/en/moderation/proposal/{proposal.pk}/report/", {"reason": "I disagree"})
    client.force_login(coordinator)
    client.post(f"/en/moderation/proposal/{proposal.pk}/dismiss/")
    proposal.refresh_from_db()
    assert not proposal.is_hidden
    assert Report.objects.get().resolved_at is not None
    assert AuditEntry.objects.filter(action="moderation.dismissed").exists()


def test_members_cannot_hide_and_an_unknown_kind_is_a_404(client, member, challenge, make_proposal):
    proposal = make_proposal(challenge)
    client.force_login(member)
    assert client.post(f"/en/moderation/proposal/{proposal.pk}/hide/", {"hidden": "1"}).status_code == 403
    assert client.get("/en/proposals/moderation/").status_code == 403
    assert client.get(f"/en/moderation/goal/{proposal.pk}/report/").status_code == 404
    proposal.refresh_from_db()
    assert not proposal.is_hidden


def test_a_member_reports_a_thing_once(client, make_user, challenge, make_proposal):
    proposal = make_proposal(challenge)
    comment = Comment.objects.create(proposal=proposal, author=make_user(), body="Spam")
    reporter = make_user()
    client.force_login(reporter)
    url = f"/en/moderation/proposal/{proposal.pk}/report/"
    assert client.post(url, {"reason": "Advertising"}).status_code == 302
    again = client.post(url, {"reason": "Advertising!!"})
    assert again.status_code == 302  # the form is not offered again
    assert "You reported this already" in client.get(again["Location"]).content.decode()
    followed = client.get(url, follow=True)
    assert followed.redirect_chain == [(proposal.get_absolute_url(), 302)]
    assert "You reported this already" in followed.content.decode()
    # Another thing, or another member, is a new report.
    client.post(f"/en/moderation/comment/{comment.pk}/report/", {"reason": "Spam"})
    client.force_login(make_user())
    client.post(url, {"reason": "Advertising"})
    assert Report.objects.count() == 3
    assert Report.objects.filter(reporter=reporter, proposal=proposal).count() == 1
    assert AuditEntry.objects.filter(action="moderation.reported", actor=reporter).count() == 2


def test_the_service_refuses_a_second_report_with_a_clear_message(make_user, challenge, make_proposal):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from samen.agenda import services

    proposal, reporter = make_proposal(challenge), make_user()
    services.report_create(reporter=reporter, reason="Advertising", proposal=proposal)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.report_create(reporter=reporter, reason="Again", proposal=proposal)
    assert refused.value.message_dict["reason"] == [
        "You reported this already; the backbone will look at it. Each member reports a thing once."
    ]
    assert AuditEntry.objects.filter(action="moderation.reported").count() == 1


def test_the_database_keeps_one_report_per_member_and_thing(make_user, challenge, make_proposal):
    proposal, reporter = make_proposal(challenge), make_user()
    Report.objects.create(reporter=reporter, proposal=proposal, reason="One")
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(reporter=reporter, proposal=proposal, reason="Two")
