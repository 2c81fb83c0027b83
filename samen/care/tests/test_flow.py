"""From a worry to an outcome: the loop closes through the pages, and no one's details leak on the way."""

import logging

import pytest

from conftest import message_text
from samen.care.models import Case, Consent, Referral, Signal
from samen.core.models import AuditEntry

pytestmark = pytest.mark.django_db
SECRETS = ("Maria", "Peeters", "Kempische", "011 22 33 44", "0470")


def _report(client, areas):
    return client.post(
        "/nl/care/worried/",
        {
            "area": areas["runkst"].pk,
            "about": "Maria Peeters, Kempische Steenweg 1",
            "observations": ["mail", "not-seen"],
            "urgency": "urgent",
            "contact": "011 22 33 44",
        },
    )


def test_a_worry_becomes_a_case_a_referral_and_an_outcome(
    client,
    areas,
    resident,
    care_coordinator,
    care_member,
    partner_member,
    visiting_activity,
    caplog,
    smtp_inbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        caplog.set_level(logging.DEBUG)
        response = _report(client, areas)
        assert response.status_code == 302 and response["Location"] == "/nl/care/worried/thanks/"
        signal = Signal.objects.get()
        assert signal.source == "public" and signal.network.slug == "runkst"

        client.force_login(care_coordinator)
        page = client.get(f"/nl/care/signals/{signal.reference}/").content.decode()
        assert "Maria Peeters, Kempische Steenweg 1" in page
        response = client.post(
            f"/nl/care/signals/{signal.reference}/",
            {"action": "assign", "owner": care_member.pk, "resident": resident.reference},
        )
        assert response.status_code == 302
        case = Case.objects.get()
        assert (case.owner, case.resident, case.owner_organisation.slug) == (care_member, resident, "wijkzorg-runkst")

        client.force_login(care_member)
        assert client.get(f"/nl/care/cases/{case.reference}/").status_code == 200
        # Without consent to a referral, the network may only try to make contact.
        client.post(f"/nl/care/cases/{case.reference}/referrals/", {"to_organisation": "apotheek-de-linde"})
        assert not Referral.objects.exists()
        assert "Maria Peeters" in client.get(f"/nl/care/residents/{resident.reference}/").content.decode()
        client.post(f"/nl/care/residents/{resident.reference}/", {"scope": "referral", "how": "spoken"})
        assert Consent.objects.filter(resident=resident, scope="referral").exists()
        client.post(
            f"/nl/care/cases/{case.reference}/referrals/",
            {"to_organisation": "apotheek-de-linde", "note": "Kan zij langsgaan?"},
        )
        referral = Referral.objects.get()
        assert referral.status == "requested"

        client.force_login(partner_member)
        client.post(f"/nl/care/cases/{case.reference}/referrals/{referral.pk}/", {"to": "accepted"})
        client.post(f"/nl/care/cases/{case.reference}/referrals/{referral.pk}/", {"to": "in-progress"})
        client.post(
            f"/nl/care/cases/{case.reference}/referrals/{referral.pk}/", {"to": "completed", "note": "Bezocht."}
        )
        referral.refresh_from_db()
        assert referral.status == "completed"
        assert [c.to_status for c in referral.changes.all()] == ["requested", "accepted", "in-progress", "completed"]

        client.post(
            f"/nl/care/cases/{case.reference}/close/",
            {
                "outcome": "volunteer",
                "activity": visiting_activity.slug,
                "note": "Wekelijks bezoek van een vrijwilliger.",
            },
        )
        case.refresh_from_db()
        assert (case.status, case.outcome, case.activity) == ("closed", "volunteer", visiting_activity)
        assert list(resident.activities.all()) == [visiting_activity]
        signal.refresh_from_db()
        assert signal.status == "closed"

    # Privacy bars: no name, address or phone in the logs, the mails or the audit entries of the whole life.
    logged = "\n".join(r.getMessage() for r in caplog.records)
    mailed = "\n".join(m["Subject"] + message_text(m) for m in smtp_inbox.messages)
    audited = "\n".join(f"{e.object_repr} {e.changes}" for e in AuditEntry.objects.all())
    assert smtp_inbox.messages, "the coordinator, the owner and the partner were told"
    assert "Runkst" in mailed
    for secret in SECRETS:
        assert secret not in logged
        assert secret not in mailed
        assert secret not in audited
    # And every read of the resident and the case is in the resident's audit trail.
    client.force_login(care_coordinator)
    trail = client.get(f"/nl/care/residents/{resident.reference}/audit/").content.decode()
    assert "care.case.viewed" in trail and "care.resident.viewed" in trail and "care.signal.viewed" in trail


def test_the_public_form_answers_the_same_whether_or_not_a_network_works_there(client, areas, runkst_network):
    in_network = _report(client, areas)
    outside = client.post(
        "/nl/care/worried/",
        {"area": areas["terhilst"].pk, "about": "Iemand", "observations": ["lonely"], "urgency": "low"},
    )
    assert in_network["Location"] == outside["Location"] == "/nl/care/worried/thanks/"
    # Both are kept: the one from an area without a network waits for the backbone to hand it over.
    assert sorted(Signal.objects.values_list("network_id", flat=True), key=str) == sorted(
        [runkst_network.pk, None], key=str
    )


def test_the_public_form_is_rate_limited(client, areas, runkst_network, monkeypatch):
    from samen.care import views

    monkeypatch.setattr(views, "WORRIES_PER_HOUR", 2)
    answers = [_report(client, areas).status_code for _ in range(9)]
    # Over the limit a report is still kept, only without a mail; far over it, refused.
    assert answers == [302] * 8 + [429]
    assert Signal.objects.count() == 8


def test_the_public_form_needs_a_csrf_token(areas, runkst_network):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/nl/care/worried/", {"area": areas["runkst"].pk, "about": "x", "observations": ["mail"], "urgency": "low"}
    )
    assert response.status_code == 403
    assert not Signal.objects.exists()


def test_the_public_form_asks_no_health_details(client):
    page = client.get("/en/care/worried/").content.decode()
    assert "Worried about someone?" in page
    for word in ("diagnos", "medication", 'illness"', "disease"):
        assert word not in page.lower()
