"""An edit and an answer on the same proposal, from pages loaded before the other one was saved."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import translation

from samen.agenda import services
from samen.agenda.models import Proposal


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_an_edit_from_a_page_loaded_before_the_answer_does_not_reopen_the_proposal(
    member, coordinator, challenge, make_proposal
):
    proposal = make_proposal(challenge)
    seen_by_author = Proposal.objects.get(pk=proposal.pk)  # loaded while still open
    services.proposal_answer(proposal=proposal, actor=coordinator, status="accepted", answer="Yes, from May.")
    with pytest.raises(ValidationError, match="has been answered"):
        services.proposal_update(proposal=seen_by_author, actor=member, title="Changed", body="Changed too")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer, proposal.title) == (
        "accepted",
        "Yes, from May.",
        "Een belkring van buren",
    )


def test_an_answer_from_a_page_loaded_before_the_edit_keeps_the_edit(member, coordinator, challenge, make_proposal):
    proposal = make_proposal(challenge)
    seen_by_backbone = Proposal.objects.get(pk=proposal.pk)
    services.proposal_update(proposal=proposal, actor=member, title="A phone circle", body="Three neighbours call.")
    services.proposal_answer(proposal=seen_by_backbone, actor=coordinator, status="not-now", answer="Next year.")
    proposal.refresh_from_db()
    assert (proposal.title, proposal.body, proposal.status) == ("A phone circle", "Three neighbours call.", "not-now")


def test_a_second_answer_from_a_stale_page_is_refused(member, coordinator, challenge, make_proposal):
    proposal = make_proposal(challenge)
    seen_by_second = Proposal.objects.get(pk=proposal.pk)
    services.proposal_answer(proposal=proposal, actor=coordinator, status="accepted", answer="Yes.")
    with pytest.raises(ValidationError, match="answered already"):
        services.proposal_answer(proposal=seen_by_second, actor=coordinator, status="not-now", answer="No.")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer) == ("accepted", "Yes.")


def test_the_answer_form_is_gone_once_answered(client, coordinator, challenge, make_proposal):
    proposal = make_proposal(challenge, status="accepted", answer="Yes.")
    client.force_login(coordinator)
    assert "Publish the answer" not in client.get(proposal.get_absolute_url()).content.decode()
    response = client.post(f"/en/proposals/{proposal.pk}/answer/", {"status": "not-now", "answer": "No."}, follow=True)
    assert response.redirect_chain == [(proposal.get_absolute_url(), 302)]
    assert "answered already" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "accepted"


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_an_answer_waits_for_the_edit_in_progress(member, coordinator, challenge, make_proposal):
    """Two real connections: the answer blocks on the lock until the edit commits, then keeps both."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises whole transactions")
    proposal = make_proposal(challenge)
    seen_by_backbone = Proposal.objects.get(pk=proposal.pk)

    def answer() -> None:
        try:
            services.proposal_answer(proposal=seen_by_backbone, actor=coordinator, status="accepted", answer="Yes.")
        finally:
            connection.close()

    with transaction.atomic():
        services.proposal_update(proposal=proposal, actor=member, title="A phone circle", body="Three call.")
        worker = threading.Thread(target=answer)
        worker.start()
        worker.join(0.5)
        assert worker.is_alive()  # waiting for the edit's lock
    worker.join(10)
    proposal.refresh_from_db()
    assert (proposal.title, proposal.status, proposal.answer) == ("A phone circle", "accepted", "Yes.")
