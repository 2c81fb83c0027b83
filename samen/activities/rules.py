"""Object rules of the activities app; django-rules imports this module at start-up."""

from samen.activities import events_rules  # noqa: F401  (campaigns and events)
