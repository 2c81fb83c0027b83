"""Fixtures of the activities tests, one module per part."""

from samen.activities.tests.events_fixtures import campaign, event, make_event  # noqa: F401  (campaigns and events)
