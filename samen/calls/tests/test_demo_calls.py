"""The demo: a finished campaign over a few hundred fictional residents with realistic shares, a
running one, and a telephone circle; the coordinator's pages open on them."""

import io

import pytest
from django.core.management import call_command

from samen.calls.models import CallCampaign, CallEntry, TelephoneCircle
from samen.core.tests.demo_copy import load_demo

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_the_demo_has_a_finished_and_a_running_campaign_with_realistic_shares(client):
    load_demo()  # what `samen demo` leaves (copied after the run's first load); the second run below is the command
    finished = CallCampaign.objects.get(name="Belgezel Sint-Hubertuswijk (demo)")
    entries = list(finished.entries.all())
    assert 250 <= len(entries) <= 400
    reached = sum(e.last_outcome in ("reached", "need") for e in entries) / len(entries)
    assert 0.6 <= reached <= 0.85, reached
    with_need = [e for e in entries if e.signal_id]
    assert with_need and all(e.needs for e in with_need)
    assert finished.entries.filter(status=CallEntry.Status.WAITING).count() == 0  # it is over
    running = CallCampaign.objects.get(name__startswith="Zomerbelronde")
    assert running.entries.filter(status=CallEntry.Status.WAITING).exists()
    assert running.entries.filter(attempts__gt=0).exists()
    assert TelephoneCircle.objects.get().days.count() == 14
    counts = (CallCampaign.objects.count(), CallEntry.objects.count())
    call_command("demo", stdout=io.StringIO())  # a second run changes nothing
    assert (CallCampaign.objects.count(), CallEntry.objects.count()) == counts
    assert client.login(email="care-coordinator@demo.samen.invalid", password="hasselt-zorgstad-demo")
    for page in ("", "dashboard/", "debriefs/", "data-quality/", "follow-ups/"):
        assert client.get(f"/nl/calls/{finished.pk}/{page}").status_code == 200
    board = client.get(f"/en/calls/{running.pk}/dashboard/").content.decode()
    assert "Reached by age band" in board
