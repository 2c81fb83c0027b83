from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "samen.activities"
    label = "activities"
    verbose_name = _("Activities")
    curated_by_backbone = True

    def ready(self) -> None:
        # Activities tie organisations on the network map (samen.network.ties).
        from samen.activities import network_ties

        network_ties.register()
        from samen.activities import events_privacy  # noqa: F401  (erases registrations with the account)
