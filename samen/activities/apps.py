from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from samen.core.menu import MenuEntry


class ActivitiesConfig(AppConfig):
    name = "samen.activities"
    label = "activities"
    verbose_name = _("Activities")
    curated_by_backbone = True
    menu = (
        # An activity's own list of events belongs to the activity.
        MenuEntry(
            _("Activities"),
            "activities:activities",
            order=40,
            group="take-part",
            namespaces=("activities",),
            views=("events:activity_events",),
        ),
        MenuEntry(_("Events"), "events:calendar", order=50, group="take-part", namespaces=("events",)),
    )

    def ready(self) -> None:
        # Activities tie organisations on the network map (samen.network.ties).
        from samen.activities import network_ties

        network_ties.register()
        # The events package (campaigns, events, registrations) is part of this app. Django and Celery
        # look for admin, rules and tasks modules at the top of an app only, so they are wired here, once.
        from samen.activities import privacy as activities_privacy  # noqa: F401
        from samen.activities.events import admin, privacy, rules, tasks  # noqa: F401
