"""Every call page for every role: visitors sign in; roles without care (or the backbone's) get 403;
the backbone and the network coordinator manage campaigns; a caller sees only the caller pages of
the campaigns they call for; the lists naming residents are the coordinator's."""

import pytest

from samen.core.tests.matrix import DENIED, LOGIN, OK, assert_answer

pytestmark = pytest.mark.django_db
ROLES = [
    "visitor",
    "member",
    "editor",
    "backbone",
    "dpo",
    "other_network",
    "care_member",
    "unpledged_caller",
    "caller",
    "care_coordinator",
]
L, D, Y, R = LOGIN, DENIED, OK, 302  # R: sent on to another page


def _row(*answers):
    return dict(zip(ROLES, answers, strict=True))


# page: visitor, member, editor, backbone coordinator, DPO, care member of another network, care
# member of Runkst who does not call, a caller who has not pledged, a caller, the Runkst coordinator.
PAGES = {
    "/nl/calls/": _row(L, D, D, Y, D, Y, Y, Y, Y, Y),
    "/nl/calls/new/": _row(L, D, D, Y, D, D, D, D, D, Y),
    "/nl/calls/{campaign}/": _row(L, D, D, Y, D, D, D, R, R, Y),
    "/nl/calls/{campaign}/edit/": _row(L, D, D, Y, D, D, D, D, D, Y),
    "/nl/calls/{campaign}/rules/": _row(L, D, D, Y, D, D, D, D, D, Y),
    "/nl/calls/{campaign}/dashboard/": _row(L, D, D, Y, D, D, D, D, D, Y),
    "/nl/calls/{campaign}/import/": _row(L, D, D, D, D, D, D, D, D, D),  # a filtered campaign has no list
    "/nl/calls/{list_campaign}/import/": _row(L, D, D, D, D, D, D, D, D, Y),
    "/nl/calls/{campaign}/pledge/": _row(L, D, D, D, D, D, D, Y, Y, D),
    "/nl/calls/{campaign}/call/": _row(L, D, D, D, D, D, D, R, Y, D),
    "/nl/calls/{campaign}/call/{entry}/": _row(L, D, D, D, D, D, D, D, Y, D),
    "/nl/calls/{campaign}/data-quality/": _row(L, D, D, D, D, D, D, D, D, Y),
    "/nl/calls/{campaign}/follow-ups/": _row(L, D, D, D, D, D, D, D, D, Y),
    "/nl/calls/{campaign}/debriefs/": _row(L, D, D, D, D, D, D, D, D, Y),
    "/nl/calls/circles/new/": _row(L, D, D, D, D, D, D, D, D, Y),
    "/nl/calls/circles/{circle}/": _row(L, D, D, D, D, D, D, D, Y, Y),
}


@pytest.fixture
def world(
    make_campaign,
    campaign,
    make_resident,
    make_care_member,
    runkst_network,
    care_coordinator,
    caller,
    other_network_member,
    care_member,
    member,
    editor,
    coordinator,
    dpo,
):
    from samen.calls import services
    from samen.calls.models import TelephoneCircle

    unpledged = make_care_member(runkst_network, pledged=False, email="una@example.org")
    campaign.callers.add(unpledged)
    residents = [make_resident() for _ in range(3)]
    services.pool_build(campaign=campaign, actor=care_coordinator)
    entry = services.batch_reserve(campaign=campaign, actor=caller).entries.first()
    list_campaign = make_campaign(name="Lijst", population="list")
    circle = services.circle_save(
        circle=TelephoneCircle(network=runkst_network, name="Kempische Steenweg", key_holder=caller),
        residents=residents,
        actor=care_coordinator,
    )
    people = {
        "visitor": None,
        "member": member,
        "editor": editor,
        "backbone": coordinator,
        "dpo": dpo,
        "other_network": other_network_member,
        "care_member": care_member,
        "unpledged_caller": unpledged,
        "caller": caller,
        "care_coordinator": care_coordinator,
    }
    ids = {"campaign": campaign.pk, "list_campaign": list_campaign.pk, "entry": entry.pk, "circle": circle.pk}
    return people, ids


@pytest.mark.parametrize("role", ROLES)
def test_every_call_page_answers_each_role_as_designed(client, role, world):
    people, ids = world
    if people[role] is not None:
        client.force_login(people[role])
    for page, answers in PAGES.items():
        url = page.format(**ids)
        assert_answer(client.get(url), answers[role], url, role)


@pytest.mark.parametrize(
    "role", ["member", "backbone", "other_network", "care_member", "unpledged_caller", "care_coordinator"]
)
def test_writes_are_refused_to_those_who_may_not(client, role, world):
    from samen.calls.models import CallAttempt, CallBatch

    people, ids = world
    client.force_login(people[role])
    batches = CallBatch.objects.count()
    assert client.post(f"/nl/calls/{ids['campaign']}/call/", {"action": "reserve"}).status_code in (302, 403)
    assert CallBatch.objects.count() == batches
    answer = client.post(f"/nl/calls/{ids['campaign']}/call/{ids['entry']}/", {"outcome": "reached"})
    assert answer.status_code == 403
    assert not CallAttempt.objects.exists()
