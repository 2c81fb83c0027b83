"""Every care page for every role: visitors sign in, roles without care access get 403, and a care
member sees only their own network (a member of another network and a partner editor get 403)."""

import pytest

from samen.core.tests.matrix import DENIED, LOGIN, OK, assert_answer

pytestmark = pytest.mark.django_db
ROLES = [
    "visitor",
    "member",
    "editor",
    "coordinator",
    "admin",
    "dpo",
    "unpledged",
    "other_network",
    "partner_member",
    "care_member",
    "care_coordinator",
]
NOT_FOUND = 404


def _row(visitor, member, editor, coordinator, admin, dpo, unpledged, other_network, partner, care, care_coordinator):
    return dict(
        zip(
            ROLES,
            (
                visitor,
                member,
                editor,
                coordinator,
                admin,
                dpo,
                unpledged,
                other_network,
                partner,
                care,
                care_coordinator,
            ),
            strict=True,
        )
    )


L, D, Y, N = LOGIN, DENIED, OK, NOT_FOUND
# page: answers for visitor, member, editor, backbone coordinator, admin, DPO, unpledged care member,
# care member of another network, member of Runkst for the pharmacy, member of Runkst for the case's
# owner organisation, the coordinator of Runkst.
PAGES = {
    "/nl/care/worried/": _row(Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "/nl/care/worried/thanks/": _row(Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "/nl/care/": _row(L, D, D, Y, Y, Y, Y, Y, Y, Y, Y),
    "/nl/care/networks/runkst/": _row(L, D, D, D, D, D, D, D, Y, Y, Y),
    "/nl/care/networks/runkst/pledge/": _row(L, D, D, N, N, N, Y, N, Y, Y, Y),
    "/nl/care/networks/runkst/residents/new/": _row(L, D, D, D, D, D, D, D, Y, Y, Y),
    "/nl/care/networks/runkst/residents/import/": _row(L, D, D, D, D, D, D, D, Y, Y, Y),
    "/nl/care/networks/runkst/signals/new/": _row(L, D, D, D, D, D, D, D, Y, Y, Y),
    # The register of agreements: the network's coordinator and the backbone.
    "/nl/care/networks/runkst/agreements/new/": _row(L, D, D, Y, Y, D, D, D, D, D, Y),
    "/nl/care/networks/runkst/agreements/{agreement}/": _row(L, D, D, Y, Y, D, D, D, D, D, Y),
    "/nl/care/networks/runkst/surveys/new/": _row(L, D, D, D, D, D, D, D, D, D, Y),
    "/nl/care/surveys/{survey}/": _row(L, D, D, D, D, D, D, D, Y, Y, Y),
    "/nl/care/residents/{resident}/": _row(L, D, D, N, N, N, N, N, Y, Y, Y),
    "/nl/care/residents/{resident}/edit/": _row(L, D, D, N, N, N, N, N, Y, Y, Y),
    "/nl/care/residents/{resident}/audit/": _row(L, D, D, N, N, Y, N, N, N, N, Y),
    "/nl/care/residents/{resident}/erase/": _row(L, D, D, N, N, N, N, N, D, D, Y),
    # The fixture's signal is taken up in a case of Wijkzorg: the pharmacy's member does not see it.
    "/nl/care/signals/{signal}/": _row(L, D, D, N, N, N, N, N, N, Y, Y),
    "/nl/care/cases/{case}/": _row(L, D, D, N, N, N, N, N, D, Y, Y),
    "/nl/care/reviews/": _row(L, D, D, D, D, D, D, D, D, D, Y),
    "/nl/care/escalations/": _row(L, D, D, Y, Y, D, D, D, D, D, D),
    # Setting networks up, the register and the worries without a network: the backbone only.
    "/nl/care/setup/": _row(L, D, D, Y, Y, D, D, D, D, D, D),
    "/nl/care/setup/new/": _row(L, D, D, Y, Y, D, D, D, D, D, D),
    "/nl/care/setup/runkst/": _row(L, D, D, Y, Y, D, D, D, D, D, D),
    "/nl/care/agreements/": _row(L, D, D, Y, Y, D, D, D, D, D, D),
    "/nl/care/worries/": _row(L, D, D, Y, Y, D, D, D, D, D, D),
}


@pytest.fixture
def people(
    member,
    editor,
    coordinator,
    admin_user,
    dpo,
    make_care_member,
    runkst_network,
    other_network_member,
    partner_member,
    care_member,
    care_coordinator,
):
    unpledged = make_care_member(runkst_network, pledged=False)
    return {
        "visitor": None,
        "member": member,
        "editor": editor,
        "coordinator": coordinator,
        "admin": admin_user,
        "dpo": dpo,
        "unpledged": unpledged,
        "other_network": other_network_member,
        "partner_member": partner_member,
        "care_member": care_member,
        "care_coordinator": care_coordinator,
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_care_page_answers_each_role_as_designed(client, role, people, resident, case, signal, runkst_network):
    from samen.care.models import SurveyRound, WatchAgreement

    survey = SurveyRound.objects.create(network=runkst_network, name="Bevraging 2026", held_on="2026-03-01")
    agreement = WatchAgreement.objects.create(
        network=runkst_network, business="Bpost", kind="post", since="2026-01-01", watches_for="mail", calls="Cora"
    )
    user = people[role]
    if user is not None:
        client.force_login(user)
    for page, answers in PAGES.items():
        url = page.format(
            resident=resident.reference,
            case=case.reference,
            signal=signal.reference,
            survey=survey.pk,
            agreement=agreement.pk,
        )
        assert_answer(client.get(url), answers[role], url, role)


@pytest.mark.parametrize("role", ["member", "editor", "coordinator", "other_network", "partner_member"])
def test_writes_are_refused_to_those_who_may_not_read(client, role, people, resident, case, signal):
    client.force_login(people[role])
    before = resident.consents.count()
    response = client.post(f"/nl/care/residents/{resident.reference}/", {"scope": "contact", "how": "spoken"})
    # Those with care access outside the network get 404, as for an unknown reference.
    hidden = 404 if role in ("coordinator", "other_network") else 403
    if role == "partner_member":
        assert response.status_code == 302  # a member of the network records consent
    else:
        assert response.status_code == hidden
        assert resident.consents.count() == before
    closing = client.post(f"/nl/care/cases/{case.reference}/close/", {"outcome": "resolved"})
    assert closing.status_code == (403 if role == "partner_member" else hidden)
    dismissing = client.post(f"/nl/care/signals/{signal.reference}/", {"action": "dismiss"})
    assert dismissing.status_code == (404 if role == "partner_member" else hidden)


@pytest.mark.parametrize("role", ["member", "editor", "dpo", "other_network", "care_member", "care_coordinator"])
def test_only_the_backbone_sets_networks_and_members_up(client, role, people, runkst_network, make_user, areas):
    from samen.care.models import CareNetwork, NetworkMember

    make_user("new@example.org")
    membership = NetworkMember.objects.get(user=people["care_member"])
    client.force_login(people[role])
    assert client.post("/nl/care/setup/runkst/members/", {"email": "new@example.org"}).status_code == 403
    assert client.post(f"/nl/care/setup/runkst/members/{membership.pk}/", {"action": "remove"}).status_code == 403
    form = {"name": "X", "slug": "x", "area": areas["kiewit"].pk, "pledge_version": "1"}
    assert client.post("/nl/care/setup/new/", form).status_code == 403
    assert not NetworkMember.objects.filter(user__email="new@example.org").exists()
    assert NetworkMember.objects.filter(pk=membership.pk).exists() and not CareNetwork.objects.filter(slug="x").exists()


def test_a_partner_of_the_network_breaks_the_glass_for_a_few_hours_and_the_coordinator_reviews(
    client, partner_member, care_coordinator, case
):
    from samen.care.models import GlassBreak
    from samen.core.models import AuditEntry

    client.force_login(partner_member)
    url = f"/nl/care/cases/{case.reference}/"
    assert client.get(url).status_code == 403
    client.post(url, {"reason": "Zij belt ons in paniek, ik moet weten wie haar volgt."})
    assert client.get(url).status_code == 200
    assert AuditEntry.objects.filter(action="care.case.glass_broken").exists()
    client.force_login(care_coordinator)
    glass = GlassBreak.objects.get()
    assert "paniek" in client.get("/nl/care/reviews/").content.decode()
    client.post("/nl/care/reviews/", {"kind": "glass", "pk": glass.pk, "note": "Terecht."})
    glass.refresh_from_db()
    assert glass.reviewed_by == care_coordinator


def test_the_glass_closes_again_after_its_hours(partner_member, case, monkeypatch):
    import datetime

    from django.utils import timezone

    from samen.care import access, services

    services.glass_break(case=case, actor=partner_member, reason="Dringend: niemand neemt op.")
    later = timezone.now() + datetime.timedelta(hours=services.GLASS_BREAK_HOURS + 1)
    assert access.case_access(partner_member, case) == access.GLASS
    assert access.case_access(partner_member, case, now=later) is None


def test_the_network_page_costs_the_same_queries_for_10_and_60_residents(
    client, care_member, make_resident, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/nl/care/networks/runkst/").status_code == 200
        return len(queries)

    client.force_login(care_member)
    for _ in range(10):
        make_resident()
    ten = count()
    for _ in range(50):
        make_resident()
    assert count() == ten


def test_a_data_protection_officer_finds_a_trail_by_reference(client, dpo, resident):
    client.force_login(dpo)
    response = client.get("/nl/care/", {"reference": resident.reference.lower()})
    assert response["Location"] == f"/nl/care/residents/{resident.reference}/audit/"
    assert client.get(response["Location"]).status_code == 200
