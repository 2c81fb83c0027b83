"""Callers reserving at the same moment: each person goes to one caller only.

Real threads with their own database connections (the events' `Threads` helper: on SQLite a file
copy of the test database with the real settings, immediate transactions, one writer at a time;
on PostgreSQL the test database itself, where rows are locked and skipped: FOR UPDATE SKIP LOCKED)."""

import pytest

from samen.activities.tests.events.test_concurrency import Threads

pytestmark = pytest.mark.django_db(transaction=True)


def _reserve(campaign, user_pk):
    def action():
        from samen.calls import services
        from samen.calls.models import CallCampaign
        from samen.network.models import User

        batch = services.batch_reserve(
            campaign=CallCampaign.objects.get(pk=campaign.pk), actor=User.objects.get(pk=user_pk)
        )
        return sorted(batch.entries.values_list("resident_id", flat=True))

    return action


def test_two_callers_reserving_the_last_person_at_once_one_gets_them(
    campaign, make_resident, care_coordinator, caller, other_caller, tmp_path
):
    from samen.calls import services

    resident = make_resident()
    services.pool_build(campaign=campaign, actor=care_coordinator)
    threads = Threads(tmp_path)
    got = threads.at_the_same_moment(_reserve(campaign, caller.pk), _reserve(campaign, other_caller.pk))
    assert sorted(got, key=len) == [[], [resident.pk]], got


def test_six_callers_at_once_share_the_pool_without_overlap(
    campaign, many_residents, make_care_member, runkst_network, care_coordinator, tmp_path
):
    from samen.calls import services

    many_residents(45)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    callers = [make_care_member(runkst_network) for _ in range(6)]
    campaign.callers.add(*callers)
    threads = Threads(tmp_path)
    got = threads.at_the_same_moment(*(_reserve(campaign, c.pk) for c in callers))
    assert not [g for g in got if isinstance(g, Exception)], got
    taken = [pk for people in got for pk in people]
    assert len(taken) == len(set(taken)) == 45
    # Checked in the database the threads wrote to: every entry reserved once.
    counts = threads.one(
        lambda: sorted(
            __import__("samen.calls.models", fromlist=["x"])
            .CallEntry.objects.values_list("status", flat=True)
            .distinct()
        )
    )
    assert counts == ["reserved"]


def test_two_pool_builds_at_once_put_everyone_in_once(campaign, many_residents, care_coordinator, tmp_path):
    many_residents(30)

    def build():
        from samen.calls import services
        from samen.calls.models import CallCampaign
        from samen.network.models import User

        fresh = CallCampaign.objects.get(pk=campaign.pk)
        return services.pool_build(campaign=fresh, actor=User.objects.get(pk=care_coordinator.pk))["added"]

    threads = Threads(tmp_path)
    added = threads.at_the_same_moment(build, build)
    assert sorted(added, key=str) == [0, 30], added

    def positions():
        from samen.calls.models import CallEntry

        return list(CallEntry.objects.order_by("position").values_list("position", flat=True))

    assert threads.one(positions) == list(range(1, 31))


def _call_through(campaign_pk, user_pk, rounds):
    """A caller at work: reserve a batch, record every call of it, again."""

    def action():
        from samen.calls import services
        from samen.calls.models import CallCampaign
        from samen.network.models import User

        campaign, user = CallCampaign.objects.get(pk=campaign_pk), User.objects.get(pk=user_pk)
        called = []
        for _round in range(rounds):
            batch = services.batch_reserve(campaign=campaign, actor=user)
            for entry in batch.entries.select_related("resident"):
                services.attempt_record(entry=entry, actor=user, outcome="reached")
                called.append(entry.resident_id)
        return called

    return action


def test_twenty_callers_working_at_once_never_get_an_error(
    make_campaign, many_residents, make_care_member, runkst_network, care_coordinator, tmp_path
):
    """Nobody fails because others reserve and record at the same time (both databases, SQLite with
    its production timeout). That SQLite's writers are served in turn, which is what kept them from
    timing out, is proved whatever the machine's speed in samen/core/tests/test_sqlite_writers.py."""
    from samen.calls import services

    callers = [make_care_member(runkst_network) for _ in range(20)]
    campaign = make_campaign(batch_size=3, callers=callers)
    many_residents(120)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    threads = Threads(tmp_path)
    got = threads.at_the_same_moment(*(_call_through(campaign.pk, c.pk, 2) for c in callers))
    assert not [g for g in got if isinstance(g, Exception)], got
    called = [pk for people in got for pk in people]
    assert len(called) == len(set(called)) == 120

    def recorded():
        from samen.calls.models import CallAttempt, CallEntry

        return CallAttempt.objects.count(), sorted(set(CallEntry.objects.values_list("status", flat=True)))

    assert threads.one(recorded) == (120, ["done"])
