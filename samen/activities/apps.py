from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "samen.activities"
    label = "activities"
    verbose_name = _("Activities")
    curated_by_backbone = True

    def ready(self) -> None:
        from samen.activities import events_privacy  # noqa: F401  (erases registrations with the account)
