"""The backbone sets up care networks through the pages: area, partners, coordinator, members, the
pledge version, and the register of watch-over agreements. Every change is audited."""

import pytest

from samen.care.models import CareNetwork, NetworkMember, WatchAgreement
from samen.core.models import AuditEntry
from samen.core.permissions import CARE_NETWORK, is_care_network_member

pytestmark = pytest.mark.django_db


def _fresh(user):
    from samen.network.models import User

    return User.objects.get(pk=user.pk)


def test_the_backbone_sets_up_a_network_and_its_coordinator_who_then_accepts_the_pledge(
    client, coordinator, areas, org, other_org, make_user
):
    nora = make_user("nora@example.org", first_name="Nora")
    client.force_login(coordinator)
    response = client.post(
        "/en/care/setup/new/",
        {
            "name": "Buurtnetwerk Kiewit",
            "slug": "kiewit",
            "area": areas["kiewit"].pk,
            "organisations": [org.pk, other_org.pk],
            "pledge_version": "2026-1",
        },
    )
    assert response.status_code == 302
    network = CareNetwork.objects.get(slug="kiewit")
    assert set(network.organisations.all()) == {org, other_org}
    response = client.post(
        "/en/care/setup/kiewit/members/",
        {"email": "NORA@example.org", "organisation": org.slug, "is_coordinator": "on"},
    )
    assert response.status_code == 302
    membership = NetworkMember.objects.get(network=network, user=nora)
    assert membership.is_coordinator and membership.organisation == org and membership.pledged_at is None
    assert is_care_network_member(_fresh(nora))  # the role comes with the membership
    page = client.get("/en/care/setup/").content.decode()
    assert "Buurtnetwerk Kiewit" in page and "Nora" in page
    assert {"care.network.created", "care.member.added"} <= set(AuditEntry.objects.values_list("action", flat=True))
    # Nora sees nothing before the pledge, then the network.
    client.force_login(nora)
    assert client.get("/en/care/networks/kiewit/").status_code == 403
    client.post("/en/care/networks/kiewit/pledge/", {"accept": "yes"})
    assert client.get("/en/care/networks/kiewit/").status_code == 200


def test_a_member_acts_only_for_a_partner_and_is_added_once(client, coordinator, runkst_network, make_user, make_org):
    make_user("pia2@example.org")
    stranger = make_org("bakkerij-x", name="Bakkerij X")
    client.force_login(coordinator)
    url = "/en/care/setup/runkst/members/"
    client.post(url, {"email": "pia2@example.org", "organisation": stranger.slug})
    assert not NetworkMember.objects.filter(user__email="pia2@example.org").exists()
    page = client.post(url, {"email": "nobody@example.org"}, follow=True).content.decode()
    assert "No active account has this email address" in page
    client.post(url, {"email": "pia2@example.org"})
    page = client.post(url, {"email": "pia2@example.org"}, follow=True).content.decode()
    assert "a member of this care network already" in page
    assert NetworkMember.objects.filter(user__email="pia2@example.org").count() == 1


def test_a_new_pledge_version_asks_every_member_again(client, coordinator, care_member, resident, runkst_network):
    client.force_login(care_member)
    assert client.get(f"/en/care/residents/{resident.reference}/").status_code == 200
    client.force_login(coordinator)
    form = {"name": runkst_network.name, "area": runkst_network.area_id, "pledge_version": "2027-1"}
    form["organisations"] = list(runkst_network.organisations.values_list("pk", flat=True))
    assert client.post("/en/care/setup/runkst/", form).status_code == 302
    assert CareNetwork.objects.get(pk=runkst_network.pk).pledge_version == "2027-1"
    assert AuditEntry.objects.get(action="care.network.saved").changes["pledge_asked_again"] is True
    client.force_login(care_member)
    assert client.get(f"/en/care/residents/{resident.reference}/").status_code == 404
    assert "Accept the confidentiality pledge first" in client.get("/en/care/").content.decode()
    assert "I accept the pledge" in client.get("/en/care/networks/runkst/pledge/").content.decode()
    client.post("/en/care/networks/runkst/pledge/", {"accept": "yes"})
    assert NetworkMember.objects.get(user=care_member).pledge_version == "2027-1"
    assert client.get(f"/en/care/residents/{resident.reference}/").status_code == 200


def test_changing_and_removing_a_member(client, coordinator, care_coordinator, care_member, runkst_network, other_org):
    membership = NetworkMember.objects.get(user=care_member)
    client.force_login(coordinator)
    url = f"/en/care/setup/runkst/members/{membership.pk}/"
    prefix = f"m{membership.pk}"
    client.post(url, {f"{prefix}-organisation": other_org.slug, f"{prefix}-is_coordinator": "on"})
    membership.refresh_from_db()
    assert membership.organisation == other_org and membership.is_coordinator
    client.post(url, {"action": "remove"})
    assert not NetworkMember.objects.filter(pk=membership.pk).exists()
    assert not _fresh(care_member).groups.filter(name=CARE_NETWORK).exists()  # no network left: no role
    assert AuditEntry.objects.filter(action="care.member.removed").exists()


