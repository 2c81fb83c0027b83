from django.http import HttpRequest

# The pages of the activities app that the main menu calls "Events" (campaigns included).
EVENT_PAGES = ("event", "campaign", "registration", "check_in")


def navigation(request: HttpRequest) -> dict:
    """Which of the menu's two items of this app is the current page: activities or events."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.app_name != "activities":
        return {}
    events = (match.url_name or "").startswith(EVENT_PAGES)
    return {"activities_section": "events" if events else "activities"}
