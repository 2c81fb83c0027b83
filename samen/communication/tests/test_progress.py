from types import SimpleNamespace

from samen.communication import progress
from samen.communication.models import Follow, Notification


def test_followers_of_a_goal_hear_when_its_indicator_turns_off_track_once(
    visits, member, make_user, monkeypatch, domain_with_goal
):
    Follow.objects.create(user=member, kind="goal", object_id=domain_with_goal.pk)
    bystander = make_user()
    statuses = {"now": "on_track"}
    monkeypatch.setattr(
        progress,
        "indicator_views",
        lambda indicators, small_counts: {i.pk: SimpleNamespace(status=statuses["now"]) for i in indicators},
    )
    assert progress.indicator_status_changes() == 0  # the first look is no news
    statuses["now"] = "off_track"
    assert progress.indicator_status_changes() == 1
    assert progress.indicator_status_changes() == 0  # the same status again: nothing
    notification = Notification.objects.get(user=member)
    assert notification.topic == "progress" and "niet meer op koers" in notification.text  # Dutch by default
    assert "84-plussers met weinig bezoek" in notification.text
    assert not Notification.objects.filter(user=bystander).exists()


def test_the_public_status_is_computed_from_protected_figures(visits, monkeypatch):
    seen = {}

    def views(indicators, small_counts):
        seen["small_counts"] = small_counts
        return {i.pk: SimpleNamespace(status="no_recent_data") for i in indicators}

    monkeypatch.setattr(progress, "indicator_views", views)
    progress.indicator_status_changes()
    assert seen["small_counts"] is False