def test_one_network_at_most_takes_other_areas(client, coordinator, runkst_network, terhilst_network):
    CareNetwork.objects.filter(pk=terhilst_network.pk).update(takes_other_areas=True)
    client.force_login(coordinator)
    form = {"name": runkst_network.name, "area": runkst_network.area_id, "pledge_version": "2026-1"}
    page = client.post("/en/care/setup/runkst/", {**form, "takes_other_areas": "on"}).content.decode()
    assert "Another care network already takes worries" in page
    assert not CareNetwork.objects.get(pk=runkst_network.pk).takes_other_areas


def test_the_register_of_watch_over_agreements(client, coordinator, care_coordinator, runkst_network):
    client.force_login(coordinator)
    agreement = {
        "business": "Apotheek De Linde",
        "kind": "pharmacy",
        "since": "2026-01-05",
        "watches_for": "Medicines not collected",
        "calls": "the network coordinator",
    }
    assert client.post("/en/care/networks/runkst/agreements/new/", agreement).status_code == 302
    row = WatchAgreement.objects.get()
    url = f"/en/care/networks/runkst/agreements/{row.pk}/"
    page = client.post(url, {**agreement, "ended_on": "2025-12-31"}).content.decode()
    assert "cannot end before it began" in page
    client.force_login(care_coordinator)  # the network's coordinator keeps the register too
    assert client.post(url, {**agreement, "ended_on": "2026-06-30"}).status_code == 302
    row.refresh_from_db()
    assert str(row.ended_on) == "2026-06-30"
    client.force_login(coordinator)
    page = client.get("/en/care/agreements/").content.decode()
    assert "Apotheek De Linde" in page and "Buurtnetwerk Runkst" in page and "30 June 2026" in page
    assert AuditEntry.objects.filter(action="care.agreement.saved").count() == 2


def test_the_setup_list_costs_the_same_queries_for_few_and_many_networks(client, coordinator, areas, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/care/setup/").status_code == 200
        return len(queries)

    def add(n):
        for i in range(n):
            network = CareNetwork.objects.create(name=f"N{i}", slug=f"n{len(slugs)}", area=areas["kiewit"])
            slugs.append(network.slug)
            user = make_user(f"c{len(slugs)}@example.org")
            NetworkMember.objects.create(network=network, user=user, is_coordinator=True)

    slugs: list[str] = []
    client.force_login(coordinator)
    add(2)
    few = count()
    add(20)
    assert count() == few


def test_the_backbone_cannot_give_itself_access_and_the_dpo_hears_of_every_member(
    client, coordinator, care_coordinator, dpo, runkst_network, make_user, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.force_login(coordinator)
    page = client.post(
        "/en/care/setup/runkst/members/", {"email": coordinator.email, "is_coordinator": "on"}, follow=True
    ).content.decode()
    assert "You cannot add yourself" in page
    assert not NetworkMember.objects.filter(user=coordinator).exists()
    make_user("nora@example.org", first_name="Nora")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/care/setup/runkst/members/", {"email": "nora@example.org", "is_coordinator": "on"})
    assert sorted(m.to[0] for m in mail.outbox) == sorted([dpo.email, care_coordinator.email])
    assert all("Nora" in m.body and "Buurtnetwerk Runkst" in m.subject for m in mail.outbox)


def test_the_only_coordinator_stays_and_a_removed_owner_hands_open_cases_to_the_coordinator(
    client, coordinator, care_coordinator, care_member, case
):
    from samen.care.models import Case

    client.force_login(coordinator)
    cora = NetworkMember.objects.get(user=care_coordinator)
    page = client.post(f"/en/care/setup/runkst/members/{cora.pk}/", {"action": "remove"}, follow=True)
    assert "only coordinator" in page.content.decode()
    assert NetworkMember.objects.filter(pk=cora.pk).exists()
    prefix = f"m{cora.pk}"
    client.post(f"/en/care/setup/runkst/members/{cora.pk}/", {f"{prefix}-organisation": ""})  # un-flag: refused
    assert NetworkMember.objects.get(pk=cora.pk).is_coordinator
    owner = NetworkMember.objects.get(user=care_member)
    client.post(f"/en/care/setup/runkst/members/{owner.pk}/", {"action": "remove"})
    assert not NetworkMember.objects.filter(pk=owner.pk).exists()
    assert Case.objects.get(pk=case.pk).owner == care_coordinator
    assert AuditEntry.objects.filter(action="care.case.owner_changed").exists()


def test_a_partner_with_members_or_open_cases_is_not_taken_out(
    client, coordinator, care_member, case, runkst_network, other_org
):
    client.force_login(coordinator)
    form = {"name": runkst_network.name, "area": runkst_network.area_id, "pledge_version": "2026-1"}
    page = client.post("/en/care/setup/runkst/", {**form, "organisations": [other_org.pk]}).content.decode()
    assert "still has 1 members acting for it and 1 open cases" in page
    assert runkst_network.organisations.count() == 2
