from samen.activities import events_admin  # noqa: F401  (campaigns and events)
