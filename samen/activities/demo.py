"""Activities, campaigns and events of the Hasselt demo; each part loads in its own module."""

from samen.activities import demo_activities, demo_events


def load(today) -> str:
    return "; ".join(part for part in (demo_activities.load(today=today), demo_events.load(today=today)) if part)
