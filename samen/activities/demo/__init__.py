"""Activities, campaigns and events of the Hasselt demo; each part loads in its own module."""

from samen.activities.demo import activities as demo_activities
from samen.activities.demo import events as demo_events
from samen.activities.models import Activity
from samen.agenda.models import Challenge


def load(today) -> str:
    parts = [demo_activities.load(today=today), demo_events.load(today=today), _work_on_challenges()]
    return "; ".join(part for part in parts if part)


def _work_on_challenges() -> str:
    """In the demo, an activity works on every challenge that shares one of its goals."""
    links = 0
    for challenge in Challenge.objects.prefetch_related("goals"):
        activities = Activity.objects.filter(goals__in=challenge.goals.all()).distinct()
        challenge.activities.add(*activities)
        links += len(activities)
    return f"{links} links from activities to challenges"
