from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    """Which of the menu's two items of this app is the current page: activities or events."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.app_name not in ("activities", "events"):
        return {}
    # An activity's own list of events belongs to the activity.
    events = match.app_name == "events" and match.url_name != "activity_events"
    return {"activities_section": "events" if events else "activities"}
