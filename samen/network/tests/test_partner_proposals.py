"""A member proposes a partner organisation; the backbone accepts (creating it) or declines with a reason."""

import pytest

from samen.core.models import AuditEntry
from samen.network.models import Organisation, PartnerProposal


@pytest.fixture
def proposal(client, member, make_sector):
    care = make_sector("care", name_en="Care")
    client.force_login(member)
    response = client.post(
        "/en/partners/propose/",
        {
            "name": "Tandarts Runkst",
            "sector": care.pk,
            "website": "tandarts.example",
            "reason": "Ziet veel <i>ouderen</i>.",
        },
    )
    assert response.status_code == 302
    client.logout()
    return PartnerProposal.objects.get()


def test_a_member_proposes_a_partner_and_sees_it_waiting(client, member, proposal):
    assert proposal.proposed_by == member.member
    assert proposal.website == "https://tandarts.example"
    assert proposal.reason == "Ziet veel ouderen."
    client.force_login(member)
    assert "waiting for the backbone" in client.get("/en/partners/propose/").content.decode()


def test_the_backbone_accepts_and_the_organisation_exists(client, coordinator, proposal, member):
    client.force_login(coordinator)
    assert "Tandarts Runkst" in client.get("/en/partners/proposals/").content.decode()
    response = client.post(f"/en/partners/proposals/{proposal.pk}/decide/", {"decision": "accept"})
    assert response.status_code == 302
    org = Organisation.objects.get(name="Tandarts Runkst")
    assert org.slug == "tandarts-runkst" and org.sector.slug == "care" and org.website == "https://tandarts.example"
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.organisation == org and proposal.decided_by == coordinator
    assert AuditEntry.objects.filter(action="partner.accepted").exists()
    client.force_login(member)
    assert f'href="{org.get_absolute_url()}"' in client.get("/en/partners/propose/").content.decode()


def test_declining_needs_a_reason_and_the_member_reads_it(client, coordinator, member, proposal):
    client.force_login(coordinator)
    response = client.post(f"/en/partners/proposals/{proposal.pk}/decide/", {"decision": "decline"})
    assert response.status_code == 400
    assert "Say why the proposal is declined" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "pending"
    client.post(
        f"/en/partners/proposals/{proposal.pk}/decide/",
        {"decision": "decline", f"p{proposal.pk}-decline_reason": "Geen band met Hasselt."},
    )
    proposal.refresh_from_db()
    assert proposal.status == "declined" and not Organisation.objects.filter(name="Tandarts Runkst").exists()
    client.force_login(member)
    assert "Geen band met Hasselt." in client.get("/en/partners/propose/").content.decode()


def test_a_decided_proposal_cannot_be_decided_again(client, coordinator, proposal):
    client.force_login(coordinator)
    client.post(f"/en/partners/proposals/{proposal.pk}/decide/", {"decision": "accept"})
    response = client.post(f"/en/partners/proposals/{proposal.pk}/decide/", {"decision": "accept"}, follow=True)
    assert "This proposal was already decided." in response.content.decode()
    assert Organisation.objects.filter(name="Tandarts Runkst").count() == 1


def test_an_existing_partner_cannot_be_proposed(client, member, org):
    client.force_login(member)
    response = client.post(
        "/en/partners/propose/", {"name": "wijkzorg runkst", "sector": org.sector_id, "reason": "Goed."}
    )
    assert response.status_code == 200
    assert "wijkzorg runkst is already a partner." in response.content.decode()


def test_a_proposal_needs_a_name_a_sector_and_a_reason(client, member):
    client.force_login(member)
    response = client.post("/en/partners/propose/", {"name": "", "reason": ""})
    assert response.content.decode().count("This field is required.") == 3
    assert not PartnerProposal.objects.exists()


def test_the_proposer_is_mailed_the_decision_and_the_reason(
    client, coordinator, proposal, smtp_inbox, django_capture_on_commit_callbacks
):
    from conftest import message_text

    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/en/partners/proposals/{proposal.pk}/decide/",
            {"decision": "decline", f"p{proposal.pk}-decline_reason": "Geen werking in Hasselt & omgeving."},
        )
    [mail] = smtp_inbox.messages
    assert mail["To"] == "mila@example.org"
    assert mail["Subject"] == "[Samen] Your proposal of Tandarts Runkst as a partner is declined"
    assert "Geen werking in Hasselt & omgeving." in message_text(mail)


def test_the_proposer_is_mailed_an_acceptance(
    client, coordinator, proposal, smtp_inbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/partners/proposals/{proposal.pk}/decide/", {"decision": "accept"})
    [mail] = smtp_inbox.messages
    assert mail["Subject"] == "[Samen] Tandarts Runkst is now a partner of the network"
