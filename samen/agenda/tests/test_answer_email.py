"""The proposer's email goes through the task interface: after the commit, never failing the answer."""

import json

from samen.agenda.tasks import send_answer_email


def test_any_mail_failure_is_logged_and_the_answer_stands(
    client, coordinator, challenge, make_proposal, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("mail relay refused the login")

    monkeypatch.setattr("samen.agenda.tasks.mail_send", broken)
    proposal = make_proposal(challenge)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/proposals/{proposal.pk}/answer/", {"status": "accepted", "answer": "Yes."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert "samen.agenda.tasks.send_answer_email" in caplog.text and "mail relay refused" in caplog.text


def test_at_scale_the_mail_is_queued_for_a_worker_with_plain_values(
    client, coordinator, challenge, make_proposal, settings, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr("samen.core.tasks.celery_app.send_task", lambda name, args: sent.append((name, args)))
    settings.SAMEN_TASKS = "celery"
    proposal = make_proposal(challenge)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/en/proposals/{proposal.pk}/answer/", {"status": "merged", "answer": "Joined with the phone circle."}
        )
    assert sent == [("samen.agenda.tasks.send_answer_email", [proposal.pk])]
    json.dumps(sent)  # a worker receives JSON, never objects


def test_the_worker_sends_what_is_stored(member, challenge, make_proposal, mailoutbox, settings):
    settings.SITE_URL = "https://samen.example"
    proposal = make_proposal(challenge, status="not-now", answer="Next spring.")
    send_answer_email(proposal.pk)
    (mail,) = mailoutbox
    assert mail.to == [member.email]
    assert mail.subject.startswith("[Samen] Je voorstel")  # in Dutch first, the installation's language
    assert "Next spring." in mail.body and f"https://samen.example/en/proposals/{proposal.pk}/" in mail.body


def test_the_worker_sends_nothing_for_a_deleted_or_open_proposal(challenge, make_proposal, mailoutbox):
    proposal = make_proposal(challenge)
    send_answer_email(proposal.pk)
    send_answer_email(proposal.pk + 1000)
    assert mailoutbox == []
