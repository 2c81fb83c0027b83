"""Plain functions that make activities, roles, campaigns and events; the fixtures call them per test,
`shared_data` fixtures once per module."""

import datetime
import itertools

from django.utils import timezone

_counter = itertools.count(1)


def in_days(days: float, hour: int = 10) -> datetime.datetime:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def make_activity(title=None, *, lead, goal, domains=None, goals=None, areas=(), partners=(), **fields):
    """An activity led by `lead`, for `goal` (and its domain) unless told otherwise."""
    from samen.activities.models import Activity

    number = next(_counter)
    title = title or f"Activity {number}"
    activity = Activity.objects.create(
        slug=fields.pop("slug", f"activity-{number}"),
        title=title,
        summary=fields.pop("summary", f"What {title} does."),
        lead_organisation=lead,
        status=fields.pop("status", "running"),
        **fields,
    )
    activity.action_domains.set(domains if domains is not None else [goal.domain])
    activity.goals.set(goals if goals is not None else [goal])
    activity.areas.set(areas)
    activity.partner_organisations.set(partners)
    return activity


def make_role(activity, title="Visitor", *, places=2, skill=None, availability="", time_asked="Two hours a week"):
    from samen.activities.models import Role

    return Role.objects.create(
        activity=activity, title=title, places=places, skill=skill, availability=availability, time_asked=time_asked
    )


def make_campaign(**fields):
    from samen.activities.events.models import Campaign

    today = timezone.localdate()
    defaults = {
        "slug": "week-van-de-veerkracht",
        "title": "Week van de Veerkracht",
        "theme": "Veerkracht in elke wijk",
        "description": "Een week vol activiteiten.",
        "starts_on": today,
        "ends_on": today + datetime.timedelta(days=30),
    }
    return Campaign.objects.create(**(defaults | fields))


def make_event(*, organisation, **fields):
    from samen.activities.events.models import Event

    number = next(_counter)
    defaults = {
        "slug": f"event-{number}",
        "title": f"Event {number}",
        "organisation": organisation,
        "starts_at": in_days(3, 10),
        "ends_at": in_days(3, 12),
        "place_name": "Japanse tuin",
        "address": "Gouverneur Verwilghensingel, 3500 Hasselt",
        "accessibility": "Vlakke paden, rolstoeltoegankelijk toilet.",
    }
    return Event.objects.create(**(defaults | fields))
