"""No worry is dropped: one from an area without a care network is kept and goes to the backbone
(or to the network that takes other areas); the visitor gets the same answer whatever happened."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from samen.care.models import CareNetwork, Signal
from samen.core.models import AuditEntry

pytestmark = pytest.mark.django_db
WORRY = {"about": "Mevrouw Jacobs, Kiewitstraat 12", "observations": ["not-seen"], "urgency": "urgent"}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _report(client, area, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/care/worried/", {**WORRY, "area": area.pk})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    return re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]*"', "", page)  # fresh on every page


def test_a_worry_from_an_area_without_a_network_is_kept_and_the_backbone_hands_it_over(
    client, areas, runkst_network, coordinator, care_coordinator, django_capture_on_commit_callbacks
):
    answer_elsewhere = _report(client, areas["kiewit"], django_capture_on_commit_callbacks)
    signal = Signal.objects.get()
    assert signal.network is None and signal.area == areas["kiewit"] and signal.about == WORRY["about"]
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "Kiewit" in mail.outbox[0].subject and "Jacobs" not in mail.outbox[0].body + mail.outbox[0].subject
    # The visitor cannot tell: the answer is the same as where a network works.
    assert answer_elsewhere == _report(client, areas["runkst"], django_capture_on_commit_callbacks)
    assert "Call 112" in answer_elsewhere
    client.force_login(coordinator)
    page = client.get("/en/care/worries/").content.decode()
    assert signal.reference in page and "Kiewit" in page and "Jacobs" not in page
    assert client.get("/en/care/").content.decode().count("Worries from areas without a network") == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/care/worries/", {"signal": signal.reference, "network": runkst_network.slug})
    signal.refresh_from_db()
    assert signal.network == runkst_network
    assert mail.outbox[-1].to == [care_coordinator.email]
    assert AuditEntry.objects.filter(action="care.signal.handed_over").exists()
    assert signal.reference not in client.get("/en/care/worries/").content.decode()
    client.force_login(care_coordinator)
    assert client.get(f"/en/care/signals/{signal.reference}/").status_code == 200


def test_a_network_that_takes_other_areas_gets_the_worry_directly(
    client, areas, terhilst_network, make_care_member, django_capture_on_commit_callbacks
):
    tine = make_care_member(terhilst_network, coordinator=True, email="tine@example.org")
    CareNetwork.objects.filter(pk=terhilst_network.pk).update(takes_other_areas=True)
    _report(client, areas["kiewit"], django_capture_on_commit_callbacks)
    signal = Signal.objects.get()
    assert signal.network_id == terhilst_network.pk and signal.area == areas["kiewit"]
    assert [m.to for m in mail.outbox] == [[tine.email]]


def test_the_thanks_page_names_the_social_service_when_it_is_configured(client, settings):
    settings.SAMEN_CARE_SOCIAL_SERVICE = "Sociaal Huis Hasselt, 011 00 00 00"
    page = client.get("/en/care/worried/thanks/").content.decode()
    assert "Call 112" in page and "Call Sociaal Huis Hasselt, 011 00 00 00." in page
    settings.SAMEN_CARE_SOCIAL_SERVICE = ""
    assert "social service of your city or municipality" in client.get("/en/care/worried/thanks/").content.decode()


def test_only_the_backbone_hands_worries_over(client, areas, runkst_network, care_coordinator):
    from samen.care import services

    signal = services.signal_report(
        network=None, area=areas["kiewit"], source="public", observations=["mail"], urgency="low", about="x"
    )
    client.force_login(care_coordinator)
    assert client.get("/en/care/worries/").status_code == 403
    assert client.post("/en/care/worries/", {"signal": signal.reference, "network": "runkst"}).status_code == 403
    assert Signal.objects.get(pk=signal.pk).network is None
    assert client.get(f"/en/care/signals/{signal.reference}/").status_code == 404


def test_the_worries_page_costs_the_same_queries_for_few_and_many(client, areas, runkst_network, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from samen.care import services

    def add(n):
        for _ in range(n):
            services.signal_report(
                network=None, area=areas["kiewit"], source="public", observations=["mail"], urgency="low", about="x"
            )

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/care/worries/").status_code == 200
        return len(queries)

    client.force_login(coordinator)
    add(2)
    few = count()
    add(30)
    assert count() == few


def test_a_hand_over_needs_a_chosen_network_and_a_wrong_one_is_sent_back(
    client, areas, runkst_network, coordinator, care_coordinator, django_capture_on_commit_callbacks
):
    from samen.care import services

    signal = services.signal_report(
        network=None, area=areas["kiewit"], source="public", observations=["mail"], urgency="urgent", about="x"
    )
    client.force_login(coordinator)
    page = client.get("/en/care/worries/").content.decode()
    assert '<option value="">Choose a network</option>' in page  # nothing preselected
    page = client.post("/en/care/worries/", {"signal": signal.reference, "network": ""}, follow=True).content.decode()
    assert "Choose the network to hand it to." in page and Signal.objects.get(pk=signal.pk).network is None
    client.post("/en/care/worries/", {"signal": signal.reference, "network": runkst_network.slug})
    client.force_login(care_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/en/care/signals/{signal.reference}/", {"action": "send_back"}).status_code == 302
    assert Signal.objects.get(pk=signal.pk).network is None
    assert mail.outbox[-1].to == [coordinator.email]
    assert "Een dringende zorg uit Kiewit" in mail.outbox[-1].subject  # urgent, in the site's language
    assert AuditEntry.objects.filter(action="care.signal.sent_back").exists()


def test_the_worries_page_shows_fifty_at_a_time(client, areas, coordinator):
    Signal.objects.bulk_create(
        [Signal(network=None, area=areas["kiewit"], source="public", observations=["mail"]) for _ in range(60)]
    )
    client.force_login(coordinator)
    page = client.get("/en/care/worries/").content.decode()
    assert page.count('name="signal"') == 50 and "Page 1 of 2" in page
