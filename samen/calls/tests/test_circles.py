"""Telephone circles: the round confirmed, or the key holder alerted, then the coordinator — on a
frozen clock, through the periodic job; the mails name the circle, never a resident."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samen.calls import services, tasks
from samen.calls.models import CircleDay, TelephoneCircle

pytestmark = pytest.mark.django_db


@pytest.fixture
def circle(runkst_network, make_resident, care_coordinator, caller):
    residents = [make_resident(name=f"Bewoner{i} Achternaam") for i in range(4)]
    return services.circle_save(
        circle=TelephoneCircle(network=runkst_network, name="Kempische Steenweg", key_holder=caller),
        residents=residents,
        actor=care_coordinator,
    )


def _at(hour, minute=0, days=0):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def frozen(monkeypatch):
    """A clock that stands still where the test puts it (django.utils.timezone.now)."""
    state = {"now": timezone.now()}
    monkeypatch.setattr(timezone, "now", lambda: state["now"])

    def set_to(moment):
        state["now"] = moment

    return set_to


def _job(capture):
    with capture(execute=True):
        return tasks.alert_unconfirmed_circles()


def test_a_missing_confirmation_alerts_the_key_holder_then_the_coordinator(
    circle, frozen, mailoutbox, caller, care_coordinator, django_capture_on_commit_callbacks
):
    def job():
        return _job(django_capture_on_commit_callbacks)

    frozen(_at(10, 0))
    assert job() == {"key_holder": 0, "coordinator": 0}  # not due yet
    frozen(_at(10, 45))
    assert job() == {"key_holder": 1, "coordinator": 0}
    assert [m.to for m in mailoutbox] == [[caller.email]]
    frozen(_at(11, 0))
    assert job() == {"key_holder": 0, "coordinator": 0}  # no repeat, not yet
    frozen(_at(11, 31))
    assert job() == {"key_holder": 0, "coordinator": 1}
    assert mailoutbox[-1].to == [care_coordinator.email]
    assert job() == {"key_holder": 0, "coordinator": 0}
    for mail in mailoutbox:
        assert "Kempische Steenweg" in mail.subject + mail.body
        assert "Bewoner" not in mail.subject + mail.body and "Achternaam" not in mail.body
    day = CircleDay.objects.get()
    assert day.key_holder_alerted_at == _at(10, 45) and day.coordinator_alerted_at == _at(11, 31)


def test_a_confirmed_round_raises_no_alert_and_the_next_day_starts_again(
    circle, frozen, mailoutbox, client, caller, django_capture_on_commit_callbacks
):
    def job():
        return _job(django_capture_on_commit_callbacks)

    frozen(_at(9, 50))
    client.force_login(caller)
    assert client.post(f"/nl/calls/circles/{circle.pk}/").status_code == 302
    frozen(_at(12, 0))
    assert job() == {"key_holder": 0, "coordinator": 0}
    frozen(_at(10, 31, days=1))
    assert job() == {"key_holder": 1, "coordinator": 0}
    assert len(mailoutbox) == 1


def test_only_the_key_holder_and_the_coordinator_confirm(circle, care_member):
    with pytest.raises(PermissionDenied):
        services.circle_confirm(circle=circle, actor=care_member)


def test_a_circle_has_three_to_twelve_residents_of_the_network(runkst_network, make_resident, care_coordinator, caller):
    with pytest.raises(ValidationError):
        services.circle_save(
            circle=TelephoneCircle(network=runkst_network, name="Te klein", key_holder=caller),
            residents=[make_resident(), make_resident()],
            actor=care_coordinator,
        )


def test_the_key_holder_sees_first_names_and_numbers_and_the_read_is_audited(client, circle, caller):
    from samen.core.models import AuditEntry

    client.force_login(caller)
    page = client.get(f"/nl/calls/circles/{circle.pk}/").content.decode()
    assert "Bewoner0" in page and "Achternaam" not in page and "Kempische Steenweg 1" not in page
    assert AuditEntry.objects.filter(action="calls.circle.viewed").count() == 4


def test_the_coordinator_sets_up_a_circle_through_the_page(client, care_coordinator, caller, make_resident):
    residents = [make_resident() for _ in range(3)]
    client.force_login(care_coordinator)
    data = {
        "name": "Runkst-Noord",
        "key_holder": caller.pk,
        "confirm_by": "10:30",
        "escalate_after_minutes": "60",
        "residents": "R-ONBEKEND1\n" + "\n".join(r.reference for r in residents),
    }
    page = client.post("/nl/calls/circles/new/", data).content.decode()
    assert "R-ONBEKEND1" in page and not TelephoneCircle.objects.exists()
    data["residents"] = "\n".join(r.reference.lower() for r in residents)
    assert client.post("/nl/calls/circles/new/", data).status_code == 302
    circle = TelephoneCircle.objects.get()
    assert list(circle.places.values_list("resident", flat=True)) == [r.pk for r in residents]


def test_without_a_pledged_key_holder_the_coordinator_is_alerted_at_once(
    circle, frozen, mailoutbox, caller, care_coordinator, django_capture_on_commit_callbacks
):
    from samen.care.models import NetworkMember

    NetworkMember.objects.filter(user=caller).delete()  # the key holder left the network
    frozen(_at(10, 45))
    assert _job(django_capture_on_commit_callbacks) == {"key_holder": 0, "coordinator": 1}
    assert [m.to for m in mailoutbox] == [[care_coordinator.email]]
